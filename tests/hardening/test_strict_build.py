"""The production build (`mkdocs build --strict`, as CI and `kb build` run it) fails on flagged text: the guard
that keeps DEFECT-1 (C1 controls breaking front matter) off the published site. MkDocs aborts only at the end,
so site/ is written anyway; the workflows upload it only when the build step succeeded."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.hardening.conftest import FIXTURE_PROJECT, PROJECT, mkdocs_build


def test_strict_build_fails_on_a_flagged_name(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "site_src", root / "site_src")
    people = root / "entries" / "_people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "name: Ada Example", 'name: "Ada\\x80 [x](javascript:alert(1)){: onclick=\\"alert(2)\\" }"'), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(root, site, strict=True)
    assert result.returncode != 0
    assert "warning suspicious-text: ada-example.name: control or unassigned characters (U+0080)" in result.stderr
