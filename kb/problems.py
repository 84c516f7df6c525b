"""Problems are values: a place, a rule code, a message and a hint. One reporter per output format."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum

_HIDDEN = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.error

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error


def printable(text: str) -> str:
    """Control, format (bidi, zero-width) and unassigned characters shown as escapes, so a message about
    hostile text cannot reorder or hide what a terminal or a log shows."""
    return "".join(f"\\u{ord(char):04x}" if unicodedata.category(char) in _HIDDEN else char for char in text)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.code, p.message))


def format_text(problems: list[Problem]) -> str:
    """`path:line:col: error code: message`, with the hint on the next line."""
    lines = []
    for problem in problems:
        lines.append(f"{printable(problem.path)}:{problem.line}:{problem.column}: {problem.severity.value} "
                     f"{problem.code}: {printable(problem.message)}")
        if problem.hint:
            lines.append(f"    hint: {printable(problem.hint)}")
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    records = [{**asdict(problem), "severity": problem.severity.value} for problem in problems]
    return json.dumps(records, indent=2, ensure_ascii=False)


def _escape_github(text: str, *, property_value: bool = False) -> str:
    """GitHub workflow-command escaping, so entry text cannot forge a command."""
    text = printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: list[Problem]) -> str:
    """`::error file=...,line=...,col=...,title=code::message` workflow annotations."""
    lines = []
    for problem in problems:
        message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
        properties = ",".join(
            f"{name}={_escape_github(str(value), property_value=True)}"
            for name, value in (("file", problem.path), ("line", problem.line), ("col", problem.column),
                                ("title", problem.code))
        )
        lines.append(f"::{problem.severity.value} {properties}::{_escape_github(message)}")
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
