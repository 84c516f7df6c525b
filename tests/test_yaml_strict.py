"""The strict parser: YAML 1.2 scalars, positions, and refusals that are fast and never a RecursionError."""

from __future__ import annotations

import pytest

from kb.yaml_strict import MAX_BYTES, YamlError, parse_bytes, parse_text


def test_time_codes_and_dates_stay_text_as_in_yaml_1_2() -> None:
    document = parse_text("at: 25:25\nuntil: 1:13:40\nsaid: 2023-12-14\nyear: 2023\n")
    assert document.value == {"at": "25:25", "until": "1:13:40", "said": "2023-12-14", "year": 2023}


def test_only_true_and_false_are_booleans() -> None:
    document = parse_text("a: yes\nb: no\nc: on\nd: true\ne: False\nf: ~\ng:\n")
    assert document.value == {"a": "yes", "b": "no", "c": "on", "d": True, "e": False, "f": None, "g": None}


def test_quoted_scalars_are_text() -> None:
    assert parse_text("a: '1'\nb: \"true\"\nc: !!str 12\n").value == {"a": "1", "b": "true", "c": "12"}


def test_positions_of_values_and_keys_are_one_based() -> None:
    document = parse_text("statement: x\nsource:\n  url: https://example.org\ntopics:\n  - a\n  - b\n")
    assert document.positions[("source", "url")] == (3, 8)
    assert document.key_positions[("source", "url")] == (3, 3)
    assert document.positions[("topics", 1)] == (6, 5)
    assert document.position(("source", "missing")) == (3, 3)


def test_bom_and_crlf_are_accepted() -> None:
    document = parse_bytes(b"\xef\xbb\xbfa: 1\r\nb: two\r\n")
    assert document.value == {"a": 1, "b": "two"}
    assert document.positions[("b",)] == (2, 4)


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(YamlError) as raised:
        parse_bytes(b"a: [" + b"1," * MAX_BYTES + b"]")
    assert raised.value.code == "file-too-large"


def test_deep_nesting_is_refused_by_its_depth() -> None:
    with pytest.raises(YamlError) as raised:
        parse_text("a: " + "[" * 30 + "]" * 30)
    assert raised.value.code == "yaml-depth"


@pytest.mark.parametrize("text", ["a: " + "[" * 100_000 + "]" * 100_000,
                                  "".join(" " * level + "k:\n" for level in range(5_000))])
def test_absurd_nesting_is_a_yaml_error_not_a_recursion_error(text: str) -> None:
    with pytest.raises(YamlError) as raised:
        parse_text(text)
    assert "nest" in raised.value.message


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(YamlError) as raised:
        parse_text("a: &x [*x]\n")
    assert raised.value.code == "yaml-alias"


def test_merge_key_is_a_plain_key_not_a_merge() -> None:
    assert parse_text("<<: 1\n").value == {"<<": 1}


def test_complex_keys_are_refused() -> None:
    with pytest.raises(YamlError) as raised:
        parse_text("? [a, b]\n: 1\n")
    assert raised.value.code == "yaml-key"


def test_syntax_error_carries_its_position() -> None:
    with pytest.raises(YamlError) as raised:
        parse_text("a: 1\nb: [1, 2\n")
    assert (raised.value.line, raised.value.code) == (3, "yaml-syntax")
