"""kb.yaml_canonical gives exactly the Document of the libyaml path, or None: on every entry and fixture,
on synthetic entries and on thousands of random edits of canonical files (where most edits must make it
step aside)."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest

from kb import yaml_canonical, yaml_strict
from kb.yaml_canonical import parse
from kb.yaml_strict import Document, YamlError, decode, parse_with_libyaml
from tests.perf.synth import _dump, read_corpus, synthetic_entries

ROOT = Path(__file__).resolve().parent.parent
ENTRY_FILES = sorted((ROOT / "entries").glob("*.yaml"))
FIXTURES = sorted(path for path in (ROOT / "tests").rglob("*.y*ml") if ".venv" not in path.parts)


def identical(a: Any, b: Any) -> bool:
    """Equal with equal types all the way down (1 == True == 1.0 would hide a wrong resolution), keys in
    the same order, NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(identical(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_same_document(fast: Document, strict: Document) -> None:
    assert identical(fast.value, strict.value)
    assert fast.first_line == strict.first_line
    assert fast.clean == strict.clean
    assert list(fast.positions.items()) == list(strict.positions.items())
    assert list(fast.key_positions.items()) == list(strict.key_positions.items())


def check(text: str) -> bool:
    """The contract on one text; True when the fast reader answered."""
    fast = parse(text)
    if fast is None:
        return False
    try:
        strict = parse_with_libyaml(text)
    except YamlError as error:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"the fast reader accepted a text libyaml refuses ({error.message}):\n{text}")
    assert_same_document(fast, strict)
    return True


def readable(path: Path) -> str | None:
    try:
        return decode(path.read_bytes())
    except YamlError:
        return None


@pytest.mark.parametrize("path", FIXTURES + ENTRY_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_entry_and_fixture_reads_the_same_or_steps_aside(path: Path) -> None:
    text = readable(path)
    if text is not None:
        check(text)


def test_the_entries_on_main_take_the_fast_path() -> None:
    """Main's entries are canonical (`kb fmt --check`), so the reader must take nearly all of them:
    otherwise it would be correct and useless."""
    read = [path.name for path in ENTRY_FILES if check(decode(path.read_bytes()))]
    assert len(read) >= 0.9 * len(ENTRY_FILES)


@pytest.fixture(scope="module")
def synthetic_texts() -> list[str]:
    entries, people, topics = synthetic_entries(read_corpus(ROOT), 300)
    return [_dump(people, "people"), _dump(topics, "topics"), *(_dump(entry, "entry") for entry in entries.values())]


def test_synthetic_entries_all_take_the_fast_path(synthetic_texts: list[str]) -> None:
    assert all(check(text) for text in synthetic_texts)


# --- mutation fuzz -----------------------------------------------------------------------------------------

_INSERTS = ["'", '"', ":", ": ", " #", "#", "- ", "-", "\t", " ", "  ", "\n", "\n\n", "é", "\u2028", "\x85",
            "\ufeff", "\r", "\r\n", "&a ", "*a", "!x ", "!!str ", "---\n", "...\n", "\\", "\\n", "\\\"", ">",
            "|", "[", "]", "{", "}", ",", ", ", "%", "@", "`", "?", "? ", "~", "''", "x: y", "\x01", "\x7f",
            "\u00a0", "\U0001f600", "\ud800"]
_VALUES = ["0x1F", "0o17", "017", "1e3", "-1", "+1", ".5", "1.", ".inf", "-.Inf", ".NaN", "~", "null", "Null",
           "True", "FALSE", "yes", "on", "2026-11-24", "25:25", "1" * 101, "''", '""', "[]", "[a, b]", "[1, null]",
           "[a,b]", "[a, [b]]", "{}", "{a: b}", ">-", "|", "|-", ">", ">2-", "'it''s'", '"a\\"b"', '"\\u00e9"',
           "a #b", "a# b", "a:b", "a: b", "http://x", "-a", "- a", "&x a", "*x", "!!int 3", "x\\y"]


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(7)
    line = rng.randrange(len(lines))
    if kind == 0:  # insert a character or token anywhere
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(_INSERTS) + text[at:]
    if kind == 1:  # delete a few characters
        at = rng.randrange(len(text))
        return text[:at] + text[at + rng.randint(1, 3):]
    if kind == 2:  # re-indent a line
        change = rng.choice([-2, -1, 1, 2, 4])
        lines[line] = " " * change + lines[line] if change > 0 else lines[line][-change:]
    elif kind == 3:  # duplicate a line (duplicate keys, repeated items, longer block text)
        lines.insert(line, lines[line])
    elif kind == 4:  # replace a value
        head, colon, _ = lines[line].partition(": ")
        if colon:
            lines[line] = f"{head}: {rng.choice(_VALUES)}"
    elif kind == 5:  # a blank or comment line somewhere, odd indentation included
        lines.insert(line, rng.choice(["", "  ", "#", "  # note", "    # x", "# a: b"]))
    else:  # swap two lines
        other = rng.randrange(len(lines))
        lines[line], lines[other] = lines[other], lines[line]
    return "\n".join(lines)


def test_random_edits_of_canonical_files_read_the_same_or_step_aside(synthetic_texts: list[str]) -> None:
    rng = random.Random(13)
    originals = [decode(path.read_bytes()) for path in ENTRY_FILES] + synthetic_texts[:60]
    answered = refused = 0
    for _ in range(4000):
        text = rng.choice(originals)
        for _ in range(rng.choice([1, 1, 2, 3])):
            text = _mutate(text, rng)
        if check(text):
            answered += 1
        else:
            refused += 1
    # Both outcomes must have been exercised for the test to mean anything.
    assert answered > 500
    assert refused > 500


# --- the cases the reader must leave to libyaml, and the ones it must resolve alike -------------------------

@pytest.mark.parametrize("text", [
    "title: Lex Fridman Podcast #452\n",  # a comment: libyaml reads 'Lex Fridman Podcast'
    "a: 1\na: 2\n",  # duplicate key: libyaml's path says where the first one is
    "a: &x b\nc: *x\n",
    "a: !!binary aGk=\n",
    "a: one\n  two\n",  # plain text over two lines
    "a: >-\n  one\n\n  two\n",  # a blank line inside folded text
    "a: >-\n  one\n    two\n",  # a more-indented line inside folded text
    "a:\tb\n",
    "a: \"x\\ty\"\n",  # an escape other than \\" and \\\\
    f"a: {'9' * 101}\n",  # libyaml's path refuses the number
    "a: b\n---\nc: d\n",
    "a:\n- b\n",  # a list at its key's indentation: legal, but left to libyaml
    "a:\nb: c\n",  # an empty value
    "- a\n",
    "",
    "a: >-\n  one\n\n  # two\nb: c\n",  # after a blank line, '  # two' is still text: 'one\n# two'
    "x:\n  a: >-\n  b: c\n",  # empty folded text, then a key
    "a: >-x\n  one\n",  # libyaml refuses the header
    "a: >- # c\n  one\n",  # a comment after the header: left to libyaml too
    "a: \"x\" y\"\n",  # a quote inside double quotes
    "a: 'x' y'\n",  # and inside single ones
    "a:b: c\n",  # libyaml reads the key 'a:b'
    "null: x\n",  # libyaml's path makes the key 'None'
    "0x1F: x\n",  # and this one '31'
    "".join(f"{'  ' * level}a:\n" for level in range(25)) + "  " * 25 + "a: b\n",  # too deep: yaml-depth
])
def test_what_the_reader_leaves_to_libyaml(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("on: 2026-11-24\n", {"on": "2026-11-24"}),
    ("at: 25:25\n", {"at": "25:25"}),
    ("n: 0x1F\nf: 1e3\nt: true\nz: ~\n", {"n": 31, "f": 1000.0, "t": True, "z": None}),
    ("topics: [a, 12, null]\n", {"topics": ["a", 12, None]}),
    ("t: 'it''s'\nq: \"say \\\"hi\\\" \\\\o/\"\n", {"t": "it's", "q": 'say "hi" \\o/'}),
    ("a:\n  - https://x\n  - b:c\n  - 'q'\n", {"a": ["https://x", "b:c", "q"]}),
    ("s: >-\n  one\n  two\nx:\n  - k: v\n    l: [w]\n  - plain\n",
     {"s": "one two", "x": [{"k": "v", "l": ["w"]}, "plain"]}),
])
def test_what_the_reader_reads(text: str, value: dict[str, Any]) -> None:
    assert check(text)
    assert identical(parse(text).value, value)  # type: ignore[union-attr]


def test_parse_text_takes_the_fast_path_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook: the reader's Document when it answers, libyaml's (and its errors) when it does not."""
    answer = Document(value={"from": "the fast reader"})
    monkeypatch.setattr(yaml_canonical, "parse", lambda text: answer)
    assert yaml_strict.parse_text("a: b\n") is answer
    monkeypatch.setattr(yaml_canonical, "parse", lambda text: None)
    assert yaml_strict.parse_text("a: b\n").value == {"a": "b"}
    with pytest.raises(YamlError, match="duplicate key"):
        yaml_strict.parse_text("a: 1\na: 2\n")


def test_a_strangers_long_words_are_not_remembered() -> None:
    """Keys and number-like words are remembered between files, but only short ones: long ones in a
    hostile pull request's files would otherwise pin megabytes."""
    key, value = "n" + "x" * 100, "1" + "a" * 100
    remembered = yaml_canonical._resolve_short.cache_info().currsize
    assert check(f"{key}: {value}\nshort: 2026-11-24\n")
    assert yaml_canonical._resolve_short.cache_info().currsize <= remembered + 1  # the date only
    assert key not in yaml_canonical._KEYS
