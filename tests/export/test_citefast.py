"""The shape templates (`kb.export.citefast`) give exactly citeproc-py's own rendering (`format_direct`).

Compared: every real entry, the hostile fixtures, and random statements of every shape kb's CSL export can
produce (each source type, every optional field present or not, one to many authors, interviewers, names
with particles, suffixes, commas, initials, hyphens, lowercase or one-word names, organisations, partial
and ancient dates, and titles that start or end with spaces, punctuation, quotes, digits, HTML, nocase
spans or marker characters). The random statements are real `Entry` models run through `csl_item`, so they
are what the exporter makes; KB_CITEFAST_RANDOM sets how many (default 1,500 per run, seeded).
"""

from __future__ import annotations

import os
import random
from types import SimpleNamespace
from typing import Any

import pytest

from kb.export import citefast, citeproc_html
from kb.export.base import exportable
from kb.export.citeproc_html import STYLES, format_direct, format_reference
from kb.export.csl import GENRES, csl_item
from kb.load import KnowledgeBase, load
from kb.model import Entry, Fidelity, Person, SourceType
from tests.conftest import PROJECT

RANDOM_ITEMS = int(os.environ.get("KB_CITEFAST_RANDOM", "1500"))

WORDS = ["the", "a", "of", "and", "in", "on", "to", "for", "with", "via", "AI", "GPT-4", "models", "Scaling",
         "laws", "alignment", "iPhone", "eBay", "deep", "Learning", "U.S.", "e.g.", "x", "über", "Ωmega",
         "naïve", "Q&A", "<b>bold</b>", "<i>it</i>", '<span class="nocase">iOS</span>', "don't", "“quoted”",
         "\"plain\"", "'single'", "1999", "3.5", "12-14", "§2", "(note)", "[sic]", "—", "–", "...", "…", "--",
         "a.m.", "Ph.D.", "Dr.", "vs.", "ii", "IV", "深層学習", "تعلم", "\ue000i\ue001", "&amp;", "100%", "$5"]
EDGES = ["", "", "", "", " ", "  ", ".", ",", ";", ":", "!", "?", "?.", "!?", "...", "“", "”", "'", '"', "(",
         ")", "-", "–", "…", "1", "a", "The ", ". ", ", ", "\u00a0", "\t"]
GIVEN = ["Dario", "Samuel R.", "J. R. R.", "Jean-Paul", "jean-paul", "danah", "Yann", "Fei-Fei", "A.", "Li",
         "Mary Ann", "Ada", "Ölaf", "ÉMILE", "de la", "X Æ A-12", "Sam.", "Q"]
FAMILY = ["Amodei", "Bowman", "LeCun", "Tolkien", "O'Brien", "García Márquez", "Li", "Ng", "van Beethoven",
          "Smith-Jones", "mcdonald", "DE GAULLE", "Zhu.", "Sutskever", "Hinton,"]
PARTICLES = ["van", "von der", "de", "de la", "al", "bin", "ter"]
SUFFIXES = ["Jr.", "Sr.", "II", "III", "IV", "jr"]
ORGS = ["OpenAI", "Google DeepMind", "Anthropic, PBC", "The Future of Life Institute", "U.S. Senate.", "xAI",
        "Meta AI Research (FAIR)"]
HOSTS = ["https://www.youtube.com/watch?v=AAAAAAAAAAA", "https://youtu.be/BBBBBBBBBBB", "https://vimeo.com/123",
         "https://example.org/a/b.", "https://example.org/x,", "https://x.com/user/status/1", "https://bsky.app/p/2",
         "https://blog.example.com/post?q=1&r=<2>", "https://news.ycombinator.com/item?id=3",
         "https://example.com/media.mp3", "https://example.org/“q”", "https://arxiv.org/abs/2401.00001"]
PAGES = ["12", "12-14", "12–14", "xii", "A3", "3, 5", "100-105", "1-2 & 4", "p. 7", "321-28", "1,234"]


def _text(rng: random.Random, words: int = 6) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, words)))
    if rng.random() < 0.3:
        body = body[:1].upper() + body[1:]
    text = rng.choice(EDGES) + body + rng.choice(EDGES)
    return text if text.strip() else body


def _person_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(FAMILY)  # one word
    if roll < 0.16:
        return f"{rng.choice(FAMILY)}, {rng.choice(GIVEN)}"
    parts = [rng.choice(GIVEN)]
    if rng.random() < 0.2:
        parts.append(rng.choice(PARTICLES))
    parts.append(rng.choice(FAMILY))
    if rng.random() < 0.15:
        parts.append(rng.choice(SUFFIXES))
    if rng.random() < 0.1:
        parts.append(str(rng.randint(1, 999)))
    return " ".join(parts)


