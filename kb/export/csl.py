"""CSL-JSON: one item per statement, valid against the official CSL input schema (v1.0.2).

Decisions (see also EXPORT notes):
- `id` is the entry id; `type` follows the source type (TYPES; articles, essays, papers and posts are
  refined by what the entry knows: a container, an event, the host).
- `author` is the speaker. When the source names its own authors (`source.authors`): a paper's author list
  is used as is when the speaker is on it; an interview or podcast lists them as `interviewer`; any other
  text written by someone else (a newspaper article quoting the speaker) is authored by its writers, and
  the note says whom it quotes, because citing the speaker as the article's author would misattribute it.
- `issued` is `source.published`, else `said`; a recording also gets `event-date` = `said` when the two
  differ (a talk published later). Partial dates stay partial (`[[2024, 3]]`).
- `URL` opens the source at the words (`base.statement_link`); `accessed` is `verified.on` (omitted when
  nobody checked the words).
- The words, their fidelity and the time code or page go in `note` (read by people and by Zotero) and,
  machine-readable and exactly as written, in `custom` (CSL 1.0.2), since the schema forbids any other key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kb.export import base, names
from kb.export.base import date_parts, issued, json_array, json_line, statement_link, time_span
from kb.export.names import CslName, csl_name, person_name, same_person
from kb.load import KnowledgeBase
from kb.model import RECORDED_TYPES, Entry, Fidelity, Person, SourceType

CslItem = dict[str, Any]

GENRES = {
    SourceType.lecture: "Lecture",
    SourceType.talk: "Talk",
    SourceType.panel: "Panel discussion",
    SourceType.podcast: "Podcast episode",
    SourceType.video: "Video",
    SourceType.interview: "Interview",
}
SOCIAL_HOSTS = frozenset({"x.com", "twitter.com", "bsky.app", "threads.net", "mastodon.social", "reddit.com",
                          "news.ycombinator.com", "linkedin.com", "facebook.com"})
FIDELITY_NOTES = {Fidelity.verbatim: "Verbatim", Fidelity.excerpt: "Excerpt", Fidelity.paraphrase: "Paraphrase"}


def csl_type(entry: Entry) -> str:
    """The CSL type for the source; where the kind alone is ambiguous, the entry's fields decide."""
    source = entry.source
    kind = source.type
    if kind in (SourceType.lecture, SourceType.talk, SourceType.panel):
        return "speech"
    fixed = {SourceType.interview: "interview", SourceType.podcast: "broadcast", SourceType.video: "motion_picture",
             SourceType.hearing: "hearing", SourceType.report: "report", SourceType.book: "book"}
    if kind in fixed:
        return fixed[kind]
    if kind is SourceType.paper:
        if source.event:
            return "paper-conference"
        return "article-journal" if source.container else "article"
    if kind is SourceType.post:
        host = (urlsplit(source.url).hostname or "").lower().removeprefix("www.")
        return "post" if host in SOCIAL_HOSTS else "post-weblog"
    if kind is SourceType.article:
        return "article-magazine" if source.container or source.publisher else "webpage"
    return "article-magazine" if source.container else "webpage"  # an essay


def _authors(entry: Entry, speaker: Person) -> tuple[list[CslName], list[CslName], str | None]:
    """(author, interviewer, quoted speaker or None): who wrote the source and whom it quotes."""
    spoken = csl_name(speaker.name, speaker.kind)
    written = [person_name(name) for name in entry.source.authors or []]
    if not written or any(same_person(spoken, name) for name in written):
        return (written or [spoken]), [], None
    if entry.source.type in (SourceType.interview, SourceType.podcast):
        return [spoken], written, None
    return written, [], speaker.name


def _note(entry: Entry, quoted: str | None) -> str:
    """What a reader of the citation needs to find the words: who, where in the source, and the words."""
    source = entry.source
    parts = []
    if quoted:
        parts.append(f"Quoting {quoted}.")
    place = time_span(entry)
    if place:
        parts.append(f"At {place}.")
    if source.page:
        parts.append(f"Page {source.page}.")
    if source.section:
        parts.append(f"Section: {source.section}.")
    words = " ".join(entry.statement.split())
    quote = f"\u201c{words}\u201d" if entry.fidelity is not Fidelity.paraphrase else words
    parts.append(f"{FIDELITY_NOTES[entry.fidelity]}: {quote}")
    return " ".join(parts)


