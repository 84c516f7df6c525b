"""Strict, position-keeping YAML parsing for files written by strangers.

libyaml (PyYAML's C extension) composes the node graph; this module builds plain Python values from
the nodes itself, so that it can refuse what an entry never needs and a hostile one might use: anchors
and aliases (alias bombs: a node met twice), tags (no Python objects, no binary), duplicate keys,
complex keys, more than one document, and nesting deeper than `MAX_DEPTH` (libyaml itself stops at
1,000 levels, so no recursion runs away). Nothing is ever constructed by PyYAML's constructors. Plain scalars are
resolved by the YAML 1.2 core schema, as editors with the YAML language server read them, so
`at: 25:25` stays the string "25:25" (YAML 1.1 would make it the number 1525) and `said: 2023-12-14`
stays a string.

Every value's line and column (1-based) is kept by its path, so that a schema error found later can
point at the place in the file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20

Path = tuple[str | int, ...]
Position = tuple[int, int]

_CORE = "tag:yaml.org,2002:"
_PLAIN = "tag:kb,2026:plain"
_ALLOWED_TAGS = {"!", *(f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq"))}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
# A plain scalar is null, a boolean or a number only if it is empty or starts with one of these.
_MAYBE_NOT_TEXT = frozenset(("", *"~nNtTfF+-.0123456789"))
_UNCLEAN = re.compile(r"[^\t\n\r\x20-\x5b\x5d-\x7e]")  # not printable ASCII, or a backslash (\x5c)


MAX_INT_DIGITS = 100


class YamlError(Exception):
    """A file that cannot be read as an entry; carries a 1-based position and a hint."""

    def __init__(self, message: str, line: int = 1, column: int = 1, code: str = "yaml-syntax", hint: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.code = code
        self.hint = hint


@dataclass
class Document:
    """A parsed file: its value and where each value and each mapping key stands."""

    value: Any
    first_line: str = ""
    positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    clean: bool = False
    """The text is printable ASCII (tabs and line breaks allowed) without a backslash, so no escape can
    have made anything else: every string in the value is plain ASCII too (the character rule skips it)."""

    def position(self, path: Path) -> Position:
        """The closest known position for `path`: the value itself, else its key, else a parent."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.positions:
                return self.positions[prefix]
            if prefix in self.key_positions:
                return self.key_positions[prefix]
        return (1, 1)

    def key_position(self, path: Path) -> Position:
        """Where the key of `path` is written (for unknown or duplicate keys)."""
        return self.key_positions.get(path) or self.position(path)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is fine) or a YamlError at the first bad byte; NUL bytes are refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _offset_position(data, error.start)
        raise YamlError(
            f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x})",
            line,
            column,
            code="encoding",
            hint="save the file as UTF-8",
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        line, column = _offset_position(text.encode(), len(text[:nul].encode()))
        raise YamlError("the file contains a NUL character", line, column, code="encoding", hint="remove it")
    return text


def parse_bytes(data: bytes) -> Document:
    """Parse one file's bytes, refusing oversized files before any parsing."""
    if len(data) > MAX_BYTES:
        raise YamlError(
            f"the file is {len(data):,} bytes, over the limit of {MAX_BYTES:,}",
            code="file-too-large",
            hint="an entry holds one statement; shorten it",
        )
    return parse_text(decode(data))


def parse_text(text: str) -> Document:
    """Build a Document from YAML text; every refusal is a YamlError with a position.

    A file in `kb fmt`'s layout is read by `kb.yaml_canonical` (the same Document, several times faster);
    anything that reader is not sure of, errors included, is parsed by libyaml."""
    from kb.yaml_canonical import parse as parse_canonical  # it imports this module

    document = parse_canonical(text)
    return document if document is not None else parse_with_libyaml(text)


def parse_with_libyaml(text: str) -> Document:
    """`parse_text` without the shortcut: libyaml composes, `_Builder` walks and refuses."""
    composer = _Composer(text)
    try:
        root = composer.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "another document" in str(error.problem):
            raise YamlError("the file holds more than one YAML document", line, column,
                            hint="remove the '---' line; one file holds one entry") from None
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlError(f"YAML syntax error: {problem}", line, column) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML error: {error}") from None
    finally:
        composer.dispose()
    document = Document(value=None, first_line=text.split("\n", 1)[0].rstrip("\r"),
                        clean=_UNCLEAN.search(text) is None)
    if root is not None:
        document.value = _Builder(document).build(root, (), 0)
    return document