def _date(rng: random.Random, full: bool = False) -> str:
    year = rng.choice([rng.randint(1990, 2026), rng.randint(1000, 9999), rng.randint(1, 999)])
    parts = [f"{year:04d}"]
    if full or rng.random() < 0.7:
        parts.append(f"{rng.randint(1, 12):02d}")
        if full or rng.random() < 0.7:
            parts.append(f"{rng.randint(1, 28):02d}")
    return "-".join(parts)


def random_statement(rng: random.Random, number: int) -> tuple[Entry, Person]:
    """A valid statement and its speaker, every optional field present or not at random."""
    kind = rng.choice(list(SourceType))
    maybe = rng.random
    source: dict[str, Any] = {"type": kind.value, "title": _text(rng, 9), "url": rng.choice(HOSTS)}
    if maybe() < 0.5:
        source["publisher"] = _text(rng, 3)
    if maybe() < 0.5:
        source["container"] = _text(rng, 4)
    if maybe() < 0.35:
        source["event"] = _text(rng, 4)
    if maybe() < 0.4:
        source["authors"] = [_person_name(rng) if maybe() < 0.85 else rng.choice(ORGS)
                             for _ in range(rng.choice([1, 1, 2, 3, 4, 7, 21, 22]))]
    if maybe() < 0.6:
        source["published"] = _date(rng)
    if maybe() < 0.4:
        minutes, seconds = rng.randint(0, 99), rng.randint(0, 59)
        source["at"] = f"{minutes}:{seconds:02d}"
        if maybe() < 0.5:
            source["until"] = f"{minutes + 1}:{seconds:02d}"
    if maybe() < 0.3:
        source["page"] = rng.choice(PAGES)
    if maybe() < 0.3:
        source["section"] = rng.choice([_text(rng, 3), "3", "2.1", "1-3", "IV"])
    entry: dict[str, Any] = {"statement": _text(rng, 12), "fidelity": rng.choice(list(Fidelity)).value,
                             "speaker": "speaker", "said": _date(rng), "source": source, "topics": ["t"],
                             "added": "2026-01-01"}
    if maybe() < 0.5:
        entry["verified"] = {"by": "someone", "on": _date(rng, full=True), "method": "listened"}
    if maybe() < 0.15:
        person = Person(name=rng.choice(ORGS), description="d", kind="organization")
    else:
        person = Person(name=_person_name(rng), description="d")
    if "authors" in source and maybe() < 0.3:
        source["authors"][rng.randrange(len(source["authors"]))] = person.name  # the speaker is an author
    return Entry.model_validate(entry), person


def random_items(count: int, seed: int = 12) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    items = []
    for number in range(count):
        entry, person = random_statement(rng, number)
        kb = SimpleNamespace(people=SimpleNamespace(items={"speaker": person}))
        items.append(csl_item(kb, f"random-{number}", entry))  # type: ignore[arg-type]
    return items


@pytest.fixture(scope="module")
def real_kb() -> KnowledgeBase:
    return load(PROJECT)


