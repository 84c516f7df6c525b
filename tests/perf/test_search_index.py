"""The split search index: what a query reads is in the shard its words name, with Material's boosts."""

from __future__ import annotations

import json
from pathlib import Path

from kb.search.index import STOP_WORDS, build_index, convert_site, plain, shard_key, teaser, words
from kb.search.plugin import _MATERIAL_WORKER, WORKER

DOCS = [
    {"location": "statements/x/", "title": "Ada Example: “No intuition”", "boost": 4, "tags": ["Interpretability"],
     "text": "<p>We really have <em>no intuition</em> as to what&#39;s going on.</p>"},
    {"location": "statements/x/#source", "title": "Source", "text": "Example Lecture 10", "boost": 4},
    {"location": "people/ada/", "title": "Ada Example", "text": "<p>Researcher.</p>", "boost": 0.5},
    {"location": "about/", "title": "About", "text": "<p>Intuition, intuition, intuition and Ünïcode.</p>"},
]


def _read(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def test_words_fold_case_and_accents_and_drop_markup() -> None:
    assert words("Ünïcode INTUITION, what's") == ["unicode", "intuition", "what", "s"]
    assert plain("<p>a &amp; <b>b</b></p>") == "a & b"
    assert shard_key("intuition") == "in" and shard_key("é") == "xe9" and shard_key("x") == "x"
    assert teaser("word " * 200).endswith(" …") and len(teaser("word " * 200)) < 330


def test_index_shards_pages_and_weights(tmp_path: Path) -> None:
    built = build_index(DOCS, tmp_path)
    meta = _read(tmp_path / "meta.json")
    assert (built.documents, built.pages) == (4, 3)
    assert meta["pages"] == [0, 2, 3] and meta["documents"] == 4
    shard = _read(tmp_path / "t" / "in.json")
    postings = shard["intuition"]
    by_doc = dict(zip(postings[::2], postings[1::2], strict=True))
    assert set(by_doc) == {0, 3}
    assert by_doc[0] > by_doc[3], "a boosted statement (title and text) outweighs a page repeating the word"
    assert not (tmp_path / "t" / "th.json").exists() and "the" in STOP_WORDS  # "the" is the only th- word
    assert "lecture" in _read(tmp_path / "t" / "le.json")
    assert shard["interpretability"][::2] == [0], "a statement is found by its topic (a Material tag)"
    assert "unicode" in _read(tmp_path / "t" / "un.json")
    page = _read(tmp_path / "p" / "0.json")
    assert page[0] == ["statements/x/", "Ada Example: “No intuition”",
                       "We really have no intuition as to what's going on.", 4.0, ["Interpretability"]]
    assert page[1][0] == "statements/x/#source"


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
