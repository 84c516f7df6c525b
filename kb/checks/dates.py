"""Dates may be partial, but none lies in the future."""

from __future__ import annotations

from collections.abc import Iterator

from kb.checks.context import Context, problem_at
from kb.load import EntryFile, KnowledgeBase
from kb.model import Entry, parse_partial_date
from kb.problems import Problem
from kb.yaml_strict import Path


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
    today = (context.today.year, context.today.month, context.today.day)
    for file in kb.files.values():
        if file.entry is None:
            continue
        for path, value in entry_dates(file.entry):
            parts = parse_partial_date(value)
            if parts > today[: len(parts)]:
                yield problem_at(file, path, "future-date", f"{'.'.join(map(str, path))}: {value} is in the future",
                                 "check the year; a date can be partial, like 2023 or 2023-05")
        yield from _said_after_added(file)


def _said_after_added(file: EntryFile) -> Iterator[Problem]:
    entry = file.entry
    assert entry is not None
    said = parse_partial_date(entry.said)
    if said > parse_partial_date(entry.added)[: len(said)]:
        yield problem_at(file, ("said",), "date-order", f"said ({entry.said}) is after added ({entry.added})",
                         "'said' is when the words were spoken; 'added' when the entry was written")
