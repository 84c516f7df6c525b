"""The canonical layout of entry and registry files, applied without changing what they say.

A file is read twice: strictly by `kb.yaml_strict` (the meaning, and a positioned error when it does
not parse) and by ruamel.yaml's round-trip loader (the layout, with comments and the exact wording).
The layout is rewritten, and the result is read strictly again: when it does not mean exactly what
the original meant, nothing is written and the file is reported instead. So `kb fmt` can reorder and
restyle, but cannot change an entry's data, whatever ruamel.yaml does with an odd input.

The canonical layout:
- the first line names the JSON Schema for editors (`# yaml-language-server: $schema=...`);
- keys in the order of the model's fields (kb/model.py), at every level; unknown keys (which
  `kb validate` reports) keep their place after the known ones;
- two-space indentation, list items indented under their key, no line wrapping of plain text;
- time codes (`at`, `until`) in double quotes; `topics` and `authors` as flow lists `[a, b]`;
  `statement` and `context` as folded block text (`>-`), wrapped near 90 columns when they are not
  already block text (existing line breaks are kept: they mean nothing and re-wrapping makes diffs);
- other quoting as the author wrote it; LF line ends, no BOM, one final newline.
Registries (`_people.yaml`, `_topics.yaml`) keep their slugs in the author's order: sorting would move
comments and blank lines away from the people they describe and turn every addition into a large diff.
Only the fields inside each item are put in model order.
"""

from __future__ import annotations

import io
import math
import os
import stat
import tempfile
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString

from kb.load import PEOPLE_FILE, SCHEMA_COMMENT, TOPICS_FILE, read_document
from kb.model import Entry, Person, Topic
from kb.problems import Problem
from kb.yaml_strict import parse_text

WRAP = 90
TIMECODE_KEYS = ("at", "until")
FOLDED_KEYS = ("statement", "context")


@dataclass(frozen=True)
class Layout:
    """How one kind of file is laid out: the model of its items and the schema its first line names."""

    model: type[BaseModel]
    schema: str
    registry: bool = False


ENTRY = Layout(Entry, "entry.schema.json")
LAYOUTS = {PEOPLE_FILE: Layout(Person, "people.schema.json", True),
           TOPICS_FILE: Layout(Topic, "topics.schema.json", True)}


@dataclass
class Outcome:
    """What formatting one file found: the new text (None when the file is left alone) or a problem."""

    path: Path
    shown_as: str
    text: str | None = None
    changed: bool = False
    problem: Problem | None = None


def layout_for(path: Path) -> Layout:
    return LAYOUTS.get(path.name, ENTRY)


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside `Model | None` or `list[Model]`, if any: where nested keys take their order from."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list):
        for argument in typing.get_args(annotation):
            found = _submodel(argument)
            if found is not None:
                return found
    return None


def _order_mapping(mapping: CommentedMap, model: type[BaseModel]) -> None:
    """Known keys first, in field order; `move_to_end` keeps each key's comments attached to it."""
    fields = model.model_fields
    unknown = [key for key in mapping if key not in fields]
    for key in [*(key for key in fields if key in mapping), *unknown]:
        mapping.move_to_end(key)
    for key, info in fields.items():
        child = _submodel(info.annotation)
        value = mapping.get(key)
        if child is None or value is None:
            continue
        items = value if isinstance(value, CommentedSeq) else [value]
        for item in items:
            if isinstance(item, CommentedMap):
                _order_mapping(item, child)


def _fold(text: str) -> FoldedScalarString:
    """Folded block text broken at single spaces near `WRAP` columns (a fold reads back as one space)."""
    folded = FoldedScalarString(text)
    positions, line_start, last_space = [], 0, None
    for index, char in enumerate(text):
        if char == " " and text[index - 1] != " " and text[index + 1:index + 2] not in (" ", ""):
            if index - line_start > WRAP and last_space is not None:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = index
    if len(text) - line_start > WRAP and last_space is not None and last_space > line_start:
        positions.append(last_space)
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded


