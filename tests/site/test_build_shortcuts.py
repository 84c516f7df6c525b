"""The build's shortcuts for generated pages change nothing in the site.

Generated pages skip Markdown (their body is one raw HTML block that Markdown would pass through as is),
and the theme blocks every generated page of a folder shares are rendered once (kb.mkdocs_chrome). Both
are checked against the long way round on the fixture entries, hostile one included.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml

from kb.load import load
from kb.render import SiteOptions, render_pages
from kb.render.common import read_page
from tests.site.conftest import FIXTURE_ENTRIES, PROJECT, make_project, mkdocs_build


def _body(page: str) -> str:
    """A generated page without its front matter, as MkDocs hands it to Markdown."""
    return page.split("\n---\n", 1)[1]


def test_markdown_passes_every_generated_body_through_unchanged() -> None:
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions = [next(iter(item)) if isinstance(item, dict) else item for item in config["markdown_extensions"]]
    pages = render_pages(load(FIXTURE_ENTRIES.parent), SiteOptions())
    assert len(pages) > 10
    for path, page in pages.items():
        if path.endswith(".xml"):
            continue
        body = _body(page)
        assert markdown.markdown(body, extensions=extensions) == body.strip(), path


def test_front_matter_reads_as_pyyaml_reads_it() -> None:
    """MkDocs reads front matter with PyYAML's SafeLoader; the plugin's JSON-per-line reading must agree."""
    pages = render_pages(load(FIXTURE_ENTRIES.parent), SiteOptions())
    for path, page in pages.items():
        if path.endswith(".xml"):
            continue
        meta, body = read_page(page)
        front = page.removeprefix("---\n").split("\n---\n", 1)[0]
        assert meta == yaml.load(front, Loader=yaml.SafeLoader), path
        assert body == _body(page).lstrip("\n"), path


def _html_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*.html"))}


@pytest.mark.timeout(300)
def test_shared_theme_blocks_give_the_same_site(tmp_path: Path, built_site: Path) -> None:
    project = make_project(tmp_path / "project", kb_options={"reuse_chrome": False})
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    reused, rendered = _html_files(built_site), _html_files(tmp_path / "site")
    assert sum(path.startswith("statements/") and path != "statements/index.html" for path in rendered) >= 3
    assert reused.keys() == rendered.keys()
    assert [path for path in rendered if reused[path] != rendered[path]] == []


def test_an_html_page_renders_nothing_as_markdown_renders_nothing(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files, InclusionLevel
    from mkdocs.structure.pages import Page

    from kb.mkdocs_pages import HtmlPage, adopt_pages

    project = make_project(tmp_path / "project")
    config = load_config(str(project / "mkdocs.yml"))
    docs = tmp_path / "docs"
    (docs / "statements").mkdir(parents=True)
    for name in ("same", "x"):
        (docs / "statements" / f"{name}.md").write_text("", encoding="utf-8")
    (docs / "feed.xml").write_text("<feed/>", encoding="utf-8")
    (docs / "about.md").write_text("# About\n", encoding="utf-8")

    def file(path: str) -> File:
        made = File(path, src_dir=str(docs), dest_dir=str(tmp_path / "site"), use_directory_urls=True)
        made.inclusion = InclusionLevel.NOT_IN_NAV  # as mkdocs.yml's not_in_nav makes statements/*.md
        return made

    pages = []
    for kind in (Page, HtmlPage):
        made = file("statements/same.md")
        page = kind(None, made, config)
        page.markdown = ""
        page.render(config, Files([made]))
        pages.append((page.content, list(page.toc), page.present_anchor_ids, page.links_to_anchors or {},
                      page.title))
    assert pages[0] == pages[1]
    files = Files([file("statements/x.md"), file("about.md"), file("feed.xml")])
    listed = Page("About", files.get_file_from_path("about.md"), config)  # as the navigation makes it
    Page(None, files.get_file_from_path("statements/x.md"), config)  # as MkDocs makes pages outside it
    assert adopt_pages(files, ["statements/x.md", "about.md", "feed.xml"], config, in_nav=[listed]) == 1
    assert type(files.get_file_from_path("statements/x.md").page) is HtmlPage
    assert type(files.get_file_from_path("about.md").page) is Page
    assert files.get_file_from_path("feed.xml").page is None
