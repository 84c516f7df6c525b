"""What every export shares: which statements can be exported, their dates and the link to the words."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kb.load import KnowledgeBase
from kb.model import RECORDED_TYPES, Entry, Fidelity, parse_partial_date, timecode_seconds
from kb.urls import link_at, text_fragment_link


def exportable(kb: KnowledgeBase, only: set[str] | None = None) -> dict[str, Entry]:
    """Valid statements whose speaker and topics resolve, in id order; `only` limits them to file paths.

    An entry that failed validation has no `Entry` and is left out; so is one naming an unknown speaker or
    topic, because every format resolves those. The rule is `KnowledgeBase.resolved`'s. Reporting why is the
    caller's job (`kb validate`'s rules).
    """
    return {id_: kb.files[id_].entry for id_ in kb.resolved(only)}


def date_parts(value: str) -> list[int]:
    """'2023-05' to [2023, 5]: a partial date stays partial."""
    return list(parse_partial_date(value))


def issued(entry: Entry) -> str:
    """The date a citation carries: when the source was published, else when the words were said."""
    return entry.source.published or entry.said


def statement_link(entry: Entry) -> str:
    """The link that opens the source at the words.

    A recording with a time code opens at that second (`kb.urls.link_at`); a text source quoted verbatim or
    as an excerpt gets a text fragment that highlights the words. A paraphrase is not on the page as
    written, so it links to the source itself.
    """
    source = entry.source
    if source.type in RECORDED_TYPES:
        return link_at(source.url, timecode_seconds(source.at) if source.at else None)
    if entry.fidelity is Fidelity.paraphrase:
        return source.url
    return text_fragment_link(source.url, entry.statement)


def time_span(entry: Entry) -> str | None:
    """'22:32–22:40', '22:32', or None when the source gives no time code."""
    source = entry.source
    if not source.at:
        return None
    return f"{source.at}\u2013{source.until}" if source.until else source.at


def json_array(values: Iterable[Any]) -> str:
    """A JSON array with one value per line: readable, diffable, and written by the C encoder (any
    `indent` selects the pure-Python one, which is 4 times slower at 10,000 statements)."""
    return json_lines([json_line(value) for value in values])


def json_line(value: Any) -> str:
    """One value of `json_array`, as its line."""
    return json.dumps(value, ensure_ascii=False)


def json_lines(lines: list[str]) -> str:
    """`json_array` of the values these `json_line` lines were made from."""
    return "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"