def _foldable(text: str) -> bool:
    """Folded style can hold the text exactly: one printable line with no edge spaces."""
    return text.isprintable() and text == text.strip() and bool(text)


def _restyle(mapping: CommentedMap) -> None:
    """The scalar and list styles of an entry (see the module docstring)."""
    for key in FOLDED_KEYS:
        value = mapping.get(key)
        if isinstance(value, str) and not isinstance(value, FoldedScalarString | LiteralScalarString) \
                and _foldable(value):
            mapping[key] = _fold(str(value))
    source = mapping.get("source")
    for container, key in ((mapping, "topics"), (source, "authors")):
        value = container.get(key) if isinstance(container, CommentedMap) else None
        if isinstance(value, CommentedSeq) and not value.ca.items and all(isinstance(v, str) for v in value):
            value.fa.set_flow_style()
    if isinstance(source, CommentedMap):
        for key in TIMECODE_KEYS:
            value = source.get(key)
            if isinstance(value, str) and not isinstance(value, DoubleQuotedScalarString):
                source[key] = DoubleQuotedScalarString(value)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _schema_line(path: Path, root: Path, layout: Layout) -> str:
    schema = root / "kb" / "schema" / layout.schema
    relative = os.path.relpath(schema.resolve(), path.parent.resolve())
    return f"{SCHEMA_COMMENT}{Path(relative).as_posix()}"


def _comparable(value: Any) -> Any:
    """A form where equal data compares equal regardless of key order (and NaN equals NaN)."""
    if isinstance(value, dict):
        return ("map", sorted((key, _comparable(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("seq", [_comparable(item) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def same_meaning(before: Any, after: Any) -> bool:
    """True when two parsed values hold the same data (key order is layout, not meaning)."""
    return _comparable(before) == _comparable(after)


def format_text(text: str, path: Path, root: Path) -> str:
    """The canonical layout of one file's text (a ruamel.yaml error propagates to the caller)."""
    layout = layout_for(path)
    yaml = _yaml()
    data = yaml.load(text)
    if isinstance(data, CommentedMap):
        if layout.registry:
            for item in data.values():
                if isinstance(item, CommentedMap):
                    _order_mapping(item, layout.model)
        else:
            _order_mapping(data, layout.model)
            _restyle(data)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    result = buffer.getvalue() if data is not None else text
    if not result.startswith(SCHEMA_COMMENT):
        result = f"{_schema_line(path, root, layout)}\n{result}"
    return result.rstrip("\n") + "\n"


def format_file(path: Path, shown_as: str, root: Path) -> Outcome:
    """Format one file in memory; a file that does not parse, or would change meaning, gets a problem."""
    outcome = Outcome(path=path, shown_as=shown_as)
    document, problems = read_document(path, shown_as)
    if document is None:
        outcome.problem = problems[0]
        return outcome
    original = path.read_bytes()
    text = original.decode("utf-8-sig").replace("\r\n", "\n")
    try:
        result = format_text(text, path, root)
        after = parse_text(result).value
    except Exception as error:  # ruamel.yaml on a stranger's file: any failure means "leave it alone"
        outcome.problem = _refusal(error, shown_as)
        return outcome
    if not same_meaning(document.value, after):
        outcome.problem = Problem(shown_as, 1, 1, "fmt-refused",
                                  "the canonical layout would change what this file means, so it is left as it is",
                                  "please report this file; write it in plain block style meanwhile")
        return outcome
    outcome.text = result
    outcome.changed = result.encode() != original
    return outcome


def _refusal(error: Exception, shown_as: str) -> Problem:
    """ruamel.yaml reads a little less than libyaml (a tab inside plain text, say): say where, briefly."""
    mark = getattr(error, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    return Problem(shown_as, line, column, "fmt-refused", f"kb fmt cannot lay this file out: {reason}",
                   "the file is left as it is; write the value in quotes, or report the file")


def write_atomically(path: Path, text: str) -> None:
    """Write beside the file, then rename over it: a crash leaves the old file or the new, never half."""
    mode = stat.S_IMODE(path.stat().st_mode)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
