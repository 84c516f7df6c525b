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
from functools import lru_cache
from typing import Any

import yaml

from kb.yaml_strict import _MAYBE_NOT_TEXT, _PLAIN, MAX_DEPTH, Document, Path, Position, YamlError, _scalar

# Characters the reader never has to think about: printable, and neither a line break for libyaml
# (\x85, \u2028, \u2029) nor a byte order mark, a tab or a carriage return.
_ODD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,127}")  # libyaml limits keys to 1,024 characters
_DOUBLE = re.compile(r'"((?:[^"\\]|\\["\\])*)"')
_ESCAPE = re.compile(r'\\(["\\])')
# An item of a flow list: a word or words (names), nothing YAML reads as an indicator in a flow.
_FLOW_ITEM = re.compile(r"\w(?:[\w.'()/-]| (?=[\w.'()/-]))*")
# What a plain scalar must not start with: a space or an indicator ('-', '?' and ':' included, though
# YAML allows them before a non-space).
_NOT_FIRST = frozenset(" -?:,[]{}#&*!|>'\"%@`")
_DEEPEST = min(MAX_DEPTH - 1, 10)  # entries need four levels; deeper files go to libyaml
_Frame = tuple[int, dict[str, Any] | list[Any], Path]  # indentation, container, path


class _NotCanonical(Exception):
    """Raised inside the reader for anything it is not sure of; `parse` turns it into None."""


def parse(text: str) -> Document | None:
    """The Document `kb.yaml_strict.parse_text(text)` returns, or None when the reader is not sure."""
    if not text.replace("\n", "").isprintable() and _ODD.search(text) is not None:  # printable: none odd
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    # With no tab, carriage return or control character, `_UNCLEAN` finds only non-ASCII and backslashes.
    document = Document(value=None, first_line=lines[0] if lines else "", clean=text.isascii() and "\\" not in text)
    try:
        document.value = _read(lines, document.positions, document.key_positions)
    except (_NotCanonical, YamlError):
        return None
    return document


def _read(lines: list[str], positions: dict[Path, Position], key_positions: dict[Path, Position]) -> dict[str, Any]:
    """One pass over the lines, a stack of open blocks by indentation. This runs for every file of a cold
    run, so it is one flat loop and the common case (a key and a plain word) calls nothing: a function
    call per line would cost as much as libyaml.

    Positions are recorded in the order `kb.yaml_strict._Builder` records them (a block before its
    children, a key before its value), so even the dicts' order is the same."""
    root: dict[str, Any] = {}
    frames: list[_Frame] = [(0, root, ())]
    top, container, path = frames[0]  # the innermost open block, kept in locals: most lines stay in it
    waiting: tuple[int, dict[str, Any], str, Path] | None = None  # a `key:` line whose block follows
    keys = _KEYS
    count = len(lines)
    at = 0
    while at < count:
        line = lines[at]
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            at += 1
            continue
        indent = len(line) - len(stripped)
        number = at + 1
        if waiting is not None:  # the block under `key:`: a list if it starts with '- ', else a mapping
            key_indent, parent, key, path = waiting
            waiting = None
            if indent <= key_indent or len(frames) > _DEEPEST:
                raise _NotCanonical  # an empty value (its place is libyaml's business), or deep
            container = [] if stripped.startswith("- ") else {}
            parent[key] = container
            positions[path] = (number, indent + 1)
            top = indent
            frames.append((top, container, path))
        elif indent != top:
            while indent < frames[-1][0]:
                frames.pop()
            top, container, path = frames[-1]
            if indent != top:
                raise _NotCanonical  # deeper than its block: a continued value, or odd indentation
        elif not positions:
            positions[()] = (number, 1)
        column = top
        mapping = container
        if type(container) is list:
            if not stripped.startswith("- "):
                raise _NotCanonical
            stripped = stripped[2:]
            column += 2
            item_path = path + (len(container),)  # noqa: RUF005 - a third of the cost of (*path, n)
            key, colon, rest = stripped.partition(":")
            if not colon or rest[:1] not in ("", " "):  # a value as the item
                container.append(_value(stripped, number, column, item_path, positions))
                at += 1
                continue
            if len(frames) > _DEEPEST:
                raise _NotCanonical
            mapping = {}
            container.append(mapping)
            positions[item_path] = (number, column + 1)
            top, container, path = column, mapping, item_path
            frames.append((top, container, path))
        else:
            key, colon, rest = stripped.partition(":")
            if not colon or rest[:1] not in ("", " "):
                raise _NotCanonical
        known = keys.get(key)
        if known is None:
            known = _learn_key(key)
        if not known or key in mapping:
            raise _NotCanonical  # not a plain word, a number, or a duplicate (libyaml's path says where)
        child = path + (key,)  # noqa: RUF005 - as above
        key_positions[child] = (number, column + 1)
        at += 1
        if not rest:
            waiting = (column, mapping, key, child)  # type: ignore[assignment]
            continue
        value = rest[1:]
        first = value[:1]
        start = column + len(key) + 2
        if not value or first in _NOT_FIRST or value[-1] in " :" or ": " in value or " #" in value:
            if value == ">-":
                positions[child] = (number, start + 1)
                mapping[key], at = _folded(lines, at, column)  # type: ignore[index]
            else:
                mapping[key] = _value(value, number, start, child, positions)  # type: ignore[index]
            continue
        positions[child] = (number, start + 1)  # a plain scalar (most values): `_plain`, inline
        mapping[key] = _resolve(value) if first in _MAYBE_NOT_TEXT else value  # type: ignore[index]
    if waiting is not None or not root:
        raise _NotCanonical
    return root


