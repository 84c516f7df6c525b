"""The export formats by name: each turns the exportable statements into the text of one file."""

from __future__ import annotations

from collections.abc import Callable

from kb.export import csl, dataset
from kb.export.bibtex import to_bibtex
from kb.export.csv_export import to_csv
from kb.load import KnowledgeBase
from kb.model import Entry

Exporter = Callable[[KnowledgeBase, dict[str, Entry]], str]

FORMATS: dict[str, Exporter] = {
    "csl-json": csl.csl_json,
    "bibtex": lambda kb, entries: to_bibtex(csl.csl_items(kb, entries)),
    "json": lambda kb, entries: dataset.to_json(dataset.dataset(kb, entries)),
    "csv": to_csv,
}
