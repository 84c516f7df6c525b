"""`kb new`: from a link and a time code to an entry file that passes `kb validate`, or a reason why not.

What the source says about itself comes from the CHECK helper's safe clients: `kb.media.probe_recording`
(yt-dlp) for a recording, `kb.http.fetch` for a text page. The draft entry is rendered in the canonical
layout (kb/fmt.py), parsed back strictly and run through the same checks as `kb validate`, with the
rest of the knowledge base around it, so duplicates, unknown topics or a time past the end are found
before anything is written. Files are created without ever replacing one (a hard link from a temporary
file fails if the name exists), and a new speaker is appended to `_people.yaml`, leaving the rest of
the file byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from kb.checks import run_checks
from kb.fmt import format_text, write_atomically
from kb.http import FetchError, fetch
from kb.load import ENTRIES_DIR, PEOPLE_FILE, EntryFile, KnowledgeBase, validate_document
from kb.model import Entry, Person, format_timecode, parse_partial_date, timecode_seconds
from kb.problems import Problem
from kb.urls import start_seconds
from kb.yaml_strict import parse_text

ID_WORDS = 4
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "does", "for", "from", "have", "how", "i", "if",
    "in", "is", "it", "its", "just", "of", "on", "or", "so", "that", "the", "their", "them", "there", "these",
    "they", "this", "to", "was", "we", "were", "what", "when", "which", "who", "why", "will", "with", "you",
    "very", "really", "actually", "quite", "yeah", "like", "kind", "sort", "gonna", "then", "um", "uh", "well"})
"""Words left out of an id; 'not' and 'don't' stay in: in this knowledge base they are the point."""


class ScaffoldError(Exception):
    """The entry cannot be made as asked; the message says why and what to do instead."""


@dataclass
class SourceFacts:
    """What the link says about itself. `duration` is None for a text (or a recording that does not say)."""

    url: str
    recording: bool
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    duration: float | None = None
    start_time: float | None = None

    def __post_init__(self) -> None:
        """A date the source states but the calendar lacks (a page saying 2024-02-30) is dropped, not passed on
        to be blamed on a flag the contributor never gave."""
        if self.published is not None:
            try:
                parse_partial_date(self.published)
            except ValueError:
                self.published = None


@dataclass
class Draft:
    """Everything an entry needs, as the contributor gave it."""

    url: str
    statement: str
    speaker: str
    topics: list[str]
    fidelity: str = "verbatim"
    at: str | None = None
    until: str | None = None
    said: str | None = None
    role: str | None = None
    context: str | None = None
    source_type: str | None = None
    id: str | None = None
    new_speaker: Person | None = None
    added: str = field(default_factory=lambda: dt.date.today().isoformat())


# --- what the source says about itself ------------------------------------------------------------

class _PageFacts(HTMLParser):
    """<title>, og:title, og:site_name and a publication date from a page's meta tags or first <time>."""

    DATE_NAMES = ("article:published_time", "datepublished", "date", "dc.date", "citation_publication_date",
                  "citation_date", "og:published_time", "pubdate")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.time: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            name = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if name and "content" in values:
                self.meta.setdefault(name, values["content"].strip())
        elif tag == "time" and self.time is None and values.get("datetime"):
            self.time = values["datetime"]
        self._in_title = tag == "title" and not self.title

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False if tag == "title" else self._in_title

    def published(self) -> str | None:
        for name in self.DATE_NAMES:
            found = re.match(r"\d{4}-\d{2}-\d{2}", self.meta.get(name, ""))
            if found:
                return found.group(0)
        found = re.match(r"\d{4}-\d{2}-\d{2}", self.time or "")
        return found.group(0) if found else None