def _custom(entry_id: str, entry: Entry) -> dict[str, Any]:
    source = entry.source
    custom: dict[str, Any] = {"statement": entry.statement, "fidelity": entry.fidelity.value,
                              "speaker": entry.speaker, "said": entry.said, "topics": list(entry.topics),
                              "source-url": source.url}
    optional = {"at": source.at, "until": source.until, "page": source.page, "section": source.section,
                "archived": source.archived, "transcript": source.transcript,
                "verified-method": entry.verified.method.value if entry.verified else None}
    custom.update({key: value for key, value in optional.items() if value is not None})
    return custom


def csl_item(kb: KnowledgeBase, entry_id: str, entry: Entry) -> CslItem:
    """One statement as a CSL-JSON item."""
    source = entry.source
    speaker: Person = kb.people.items[entry.speaker]
    item_type = csl_type(entry)
    authors, interviewers, quoted = _authors(entry, speaker)
    item: CslItem = {"id": entry_id, "type": item_type, "citation-key": entry_id, "author": authors}
    if interviewers:
        item["interviewer"] = interviewers
    item["title"] = source.title
    container = source.container
    publisher = source.publisher
    if not container and publisher and item_type in ("broadcast", "article-magazine", "webpage", "post-weblog"):
        container, publisher = publisher, None  # a show, magazine or site named only as the publisher
    if container:
        item["container-title"] = container
    if publisher and publisher != container:
        item["publisher"] = publisher
    if source.event:
        item["event-title"] = source.event
    if source.type in GENRES:
        item["genre"] = GENRES[source.type]
    item["issued"] = {"date-parts": [date_parts(issued(entry))]}
    if source.type in RECORDED_TYPES and source.published and source.published != entry.said:
        item["event-date"] = {"date-parts": [date_parts(entry.said)]}
    if source.page:
        item["page"] = source.page
    if source.section:
        item["section"] = source.section
    item["URL"] = statement_link(entry)
    if entry.verified:
        item["accessed"] = {"date-parts": [date_parts(entry.verified.on)]}
    item["note"] = _note(entry, quoted)
    item["custom"] = _custom(entry_id, entry)
    return item


def csl_items(kb: KnowledgeBase, entries: Mapping[str, Entry]) -> list[CslItem]:
    return [csl_item(kb, entry_id, entry) for entry_id, entry in entries.items()]


def to_json(items: list[CslItem]) -> str:
    """The CSL-JSON file: a list of items, one per line, UTF-8, stable key order."""
    return json_array(items) + "\n"


def csl_json(kb: KnowledgeBase, entries: Mapping[str, Entry]) -> str:
    """`to_json(csl_items(kb, entries))`; when the entries were loaded through the entry cache, each item's
    line is kept there too, under the file's key, the speaker's registry item and this code (an item reads
    nothing else), so an unchanged statement is not built and encoded again. Only the ids of `entries` and
    their files' facts are read for that: given `kb.load.Entries`, a kept line restores no entry."""
    ids = list(entries)
    files = [kb.files[entry_id] for entry_id in ids]
    if not files or any(file.key is None for file in files):
        return to_json(csl_items(kb, entries))
    from kb.loadcache import kept_texts  # imports the rules, which exports do not need otherwise

    people = kb.people.items
    speakers: dict[str | None, bytes] = {}
    keys = []
    salt = _code()
    for file in files:
        speaker = file.facts.speaker
        if speaker not in speakers:
            speakers[speaker] = people[speaker].model_dump_json().encode()  # type: ignore[index]
        keys.append(hashlib.sha256(salt + str(file.key).encode() + b"\0" + speakers[speaker]).hexdigest())
    lines = kept_texts(keys, lambda missing: [json_line(csl_item(kb, ids[number], entries[ids[number]]))
                                              for number in missing])
    # `json_lines(lines) + "\n"` in one join: the text is 16 MB at 10,000 statements, and twice that in
    # memory once one character is past Latin-1, so each extra concatenation copies 33 MB.
    lines[0] = "[\n" + lines[0]
    lines[-1] += "\n]\n"
    return ",\n".join(lines)


@cache
def _code() -> bytes:
    """What an item depends on besides the entry and its speaker: the code that builds and encodes it (the
    model and URL code are in the file's key already)."""
    digest = hashlib.sha256(b"csl-json\0")
    for module in (__file__, base.__file__, names.__file__):
        digest.update(Path(module).read_bytes() + b"\0")
    return digest.digest()
