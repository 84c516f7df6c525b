"""CSL-JSON: valid against the official schema, and saying what a citation of each statement needs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kb.export.base import exportable
from kb.export.csl import csl_item, csl_items, csl_type, to_json
from kb.export.names import person_name
from kb.load import KnowledgeBase, load
from kb.model import Entry, Fidelity
from tests.conftest import FIXTURES, PROJECT


def _entry(**source: object) -> Entry:
    data = {"statement": "We do not know.", "fidelity": "verbatim", "speaker": "ada-example", "said": "2024",
            "source": {"type": "article", "title": "T", "url": "https://example.org/a", **source},
            "topics": ["prompting"], "added": "2026-11-22"}
    return Entry.model_validate(data)


@pytest.mark.parametrize("root", [PROJECT, FIXTURES / "project"], ids=["real entries", "fixture project"])
def test_every_item_validates_against_the_official_schema(root: Path, csl_schema: dict) -> None:
    kb = load(root)
    items = json.loads(to_json(csl_items(kb, exportable(kb))))
    assert len(items) == len(exportable(kb)) > 0
    jsonschema.Draft7Validator(csl_schema).validate(items)


def test_hostile_text_still_validates(hostile_kb: KnowledgeBase, csl_schema: dict) -> None:
    jsonschema.Draft7Validator(csl_schema).validate(csl_items(hostile_kb, exportable(hostile_kb)))


def test_schema_check_can_fail(csl_schema: dict) -> None:
    """The validation above means something: an unknown key or a bad type is refused."""
    validator = jsonschema.Draft7Validator(csl_schema)
    assert list(validator.iter_errors([{"id": "x", "type": "lecture"}]))
    assert list(validator.iter_errors([{"id": "x", "type": "speech", "timecode": "1:00"}]))


def test_talk_item(project: Path) -> None:
    kb = load(project)
    item = csl_item(kb, "example-talk", kb.entries["example-talk"])
    assert item["id"] == "example-talk"
    assert item["type"] == "speech" and item["genre"] == "Lecture"
    assert item["author"] == [{"family": "Example", "given": "Ada"}]
    assert item["title"] == "Example Lecture 10"
    assert item["publisher"] == "Example University"
    assert item["issued"] == {"date-parts": [[2023, 2, 14]]}
    assert item["accessed"] == {"date-parts": [[2026, 11, 20]]}
    assert item["URL"] == "https://www.youtube.com/watch?v=AAAAAAAAAAA&t=1352s"  # 22:32
    assert item["note"].startswith("At 22:32\u201322:40. Verbatim: \u201cWe really have no intuition")
    assert item["custom"]["at"] == "22:32" and item["custom"]["until"] == "22:40"
    assert item["custom"]["source-url"] == "https://www.youtube.com/watch?v=AAAAAAAAAAA"


def test_organization_and_partial_date(project: Path) -> None:
    kb = load(project)
    item = csl_item(kb, "example-essay", kb.entries["example-essay"])
    assert item["author"] == [{"literal": "Example Lab"}]
    assert item["issued"] == {"date-parts": [[2024, 3]]}
    assert item["type"] == "webpage"
    assert "accessed" not in item  # nobody checked the words
    assert item["URL"] == "https://example.org/essay"  # a paraphrase gets no text fragment
    assert item["note"] == "Section: Emergence. Paraphrase: Nobody quite knows why the abilities appear when they do."


def test_verbatim_text_source_links_to_the_words(project: Path) -> None:
    kb = load(project)
    entry = kb.entries["example-essay"].model_copy(update={"fidelity": Fidelity.verbatim})
    assert csl_item(kb, "example-essay", entry)["URL"].startswith("https://example.org/essay#:~:text=Nobody%20quite")


@pytest.mark.parametrize(("source", "expected"), [
    ({"type": "lecture"}, "speech"), ({"type": "talk"}, "speech"), ({"type": "panel"}, "speech"),
    ({"type": "interview"}, "interview"), ({"type": "podcast"}, "broadcast"), ({"type": "video"}, "motion_picture"),
    ({"type": "hearing"}, "hearing"), ({"type": "report"}, "report"), ({"type": "book"}, "book"),
    ({"type": "article", "publisher": "MIT Technology Review"}, "article-magazine"), ({"type": "article"}, "webpage"),
    ({"type": "essay"}, "webpage"), ({"type": "essay", "container": "A Magazine"}, "article-magazine"),
    ({"type": "paper", "publisher": "arXiv"}, "article"), ({"type": "paper", "container": "PNAS"}, "article-journal"),
    ({"type": "paper", "event": "NeurIPS 2023"}, "paper-conference"),
    ({"type": "post", "url": "https://www.lesswrong.com/posts/x"}, "post-weblog"),
    ({"type": "post", "url": "https://x.com/someone/status/1"}, "post"),
])
def test_type_mapping(source: dict, expected: str) -> None:
    assert csl_type(_entry(**source)) == expected


def test_authors_of_the_source(project: Path) -> None:
    kb = load(project)
    article = _entry(publisher="A Paper", authors=["Will Douglas Heaven"])
    item = csl_item(kb, "x", article)
    assert item["author"] == [{"family": "Heaven", "given": "Will Douglas"}]
    assert item["note"].startswith("Quoting Ada Example.")
    paper = _entry(type="paper", authors=["Bob Smith", "Ada Example"])
    assert csl_item(kb, "x", paper)["author"] == [{"family": "Smith", "given": "Bob"},
                                                  {"family": "Example", "given": "Ada"}]
    interview = _entry(type="interview", authors=["Jo Host"])
    item = csl_item(kb, "x", interview)
    assert item["author"] == [{"family": "Example", "given": "Ada"}]
    assert item["interviewer"] == [{"family": "Host", "given": "Jo"}]


def test_recording_published_later_keeps_the_day_it_was_said(project: Path) -> None:
    kb = load(project)
    talk = _entry(type="talk", published="2024-05")
    talk = talk.model_copy(update={"said": "2024-03-02"})
    item = csl_item(kb, "x", talk)
    assert item["issued"] == {"date-parts": [[2024, 5]]}
    assert item["event-date"] == {"date-parts": [[2024, 3, 2]]}


@pytest.mark.parametrize(("name", "expected"), [
    ("Samuel R. Bowman", {"family": "Bowman", "given": "Samuel R."}),
    ("TetraspaceWest", {"literal": "TetraspaceWest"}),
    ("Ludwig van Beethoven", {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}),
    ("Ursula von der Leyen", {"family": "Leyen", "given": "Ursula", "non-dropping-particle": "von der"}),
    ("Martin Luther King, Jr.", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
    ("Heaven, Will Douglas", {"family": "Heaven", "given": "Will Douglas"}),
    ("Yin Tat Lee", {"family": "Lee", "given": "Yin Tat"}),
    ("李飞飞", {"literal": "李飞飞"}),
])
def test_person_names(name: str, expected: dict) -> None:
    assert person_name(name) == expected


def test_custom_keeps_the_words_exactly(hostile_kb: KnowledgeBase) -> None:
    for entry_id, entry in exportable(hostile_kb).items():
        assert csl_item(hostile_kb, entry_id, entry)["custom"]["statement"] == entry.statement
