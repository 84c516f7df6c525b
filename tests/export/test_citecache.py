"""The citation shortcuts (shared templates, worker processes, disk cache) give exactly the direct rendering."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kb.export import citecache, citeproc_html
from kb.export.base import exportable
from kb.export.citeproc_html import STYLES, format_direct, format_reference, template_of
from kb.export.csl import csl_item
from kb.load import KnowledgeBase, load
from tests.conftest import PROJECT

HOSTILE_URLS = ["https://example.org/a.", "https://example.org/a,", "https://example.org/ a ", ".https://x.org/.",
                "https://example.org/?q=<script>&x=\u201d.", "https://example.org/\u201cq\u201d",
                "https://example.org/\ue002", "https://example.org/\ue000i\ue001x", "ab"]


@pytest.fixture(scope="module")
def real_kb() -> KnowledgeBase:
    return load(PROJECT)


@pytest.fixture(autouse=True)
def _per_source_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about what the shape templates (tests/export/test_citefast.py) leave over: the
    per-source templates, the pool and the disk cache; so the shape templates are off unless a test
    turns them on."""
    monkeypatch.setenv("KB_CITATION_FAST", "0")


def _items(kb: KnowledgeBase) -> dict[str, dict]:
    return {entry_id: csl_item(kb, entry_id, entry) for entry_id, entry in exportable(kb).items()}


def _fresh() -> None:
    """Forget every citation this process rendered, so the next call renders again."""
    citeproc_html._raw.clear()
    citeproc_html._format_alone.cache_clear()


def test_real_entries_equal_the_direct_rendering(real_kb: KnowledgeBase) -> None:
    items = _items(real_kb)
    assert len(items) >= 50
    _fresh()
    shared = 0
    for item in items.values():
        shared += template_of(item) is not None
        for style in STYLES:
            assert format_reference(item, style) == format_direct(item, style), (item["id"], style)
    assert shared == len(items)  # every real entry takes the shortcut, so the equality above tests it


def test_statements_of_one_source_share_a_template(real_kb: KnowledgeBase) -> None:
    templates = {template_of(item)[0] for item in _items(real_kb).values()}  # type: ignore[index]
    assert len(templates) < len(_items(real_kb))


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_urls_equal_the_direct_rendering(hostile_kb: KnowledgeBase, url: str) -> None:
    for item in _items(hostile_kb).values():
        item = {**item, "URL": url}
        for style in STYLES:
            _fresh()
            assert format_reference(item, style) == format_direct(item, style), (item["id"], url, style)
            html = format_reference(item, style)
            assert "<script" not in html and "\ue000" not in html
            assert ("\ue002" in html) == ("\ue002" in url)  # the token never leaks; entry text stays


def test_hostile_entries_equal_the_direct_rendering(hostile_kb: KnowledgeBase) -> None:
    for item in _items(hostile_kb).values():
        for style in STYLES:
            _fresh()
            assert format_reference(item, style) == format_direct(item, style)
    forged = {**_items(hostile_kb)["hostile-entry"], "title": "h\ue002/ forged"}
    assert template_of(forged) is None  # text holding the token's character is rendered directly
    assert format_reference(forged, "apa") == format_direct(forged, "apa")


def test_worker_processes_give_the_same_answers(real_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh()
    jobs = citecache.templates(real_kb, exportable(real_kb))
    assert len(jobs) == len(STYLES) * len({template_of(item)[0] for item in _items(real_kb).values()})  # type: ignore[index]
    monkeypatch.setattr(citecache, "POOL_THRESHOLD", 1)
    pooled = citecache.render_jobs(jobs, processes=2)
    _fresh()
    assert pooled == [citeproc_html.render_raw(json.loads(template), key) for template, key in jobs]


def test_prepare_fills_and_reuses_the_disk_cache(real_kb: KnowledgeBase, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    kb = KnowledgeBase(root=tmp_path, files=real_kb.files, people=real_kb.people, topics=real_kb.topics,
                       problems=real_kb.problems)
    monkeypatch.setenv("KB_CITATION_CACHE", "1")
    _fresh()
    needed = len(citecache.templates(kb, exportable(kb)))
    first = citecache.prepare_citations(kb, processes=1)
    assert first == needed > 0
    boxes = {entry_id: [format_reference(item, style) for style in STYLES] for entry_id, item in _items(kb).items()}
    with sqlite3.connect(tmp_path / citecache.CACHE_FILE) as connection:
        (count,) = connection.execute("SELECT count(*) FROM citation").fetchone()
    assert count == first
    _fresh()
    assert citecache.prepare_citations(kb, processes=1) == 0  # all from disk: citeproc-py not called
    assert {entry_id: [format_reference(item, style) for style in STYLES]
            for entry_id, item in _items(kb).items()} == boxes
    assert boxes == {entry_id: [format_direct(item, style) for style in STYLES]
                     for entry_id, item in _items(kb).items()}


def test_cache_can_be_switched_off(hostile_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CITATION_CACHE", "0")
    _fresh()
    assert citecache.prepare_citations(hostile_kb, processes=1) == len(STYLES) * 3
    assert not (hostile_kb.root / citecache.CACHE_FILE).exists()


def test_cache_key_depends_on_style_and_item() -> None:
    keys = {citecache.cache_key((template, style)) for template in ("{}", '{"a": 1}') for style in STYLES}
    assert len(keys) == 2 * len(STYLES)


def test_a_failing_worker_share_is_rendered_here(real_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh()
    jobs = citecache.templates(real_kb, exportable(real_kb))
    expected = citecache._render_here(jobs)
    _fresh()
    monkeypatch.setattr(citecache, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(citecache.sys, "executable", "/bin/false")  # the worker exits 1 at once
    assert citecache.render_jobs(jobs, processes=2) == expected


def test_a_damaged_disk_cache_is_skipped_not_a_crash(real_kb: KnowledgeBase, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    kb = KnowledgeBase(root=tmp_path, files=real_kb.files, people=real_kb.people, topics=real_kb.topics,
                       problems=real_kb.problems)
    monkeypatch.setenv("KB_CITATION_CACHE", "1")
    (tmp_path / citecache.CACHE_FILE).parent.mkdir(parents=True)
    (tmp_path / citecache.CACHE_FILE).write_bytes(b"not a database" * 100)
    _fresh()
    needed = len(citecache.templates(kb, exportable(kb)))
    assert citecache.prepare_citations(kb, processes=1) == needed > 0


def test_with_shape_templates_prepare_needs_no_jobs(real_kb: KnowledgeBase, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CITATION_FAST", "1")
    kb = KnowledgeBase(root=tmp_path, files=real_kb.files, people=real_kb.people, topics=real_kb.topics,
                       problems=real_kb.problems)
    monkeypatch.setenv("KB_CITATION_CACHE", "1")
    _fresh()
    assert citecache.templates(kb, exportable(kb)) == []  # every real citation comes from a shape template
    monkeypatch.setattr(citeproc_html, "_format_alone", None)  # and none is rendered alone
    citecache.prepare_citations(kb, processes=1)
    assert not (tmp_path / citecache.CACHE_FILE).exists()  # nothing for the disk cache
    for item in _items(kb).values():
        for style in STYLES:
            assert format_reference(item, style) == format_direct(item, style)
