"""A search index the browser reads in pieces, built from plain-text documents.

Material's search makes the browser download every page's text and build a lunr index before it can
answer (about 9 s for 10,000 statements). This index is split instead, so a query reads only what it
needs:

- `search/kb/meta.json`: how many documents, how many documents each page has (the page first, then its
  sections), how many pages share a result file, and which term shards exist;
- `search/kb/t/<key>.json`: the terms whose first two characters are `<key>`, each with its postings
  (the gap to the previous document number, then the weight x 100) — a query term reads one shard and
  matches terms by prefix, as Material's search does while one types;
- `search/kb/p/<n>.json`: the documents of pages n x PAGES_PER_FILE ... (n + 1) x PAGES_PER_FILE - 1, one
  after another, as results show them (location, title, a plain text teaser, boost, and the tags if any),
  fetched only for the pages a query ranks. One file per page was 11,000 files at 10,000 statements;
  16 pages to a file made the first ten results 200 KB.

Documents are plain text (`Document`): kb.search.documents makes those of the generated pages from the
knowledge base, and `from_material` turns Material's HTML entries (the hand-written pages) into them.
Words are runs of letters and digits, lowercased, accents removed, English stop words dropped. The
weight of a term in a document is BM25's saturating term frequency (title words count ten times, tags
twenty) times the document's boost; the browser multiplies in the inverse document frequency.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import sub
from pathlib import Path
from typing import Any

INDEX_DIR = "search/kb"
VERSION = 2
PAGES_PER_FILE = 4  # a query shows ten pages: 16 to a file made it fetch 200 KB, one a file 12,000 files
WEIGHT_SCALE = 100  # weights are stored as integers: hundredths keep the small gaps BM25 saturation leaves
TEASER = 320
TITLE_WEIGHT = 10.0
TAG_WEIGHT = 20.0  # statements carry their topics as tags, weighed above titles
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


@dataclass(frozen=True, slots=True)
class Document:
    """One search result: a page (location without '#') or one of its sections, all plain text."""

    location: str
    title: str
    text: str
    boost: float = 1.0
    tags: tuple[str, ...] = ()

    @property
    def page(self) -> str:
        return self.location.split("#", 1)[0]


def plain(text: str) -> str:
    """Material's index text is HTML; the teaser and the words are read from its text only."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def from_material(entry: Mapping[str, Any]) -> Document:
    """A Material search entry (HTML title and text, optional boost and tags) as a plain Document."""
    return Document(location=entry["location"], title=plain(entry.get("title", "")), text=plain(entry.get("text", "")),
                    boost=float(entry.get("boost", 1.0)), tags=tuple(plain(tag) for tag in entry.get("tags") or ()))


