"""What rules need besides the knowledge base, and where a finding sits in its file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kb.load import EntryFile, KnowledgeBase
from kb.problems import Problem, Severity
from kb.yaml_strict import Document, Path


@dataclass(frozen=True)
class Context:
    today: dt.date
    errors_only: bool = False
    """Only errors are wanted (`kb export`): rules may skip what can only be a warning."""


def problem_at(file: EntryFile, path: Path, code: str, message: str, hint: str = "",
               severity: Severity = Severity.error) -> Problem:
    """A Problem placed at the value of `path` in the entry's file."""
    line, column = file.document.position(path) if file.document else (1, 1)
    return Problem(file.path, line, column, code, message, hint, severity)


def kept(file: EntryFile, rule: str) -> list[Problem] | None:
    """The findings of per-file rule `rule` for `file` when the load cache already holds them, else None."""
    return None if file.findings is None else file.findings.get(rule)


def every_document(kb: KnowledgeBase, rule: str,
                   problems_of: Callable[[str, Document], Iterable[Problem]]) -> Iterator[Problem]:
    """A per-file rule run over both registries and every parsed entry file; an entry whose findings the
    load cache kept (`kept`) is not examined again."""
    for registry in (kb.people, kb.topics):
        if registry.document is not None:
            yield from problems_of(registry.path, registry.document)
    for file in kb.files.values():
        if file.document is not None:
            found = kept(file, rule)
            yield from problems_of(file.path, file.document) if found is None else found