class _Composer(_Parser):
    """libyaml composes the node graph in C; untagged plain scalars are marked for YAML 1.2 resolution."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else f"{_CORE}str"
        return f"{_CORE}seq" if kind is yaml.SequenceNode else f"{_CORE}map"


class _Builder:
    """Walks the node graph into plain values, refusing what entries must not contain.

    This runs once per node of every file, so it avoids work on the common case: an untagged plain
    scalar that cannot be a number, boolean or null (its first character says so) is returned as is.
    """

    def __init__(self, document: Document) -> None:
        self.positions = document.positions
        self.key_positions = document.key_positions
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        mark = node.start_mark
        line, column = mark.line + 1, mark.column + 1
        seen = self.seen
        if id(node) in seen:
            raise YamlError("anchors and aliases ('&name', '*name') are not allowed", line, column,
                            code="yaml-alias", hint="write the value out in full")
        seen.add(id(node))
        self.positions[path] = (line, column)
        kind = type(node)
        if kind is yaml.ScalarNode:
            value = node.value
            if node.tag == _PLAIN and value[:1] not in _MAYBE_NOT_TEXT:
                return value
            return _scalar(node, line, column)
        _check_tag(node.tag, line, column)
        if depth >= MAX_DEPTH:
            raise YamlError(f"the data is nested more than {MAX_DEPTH} levels deep", line, column,
                            code="yaml-depth", hint="an entry needs at most four levels")
        depth += 1
        if kind is yaml.SequenceNode:
            return [self.build(item, (*path, index), depth) for index, item in enumerate(node.value)]
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path, mapping)
            mapping[key] = self.build(value_node, (*path, key), depth)
        return mapping

    def _key(self, node: yaml.Node, path: Path, mapping: dict[str, Any]) -> str:
        mark = node.start_mark
        line, column = mark.line + 1, mark.column + 1
        if type(node) is not yaml.ScalarNode:
            raise YamlError("a key must be a plain word, not a list or mapping", line, column, code="yaml-key")
        if id(node) in self.seen:
            raise YamlError("anchors and aliases ('&name', '*name') are not allowed", line, column,
                            code="yaml-alias", hint="write the value out in full")
        self.seen.add(id(node))
        value = node.value
        if node.tag != _PLAIN or value[:1] in _MAYBE_NOT_TEXT:
            value = _scalar(node, line, column)
        key = str(value).lower() if isinstance(value, bool) else str(value)
        if key in mapping:
            first_line, first_column = self.key_positions[(*path, key)]
            raise YamlError(f"duplicate key '{key}' (first at line {first_line}, column {first_column})",
                            line, column, code="duplicate-key", hint="keep one of them")
        self.key_positions[(*path, key)] = (line, column)
        return key


def _check_tag(tag: str | None, line: int, column: int) -> None:
    if tag is not None and tag not in _ALLOWED_TAGS:
        raise YamlError(f"the YAML tag '{tag}' is not allowed", line, column, code="yaml-tag",
                        hint="remove the tag; entries hold only plain text, numbers, lists and mappings")


def _scalar(node: yaml.ScalarNode, line: int, column: int) -> Any:
    """Resolve a scalar by the YAML 1.2 core schema (explicit core tags are honoured)."""
    value: str = node.value
    if node.tag == _PLAIN:
        kind = ""
    else:
        _check_tag(node.tag, line, column)
        kind = node.tag.removeprefix(_CORE)
    if kind == "str":
        return value
    if (not kind or kind == "null") and _NULL.fullmatch(value):
        return None
    if (not kind or kind == "bool") and value in _BOOL:
        return _BOOL[value]
    if (not kind or kind == "int") and _INT.fullmatch(value):
        if len(value) > MAX_INT_DIGITS:  # Python refuses to convert longer ones (and it would be slow)
            raise YamlError(f"this number has {len(value):,} digits", line, column, code="invalid-value",
                            hint="no field takes a number this long; quote it if it is meant as text")
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if not kind or kind == "float":
        if _FLOAT.fullmatch(value):
            return float(value)
        if _INF.fullmatch(value):
            return -math.inf if value.startswith("-") else math.inf
        if _NAN.fullmatch(value):
            return math.nan
    if kind:
        raise YamlError(f"'{value}' is not a valid !!{kind}", line, column, code="yaml-tag")
    return value


def _offset_position(data: bytes, offset: int) -> Position:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, column