def _mark_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Every combining mark (categories Mn, Mc, Me, JavaScript's \\p{M}) as two character classes.

    Regular expressions remove them at C speed (str.translate with a table of 2,400 marks was a quarter of
    the index build). The marks of the supplementary planes are a class of their own: re checks a class
    that has them range by range, one of only BMP characters in one table lookup, twenty times faster."""
    ranges: list[list[int]] = []
    for code in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0)):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])

    def characters(wanted: list[list[int]]) -> re.Pattern[str]:
        return re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in wanted) + "]+")

    return (characters([pair for pair in ranges if pair[1] <= 0xFFFF]),
            characters([pair for pair in ranges if pair[0] > 0xFFFF]))


_MARKS, _ASTRAL_MARKS = _mark_classes()
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def words(text: str) -> list[str]:
    """The same splitting as search-worker.js: lowercase, NFKD with marks dropped, letter/digit runs."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = _MARKS.sub("", unicodedata.normalize("NFKD", lowered))
        if _ASTRAL.search(lowered):
            lowered = _ASTRAL_MARKS.sub("", lowered)
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
    files: int
    bytes: int


def _term_counts(doc: Document) -> Counter[str]:
    """How often each word occurs, a title word counting TITLE_WEIGHT times and a tag word TAG_WEIGHT."""
    counts = Counter(words(doc.text))
    for word in words(doc.title):
        counts[word] += TITLE_WEIGHT
    for word in words(" ".join(doc.tags)):
        counts[word] += TAG_WEIGHT
    for stop in STOP_WORDS.intersection(counts):
        del counts[stop]
    return counts


def _weight(count: float, boost: float) -> int:
    """BM25's saturating term frequency times the document's boost, as a stored integer."""
    return max(1, round((K1 + 1) * count / (K1 + count) * boost * WEIGHT_SCALE))


def _by_page(docs: Iterable[Document]) -> list[list[Document]]:
    """Documents grouped by page, pages in first-seen order, each page's own document first."""
    pages: dict[str, list[Document]] = {}
    for doc in docs:
        pages.setdefault(doc.page, []).append(doc)
    for location, members in pages.items():
        members.sort(key=lambda doc: doc.location != location)
    return list(pages.values())


@dataclass
class Cache:
    """What a `mkdocs serve` session keeps from one rebuild to the next: each document's word counts (most
    documents are the same after one edit) and each index file's hash (an unchanged file is not rewritten)."""

    counts: dict[Document, Counter[str]] = field(default_factory=dict)
    files: dict[Path, int] = field(default_factory=dict)


def build_index(docs: Iterable[Document], target: Path, cache: Cache | None = None) -> Built:
    """Write the split index of `docs` under `target` (the site's search/kb folder), removing files of an
    earlier index there that this one does not have."""
    pages = _by_page(docs)
    postings: dict[str, array[int]] = {}  # document, weight, document, ...: 4 bytes a number, not 36
    weights: dict[tuple[float, float], int] = {}  # counts are small numbers: each weight is worked out once
    known = cache.counts if cache is not None else {}
    counted: dict[Document, Counter[str]] = {}
    writer = _Writer(target, cache.files if cache is not None else None)
    number = 0
    shown: list[list[Any]] = []
    for page_number, members in enumerate(pages):
        for doc in members:
            boost = doc.boost
            counts = known.get(doc)
            if counts is None:
                counts = _term_counts(doc)
            if cache is not None:
                counted[doc] = counts
            for term, count in counts.items():
                weight = weights.get((count, boost))
                if weight is None:
                    weight = weights[count, boost] = _weight(count, boost)
                found = postings.get(term)
                if found is None:
                    found = postings[term] = array("i")
                found.append(number)
                found.append(weight)
            tags = [list(doc.tags)] if doc.tags else []
            shown.append([doc.location, doc.title, teaser(doc.text), doc.boost, *tags])
            number += 1
        if (page_number + 1) % PAGES_PER_FILE == 0 or page_number == len(pages) - 1:
            writer.write(f"p/{page_number // PAGES_PER_FILE}.json", shown)
            shown = []
    shards: dict[str, list[str]] = defaultdict(list)
    for term in sorted(postings):
        shards[shard_key(term)].append(term)
    for key, terms in shards.items():
        writer.write(f"t/{key}.json", {term: _gaps(postings[term]) for term in terms})
    meta = {"version": VERSION, "documents": number, "sizes": [len(members) for members in pages],
            "pages_per_file": PAGES_PER_FILE, "shards": sorted(shards)}
    writer.write("meta.json", meta)
    writer.remove_others()
    if cache is not None:
        cache.counts = counted
    return Built(number, len(pages), len(postings), len(shards), len(writer.written), writer.bytes)


def _gaps(postings: array[int]) -> list[int]:
    """(document, weight) pairs with each document number replaced by the gap to the one before: short
    numbers in the file, summed back in the worker."""
    values = postings.tolist()
    values[2::2] = map(sub, values[2::2], values[:-2:2])
    return values


class _Writer:
    """Writes the index files as compact JSON; with a serve session's hashes, only those that changed."""

    def __init__(self, target: Path, hashes: dict[Path, int] | None) -> None:
        self.target = target
        self.hashes = hashes
        self.written: set[Path] = set()
        self.bytes = 0
        for folder in ("p", "t"):
            (target / folder).mkdir(parents=True, exist_ok=True)

    def write(self, name: str, value: Any) -> None:
        path = self.target / name
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.written.add(path)
        self.bytes += len(data)
        if self.hashes is not None:
            digest = hash(data)
            if self.hashes.get(path) == digest and path.exists():
                return
            self.hashes[path] = digest
        path.write_bytes(data)

    def remove_others(self) -> None:
        """A dirty rebuild keeps the site folder: an earlier index's extra shards and result files go."""
        for folder in ("p", "t"):
            for path in (self.target / folder).iterdir():
                if path not in self.written:
                    path.unlink()
                    if self.hashes is not None:
                        self.hashes.pop(path, None)


def convert_site(site_dir: Path) -> Built:
    """Replace Material's whole-site index with the split one; Material's file keeps only its config,
    so the page still sets up search (with this worker) without downloading every page's text."""
    material_index = site_dir / "search" / "search_index.json"
    index = json.loads(material_index.read_text(encoding="utf-8"))
    built = build_index(map(from_material, index.get("docs", [])), site_dir / INDEX_DIR)
    material_index.write_text(json.dumps({"config": index.get("config", {}), "docs": []}), encoding="utf-8")
    return built
