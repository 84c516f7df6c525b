"""The citation box: three styles formatted by citeproc-py, escaped, and safe under a strict CSP."""

from __future__ import annotations

import json

import lxml.html
import pytest

from kb.export.bibtex import bibtex_entry
from kb.export.citebox import citation_box
from kb.export.citeproc_html import STYLES, format_reference, punctuate
from kb.export.csl import csl_item
from kb.load import KnowledgeBase
from tests.export.conftest import HOSTILE_TITLE


def _box(kb: KnowledgeBase, entry_id: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(citation_box(kb, entry_id))


def _style_text(box: lxml.html.HtmlElement, style: str) -> str:
    (paragraph,) = box.xpath(f'.//p[@data-kb-style="{style}"]')
    return paragraph.text_content()


def test_three_styles_one_checked(hostile_kb: KnowledgeBase) -> None:
    box = _box(hostile_kb, "example-talk")
    labels = [label.text_content() for label in box.xpath(".//label")]
    assert labels == ["APA", "Chicago", "MLA"]
    radios = box.xpath('.//input[@type="radio"]')
    assert [radio.get("value") for radio in radios] == list(STYLES)
    assert [radio.get("checked") is not None for radio in radios] == [True, False, False]
    assert len({radio.get("name") for radio in radios}) == 1
    assert all(len(box.xpath(f'.//label[@for="{radio.get("id")}"]')) == 1 for radio in radios)
    assert _style_text(box, "apa") == ("Example, A. (2023, February 14). Example Lecture 10 [Lecture]. "
                                       "Example University. https://www.youtube.com/watch?v=AAAAAAAAAAA&t=1352s")
    assert _style_text(box, "chicago").startswith("Example, Ada. 2023. \u201cExample Lecture 10.\u201d")
    assert _style_text(box, "mla").startswith("Example, Ada. \u201cExample Lecture 10.\u201d Lecture.")


def test_partial_date_and_organization(hostile_kb: KnowledgeBase) -> None:
    box = _box(hostile_kb, "example-essay")
    assert _style_text(box, "apa").startswith("Example Lab. (2024, March). An Example Essay.")
    assert _style_text(box, "chicago").startswith("Example Lab. 2024. \u201cAn Example Essay.\u201d")
    assert "Mar. 2024" in _style_text(box, "mla")
    assert "Lab, E" not in citation_box(hostile_kb, "example-essay")


def test_hostile_text_is_escaped(hostile_kb: KnowledgeBase) -> None:
    html = citation_box(hostile_kb, "hostile-entry")
    assert "<script" not in html and "<b>" not in html and "<i>Show" not in html
    assert "&lt;script&gt;" in html
    box = lxml.html.fragment_fromstring(html)
    assert not box.xpath(".//script | .//b | .//*[@style] | .//*[starts-with(name(@*), 'on')]")
    for style in STYLES:
        text = _style_text(box, style)
        assert "{Sons}" in text and "<script>x</script>" in text.casefold()  # shown as text, not run
    assert "The <i>Show</i> & Co" in box.text_content()


def test_copy_sources_are_the_exports(hostile_kb: KnowledgeBase) -> None:
    box = _box(hostile_kb, "hostile-entry")
    item = csl_item(hostile_kb, "hostile-entry", hostile_kb.entries["hostile-entry"])
    (csl,) = box.xpath('.//code[@data-kb-source="csl-json"]')
    assert json.loads(csl.text_content()) == [item]
    (bib,) = box.xpath('.//code[@data-kb-source="bibtex"]')
    assert bib.text_content() == bibtex_entry(item).strip()
    assert json.loads(csl.text_content())[0]["title"] == HOSTILE_TITLE
    buttons = [button.get("data-kb-copy") for button in box.xpath(".//button")]
    assert buttons == ["citation", "bibtex", "csl-json"]


def test_no_blank_lines_no_inline_code(hostile_kb: KnowledgeBase) -> None:
    """The page is Markdown with one raw HTML block: a blank line would end it."""
    for entry_id in hostile_kb.entries:
        html = citation_box(hostile_kb, entry_id)
        assert "\n\n" not in html and not any(not line.strip() for line in html.splitlines())
        assert "<script" not in html and " style=" not in html and " onclick" not in html


def test_download_links_lead_to_the_exports(hostile_kb: KnowledgeBase) -> None:
    box = _box(hostile_kb, "example-talk")
    links = [a.get("href") for a in box.xpath('.//p[@class="kb-cite__downloads"]//a')]
    assert links == ["../../api/statements/example-talk.json", "../../api/statements.json",
                     "../../api/citations.json", "../../api/citations.bib", "../../api/statements.csv",
                     "../../schema/dataset.schema.json"]


def test_markers_cannot_be_forged() -> None:
    item = {"id": "x", "type": "webpage", "author": [{"literal": "A\ue000b\ue001"}],
            "title": "\ue000i\ue001not italic\ue000/i\ue001 <i>nor this</i>", "issued": {"date-parts": [[2024]]},
            "URL": "https://example.org/"}
    for style in STYLES:
        html = format_reference(item, style)
        assert "<b>" not in html
        assert "<i>not italic" not in html and "<i>nor this" not in html
        assert "&lt;i&gt;nor" in html.casefold()


def test_citeproc_markup_becomes_tags() -> None:
    """The style's own italics survive the escaping (APA italicises a web page's title)."""
    item = {"id": "x", "type": "webpage", "author": [{"literal": "Lab"}], "title": "Title & more",
            "issued": {"date-parts": [[2024]]}, "URL": "https://example.org/?a=1&b=2"}
    html = format_reference(item, "apa")
    assert html == "Lab. (2024). <i>Title &amp; more</i>. https://example.org/?a=1&amp;b=2"


@pytest.mark.parametrize(("raw", "expected"), [
    ("\u201cTitle\u201d. Next", "\u201cTitle.\u201d Next"), ("\u201cWhy?\u201d. Next", "\u201cWhy?\u201d Next"),
    ("\u201cA, B\u201d, c", "\u201cA, B,\u201d c"), ("no quotes. Here", "no quotes. Here"),
])
def test_us_punctuation_in_quotes(raw: str, expected: str) -> None:
    assert punctuate(raw) == expected