def _items(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [csl_item(kb, entry_id, entry) for entry_id, entry in exportable(kb).items()]


def _compare(items: list[dict[str, Any]]) -> int:
    """Assert every fast rendering equals the direct one; return how many the fast path took."""
    taken = 0
    for item in items:
        for style in STYLES:
            fast = citefast.format_fast(item, style)
            if fast is not None:
                taken += 1
                assert fast == format_direct(item, style), (item, style)
    return taken


def test_real_entries_equal_the_direct_rendering(real_kb: KnowledgeBase) -> None:
    items = _items(real_kb)
    assert len(items) >= 50
    assert _compare(items) == len(items) * len(STYLES)  # all of them take the fast path


def test_hostile_entries_equal_the_direct_rendering(hostile_kb: KnowledgeBase) -> None:
    items = _items(hostile_kb)
    assert _compare(items) == len(items) * len(STYLES)
    for item in items:
        for style in STYLES:
            assert "<script" not in citefast.format_fast(item, style)  # type: ignore[operator]


@pytest.mark.slow
def test_random_items_equal_the_direct_rendering() -> None:
    items = random_items(RANDOM_ITEMS)
    taken = _compare(items)
    assert taken >= 0.8 * len(items) * len(STYLES)  # the fast path is what is tested, not the fallback


def test_random_items_cover_every_field_and_type() -> None:
    items = random_items(RANDOM_ITEMS)
    types = {item["type"] for item in items}
    assert types >= {"speech", "interview", "broadcast", "motion_picture", "hearing", "report", "book",
                     "paper-conference", "article-journal", "article", "post", "post-weblog",
                     "article-magazine", "webpage"}
    fields = {name for item in items for name in item}
    assert fields >= citeproc_html.RENDERED_FIELDS - {"event"}
    assert {item.get("genre") for item in items} >= set(GENRES.values())
    assert {len(item["author"]) for item in items} >= {1, 2, 3, 7, 21, 22}


@pytest.mark.parametrize("title", ["A \ue100 forged slot", "x\ue003y", "edge\ue400"])
def test_text_holding_a_token_character_is_rendered_by_citeproc(real_kb: KnowledgeBase, title: str) -> None:
    item = {**_items(real_kb)[0], "title": title}
    assert citefast.format_fast(item, "apa") is None
    assert format_reference(item, "apa") == format_direct(item, "apa")


def test_edges_with_seam_punctuation_get_their_own_template(real_kb: KnowledgeBase) -> None:
    item = _items(real_kb)[0]
    before = citefast.rendered_templates()
    for title in ("Ends with a period.", "Ends with a question?", "Plain title", ".Starts with a period"):
        changed = {**item, "title": title}
        for style in STYLES:
            assert citefast.format_fast(changed, style) == format_direct(changed, style)
    assert citefast.rendered_templates() > before
    spaced = {**item, "title": "  Starts with spaces"}  # a seam cuts the token's edge: citeproc-py renders it
    assert citefast.format_fast(spaced, "apa") is None
    assert format_reference(spaced, "apa") == format_direct(spaced, "apa")


def test_format_reference_takes_the_fast_path(real_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    item = _items(real_kb)[1]
    expected = {style: citefast.format_fast(item, style) for style in STYLES}
    monkeypatch.setattr(citeproc_html, "render_raw", None)  # citeproc-py itself is not called again
    assert {style: format_reference(item, style) for style in STYLES} == expected


def test_the_fast_path_can_be_switched_off(real_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CITATION_FAST", "0")
    assert citefast.format_fast(_items(real_kb)[0], "apa") is None


GUARD_STYLE = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>guards</title><id>guards</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="shouted"><text variable="container-title"/></macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout suffix=".">
    <choose><if is-numeric="title"><text value="numbered "/></if></choose>
    <group delimiter=" "><label variable="section" form="short"/><text variable="section"/></group>
    <text variable="title" text-case="title" prefix=" [" suffix="]."/>
    <text macro="shouted" text-case="uppercase" prefix=" "/>
  </layout></bibliography>
</style>"""


@pytest.fixture
def guard_style(monkeypatch: pytest.MonkeyPatch) -> str:
    """A small style that tests a title for being numeric, labels a section (singular or plural) and
    upper-cases a macro: the paths the fast path must refuse or check, which the three real styles do not
    take with kb's items."""
    import io

    from citeproc import CitationStylesStyle

    parsed = CitationStylesStyle(io.BytesIO(GUARD_STYLE), validate=False)
    real = citeproc_html.style
    monkeypatch.setattr(citeproc_html, "style", lambda key: parsed if key == "kb-guards" else real(key))
    return "kb-guards"


def test_guards_refuse_or_check_what_depends_on_the_text(real_kb: KnowledgeBase, guard_style: str) -> None:
    item = {key: value for key, value in _items(real_kb)[0].items() if key != "container-title"}
    plain = {**item, "title": "plain words", "section": "Intro"}
    assert citefast.format_fast(plain, guard_style) == format_direct(plain, guard_style)
    for changed in ({**plain, "title": "1999"}, {**plain, "section": "1-3"}):  # numeric title, plural section
        assert format_direct(changed, guard_style) != format_direct(plain, guard_style).replace(
            "plain words", changed["title"]).replace("Intro", changed["section"])  # the text changes the rest
        assert citefast.format_fast(changed, guard_style) is None
        assert format_reference(changed, guard_style) == format_direct(changed, guard_style)
    boxed = {**plain, "container-title": "a show"}  # a text-case on a macro holding a token: refused
    assert citefast.format_fast(boxed, guard_style) is None
    assert format_reference(boxed, guard_style) == format_direct(boxed, guard_style)
