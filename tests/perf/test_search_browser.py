"""The split search in chromium on a synthetic site of 200 statements: found by a word, a speaker's
name, a topic and a source title, statement pages first, and only a few small files read per query; with
the generated pages' documents from Material's HTML and from the data (kb.search.documents)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.perf.bench import serve_directory
from tests.perf.synth import make_project

ROOT = Path(__file__).resolve().parents[2]
BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from tests.perf.test_search_documents import SearchMeta
config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.plugins["search-meta"] = SearchMeta(exclude=sys.argv[3] == "data")
build(config)
"""
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module", params=["material", "data"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site with Material indexing the statement pages (as before the kb plugin excluded them), and
    with every generated page excluded from Material, so kb-search makes their documents from the data."""
    project = make_project(ROOT, tmp_path_factory.mktemp("perf") / "project", 200)
    built = project / "site"
    result = subprocess.run([sys.executable, "-c", BUILD, str(project / "mkdocs.yml"), str(built), request.param],
                            capture_output=True, text=True, timeout=600, cwd=ROOT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    return built


@pytest.fixture(scope="module")
def page(site: Path, browser: object) -> Iterator[tuple[object, list[str]]]:
    requests: list[str] = []
    with serve_directory(site) as url:
        context = browser.new_context()
        context.on("request", lambda request: requests.append(urlsplit(request.url).path))
        tab = context.new_page()
        tab.goto(url, wait_until="load")
        yield tab, requests
        context.close()


def _search(tab: object, words: str) -> list[str]:
    box = tab.locator("input[data-md-component=search-query]")
    box.fill("")
    box.press_sequentially(words, delay=10)
    first = tab.locator(".md-search-result__item > a").first
    first.wait_for(timeout=30_000)
    tab.wait_for_function("(w) => document.querySelector('.md-search-result__item mark') !== null", arg=words)
    return [urlsplit(href).path for href in
            tab.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.href)")]


def test_a_speaker_is_found_with_statements_first(page) -> None:
    tab, _ = page
    found = _search(tab, "Alethea Altman")
    assert found[0].split("/")[-3] == "statements", found
    shown = tab.locator(".md-search-result__item").all_inner_texts()[:5]
    assert all("Alethea Altman 0" in text for text in shown), shown  # the speaker's statements, not others'


def test_a_source_title_and_a_topic_find_statements(page) -> None:
    tab, _ = page
    assert "/statements/" in _search(tab, "Urgency of Interpretability")[0]
    assert "/statements/" in _search(tab, "grokking")[0]


def test_a_query_reads_only_a_few_small_files(page, site: Path) -> None:
    tab, requests = page
    requests.clear()
    _search(tab, "interpretability")
    index = [path for path in requests if "/search/" in path]
    assert all(path.endswith(".json") and "/search/kb/" in path for path in index), index
    assert len([path for path in index if "/t/" in path]) <= 3, index  # one shard per word typed, cached after
    assert len(index) <= 3 + 50, index
    assert (site / "search" / "search_index.json").stat().st_size < 2000, "Material's file keeps only its config"
