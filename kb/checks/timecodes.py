"""Time codes: `until` after `at`, only on recordings, and in agreement with the URL's own `t=`."""

from __future__ import annotations

from collections.abc import Iterator

from kb.checks.context import Context, kept, problem_at
from kb.load import EntryFile, KnowledgeBase
from kb.model import RECORDED_TYPES, format_timecode, timecode_seconds
from kb.problems import Problem, Severity
from kb.urls import start_seconds


def check_timecodes(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    for file in kb.files.values():
        found = kept(file, "timecodes")  # kept ones are [] for an invalid entry: no entry to look at then
        if found is not None:
            yield from found
        elif file.entry is not None:
            yield from timecode_problems(file)


def timecode_problems(file: EntryFile) -> Iterator[Problem]:
    """The time code findings of one valid entry."""
    if file.entry is not None:
        source = file.entry.source
        at = timecode_seconds(source.at) if source.at else None
        if source.until and at is None:
            yield problem_at(file, ("source", "until"), "timecode", "'until' is given without 'at'",
                             "add 'at:' with the time the words start")
        if source.until and at is not None and timecode_seconds(source.until) <= at:
            yield problem_at(file, ("source", "until"), "timecode",
                             f"until ({source.until}) is not after at ({source.at})", "swap them or fix the end")
        if at is not None and source.type not in RECORDED_TYPES:
            yield problem_at(file, ("source", "at"), "timecode",
                             f"'at' is a position in a recording, but the source type is '{source.type.value}'",
                             "use 'page' or 'section' for a text, or fix the source type", Severity.warning)
        url_start = start_seconds(source.url)
        if url_start is not None and (at is None or abs(url_start - at) > 1):
            said = f"at {source.at}" if at is not None else "no 'at'"
            yield problem_at(file, ("source", "url"), "url-time",
                             f"the URL starts at {format_timecode(int(url_start))} but the entry says {said}",
                             "remove the time from the URL (the site adds it from 'at') or make them agree")
