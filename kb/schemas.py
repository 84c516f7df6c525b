"""JSON Schemas generated from the models, committed under kb/schema/ for editors and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from kb.export.dataset import dataset_schema
from kb.model import SLUG_PATTERN, Entry, Person, Topic

SCHEMA_DIR = Path(__file__).parent / "schema"
BASE_ID = "https://github.com/we-dont-know-how/kb/raw/main/kb/schema/"


def _registry(model: type, title: str) -> dict[str, Any]:
    schema = TypeAdapter(dict[str, model]).json_schema()
    schema["propertyNames"] = {"pattern": SLUG_PATTERN}
    schema["title"] = title
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    """File name to schema, each with `$schema` and `$id`."""
    generated = {
        "entry.schema.json": Entry.model_json_schema(),
        "people.schema.json": _registry(Person, "We Don't Know How: speakers"),
        "topics.schema.json": _registry(Topic, "We Don't Know How: topics"),
        "dataset.schema.json": dataset_schema(),
    }
    return {
        name: {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE_ID + name, **schema}
        for name, schema in generated.items()
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def stale(directory: Path = SCHEMA_DIR) -> list[str]:
    """Names of committed schema files that differ from what the models generate."""
    return [name for name, schema in schemas().items()
            if not (directory / name).exists() or (directory / name).read_text(encoding="utf-8") != render(schema)]


def write(directory: Path = SCHEMA_DIR) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    changed = stale(directory)
    for name in changed:
        (directory / name).write_text(render(schemas()[name]), encoding="utf-8")
    return changed
