"""The benchmark's synthetic files are in the canonical layout, as main's are: `kb fmt` leaves them alone
(so the benchmark measures the fast reader where main's entries take it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.fmt import format_text
from kb.load import ENTRIES_DIR, PEOPLE_FILE, TOPICS_FILE
from kb.yaml_strict import parse_text
from tests.perf.synth import _dump, read_corpus, synthetic_entries

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def synthetic() -> list[tuple[str, str, dict]]:
    """(file name, text, value) for 120 statements and both registries."""
    entries, people, topics = synthetic_entries(read_corpus(ROOT), 120)
    files = [(PEOPLE_FILE, _dump(people, "people"), people), (TOPICS_FILE, _dump(topics, "topics"), topics)]
    return files + [(f"{id_}.yaml", _dump(entry, "entry"), entry) for id_, entry in entries.items()]


def test_kb_fmt_leaves_synthetic_files_as_they_are(synthetic: list[tuple[str, str, dict]]) -> None:
    directory = ROOT / ENTRIES_DIR
    changed = [name for name, text, _ in synthetic if format_text(text, directory / name, ROOT) != text]
    assert changed == []


def test_synthetic_files_mean_what_was_generated(synthetic: list[tuple[str, str, dict]]) -> None:
    assert all(parse_text(text).value == value for _, text, value in synthetic)
