"""The committed JSON Schemas are current and accept what the validator accepts."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from kb import schemas
from kb.yaml_strict import parse_bytes
from tests.conftest import FIXTURES, PROJECT


def test_committed_schemas_match_the_models() -> None:
    assert schemas.stale() == [], "run 'kb schema' and commit kb/schema/"


def test_stale_schema_is_detected(tmp_path: Path) -> None:
    schemas.write(tmp_path)
    (tmp_path / "entry.schema.json").write_text("{}", encoding="utf-8")
    assert schemas.stale(tmp_path) == ["entry.schema.json"]


ENTRY_FILES = sorted([*FIXTURES.glob("valid/*.yaml"), *FIXTURES.glob("project/entries/[!_]*.yaml"),
                      *PROJECT.glob("entries/[!_]*.yaml")])


@pytest.mark.parametrize("path", ENTRY_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_schema_accepts_valid_entries_as_editors_read_them(path: Path) -> None:
    schema = schemas.schemas()["entry.schema.json"]
    jsonschema.validate(parse_bytes(path.read_bytes()).value, schema)


@pytest.mark.parametrize("case", ["unknown-key", "bad-fidelity", "bad-timecode", "missing-key"])
def test_schema_refuses_what_the_validator_refuses(case: str) -> None:
    schema = schemas.schemas()["entry.schema.json"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(parse_bytes((FIXTURES / "invalid" / f"{case}.yaml").read_bytes()).value, schema)


def test_every_entry_file_names_the_schema_for_editors() -> None:
    for path in PROJECT.glob("entries/*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../kb/schema/"), path.name
