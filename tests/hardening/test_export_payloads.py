"""The same hostile project's exports, as the site publishes them: JSON keeps every value exactly (as data),
CSV never starts a cell with a formula, BibTeX braces and backslashes cannot open a field or an entry."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest

from kb.export.bibtex import unescape
from kb.export.csv_export import FORMULA_STARTS
from tests.hardening.conftest import HostileProject, slug_of
from tests.hardening.payloads import PAYLOADS, Field
from tests.hardening.test_site_payloads import CASES

CSL_FIELDS = {"source.title": ("title",), "source.publisher": ("publisher",),
              "source.container": ("container-title",), "source.event": ("event-title",),
              "source.page": ("page",), "source.section": ("section",), "statement": ("custom", "statement")}
CSV_COLUMNS = {"statement": "statement", "role": "role", "source.title": "source_title",
               "source.publisher": "publisher", "source.container": "container", "source.event": "event",
               "source.page": "page", "source.section": "section", "context": "context",
               "verified.by": "verified_by", "person.name": "speaker_name"}
BIBTEX_FIELDS = {"source.title": "title", "source.event": "eventtitle", "source.page": "pages"}
_COMMAND = re.compile(r"\\(?!textbackslash\{\}|textbraceleft\{\}|textbraceright\{\}|textasciitilde\{\}"
                      r"|textasciicircum\{\}|[&%$#_])")


def _api(hostile: HostileProject, name: str) -> str:
    return (hostile.site / "api" / name).read_text(encoding="utf-8")


def _dataset(hostile: HostileProject) -> dict[str, Any]:
    return _parsed(hostile.site)["json"]


@cache
def _parsed(site: Path) -> dict[str, Any]:
    """Each export read once per session (bibtexparser takes seconds); the tests only look."""
    api = site / "api"
    parser = bibtexparser.bparser.BibTexParser(common_strings=True, ignore_nonstandard_types=False)
    return {
        "json": {record["id"]: record
                 for record in json.loads((api / "statements.json").read_text(encoding="utf-8"))["statements"]},
        "csl": {item["id"]: item for item in json.loads((api / "citations.json").read_text(encoding="utf-8"))},
        "csv": list(csv.DictReader(io.StringIO((api / "statements.csv").read_text(encoding="utf-8"), newline=""))),
        "bib": {entry["ID"]: entry for entry in bibtexparser.loads(
            (api / "citations.bib").read_text(encoding="utf-8"), parser=parser).entries},
    }


def _in_record(record: dict[str, Any], field: Field, payload: str) -> Any:
    if field.owner == "person":
        return record["speaker"][field.path[-1]]
    if field.owner == "topic":
        topic = next(topic for topic in record["topics"] if topic["slug"] == slug_of(payload))
        return topic[field.path[-1]]
    value: Any = record
    for key in field.path:
        value = value[key]
    return value


def collapsed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("field", "payload"), CASES)
def test_json_keeps_the_value_exactly(hostile: HostileProject, field: Field, payload: str) -> None:
    record = _dataset(hostile)[slug_of(payload)]
    assert _in_record(record, field, payload) == hostile.values[field.name, payload]


def test_every_statement_is_exported_and_matches_the_published_schema(hostile: HostileProject) -> None:
    dataset = json.loads(_api(hostile, "statements.json"))
    schema = json.loads((hostile.site / "schema" / "dataset.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(dataset, schema)
    ids = {record["id"] for record in dataset["statements"]}
    assert {slug_of(payload) for payload in PAYLOADS} <= ids
    for entry_id, record in _dataset(hostile).items():
        assert json.loads(_api(hostile, f"statements/{entry_id}.json")) == record


@pytest.mark.parametrize(("field", "payload"), [case for case in CASES if case.values[0].name in CSL_FIELDS])
def test_csl_json_keeps_the_value_exactly(hostile: HostileProject, field: Field, payload: str) -> None:
    item = _parsed(hostile.site)["csl"][slug_of(payload)]
    for key in CSL_FIELDS[field.name]:
        item = item[key]
    assert item == hostile.values[field.name, payload]


def _csv_rows(hostile: HostileProject) -> list[dict[str, str]]:
    return _parsed(hostile.site)["csv"]


def test_no_csv_cell_starts_a_formula(hostile: HostileProject) -> None:
    rows = _csv_rows(hostile)
    assert len(rows) == len(_dataset(hostile))
    starts = [(row["id"], column, cell[:20]) for row in rows for column, cell in row.items()
              if cell.startswith(FORMULA_STARTS)]
    assert starts == []


@pytest.mark.parametrize(("field", "payload"), [case for case in CASES if case.values[0].name in CSV_COLUMNS])
def test_csv_keeps_the_value_behind_the_guard(hostile: HostileProject, field: Field, payload: str) -> None:
    row = next(row for row in _csv_rows(hostile) if row["id"] == slug_of(payload))
    value = hostile.values[field.name, payload]
    cell = row[CSV_COLUMNS[field.name]]
    assert cell == ("'" + value if value.startswith(FORMULA_STARTS) else value)


def _bibtex(hostile: HostileProject) -> dict[str, dict[str, str]]:
    return _parsed(hostile.site)["bib"]


def test_bibtex_has_exactly_one_entry_per_statement(hostile: HostileProject) -> None:
    """A brace or an '@' in a payload cannot close a field, add a field or start another entry."""
    entries = _bibtex(hostile)
    assert set(entries) == set(_dataset(hostile))
    assert "injected" not in entries
    for entry_id, entry in entries.items():
        assert "pwned" not in {name.lower() for name in entry}, entry_id
        assert set(entry) <= {"ID", "ENTRYTYPE", "author", "title", "howpublished", "eventtitle", "year", "date",
                              "pages", "url", "urldate", "note", "month", "journal", "booktitle", "publisher",
                              "institution", "chapter", "organization", "type", "address", "number", "volume",
                              "editor", "series", "school", "doi", "isbn", "issn", "language"}, entry_id


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_bibtex_runs_no_latex_from_an_entry(hostile: HostileProject, payload: str) -> None:
    """Every backslash from entry text is written as \\textbackslash{}: no \\input, \\url or \\def runs."""
    entry = _bibtex(hostile)[slug_of(payload)]
    commands = {name: value for name, value in entry.items() if name not in ("ID", "ENTRYTYPE", "url")
                and _COMMAND.search(value)}
    assert commands == {}


@pytest.mark.parametrize(("field", "payload"), [case for case in CASES if case.values[0].name in BIBTEX_FIELDS])
def test_bibtex_field_reads_back_as_the_value(hostile: HostileProject, field: Field, payload: str) -> None:
    raw = _bibtex(hostile)[slug_of(payload)][BIBTEX_FIELDS[field.name]]
    if raw.startswith("{") and raw.endswith("}"):
        raw = raw[1:-1]
    assert unescape(raw) == collapsed(hostile.values[field.name, payload])


@cache
def _pandoc_items(site: Path) -> dict[str, Any]:
    result = subprocess.run(["pandoc", "-f", "bibtex", "-t", "csljson", str(site / "api" / "citations.bib")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return {item["id"]: item for item in json.loads(result.stdout)}


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed (scripts/install-system-deps)")
@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_pandoc_reads_the_bibtex_back_entry_for_entry(hostile: HostileProject, payload: str) -> None:
    """A real BibTeX reader sees the same entries, each title with its marker and exactly its one author
    (DEFECT-2 and DEFECT-3, fixed: ' and ' forged co-authors, '=' made pandoc drop the author)."""
    items = _pandoc_items(hostile.site)
    assert set(items) == set(_dataset(hostile))
    item = items[slug_of(payload)]
    assert hostile.markers["source.title", payload] in item["title"]
    assert len(item.get("author", [])) == 1, item.get("author")