def _value(text: str, line: int, column: int, path: Path, positions: dict[Path, Position]) -> Any:
    """A value written on one line from `column` (0-based) to its end."""
    positions[path] = (line, column + 1)
    first = text[:1]
    if first == '"':
        if "\\" in text:
            match = _DOUBLE.fullmatch(text)
            if match is None:
                raise _NotCanonical
            return _ESCAPE.sub(r"\1", match.group(1))
        if len(text) < 2 or text[-1] != '"' or '"' in text[1:-1]:
            raise _NotCanonical
        return text[1:-1]
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotCanonical
        return inner.replace("''", "'")
    if first == "[":
        return _flow(text, line, column, path, positions)
    return _plain(text)


def _flow(text: str, line: int, column: int, path: Path, positions: dict[Path, Position]) -> list[Any]:
    """`[a, b]` on one line, each item a word or words."""
    if text[-1] != "]":
        raise _NotCanonical
    inner = text[1:-1]
    if not inner:
        return []
    items: list[Any] = []
    column += 1
    for item in inner.split(", "):
        if _FLOW_ITEM.fullmatch(item) is None:
            raise _NotCanonical
        positions[path + (len(items),)] = (line, column + 1)  # noqa: RUF005 - as in _read
        items.append(_plain(item))
        column += len(item) + 2
    return items


def _folded(lines: list[str], at: int, key_indent: int) -> tuple[str, int]:
    """The `>-` text from line `at` and the line after it: all at one indentation, deeper than the key,
    none blank or more indented (folding those is subtler), joined by spaces."""
    if at >= len(lines):
        raise _NotCanonical
    first = lines[at]
    indent = len(first) - len(first.lstrip(" "))
    if indent <= key_indent:
        raise _NotCanonical  # empty text
    prefix = " " * indent
    parts = []
    for line in lines[at:]:
        if not line.startswith(prefix):
            break
        part = line[indent:]
        if not part or part[0] == " " or part[-1] == " ":
            raise _NotCanonical
        parts.append(part)
    at += len(parts)
    if at < len(lines) and not lines[at].strip():
        raise _NotCanonical  # after a blank line, a line as deep as the text would still be text
    return " ".join(parts), at


def _plain(text: str) -> Any:
    """A one-line plain scalar, resolved exactly as `kb.yaml_strict` resolves it (`_read` makes the same
    test inline for a mapping's values)."""
    if not text or text[0] in _NOT_FIRST or text[-1] in " :" or ": " in text or " #" in text:
        raise _NotCanonical
    if text[0] not in _MAYBE_NOT_TEXT:
        return text
    return _resolve(text)


def _resolve(text: str) -> Any:
    """A plain scalar that may be a number, boolean or null. A refusal (a number too long) raises: the
    place in its message does not matter, as libyaml's path then reads the file."""
    return _resolve_short(text) if len(text) <= _MEMO_LENGTH else _scalar(yaml.ScalarNode(_PLAIN, text), 1, 1)


_MEMO_LENGTH = 40
"""Only short words are remembered (dates, mostly, which repeat): a stranger's long ones would pin memory."""


@lru_cache(maxsize=4096)
def _resolve_short(text: str) -> Any:
    return _scalar(yaml.ScalarNode(_PLAIN, text), 1, 1)


_KEYS: dict[str, bool] = {}
"""Whether a key is a plain word the strict path reads as that same text, by key: entries repeat theirs."""


def _learn_key(key: str) -> bool:
    text = _KEY.fullmatch(key) is not None and (key[0] not in _MAYBE_NOT_TEXT or isinstance(_resolve(key), str))
    if len(_KEYS) < 4096 and len(key) <= _MEMO_LENGTH:  # registries' slugs are many and do not repeat
        _KEYS[key] = text
    return text
