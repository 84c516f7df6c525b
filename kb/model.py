"""The entry format: pydantic models for statements, people and topics.

The models are the contract: the committed JSON Schema is generated from them, and every field has a
description that editors show while typing. They are pure: checks that need the rest of the knowledge
base or today's date live in `kb.checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
DATE_PATTERN = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"
FULL_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
TIMECODE_PATTERN = r"^(?:(\d{1,2}):([0-5]\d)|(\d{1,3})):([0-5]\d)$"
_TIMECODE = re.compile(TIMECODE_PATTERN)
_SPACE = re.compile(r"\s")
TIMECODE_HINT = 'write a time code as M:SS, MM:SS or H:MM:SS, for example "25:25" or "1:13:40"'
PATTERN_MESSAGES = {
    DATE_PATTERN: "write the date as YYYY, YYYY-MM or YYYY-MM-DD",
    FULL_DATE_PATTERN: "write the date as YYYY-MM-DD",
    TIMECODE_PATTERN: TIMECODE_HINT,
    r"\S": "must not be empty",
}

Text = Annotated[str, StringConstraints(pattern=r"\S", max_length=10_000)]
Line = Annotated[str, StringConstraints(pattern=r"\S", max_length=500)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]


def _check_url(value: str) -> str:
    """http(s) with a host, no credentials, no spaces; the text is kept exactly as written."""
    if _SPACE.search(value) or len(value) > 2048:
        raise ValueError("a URL has no spaces and is at most 2048 characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError("a URL must start with https:// or http://")
    if parts.username is not None or parts.password is not None:
        raise ValueError("a URL must not carry a user name or password")
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as error:
        raise ValueError(f"the URL's host or port is malformed ({error})") from None
    if not host or ("." not in host.strip("[]") and ":" not in host):
        raise ValueError("a URL needs a real host name, such as www.youtube.com")
    return value


Url = Annotated[
    str,
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://[^\\s/@]+\\.[^\\s]+$"}),
]


def parse_partial_date(value: str) -> tuple[int, ...]:
    """'2023', '2023-05' or '2023-05-17' to (2023,), (2023, 5) or (2023, 5, 17)."""
    if not re.fullmatch(DATE_PATTERN, value):
        raise ValueError(PATTERN_MESSAGES[DATE_PATTERN])
    parts = tuple(int(part) for part in value.split("-"))
    try:
        dt.date(*parts, *(1, 1)[: 3 - len(parts)])
    except ValueError:
        raise ValueError(f"'{value}' is not a real date") from None
    return parts


def _date_to_text(value: Any) -> Any:
    """A year written without quotes reads as a number; a date object (from other loaders) as a date."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:04d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _ascii_digits(value: str) -> str:
    """Patterns' `\\d` also matches other scripts' digits ('２０２３', '٢٠٢٣'), which Python's int() reads; the
    published schema (ECMAScript `\\d`) and every reader of the data expect 0-9 only."""
    if not value.isascii():
        raise ValueError("use the digits 0-9 only, not digits of another script")
    return value


def _check_real_date(value: str) -> str:
    """The pattern is checked in pydantic-core; only the calendar is left (2023-02-30 is not a date)."""
    _ascii_digits(value)
    if len(value) > 4 or value == "0000":  # a year alone is real, except 0000 (the calendar starts at 1)
        parse_partial_date(value)
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_date_to_text),
    StringConstraints(pattern=DATE_PATTERN),
    AfterValidator(_check_real_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "A date, possibly partial: YYYY, YYYY-MM or YYYY-MM-DD.",
        }
    ),
]
FullDate = Annotated[
    str,
    BeforeValidator(_date_to_text),
    StringConstraints(pattern=FULL_DATE_PATTERN),
    AfterValidator(_check_real_date),
]


def timecode_seconds(value: str) -> int:
    """'25:25' to 1525, '1:13:40' to 4420."""
    match = _TIMECODE.fullmatch(value)
    if not match:
        raise ValueError(TIMECODE_HINT)
    hours, minutes_of_hour, minutes, seconds = match.groups()
    if hours is not None:
        return int(hours) * 3600 + int(minutes_of_hour) * 60 + int(seconds)
    return int(minutes) * 60 + int(seconds)


