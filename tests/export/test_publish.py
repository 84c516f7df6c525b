"""Publishing the exports into a site folder writes only what changed and keeps every file whole."""

from __future__ import annotations

from pathlib import Path

from kb.export.publish import publish_site_exports
from kb.load import load


def test_a_second_publish_rewrites_only_what_changed(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    kb = load(project)
    first = publish_site_exports(kb, site)
    assert first and all(path.is_file() for path in first)
    files = {path: path.read_bytes() for path in first}
    again = {path.relative_to(site).as_posix() for path in publish_site_exports(kb, site)}
    assert again <= {"api/statements.json"}  # only the dataset's 'generated' time can have moved on
    entry_id = sorted(kb.entries)[0]
    entry = project / "entries" / f"{entry_id}.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("statement: ", "statement: Changed. ", 1),
                     encoding="utf-8")
    changed = {path.relative_to(site).as_posix() for path in publish_site_exports(load(project), site)}
    assert f"api/statements/{entry_id}.json" in changed
    assert {"api/citations.json", "api/citations.bib", "api/statements.csv"} <= changed
    assert not any(name.startswith("schema/") for name in changed)
    assert [path for path in files if path.read_bytes() != files[path]
            and path.relative_to(site).as_posix() not in changed] == []


def test_a_changed_file_is_replaced_not_rewritten_in_place(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish_site_exports(load(project), site)
    target = site / "api" / "citations.bib"
    target.write_text("stale", encoding="utf-8")
    inode = target.stat().st_ino
    publish_site_exports(load(project), site)
    assert target.read_text(encoding="utf-8") != "stale"
    assert target.stat().st_ino != inode  # a new file renamed over the old one: readers see old or new
