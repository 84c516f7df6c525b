"""Offline rules over a loaded KnowledgeBase. Each rule is a generator of Problems; none prints.

A rule takes the knowledge base and a `Context` (today's date, so tests can fix it) and yields
Problems. `RULES` lists them in the order their findings are most useful to read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from kb.checks import characters, dates, duplicates, files, references, timecodes, urls
from kb.checks.context import Context
from kb.load import EntryFile, KnowledgeBase, without_gc
from kb.problems import Problem

Rule = Callable[[KnowledgeBase, Context], Iterator[Problem]]

RULES: tuple[Rule, ...] = (
    files.check_file_names,
    files.check_schema_comment,
    references.check_references,
    references.check_unused,
    dates.check_dates,
    timecodes.check_timecodes,
    urls.check_url_hosts,
    duplicates.check_duplicates,
    characters.check_characters,
)

FileRule = Callable[[EntryFile], list[Problem]]

FILE_RULES: dict[str, FileRule] = {
    "timecodes": lambda file: list(timecodes.timecode_problems(file)),
    "url-hosts": lambda file: [] if file.document is None else list(urls.url_problems(file.path, file.document)),
    "characters": lambda file: [] if file.document is None else list(
        characters.character_problems(file.path, file.document)),
}
"""The rules whose findings for an entry file depend on nothing but the file (not today's date, not the
registries, not other files), by the name their rule in RULES looks them up by (`context.kept`): the
load cache computes them once per version of a file and keeps them with it."""


WARNINGS_ONLY: frozenset[Rule] = frozenset({files.check_schema_comment, references.check_unused,
                                           characters.check_characters})
"""Rules that never find an error."""


def run_checks(kb: KnowledgeBase, today: dt.date | None = None, *, errors_only: bool = False) -> list[Problem]:
    """Load problems plus every rule's findings; with `errors_only`, at least every error among them (the
    rules that find only warnings are skipped, and the near-duplicate search)."""
    context = Context(today=today or dt.date.today(), errors_only=errors_only)
    problems = list(kb.problems)
    with without_gc():
        for rule in RULES:
            if not (errors_only and rule in WARNINGS_ONLY):
                problems.extend(rule(kb, context))
    return problems
