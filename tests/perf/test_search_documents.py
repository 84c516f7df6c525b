"""Search documents of the generated pages, made from the knowledge base (kb.search.documents), and the
kb-search plugin's choice between them and Material's: a generated page Material indexed keeps Material's
documents, one it skipped (`search: exclude`, as the kb plugin will mark them) gets the data's."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from kb.load import load
from kb.render import SiteOptions, render_pages
from kb.render.common import paragraphs
from kb.render.index import build_index
from kb.render.statement import card
from kb.search.documents import UNCHECKED, _one_line, generated_documents, page_location, statement_documents
from kb.search.index import words

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "site" / "fixtures"


def _front_matter(text: str) -> dict[str, object]:
    return yaml.safe_load(text.split("---\n", 2)[1])


@pytest.fixture(scope="module")
def fixture_kb():
    return load(FIXTURES)


def test_every_generated_page_search_shows_has_documents(fixture_kb) -> None:
    """Exactly the generated Markdown pages but the front page and the all-statements list (which repeat
    the statements and were never indexed), at the URLs MkDocs gives them, each page's own document first."""
    rendered = render_pages(fixture_kb, SiteOptions())
    expected = {page_location(path) for path in rendered if path.endswith(".md")} - {"", "statements/"}
    found = dict(generated_documents(fixture_kb))
    assert set(found) == expected
    assert all(docs[0].location == location and all(doc.page == location for doc in docs)
               for location, docs in found.items())
    assert list(found) == sorted(found)
    flat = dict(generated_documents(fixture_kb, use_directory_urls=False))
    assert "statements/example-talk.html" in flat and "people/index.html" in flat


