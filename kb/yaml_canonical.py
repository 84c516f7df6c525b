"""A fast reader for the layout `kb fmt` writes, giving exactly what `kb.yaml_strict` gives, or None.

The pull-request workflow enforces `kb fmt --check`, so the entries on main are in the canonical layout
(kb/fmt.py): block mappings indented by two, list items indented under their key, one-line plain or
quoted scalars, `>-` folded text, `[a, b]` lists of words. Composing such a file with libyaml and
walking its nodes costs about 0.2 ms; reading its lines directly costs a fraction of that, which is most
of a cold `kb validate` at 10,000 statements.

The reader is a shortcut, never a second parser: it accepts only lines whose meaning it is sure of and
returns None for anything else (a tab, a comment after a value, an anchor, a tag, an escape other than
`\\"` and `\\\\`, a multi-line plain or quoted scalar, a duplicate key, an odd indentation, a number too
long ...). The caller then parses the text with libyaml as before, so every error and every refusal
still comes from `kb.yaml_strict`. What it returns (value, first line, positions, key positions in the
same order, `clean`) is the Document libyaml's path builds; tests/test_yaml_canonical.py checks that on
every entry and fixture, on synthetic entries and on random edits of them.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kb.yaml_strict import _MAYBE_NOT_TEXT, _PLAIN, _UNCLEAN, MAX_DEPTH, Document, Path, Position, YamlError, _scalar

# Characters the reader never has to think about: printable, and neither a line break for libyaml
# (\x85, \u2028, \u2029) nor a byte order mark, a tab or a carriage return.
_ODD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_-]{0,127}):(?: |$)")  # libyaml limits keys to 1,024 characters
# A plain scalar that cannot start or hide an indicator: no leading indicator, no ': ' or ' #', no
# trailing ':' or space.
_PLAIN_TEXT = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#\s]|:(?=\S)|(?<=\S)#| (?=\S))*(?<!:)")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\["\\])*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_ESCAPE = re.compile(r'\\(["\\])')
# An item of a flow list: a word or words (names), nothing YAML reads as an indicator in a flow.
_FLOW_ITEM = re.compile(r"\w(?:[\w.'()/-]| (?=[\w.'()/-]))*")
_DEEPEST = min(MAX_DEPTH - 1, 10)  # entries need four levels; deeper files go to libyaml


class _NotCanonical(Exception):
    """Raised inside the reader for anything it is not sure of; `parse` turns it into None."""


def parse(text: str) -> Document | None:
    """The Document `kb.yaml_strict.parse_text(text)` returns, or None when the reader is not sure."""
    if _ODD.search(text) is not None:
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    reader = _Reader(lines)
    try:
        value = reader.root()
    except (_NotCanonical, YamlError, RecursionError):
        return None
    return Document(value=value, first_line=lines[0] if lines else "", positions=reader.positions,
                    key_positions=reader.key_positions, clean=_UNCLEAN.search(text) is None)


class _Reader:
    """Reads lines by indentation; `self.at` is the next line not yet read."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.at = 0
        self.positions: dict[Path, Position] = {}
        self.key_positions: dict[Path, Position] = {}

    def root(self) -> dict[str, Any]:
        indent = self._next_indent()
        if indent != 0 or self.lines[self.at].startswith("-"):
            raise _NotCanonical
        value = self._mapping(0, 0, (), 0)
        if self._next_indent() >= 0:
            raise _NotCanonical  # something after the mapping (a '---', a less-indented line)
        return value

    def _next_indent(self) -> int:
        """Skip blank and comment lines; the indentation of the next line, or -1 at the end."""
        lines = self.lines
        while self.at < len(lines):
            line = lines[self.at]
            stripped = line.lstrip(" ")
            if stripped and stripped[0] != "#":
                return len(line) - len(stripped)
            self.at += 1
        return -1

    def _mapping(self, indent: int, first_column: int, path: Path, depth: int) -> dict[str, Any]:
        """A block mapping whose keys stand at `indent`; its first key may follow a '- ' at
        `first_column` (a mapping as a list item)."""
        if depth > _DEEPEST:
            raise _NotCanonical
        mapping: dict[str, Any] = {}
        lines = self.lines
        first = True
        while True:
            if first:
                line, column = lines[self.at], first_column
                first = False
            else:
                found = self._next_indent()
                if found < indent:
                    return mapping
                if found > indent:
                    raise _NotCanonical
                line, column = lines[self.at], indent
            match = _KEY.match(line, column)
            if match is None:
                raise _NotCanonical
            number = self.at + 1
            if not mapping:
                self.positions[path] = (number, column + 1)
            key = match.group(1)
            if key[:1] in _MAYBE_NOT_TEXT:
                resolved = _scalar(yaml.ScalarNode(_PLAIN, key), number, column + 1)
                if not isinstance(resolved, str):
                    raise _NotCanonical  # a key read as a number, boolean or null
            if key in mapping:
                raise _NotCanonical  # libyaml's path says where the first one is
            child = (*path, key)
            self.key_positions[child] = (number, column + 1)
            start = match.end()
            if start == len(line):
                self.at += 1
                mapping[key] = self._block(indent, child, depth + 1)
            else:
                mapping[key] = self._inline(line, start, child, depth + 1)
                self.at += 1
                if line[start] == ">":
                    mapping[key] = self._folded(indent, child)
                self._end_of_value(indent)

    def _block(self, indent: int, path: Path, depth: int) -> Any:
        """The value under a `key:` line: a mapping or list indented deeper (an empty value is left to
        libyaml: where its position lies is libyaml's business)."""
        found = self._next_indent()
        if found <= indent:
            raise _NotCanonical
        if self.lines[self.at].startswith("-", found):
            return self._sequence(found, path, depth)
        return self._mapping(found, found, path, depth)

    def _sequence(self, indent: int, path: Path, depth: int) -> list[Any]:
        if depth > _DEEPEST:
            raise _NotCanonical
        items: list[Any] = []
        lines = self.lines
        while True:
            found = self._next_indent()
            if found < indent:
                return items
            line = lines[self.at]
            if not line.startswith("- ", indent):  # a deeper line fails this too
                raise _NotCanonical
            number = self.at + 1
            if not items:
                self.positions[path] = (number, indent + 1)
            child = (*path, len(items))
            column = indent + 2
            if _KEY.match(line, column):
                items.append(self._mapping(column, column, child, depth + 1))
                continue
            if line.startswith(">", column):
                raise _NotCanonical
            items.append(self._inline(line, column, child, depth + 1))
            self.at += 1
            self._end_of_value(indent)

    def _end_of_value(self, indent: int) -> None:
        """A value on one line ends there: a deeper line next would continue it (or be an error)."""
        if self._next_indent() > indent:
            raise _NotCanonical

    def _inline(self, line: str, start: int, path: Path, depth: int) -> Any:
        """A value written on its line from `start` to the end (a `>-` header: its text follows)."""
        number = self.at + 1
        self.positions[path] = (number, start + 1)
        first = line[start]
        rest = line[start:]
        if first == '"':
            match = _DOUBLE.fullmatch(rest)
            if match is None:
                raise _NotCanonical
            text = match.group(1)
            return _ESCAPE.sub(r"\1", text) if "\\" in text else text
        if first == "'":
            match = _SINGLE.fullmatch(rest)
            if match is None:
                raise _NotCanonical
            return match.group(1).replace("''", "'")
        if first == "[":
            return self._flow(rest, number, start, path, depth)
        if rest == ">-":
            return ""  # the text follows; `_folded` reads it
        return _plain(rest, number, start)

    def _flow(self, rest: str, number: int, start: int, path: Path, depth: int) -> list[Any]:
        """`[a, b]` on one line, each item a word or words."""
        if depth > _DEEPEST or not rest.endswith("]"):
            raise _NotCanonical
        inner = rest[1:-1]
        if not inner:
            return []
        items: list[Any] = []
        column = start + 1
        for item in inner.split(", "):
            if _FLOW_ITEM.fullmatch(item) is None:
                raise _NotCanonical
            self.positions[(*path, len(items))] = (number, column + 1)
            items.append(_plain(item, number, column))
            column += len(item) + 2
        return items

    def _folded(self, indent: int, path: Path) -> str:
        """The lines of `>-` text after its header: all at one indentation, deeper than the key, none
        blank or more indented (folding those is subtler), joined by spaces."""
        lines = self.lines
        at = self.at
        if at >= len(lines):
            raise _NotCanonical
        first = lines[at]
        text_indent = len(first) - len(first.lstrip(" "))
        if text_indent <= indent:
            raise _NotCanonical
        parts = []
        while at < len(lines):
            line = lines[at]
            if not line.startswith(" " * text_indent):
                break
            part = line[text_indent:]
            if not part or part[0] == " " or part[-1] == " ":
                raise _NotCanonical
            parts.append(part)
            at += 1
        if at < len(lines) and lines[at].strip() == "":
            raise _NotCanonical  # a blank line: kept or dropped depends on what follows
        self.at = at
        return " ".join(parts)


def _plain(text: str, line: int, column: int) -> Any:
    """A one-line plain scalar, resolved exactly as `kb.yaml_strict` resolves it."""
    if _PLAIN_TEXT.fullmatch(text) is None:
        raise _NotCanonical
    if text[:1] not in _MAYBE_NOT_TEXT:
        return text
    return _scalar(yaml.ScalarNode(_PLAIN, text), line, column + 1)
