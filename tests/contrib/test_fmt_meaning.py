"""Hypothesis: `kb fmt` never changes what a file means, on real entries re-laid out at random or mangled.

Two kinds of input: real entries with their layout scrambled (keys shuffled at every level, scalars
re-quoted, lists flipped between flow and block, comments added, other indentation), which fmt must
accept, bring to one canonical text and leave alone the second time; and real entries with random bytes
inserted or deleted, where fmt may refuse but whatever it writes must load to the same data.
"""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from kb.fmt import format_file, same_meaning
from kb.model import Entry
from kb.yaml_strict import YamlError, parse_bytes, parse_text
from tests.conftest import FIXTURES

SEEDS = [path.read_text(encoding="utf-8-sig") for path in
         sorted([*FIXTURES.glob("valid/*.yaml"), *(FIXTURES / "project" / "entries").glob("*.yaml")])]
ENTRY_SEEDS = [text for text in SEEDS if "statement:" in text]
STYLES = (str, SingleQuotedScalarString, DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString)


def _scramble(value, draw: st.DrawFn):
    """The same data in another layout (styles a scalar cannot hold exactly are not drawn)."""
    if isinstance(value, CommentedMap):
        keys = draw(st.permutations(list(value)))
        for key in keys:
            value.move_to_end(key)
            value[key] = _scramble(value[key], draw)
            if draw(st.integers(0, 4)) == 0 and not isinstance(value[key], CommentedMap | CommentedSeq):
                value.yaml_add_eol_comment(f"note on {key}", key)
        return value
    if isinstance(value, CommentedSeq):
        for index, item in enumerate(value):
            value[index] = _scramble(item, draw)
        if all(isinstance(item, str) for item in value):
            (value.fa.set_flow_style if draw(st.booleans()) else value.fa.set_block_style)()
        return value
    if type(value) in STYLES:
        block_safe = value.isprintable() and value == value.strip() and value
        style = draw(st.sampled_from(STYLES if block_safe else STYLES[:3]))
        return style(str(value))
    return value


@st.composite
def relaid_entries(draw: st.DrawFn) -> str:
    yaml = YAML()
    yaml.width = 4096
    yaml.preserve_quotes = True
    data = yaml.load(draw(st.sampled_from(ENTRY_SEEDS)))
    data = _scramble(data, draw)
    mapping = draw(st.integers(2, 4))
    offset = draw(st.integers(0, mapping))
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _format(tmp_path_factory, text: str | bytes, name: str = "x.yaml"):
    root = tmp_path_factory.mktemp("fmt")
    (root / "entries").mkdir()
    path = root / "entries" / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return format_file(path, f"entries/{name}", root), path, root


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(text=relaid_entries())
def test_any_layout_of_a_real_entry_formats_to_the_same_data_once_and_for_all(text: str, tmp_path_factory) -> None:
    before = parse_text(text).value
    outcome, path, root = _format(tmp_path_factory, text)
    assert outcome.problem is None, outcome.problem
    assert same_meaning(before, parse_text(outcome.text).value)
    assert list(parse_text(outcome.text).value) == [key for key in Entry.model_fields if key in before]
    path.write_text(outcome.text, encoding="utf-8")
    again = format_file(path, "entries/x.yaml", root)
    assert (again.problem, again.changed) == (None, False)


@st.composite
def mangled_entries(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)).encode())
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        piece = draw(st.sampled_from([b":", b"- ", b"#", b"'", b'"', b"\n", b"  ", b"[", b"]", b"{", b"}", b">-",
                                      b"|", b"? ", b"0o17", b"%YAML 1.1\n", b"1:2:3", b"!!str ", b"\t", b"~"]))
        if draw(st.booleans()):
            data[position:position] = piece
        else:
            del data[position:position + len(piece)]
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=mangled_entries())
def test_whatever_fmt_writes_means_what_the_file_meant(data: bytes, tmp_path_factory) -> None:
    outcome, _, _ = _format(tmp_path_factory, data)
    try:
        before = parse_bytes(data).value
    except YamlError:
        assert outcome.problem is not None and outcome.text is None
        return
    if outcome.problem is None:
        assert same_meaning(before, parse_text(outcome.text).value)
    else:
        assert outcome.text is None and outcome.problem.line >= 1


def test_registries_keep_their_data(tmp_path_factory) -> None:
    for name in ("_people.yaml", "_topics.yaml"):
        text = (FIXTURES / "project" / "entries" / name).read_text(encoding="utf-8")
        outcome, _, _ = _format(tmp_path_factory, text, name)
        assert outcome.problem is None and not outcome.changed
        assert same_meaning(parse_text(text).value, parse_text(outcome.text).value)


def test_meaning_comparison_is_strict_about_types_and_values() -> None:
    assert same_meaning({"a": 1, "b": [1.5, None]}, {"b": [1.5, None], "a": 1})
    assert not same_meaning({"said": 2023}, {"said": "2023"})
    assert not same_meaning({"flag": True}, {"flag": 1})
    assert not same_meaning({"topics": ["a", "b"]}, {"topics": ["b", "a"]})


def test_project_entries_round_trip(tmp_path: Path) -> None:
    for path in (FIXTURES / "project" / "entries").glob("*.yaml"):
        outcome = format_file(path, f"entries/{path.name}", FIXTURES / "project")
        assert outcome.problem is None and not outcome.changed
