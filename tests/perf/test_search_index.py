"""The split search index: what a query reads is in the shard its words name, with Material's boosts."""

from __future__ import annotations

import json
from pathlib import Path

from kb.search.index import (
    PAGES_PER_FILE,
    STOP_WORDS,
    Document,
    build_index,
    convert_site,
    from_material,
    plain,
    shard_key,
    teaser,
    words,
)
from kb.search.plugin import _MATERIAL_WORKER, WORKER

DOCS = [
    {"location": "statements/x/", "title": "Ada Example: “No intuition”", "boost": 4, "tags": ["Interpretability"],
     "text": "<p>We really have <em>no intuition</em> as to what&#39;s going on.</p>"},
    {"location": "statements/x/#source", "title": "Source", "text": "Example Lecture 10", "boost": 4},
    {"location": "people/ada/", "title": "Ada Example", "text": "<p>Researcher.</p>", "boost": 0.5},
    {"location": "about/", "title": "About", "text": "<p>Intuition, intuition, intuition and Ünïcode.</p>"},
]
DOCUMENTS = [from_material(doc) for doc in DOCS]


def _read(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def test_words_fold_case_and_accents_and_drop_markup() -> None:
    assert words("Ünïcode INTUITION, what's") == ["unicode", "intuition", "what", "s"]
    assert plain("<p>a &amp; <b>b</b></p>") == "a & b"
    assert shard_key("intuition") == "in" and shard_key("é") == "xe9" and shard_key("x") == "x"
    assert teaser("word " * 200).endswith(" …") and len(teaser("word " * 200)) < 330


def _postings(shard: dict[str, list[int]], term: str) -> dict[int, int]:
    """A term's postings as {document: weight}: they are stored as (gap to the previous document, weight)."""
    documents, number = {}, 0
    values = shard[term]
    for gap, weight in zip(values[::2], values[1::2], strict=True):
        number += gap
        documents[number] = weight
    return documents


def test_index_shards_pages_and_weights(tmp_path: Path) -> None:
    built = build_index(DOCUMENTS, tmp_path)
    meta = _read(tmp_path / "meta.json")
    assert (built.documents, built.pages, built.files) == (4, 3, 1 + built.shards + 1)
    assert meta["sizes"] == [2, 1, 1] and meta["documents"] == 4 and meta["version"] == 2
    shard = _read(tmp_path / "t" / "in.json")
    by_doc = _postings(shard, "intuition")
    assert set(by_doc) == {0, 3}
    assert by_doc[0] > by_doc[3], "a boosted statement (title and text) outweighs a page repeating the word"
    assert not (tmp_path / "t" / "th.json").exists() and "the" in STOP_WORDS  # "the" is the only th- word
    assert "lecture" in _read(tmp_path / "t" / "le.json")
    assert list(_postings(shard, "interpretability")) == [0], "a statement is found by its topic (a tag)"
    assert "unicode" in _read(tmp_path / "t" / "un.json")
    shown = _read(tmp_path / "p" / "0.json")
    assert shown[0] == ["statements/x/", "Ada Example: “No intuition”",
                        "We really have no intuition as to what's going on.", 4.0, ["Interpretability"]]
    assert [doc[0] for doc in shown] == ["statements/x/", "statements/x/#source", "people/ada/", "about/"]


def test_pages_share_result_files_and_gaps_add_up(tmp_path: Path) -> None:
    """Pages go PAGES_PER_FILE to a result file, each page's own document first even when its sections
    came first; a term in every page keeps every document once the gaps are summed."""
    pages = PAGES_PER_FILE * 2 + 3
    docs = [doc for number in range(pages) for doc in (
        Document(f"p{number}/#more", "More", "common words", 2.0), Document(f"p{number}/", f"Page {number}", "common"))]
    built = build_index(docs, tmp_path)
    assert built.pages == pages and sorted(path.name for path in (tmp_path / "p").iterdir()) == ["0.json", "1.json",
                                                                                                  "2.json"]
    last = _read(tmp_path / "p" / "2.json")
    assert [doc[0] for doc in last[:2]] == [f"p{PAGES_PER_FILE * 2}/", f"p{PAGES_PER_FILE * 2}/#more"]
    assert len(last) == 3 * 2
    common = _postings(_read(tmp_path / "t" / "co.json"), "common")
    assert sorted(common) == list(range(pages * 2))
    assert (common[0], common[1]) == (100, 200), "a word once weighs 1 x 100, times the section's boost of 2"
    assert _read(tmp_path / "meta.json")["sizes"] == [2] * pages


def test_words_keep_decomposed_accents_inside_words() -> None:
    """Marks are removed after NFKD, so a decomposed 'é' joins its word, as in the worker."""
    assert words("cafe\u0301 e\u0301te\u0301 ﬁne") == words("café été fine") == ["cafe", "ete", "fine"]


def test_convert_site_leaves_material_only_its_config(tmp_path: Path) -> None:
    search = tmp_path / "search"
    search.mkdir()
    config = {"lang": ["en"], "separator": "[\\s\\-]+"}
    (search / "search_index.json").write_text(json.dumps({"config": config, "docs": DOCS}), encoding="utf-8")
    convert_site(tmp_path)
    assert _read(search / "search_index.json") == {"config": config, "docs": []}
    assert (search / "kb" / "meta.json").exists()


def test_pages_are_pointed_at_the_worker_and_nothing_else_changes() -> None:
    page = ('<script id="__config" type="application/json">{"base": "../..", '
            '"search": "../../assets/javascripts/workers/search.a7633da7.min.js", "tags": null}</script>')
    changed = _MATERIAL_WORKER.sub(rf'\g<1>{WORKER}"', page, count=1)
    assert changed == page.replace("assets/javascripts/workers/search.a7633da7.min.js", WORKER)
