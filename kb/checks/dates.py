"""Dates may be partial, but none lies in the future."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kb.checks.context import Context, problem_at
from kb.load import EntryFile, KnowledgeBase
from kb.model import parse_partial_date
from kb.problems import Problem

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


def check_dates(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    """Read from each file's facts (`EntryFile.facts`), which hold the entry's dates: a file restored from
    the entry cache is checked without rebuilding its entry (`kb.load.entry_dates`)."""
    today = context.today.isoformat()
    future: dict[str, bool] = {}  # by date: 10,000 entries hold about 50,000 dates, a few thousand distinct
    for file in kb.files.values():
        facts = file.facts
        if not facts.valid:
            continue
        for path, value in facts.dates:
            is_future = future.get(value)
            if is_future is None:
                is_future = future[value] = later(value, today)
            if is_future:
                yield problem_at(file, path, "future-date", f"{'.'.join(map(str, path))}: {value} is in the future",
                                 "check the year; a date can be partial, like 2023 or 2023-05")
        yield from _said_after_added(file)


def _said_after_added(file: EntryFile) -> Iterator[Problem]:
    (_, said), (_, added) = file.facts.dates[:2]  # entry_dates gives `said` and `added` first
    if later(said, added):
        yield problem_at(file, ("said",), "date-order", f"said ({said}) is after added ({added})",
                         "'said' is when the words were spoken; 'added' when the entry was written")
