"""CSV for spreadsheets and statistics tools: one row per statement, flat columns, UTF-8, a header row.

- Lists (topics, source authors) are joined with "; ".
- RFC 4180 quoting by the csv module; rows end in CRLF; no byte-order mark (Excel users: Data > From
  Text/CSV, File origin UTF-8).
- Formula injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as
  a formula, so such a cell gets a leading apostrophe, as OWASP advises. The apostrophe is data to other
  tools; the unaltered text is always in the JSON dataset.
"""

from __future__ import annotations

import csv
import io

from kb.export.base import statement_link
from kb.load import KnowledgeBase
from kb.model import Entry, Person, timecode_seconds

COLUMNS = ("id", "statement", "fidelity", "speaker", "speaker_name", "speaker_kind", "role", "said", "topics",
           "source_type", "source_title", "source_url", "link", "publisher", "container", "event",
           "source_authors", "published", "at", "until", "at_seconds", "page", "section", "transcript", "archived",
           "context", "verified_by", "verified_on", "verified_method", "disputed", "added")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: str) -> str:
    """A cell a spreadsheet would evaluate gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def row(kb: KnowledgeBase, entry_id: str, entry: Entry) -> dict[str, str]:
    source = entry.source
    person: Person = kb.people.items[entry.speaker]
    verified = entry.verified
    values: dict[str, str | None] = {
        "id": entry_id, "statement": entry.statement, "fidelity": entry.fidelity.value, "speaker": entry.speaker,
        "speaker_name": person.name, "speaker_kind": person.kind, "role": entry.role, "said": entry.said,
        "topics": "; ".join(entry.topics), "source_type": source.type.value, "source_title": source.title,
        "source_url": source.url, "link": statement_link(entry), "publisher": source.publisher,
        "container": source.container, "event": source.event,
        "source_authors": "; ".join(source.authors) if source.authors else None, "published": source.published,
        "at": source.at, "until": source.until,
        "at_seconds": str(timecode_seconds(source.at)) if source.at else None, "page": source.page,
        "section": source.section, "transcript": source.transcript, "archived": source.archived,
        "context": entry.context, "verified_by": verified.by if verified else None,
        "verified_on": verified.on if verified else None,
        "verified_method": verified.method.value if verified else None,
        "disputed": entry.disputed.reason if entry.disputed else None, "added": entry.added,
    }
    return {column: guard(values[column] or "") for column in COLUMNS}


def to_csv(kb: KnowledgeBase, entries: dict[str, Entry]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry_id, entry in entries.items():
        writer.writerow(row(kb, entry_id, entry))
    return buffer.getvalue()