@pytest.mark.parametrize("path", ["index.md", "people/index.md", "statements/example-talk.md", "timeline.md"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_page_locations_are_mkdocs_page_urls(path: str, directory_urls: bool) -> None:
    file = File(path, src_dir=None, dest_dir="", use_directory_urls=directory_urls)
    assert page_location(path, directory_urls) == Page(None, file, load_config(str(ROOT / "mkdocs.yml"))).url


def test_one_line_is_the_pages_paragraphs_joined() -> None:
    text = "  First  line\n of one.\n\n\n Second\tparagraph \n"
    assert _one_line(text) == " ".join(paragraphs(text)) == "First line of one. Second paragraph"


def test_statement_titles_are_the_pages_titles(fixture_kb) -> None:
    rendered = render_pages(fixture_kb, SiteOptions())
    for location, docs in generated_documents(fixture_kb):
        if location.startswith("statements/"):
            meta = _front_matter(rendered[location.rstrip("/") + ".md"])
            assert docs[0].title == html.unescape(meta["title"]), location
            assert list(docs[0].tags) == [html.unescape(tag) for tag in meta["tags"]]


def test_a_statement_is_found_by_its_words_speaker_source_topic_and_sections(fixture_kb) -> None:
    docs = dict(generated_documents(fixture_kb))["statements/example-talk/"]
    page, source, context, checked = docs
    assert [doc.location for doc in docs] == ["statements/example-talk/", "statements/example-talk/#source",
                                              "statements/example-talk/#context", "statements/example-talk/#checked"]
    assert {"intuition", "ada", "example", "researcher", "university"} <= set(words(page.title + " " + page.text))
    assert page.tags == ("Prompting",) and all(doc.boost == 4 for doc in docs)
    assert "Title: Example Lecture 10" in source.text and "Position: 22:32 to 22:40" in source.text
    assert context.text == "A fictional statement for the site tests."
    assert checked.text == "Checked by tester on 20 November 2026, against a transcript."
    assert not any(doc.location.endswith("#cite") for doc in docs), "citations repeat the source"


def test_a_linked_transcript_and_archived_copy_are_mentioned(fixture_kb) -> None:
    item = card(fixture_kb, "example-talk")
    source = item.entry.source.model_copy(update={"transcript": "https://example.com/t",
                                                  "archived": "https://web.archive.org/x"})
    linked = dataclasses.replace(item, entry=item.entry.model_copy(update={"source": source}))
    text = statement_documents(linked, "statements/example-talk/")[1].text
    assert text.endswith(" · Transcript: linked · Archived copy: linked")
    assert "Transcript" not in statement_documents(item, "statements/example-talk/")[1].text


def test_paraphrase_dispute_found_via_and_unchecked(fixture_kb) -> None:
    index = build_index(fixture_kb)
    for entry_id, entry in index.entries.items():
        docs = statement_documents(card(fixture_kb, entry_id), f"statements/{entry_id}/")
        text = " ".join(doc.text for doc in docs)
        if entry.fidelity.value == "paraphrase":
            assert docs[0].title.endswith(" (paraphrase)") and docs[0].text.startswith("Paraphrase: ")
        if entry.disputed:
            assert "Disputed: " in docs[0].text and entry.disputed.source.title in docs[0].text
        if entry.found_via:
            assert all(source.title in text for source in entry.found_via)
        if entry.verified is None:
            assert docs[-1].text == UNCHECKED
    assert any(entry.disputed for entry in index.entries.values())
    assert any(entry.fidelity.value == "paraphrase" for entry in index.entries.values())


def test_hostile_text_stays_text(fixture_kb) -> None:
    """Documents are plain text: markup in an entry is kept as characters (the worker escapes it)."""
    docs = dict(generated_documents(fixture_kb))["statements/hostile-markup/"]
    assert docs[0].text.startswith("“<script>alert('statement')</script> Click [here]")
    assert "Found via" in [doc.title for doc in docs]
    assert "<style>body{display:none}</style> Found" in docs[-2].text


def test_people_topics_and_timeline_pages(fixture_kb) -> None:
    found = dict(generated_documents(fixture_kb))
    ada = found["people/ada-example/"]
    assert [(doc.title, doc.boost) for doc in ada] == [("Ada Example", 0.5)]
    assert ada[0].text.endswith(" statement.") or ada[0].text.endswith(" statements.")
    assert found["topics/prompting/"][0].title == "Prompting"
    timeline = found["timeline/"]
    years = sorted({entry.said[:4] for entry in fixture_kb.entries.values()})
    assert len(timeline) == 1 and all(f"{year}: " in timeline[0].text for year in years)
    assert found["people/"][0].text.endswith(f"{len({e.speaker for e in fixture_kb.entries.values()})} people.")


class SearchMeta(BasePlugin):
    """Run just before Material's search (priority 0) reads a page's `search` meta: `exclude` does what the kb
    plugin will do (keep Material away from every generated page); otherwise Material indexes the statement
    pages, as it did before the kb plugin excluded them."""

    def __init__(self, exclude: bool) -> None:
        super().__init__()
        self.exclude = exclude

    @event_priority(1)
    def on_page_context(self, context: dict, *, page, config, nav) -> dict:
        if self.exclude and page.file.generated_by:
            page.meta["search"] = {"exclude": True}
        elif re.fullmatch(r"statements/[^/]+\.md", page.file.src_uri) and page.file.src_uri != "statements/index.md":
            page.meta["search"] = {"boost": 4}
        return context


def _site(folder: Path, exclude: bool) -> Path:
    folder.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", folder / "site_src")
    shutil.copytree(FIXTURES / "entries", folder / "entries")
    config = load_config(str(folder / "mkdocs.yml"), site_dir=str(folder / "site"))
    config.plugins["search-meta"] = SearchMeta(exclude)
    build(config)
    return folder / "site"


def _documents(site: Path) -> dict[str, list]:
    index = site / "search" / "kb"
    shown = [doc for path in sorted((index / "p").glob("*.json"), key=lambda path: int(path.stem))
             for doc in json.loads(path.read_text(encoding="utf-8"))]
    return {doc[0]: doc for doc in shown}


@pytest.mark.slow
def test_the_plugin_indexes_skipped_generated_pages_from_the_data(tmp_path: Path) -> None:
    material = _documents(_site(tmp_path / "material", exclude=False))
    data = _documents(_site(tmp_path / "data", exclude=True))
    pages = {location.split("#")[0] for location in material}
    assert pages == {location.split("#")[0] for location in data}, "the same pages either way"
    assert "people/ada-example/" in pages and "timeline/" in data
    assert data["about/"] == material["about/"], "hand-written pages keep Material's documents"
    assert "statements/example-talk/#cite" in material and "statements/example-talk/#cite" not in data
    assert data["statements/example-talk/"][1] == material["statements/example-talk/"][1]  # the same title
    assert data["statements/example-talk/"][3] == 4 and data["statements/example-talk/"][4] == ["Prompting"]
    assert len(json.dumps(data)) < len(json.dumps(material))


@pytest.mark.slow
def test_a_dirty_rebuild_keeps_the_pages_it_did_not_render(tmp_path: Path) -> None:
    """`kb serve` runs `mkdocs serve --dirty`: a rebuild renders, and Material indexes, only changed pages. The
    others keep their documents, a page gone loses them, and index files that come out the same are not
    rewritten."""
    site = _site(tmp_path / "project", exclude=True)
    config = load_config(str(tmp_path / "project" / "mkdocs.yml"), site_dir=str(site))
    config.plugins["search-meta"] = SearchMeta(exclude=True)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config)
    first = _documents(site)
    shard = site / "search" / "kb" / "t" / "ab.json"
    written = shard.stat().st_mtime_ns
    build(config, dirty=True)
    assert _documents(site) == first, "about/ and performance/ were not rendered again, yet are still found"
    assert shard.stat().st_mtime_ns == written
    (tmp_path / "project" / "site_src" / "performance.md").unlink()
    build(config, dirty=True)
    again = _documents(site)
    assert "about/" in again and not any(location.startswith("performance/") for location in again)
    assert set(again) == {location for location in first if not location.startswith("performance/")}
