"""Dates may be partial, but none lies in the future."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kb.checks.context import Context, problem_at
from kb.load import EntryFile, KnowledgeBase
from kb.model import Entry, parse_partial_date
from kb.problems import Problem
from kb.yaml_strict import Path

_WRITTEN = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", re.ASCII)


def later(value: str, than: str) -> bool:
    """Whether the partial date `value` lies after the full date `than`, to the precision of `value`.

    Dates as validated (YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits) are compared as text: fixed-width
    digits order exactly as their numbers do, and this is far cheaper than parsing 100,000 dates. Any
    other text goes through `parse_partial_date` as before (and raises as before).
    """
    if _WRITTEN.fullmatch(value) and _WRITTEN.fullmatch(than):
        return value > than[: len(value)]
    parts = parse_partial_date(value)
    return parts > parse_partial_date(than)[: len(parts)]


def entry_dates(entry: Entry) -> Iterator[tuple[Path, str]]:
    """Every date an entry holds, with its path."""
    yield ("said",), entry.said
    yield ("added",), entry.added
    if entry.source.published:
        yield ("source", "published"), entry.source.published
    if entry.verified:
        yield ("verified", "on"), entry.verified.on
    for index, report in enumerate(entry.found_via or ()):
        if report.date:
            yield ("found_via", index, "date"), report.date
    if entry.disputed and entry.disputed.source.date:
        yield ("disputed", "source", "date"), entry.disputed.source.date


def check_dates(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    today = context.today.isoformat()
    for file in kb.files.values():
        if file.entry is None:
            continue
        for path, value in entry_dates(file.entry):
            if later(value, today):
                yield problem_at(file, path, "future-date", f"{'.'.join(map(str, path))}: {value} is in the future",
                                 "check the year; a date can be partial, like 2023 or 2023-05")
        yield from _said_after_added(file)


def _said_after_added(file: EntryFile) -> Iterator[Problem]:
    entry = file.entry
    assert entry is not None
    if later(entry.said, entry.added):
        yield problem_at(file, ("said",), "date-order", f"said ({entry.said}) is after added ({entry.added})",
                         "'said' is when the words were spoken; 'added' when the entry was written")
