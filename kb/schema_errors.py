"""Pydantic validation errors turned into Problems a contributor can act on, at the line they concern."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterator

from pydantic import BaseModel, ValidationError

from kb.model import PATTERN_MESSAGES, SLUG_PATTERN
from kb.problems import Problem
from kb.yaml_strict import Document, Path

_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               dict: "a mapping (key: value lines)", list: "a list", type(None): "nothing"}


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word`, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def problems_from_validation(error: ValidationError, model: type[BaseModel] | None, document: Document,
                             path: str, prefix: Path = ()) -> Iterator[Problem]:
    """One Problem per pydantic error; `model` is the model at `prefix` (None for a registry key)."""
    for detail in error.errors(include_url=False):
        loc: Path = tuple(part for part in detail["loc"] if part != "[key]")
        full = (*prefix, *loc)
        kind = detail["type"]
        value = detail.get("input")
        name = str(loc[-1]) if loc else ""
        if kind == "extra_forbidden":
            fields = _fields_at(model, loc[:-1])
            line, column = document.key_position(full)
            yield Problem(path, line, column, "unknown-key",
                          f"'{name}' is not a field{did_you_mean(name, fields)}",
                          f"allowed here: {', '.join(fields)}" if fields else "")
        elif kind == "missing":
            line, column = document.position(full[:-1])
            where = f" in '{'.'.join(map(str, full[:-1]))}'" if len(full) > 1 else ""
            yield Problem(path, line, column, "missing-key", f"the required key '{name}' is missing{where}",
                          f"add a line '{name}: ...'")
        else:
            line, column = document.position(full)
            yield Problem(path, line, column, "invalid-value", f"{_field_label(loc)}: {_message(detail, value)}")


def _field_label(loc: Path) -> str:
    return ".".join(str(part) if isinstance(part, str) else f"[{part + 1}]" for part in loc) or "the file"


def _message(detail: typing.Any, value: typing.Any) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    if kind == "enum":
        expected = str(ctx.get("expected", "")).replace("'", "")
        choices = [choice.strip() for choice in expected.replace(" or ", ",").split(",") if choice.strip()]
        return f"'{value}' is not one of: {', '.join(choices)}{did_you_mean(str(value), choices)}"
    if kind == "literal_error":
        return f"'{value}' is not allowed; use {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        if pattern == SLUG_PATTERN:
            return f"'{value}' is not a lowercase slug: use a-z, 0-9 and single hyphens, like 'jeff-bezos'"
        return f"'{value}': {PATTERN_MESSAGES[pattern]}" if pattern != r"\S" else PATTERN_MESSAGES[pattern]
    if kind == "too_short":
        needed = int(ctx.get("min_length", 1))
        return f"the list needs at least {needed} item{'s' * (needed != 1)}"
    if kind in ("string_too_long", "too_long"):
        return str(detail["msg"]).lower()
    if kind.endswith("_type") or kind == "model_type":
        expected = {"string_type": "text", "list_type": "a list", "model_type": "a mapping (key: value lines)",
                    "dict_type": "a mapping (key: value lines)", "int_type": "a whole number"}.get(kind, kind)
        return f"expected {expected}, found {_TYPE_NAMES.get(type(value), type(value).__name__)}"
    message = str(detail["msg"])
    return message.removeprefix("Value error, ")


def _fields_at(model: type[BaseModel] | None, loc: Path) -> list[str]:
    """The field names of the model found by following `loc` from `model`."""
    current: typing.Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _model_in(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: typing.Any) -> type[BaseModel] | None:
    """The model inside `X | None`, `list[X]` or `Annotated[X, ...]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
