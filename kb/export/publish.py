"""The exports a site build publishes at stable URLs under the site folder.

    api/statements.json        the dataset (kb/schema/dataset.schema.json)
    api/statements/<id>.json   one statement record each
    api/citations.json         CSL-JSON
    api/citations.bib          BibTeX
    api/statements.csv         CSV
    schema/*.schema.json       the entry, people, topics and dataset schemas

A file that already exists is replaced atomically, so a server never hands out half of one during a
rebuild (`kb serve`), and is left alone when its content is the same; a new file, which nobody can be
reading yet, is written directly (a fresh build writes 10,000 of them).
"""

from __future__ import annotations

from pathlib import Path

from kb import schemas
from kb.export import csl, dataset
from kb.export.atomic import write_atomic
from kb.export.base import exportable
from kb.export.bibtex import to_bibtex
from kb.export.csv_export import to_csv
from kb.load import KnowledgeBase


def publish_site_exports(kb: KnowledgeBase, site_dir: Path) -> list[Path]:
    """Write every export into `site_dir`; returns the files written (those whose content changed)."""
    site_dir = Path(site_dir)
    entries = exportable(kb)
    items = csl.csl_items(kb, entries)
    data = dataset.dataset(kb, entries)
    files: dict[str, str] = {
        "api/statements.json": dataset.to_json(data),
        "api/citations.json": csl.to_json(items),
        "api/citations.bib": to_bibtex(items),
        "api/statements.csv": to_csv(kb, entries),
    }
    files.update({f"api/statements/{record.id}.json": dataset.to_json(record) for record in data.statements})
    files.update({f"schema/{name}": schemas.render(schema) for name, schema in schemas.schemas().items()})
    written = []
    folders: set[Path] = set()
    for relative, text in files.items():
        path = site_dir / relative
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        if publish_file(path, text.encode("utf-8")):
            written.append(path)
    return written


def publish_file(path: Path, payload: bytes) -> bool:
    """Write `payload` to `path` unless it holds it already; True when written."""
    try:
        with path.open("xb") as handle:  # new: nobody can be reading it
            handle.write(payload)
        return True
    except FileExistsError:
        pass
    try:
        if path.is_file() and path.stat().st_size == len(payload) and path.read_bytes() == payload:
            return False
    except OSError:
        pass
    write_atomic(path, payload, durable=False)
    return True
