"""The JSON dataset: every statement with its speaker and topics resolved, and the schema that describes it.

The pydantic models below are the contract: `kb schema` writes kb/schema/dataset.schema.json from them,
and the export is built by validating through them, so the file cannot drift from its schema. The nested
source, verification and dispute records reuse the entry models unchanged.

`generated` is the build time in UTC, or SOURCE_DATE_EPOCH when set, so a rebuild can be byte-identical.
`FORMAT_VERSION` follows semantic versioning: a new optional field is a minor change, anything that can
break a reader (a renamed or removed field) a major one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kb.export.base import json_array, statement_link
from kb.load import KnowledgeBase
from kb.model import (
    Dispute,
    Entry,
    Fidelity,
    FullDate,
    Line,
    PartialDate,
    Person,
    PersonLinks,
    SecondarySource,
    Slug,
    Source,
    Text,
    Topic,
    Verification,
)

FORMAT_VERSION = "1.0.0"


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpeakerRecord(Record):
    """The speaker, resolved from entries/_people.yaml."""

    slug: Slug
    name: Line
    kind: Literal["person", "organization"]
    description: Line
    links: PersonLinks | None = None


class TopicRecord(Record):
    """A topic, resolved from entries/_topics.yaml."""

    slug: Slug
    title: Line
    description: Line


class StatementRecord(Record):
    """One statement as published: the entry's fields with the speaker and topics resolved."""

    id: Slug = Field(description="The entry id (its file name); stable.")
    statement: Text
    fidelity: Fidelity
    speaker: SpeakerRecord
    role: Line | None = None
    said: PartialDate
    link: str = Field(description="Opens the source at the words: a time-coded or text-fragment link.")
    source: Source
    found_via: list[SecondarySource] | None = None
    topics: list[TopicRecord]
    context: Text | None = None
    verified: Verification | None = None
    disputed: Dispute | None = None
    added: FullDate


class Dataset(Record):
    """Every statement of We Don't Know How."""

    model_config = ConfigDict(
        title="We Don't Know How: dataset",
        json_schema_extra={"$comment": "Generated from kb/export/dataset.py by `kb schema`; do not edit by hand."},
    )

    format_version: Literal["1.0.0"] = Field(description="Version of this format (semantic versioning).")
    generated: dt.datetime = Field(description="When the file was generated (UTC).")
    count: int = Field(ge=0, description="The number of statements.")
    statements: list[StatementRecord]


def statement_record(kb: KnowledgeBase, entry_id: str, entry: Entry) -> StatementRecord:
    person: Person = kb.people.items[entry.speaker]
    topics: dict[str, Topic] = kb.topics.items
    return StatementRecord(
        id=entry_id, statement=entry.statement, fidelity=entry.fidelity,
        speaker=SpeakerRecord(slug=entry.speaker, **person.model_dump()),
        role=entry.role, said=entry.said, link=statement_link(entry), source=entry.source,
        found_via=entry.found_via,
        topics=[TopicRecord(slug=slug, **topics[slug].model_dump()) for slug in entry.topics],
        context=entry.context, verified=entry.verified, disputed=entry.disputed, added=entry.added,
    )


def generated_at() -> dt.datetime:
    """Now in UTC to the second, or SOURCE_DATE_EPOCH (reproducible builds) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0)


def dataset(kb: KnowledgeBase, entries: dict[str, Entry]) -> Dataset:
    records = [statement_record(kb, entry_id, entry) for entry_id, entry in entries.items()]
    return Dataset(format_version=FORMAT_VERSION, generated=generated_at(), count=len(records), statements=records)


def dump(model: BaseModel) -> dict[str, Any]:
    """JSON-ready data with absent optional fields left out (not written as null)."""
    return model.model_dump(mode="json", exclude_none=True)


def to_json(value: BaseModel) -> str:
    """A record on one line; the dataset with one statement per line (see `base.json_array`)."""
    data = dump(value)
    if not isinstance(value, Dataset):
        return json.dumps(data, ensure_ascii=False) + "\n"
    statements = json_array(data.pop("statements"))
    return json.dumps(data, ensure_ascii=False).removesuffix("}") + f', "statements": {statements}}}\n'



def dataset_schema() -> dict[str, Any]:
    """The JSON Schema of the dataset file (kb/schema/dataset.schema.json)."""
    return Dataset.model_json_schema()
