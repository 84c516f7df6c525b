"""The JSON dataset against its committed schema, and the CSV a spreadsheet opens."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from kb import schemas
from kb.export import dataset
from kb.export.base import exportable
from kb.export.csv_export import COLUMNS, guard, to_csv
from kb.load import KnowledgeBase, load
from tests.conftest import PROJECT
from tests.export.conftest import HOSTILE_TITLE

COMMITTED = json.loads((PROJECT / "kb" / "schema" / "dataset.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("root", [PROJECT], ids=["real entries"])
def test_dataset_validates_against_the_committed_schema(root: Path) -> None:
    kb = load(root)
    data = json.loads(dataset.to_json(dataset.dataset(kb, exportable(kb))))
    jsonschema.Draft202012Validator.check_schema(COMMITTED)
    jsonschema.Draft202012Validator(COMMITTED, format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["count"] == len(data["statements"]) == len(exportable(kb))


def test_hostile_dataset_validates_and_resolves(hostile_kb: KnowledgeBase) -> None:
    data = json.loads(dataset.to_json(dataset.dataset(hostile_kb, exportable(hostile_kb))))
    jsonschema.Draft202012Validator(COMMITTED).validate(data)
    assert data["format_version"] == dataset.FORMAT_VERSION
    records = {record["id"]: record for record in data["statements"]}
    talk = records["example-talk"]
    assert talk["speaker"] == {"slug": "ada-example", "name": "Ada Example", "kind": "person",
                               "description": "A fictional researcher used by the test suite.",
                               "links": {"homepage": "https://example.org/ada"}}
    assert talk["topics"] == [{"slug": "prompting", "title": "Prompting",
                               "description": "Why some ways of asking work better than others."}]
    assert talk["link"] == "https://www.youtube.com/watch?v=AAAAAAAAAAA&t=1352s"
    assert talk["source"]["at"] == "22:32"
    assert "role" not in records["example-essay"]  # absent, not null
    assert records["hostile-entry"]["source"]["title"] == HOSTILE_TITLE


def test_a_statement_record_validates_against_its_definition(hostile_kb: KnowledgeBase) -> None:
    """api/statements/<id>.json is one record: dataset.schema.json#/$defs/StatementRecord."""
    record_schema = {**COMMITTED, "$ref": "#/$defs/StatementRecord"}
    for key in ("properties", "required", "title", "type", "additionalProperties", "description"):
        record_schema.pop(key, None)
    data = dataset.dataset(hostile_kb, exportable(hostile_kb))
    for record in data.statements:
        jsonschema.validate(json.loads(dataset.to_json(record)), record_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x"}, record_schema)


def test_the_schema_refuses_a_broken_dataset(hostile_kb: KnowledgeBase) -> None:
    data = json.loads(dataset.to_json(dataset.dataset(hostile_kb, exportable(hostile_kb))))
    del data["statements"][0]["speaker"]["name"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, COMMITTED)


def test_committed_dataset_schema_is_current() -> None:
    assert "dataset.schema.json" in schemas.schemas()
    assert "dataset.schema.json" not in schemas.stale(), "run 'kb schema' and commit kb/schema/"


def test_generated_time_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch, hostile_kb: KnowledgeBase) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = dataset.to_json(dataset.dataset(hostile_kb, exportable(hostile_kb)))
    assert json.loads(first)["generated"] == "2026-01-01T00:00:00Z"
    assert dataset.to_json(dataset.dataset(hostile_kb, exportable(hostile_kb))) == first


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_a_header_and_one_row_per_statement() -> None:
    kb = load(PROJECT)
    text = to_csv(kb, exportable(kb))
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = _rows(text)
    assert [row["id"] for row in rows] == list(exportable(kb))
    assert all(row["statement"] and row["speaker_name"] and row["source_url"] for row in rows)


def test_csv_values_and_escaping(hostile_kb: KnowledgeBase) -> None:
    text = to_csv(hostile_kb, exportable(hostile_kb))
    assert text.endswith("\r\n")
    rows = {row["id"]: row for row in _rows(text)}
    talk = rows["example-talk"]
    assert talk["at"] == "22:32" and talk["at_seconds"] == "1352" and talk["verified_on"] == "2026-11-20"
    assert talk["link"] == "https://www.youtube.com/watch?v=AAAAAAAAAAA&t=1352s"
    assert talk["role"] == "Researcher, Example University"  # a comma, quoted by the csv module
    hostile = rows["hostile-entry"]
    assert hostile["source_title"] == HOSTILE_TITLE
    assert hostile["speaker_name"] == "Mallory <b>O'Hara</b> & {Sons}"
    assert hostile["topics"] == "prompting"


def test_csv_formula_injection_guard(hostile_kb: KnowledgeBase) -> None:
    rows = {row["id"]: row for row in _rows(to_csv(hostile_kb, exportable(hostile_kb)))}
    assert rows["hostile-entry"]["statement"].startswith("'=HYPERLINK(")
    assert rows["hostile-entry"]["context"] == "'-2+3 starts like a formula."
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert guard(value) == "'" + value
    assert guard("We do not know") == "We do not know"
    for row in rows.values():
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())
