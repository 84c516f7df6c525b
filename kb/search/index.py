"""A search index the browser reads in pieces, built from Material's own search index.

Material's search makes the browser download every page's text and build a lunr index before it can
answer (about 9 s for 10,000 statements). This index is split instead, so a query reads only what it
needs:

- `search/kb/meta.json`: how many documents, which term shards exist, where each page's documents start;
- `search/kb/t/<key>.json`: the terms whose first two characters are `<key>`, each with its postings
  (document number, weight x 100) — a query term reads one shard and matches terms by prefix, as
  Material's search does while one types;
- `search/kb/p/<page>.json`: the page and its sections as results show them (location, title, a plain
  text teaser, boost, and the tags if any), fetched only for the pages a query ranks.

Documents, titles, texts and boosts are Material's (so pages SITE boosts or hides stay so); words are
runs of letters and digits, lowercased, accents removed, English stop words dropped. The weight of a
term in a document is BM25's saturating term frequency (title words count ten times, tags twenty) times the
document's boost; the browser multiplies in the inverse document frequency.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INDEX_DIR = "search/kb"
TEASER = 320
TITLE_WEIGHT = 10.0
TAG_WEIGHT = 20.0  # SITE gives statements their topics as Material tags, weighed above titles
K1 = 1.2
_WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_KEY = re.compile(r"^[a-z0-9]{1,2}$")
# lunr's English stop words (Material's search drops them too): they match everything and rank nothing.
_STOP_TEXT = """a able about across after all almost also am among an and any are as at be because been
but by can cannot could dear did do does either else ever every for from get got had has have he her hers him his
how however i if in into is it its just least let like likely may me might most must my neither no nor not of off
often on only or other our own rather said say says she should since so some than that the their them then there
these they this tis to too twas us wants was we were what when where which while who whom why will with would yet
you your"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def plain(text: str) -> str:
    """Material's index text is HTML; the teaser and the words are read from its text only."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def _marks() -> dict[int, None]:
    """Every combining mark (categories Mn, Mc, Me, JavaScript's \\p{M}), for str.translate to drop.
    Marks live from U+0300 up to the supplementary planes and in the variation selectors supplement."""
    planes = (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0))
    return {code: None for code in planes if unicodedata.category(chr(code))[0] == "M"}


_MARKS = _marks()


def words(text: str) -> list[str]:
    """The same splitting as search-worker.js: lowercase, NFKD with marks dropped, letter/digit runs."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = unicodedata.normalize("NFKD", lowered).translate(_MARKS)
    return _WORD.findall(lowered)


def shard_key(term: str) -> str:
    """The file a term lives in: its first two characters, hex-encoded when they are not [a-z0-9]."""
    head = term[:2]
    return head if _KEY.match(head) else "x" + "-".join(f"{ord(char):x}" for char in head)


def teaser(text: str) -> str:
    if len(text) <= TEASER:
        return text
    cut = text.rfind(" ", 0, TEASER)
    return text[: cut if cut > TEASER // 2 else TEASER] + " …"


@dataclass
class Built:
    documents: int
    pages: int
    terms: int
    shards: int
    bytes: int


def _term_weights(title: str, text: str, tags: list[str]) -> dict[str, float]:
    counts = Counter(word for word in words(text) if word not in STOP_WORDS)
    for word in words(title):
        if word not in STOP_WORDS:
            counts[word] += TITLE_WEIGHT
    for word in words(" ".join(tags)):
        if word not in STOP_WORDS:
            counts[word] += TAG_WEIGHT
    return {term: (K1 + 1) * count / (K1 + count) for term, count in counts.items()}


def build_index(docs: list[dict[str, Any]], target: Path) -> Built:
    """Write the split index for Material's `docs` under `target` (the site's search/kb folder)."""
    pages: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        pages.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
    postings: dict[str, array[int]] = defaultdict(lambda: array("i"))  # 4 bytes a number, not 36
    page_starts: list[int] = []
    number = 0
    (target / "p").mkdir(parents=True, exist_ok=True)
    (target / "t").mkdir(parents=True, exist_ok=True)
    written = 0
    for page_number, (location, members) in enumerate(pages.items()):
        members.sort(key=lambda doc: doc["location"] != location)  # the page itself first
        page_starts.append(number)
        shown = []
        for doc in members:
            text, boost = plain(doc.get("text", "")), float(doc.get("boost", 1.0))
            title, tags = plain(doc.get("title", "")), [plain(tag) for tag in doc.get("tags") or ()]
            for term, weight in _term_weights(title, text, tags).items():
                postings[term].extend((number, max(1, round(weight * boost * 100))))
            shown.append([doc["location"], title, teaser(text), boost, *([tags] if tags else [])])
            number += 1
        written += _write(target / "p" / f"{page_number}.json", shown)
    shards: dict[str, list[str]] = defaultdict(list)
    for term in sorted(postings):
        shards[shard_key(term)].append(term)
    for key, terms in shards.items():
        written += _write(target / "t" / f"{key}.json", {term: postings[term].tolist() for term in terms})
    meta = {"version": 1, "documents": number, "pages": page_starts, "shards": sorted(shards)}
    written += _write(target / "meta.json", meta)
    return Built(number, len(pages), len(postings), len(shards), written)


def _write(path: Path, value: Any) -> int:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def convert_site(site_dir: Path) -> Built:
    """Replace Material's whole-site index with the split one; Material's file keeps only its config,
    so the page still sets up search (with this worker) without downloading every page's text."""
    material_index = site_dir / "search" / "search_index.json"
    index = json.loads(material_index.read_text(encoding="utf-8"))
    built = build_index(index.get("docs", []), site_dir / INDEX_DIR)
    material_index.write_text(json.dumps({"config": index.get("config", {}), "docs": []}), encoding="utf-8")
    return built