def format_timecode(seconds: int) -> str:
    """1525 to '25:25', 4420 to '1:13:40'."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


Timecode = Annotated[
    str,
    StringConstraints(pattern=TIMECODE_PATTERN),
    AfterValidator(_ascii_digits),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": TIMECODE_PATTERN,
            "description": 'A position in a recording: M:SS or H:MM:SS, quoted, for example "25:25".',
        }
    ),
]


class Fidelity(StrEnum):
    """How close the statement is to the speaker's words."""

    verbatim = "verbatim"
    excerpt = "excerpt"
    paraphrase = "paraphrase"


class SourceType(StrEnum):
    lecture = "lecture"
    talk = "talk"
    podcast = "podcast"
    interview = "interview"
    panel = "panel"
    video = "video"
    article = "article"
    essay = "essay"
    paper = "paper"
    report = "report"
    post = "post"
    hearing = "hearing"
    book = "book"


RECORDED_TYPES = frozenset(
    {SourceType.lecture, SourceType.talk, SourceType.podcast, SourceType.interview, SourceType.panel,
     SourceType.video, SourceType.hearing}
)


class VerificationMethod(StrEnum):
    listened = "listened"
    transcript = "transcript"
    page_text = "page-text"


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not vanish."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Source(Strict):
    """The primary source: where the words can be heard or read."""

    type: SourceType = Field(description="The kind of source.")
    title: Line = Field(description="The source's own title.")
    url: Url = Field(description="Link to the source (the recording or the text), exactly as published.")
    publisher: Line | None = Field(None, description="Channel, outlet or institution that published it.")
    container: Line | None = Field(None, description="The series, show, journal or site it belongs to.")
    event: Line | None = Field(None, description="The conference or event where it was said.")
    authors: list[Line] | None = Field(None, description="Authors of the source when they are not the speaker.")
    published: PartialDate | None = Field(None, description="When the source was published.")
    at: Timecode | None = Field(None, description="Where in the recording the words start.")
    until: Timecode | None = Field(None, description="Where in the recording the words end.")
    page: Line | None = Field(None, description="Page of a text source.")
    section: Line | None = Field(None, description="Section or heading of a text source.")
    transcript: Url | None = Field(None, description="A transcript of the recording.")
    archived: Url | None = Field(None, description="An archived copy, such as a Wayback Machine URL.")


class SecondarySource(Strict):
    """A report of the statement, or the place that led to it."""

    title: Line
    url: Url | None = None
    date: PartialDate | None = None


class Verification(Strict):
    """Who checked the words against the primary source, how and when."""

    by: Line = Field(description="Who checked (a GitHub handle).")
    on: FullDate = Field(description="When, as YYYY-MM-DD.")
    method: VerificationMethod = Field(description="listened, transcript or page-text.")
    note: Text | None = Field(None, description="Where the words were checked, such as the transcript used.")


class Dispute(Strict):
    """Why the wording or attribution is contested, with the source that says so."""

    reason: Text
    source: SecondarySource


class Entry(Strict):
    """One statement by one speaker, with its source. The id is the file name."""

    model_config = ConfigDict(
        title="We Don't Know How: statement",
        json_schema_extra={"$comment": "Generated from kb/model.py by `kb schema`; do not edit by hand."},
    )

    statement: Text = Field(description="The words (verbatim or excerpt) or a neutral summary (paraphrase).")
    fidelity: Fidelity = Field(description="verbatim, excerpt (exact words with elisions) or paraphrase.")
    speaker: Slug = Field(description="A key of entries/_people.yaml.")
    role: Line | None = Field(None, description="The speaker's role at the time of speaking.")
    said: PartialDate = Field(description="When the words were said or written.")
    source: Source
    found_via: list[SecondarySource] | None = Field(None, description="Secondary sources that reported it.")
    topics: list[Slug] = Field(min_length=1, description="Keys of entries/_topics.yaml.")
    context: Text | None = Field(None, description="One or two neutral sentences: what was being discussed.")
    verified: Verification | None = None
    disputed: Dispute | None = None
    added: FullDate = Field(description="When the entry was added, as YYYY-MM-DD.")


class PersonLinks(Strict):
    wikipedia: Url | None = None
    wikidata: Url | None = None
    homepage: Url | None = None
    scholar: Url | None = None


class Person(Strict):
    """A speaker: a person or an organisation."""

    name: Line
    description: Line
    kind: Literal["person", "organization"] = "person"
    links: PersonLinks | None = None


class Topic(Strict):
    title: Line
    description: Line