def _clean(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text[:500] or None


def source_facts(url: str, *, want_recording: bool, allow_private: bool) -> SourceFacts:
    """A recording's title, uploader, date and length; else, when no time code is asked for, a page's.

    kb.media (and yt-dlp under it) is imported here only: every `kb` command imports this module at start."""
    from kb.media import MediaError, probe_recording

    try:
        recording = probe_recording(url, allow_private=allow_private)
    except MediaError as error:
        if want_recording:
            raise ScaffoldError(f"no recording found at {url}: {error}. A time code is a position in a "
                                "recording; for a text (an article, an essay) leave --at out") from None
        return _page_facts(url, allow_private=allow_private)
    if start_seconds(url) is not None and start_seconds(recording.webpage_url) is None:
        url = recording.webpage_url  # a share link's ?t= goes into `at`; `url` stays as published
    return SourceFacts(url=url, recording=True, title=_clean(recording.title), publisher=_clean(recording.uploader),
                       published=recording.upload_date, duration=recording.duration,
                       start_time=recording.start_time)


def _page_facts(url: str, *, allow_private: bool) -> SourceFacts:
    try:
        response = fetch(url, allow_private=allow_private)
    except FetchError as error:
        raise ScaffoldError(f"cannot read {url}: {error}") from None
    if not response.ok:
        raise ScaffoldError(f"{url} answered HTTP {response.status}; link to a page that opens")
    page = _PageFacts()
    page.feed(response.text)
    return SourceFacts(url=url, recording=False, title=_clean(page.meta.get("og:title") or page.title),
                       publisher=_clean(page.meta.get("og:site_name")), published=page.published())


# --- the id -----------------------------------------------------------------------------------------

def slugify(text: str) -> str:
    """ASCII lowercase words joined by hyphens: 'Sébastien Bubeck' -> 'sebastien-bubeck', "don't" -> 'dont'."""
    text = text.replace("'", "").replace("\u2019", "")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def choose_id(kb: KnowledgeBase, speaker: str, person: Person | None, statement: str) -> str:
    """Surname (or an organisation's slug) and the first telling words of the statement, made unique."""
    lead = slugify(person.name.split()[-1]) if person and person.kind == "person" and person.name.split() else ""
    words = list(dict.fromkeys(word for word in slugify(statement).split("-") if word not in STOPWORDS))
    base = "-".join(filter(None, [lead or speaker, slugify(" ".join(words[:ID_WORDS]))]))[:60].strip("-")
    taken = set(kb.files) | {path.stem for path in (kb.root / ENTRIES_DIR).glob("*.y*ml")}
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


# --- the entry --------------------------------------------------------------------------------------

def check_time(draft: Draft, facts: SourceFacts) -> None:
    """`at` and `until` are time codes inside the recording (only a recording has them)."""
    for name in ("at", "until"):
        value = getattr(draft, name)
        if value is None:
            continue
        try:
            seconds = timecode_seconds(value)
        except ValueError as error:
            raise ScaffoldError(f"--{name} {value!r}: {error}") from None
        if not facts.recording:
            raise ScaffoldError(f"--{name} is a position in a recording, but {facts.url} is a text page")
        if facts.duration is not None and seconds > facts.duration:
            raise ScaffoldError(f"--{name} {value} is past the end of the recording, which lasts "
                                f"{format_timecode(int(facts.duration))}")


def entry_data(draft: Draft, facts: SourceFacts) -> dict[str, Any]:
    """The entry as data in model order; empty fields left out."""
    source_type = draft.source_type or ("video" if facts.recording else "article")
    source = {"type": source_type, "title": facts.title or "", "url": facts.url, "publisher": facts.publisher,
              "published": facts.published, "at": draft.at, "until": draft.until}
    data = {"statement": draft.statement, "fidelity": draft.fidelity, "speaker": draft.speaker, "role": draft.role,
            "said": draft.said or facts.published, "source": source, "topics": draft.topics,
            "context": draft.context, "added": draft.added}
    data["source"] = {key: value for key, value in source.items() if value}
    return {key: value for key, value in data.items() if value}


def _plain_date(value: str) -> str | int | dt.date:
    """A date as YAML writes it without quotes (ruamel.yaml would quote '2023-05-17' and '2023' as text)."""
    if re.fullmatch(r"\d{4}", value):
        return int(value)
    return dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else value


def render(data: dict[str, Any], path: Path, root: Path) -> str:
    """The entry in the canonical layout; dates plain, as in every hand-written entry."""
    data = {**data, "source": dict(data["source"])}
    for holder, key in ((data, "said"), (data, "added"), (data["source"], "published")):
        if key in holder:
            holder[key] = _plain_date(holder[key])
    yaml = YAML(typ="rt")
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return format_text(buffer.getvalue(), path, root)


def person_text(slug: str, person: Person) -> str:
    """The registry lines for a new speaker, quoted by ruamel.yaml wherever the name needs it."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump({slug: person.model_dump(exclude_defaults=True, mode="json")}, buffer)
    return buffer.getvalue()


def problems_for(kb: KnowledgeBase, draft: Draft, entry_id: str, text: str, allow_private: bool) -> list[Problem]:
    """Every problem `kb validate` would report for the new file (and the new speaker), none of the others'."""
    shown_as = f"{ENTRIES_DIR}/{entry_id}.yaml"
    before = set(run_checks(kb))
    document = parse_text(text)
    entry_file = EntryFile(id=entry_id, path=shown_as, document=document)
    entry_file.entry, problems = validate_document(document, Entry, shown_as)
    kb.files[entry_id] = entry_file
    kb.problems.extend(problems)
    if draft.new_speaker is not None:
        kb.people.items[draft.speaker] = draft.new_speaker
    ours = {shown_as, kb.people.path}
    return [problem for problem in run_checks(kb) if problem not in before and problem.path in ours
            and not (allow_private and problem.code == "private-url")]


def create_exclusively(path: Path, text: str) -> None:
    """Write a new file in one step, refusing (FileExistsError) if the name is taken, even in a race."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.link(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def add_person(root: Path, slug: str, person: Person) -> None:
    """Append the speaker to the registry; everything already in it stays as it is, comments included."""
    path = root / ENTRIES_DIR / PEOPLE_FILE
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    separator = "" if not old or old.endswith("\n") else "\n"
    new = f"{old}{separator}{person_text(slug, person)}"
    parse_text(new)
    if path.exists():
        write_atomically(path, new)
    else:
        create_exclusively(path, new)
