"""`kb serve` rebuilds (mkdocs serve --dirty) write only the pages an edit changes, and the site they leave
is the site a clean build makes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.site.conftest import make_project, mkdocs_build

_POLICY = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content=")[^"]*')


def _pages(site: Path) -> dict[str, bytes]:
    """Every page, its policy set aside: under serve it allows the live-reload script, a clean build does not."""
    return {path.relative_to(site).as_posix(): _POLICY.sub(rb"\1", path.read_bytes())
            for path in sorted(site.rglob("*.html"))}


def _mtimes(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("*.html")}


def _serve_build(project: Path, site: Path, *, first: bool = False) -> None:
    """One build as `mkdocs serve --dirty` runs it: the configuration reloaded, the kb plugin kept."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)


@pytest.fixture()
def served(tmp_path: Path) -> tuple[Path, Path]:
    project = make_project(tmp_path / "project")
    site = tmp_path / "served"
    _serve_build(project, site, first=True)
    return project, site


@pytest.mark.timeout(300)
def test_an_edit_rewrites_only_the_pages_it_changes(served: tuple[Path, Path], tmp_path: Path) -> None:
    project, site = served
    before = _mtimes(site)
    entry = sorted((project / "entries").glob("[!_]*.yaml"))[0]
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("statement: ", "statement: Incrementally edited. ", 1), encoding="utf-8")
    _serve_build(project, site)
    rewritten = {path for path, mtime in _mtimes(site).items() if before.get(path) != mtime}
    assert f"statements/{entry.stem}/index.html" in rewritten
    assert len(rewritten) <= 10, sorted(rewritten)
    assert "Incrementally edited." in (site / "statements" / entry.stem / "index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    assert mkdocs_build(project, clean).returncode == 0
    assert _pages(site) == _pages(clean)


@pytest.mark.timeout(300)
def test_a_removed_entry_leaves_no_page_behind(served: tuple[Path, Path], tmp_path: Path) -> None:
    project, site = served
    entry = project / "entries" / "example-talk.yaml"  # Ada has another statement: the rest stays valid
    assert (site / "statements" / entry.stem / "index.html").exists()
    entry.unlink()
    _serve_build(project, site)
    assert not (site / "statements" / entry.stem / "index.html").exists()
    clean = tmp_path / "clean"
    result = mkdocs_build(project, clean)
    assert result.returncode == 0, result.stderr
    assert _pages(site) == _pages(clean)


@pytest.mark.timeout(300)
def test_an_edited_theme_override_reaches_every_page(served: tuple[Path, Path]) -> None:
    """The overrides shape every page: editing one rebuilds them all, with the template compiled again."""
    project, site = served
    override = project / "site_src" / "overrides" / "main.html"
    override.write_text(override.read_text(encoding="utf-8").replace(
        "{% block site_meta %}", '{% block site_meta %}\n  <meta name="kb-test" content="edited">', 1),
        encoding="utf-8")
    _serve_build(project, site)
    pages = _pages(site)
    assert pages and all(b'<meta name="kb-test" content="edited">' in html for path, html in pages.items()
                         if path != "404.html")
