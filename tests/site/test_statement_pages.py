"""Statement pages as built by the real mkdocs: words, fidelity, deep links, verification, edit link."""

from __future__ import annotations

import re
from pathlib import Path

from sitehtml import Elements, html_of


def article(site: Path, entry_id: str) -> str:
    html = html_of(site, f"statements/{entry_id}/")
    start = html.index('<article class="kb-statement"')
    return html[start:html.index("</article>", start)]


def test_verbatim_words_are_in_quotation_marks(built_site: Path) -> None:
    body = article(built_site, "example-talk")
    assert "<p>“We really have no intuition as to what&#39;s going on here.”</p>" in body
    assert "(verbatim)" in body


def test_paraphrase_is_labelled_and_never_quoted(built_site: Path) -> None:
    html = html_of(built_site, "statements/example-essay/")
    body = article(built_site, "example-essay")
    words = body[body.index("kb-quote__words"):body.index("</figure>")]
    assert "Paraphrase: a summary, not the speaker’s own words" in words
    assert "“" not in words and "”" not in words and "&quot;" not in words
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert "“" not in title and "(paraphrase)" in title


def test_watch_link_opens_the_recording_at_the_second(built_site: Path) -> None:
    youtube = article(built_site, "example-talk")
    assert 'href="https://www.youtube.com/watch?v=AAAAAAAAAAA&amp;t=1352s"' in youtube
    assert ">Watch at 22:32</a>" in youtube
    vimeo = article(built_site, "example-podcast")
    assert 'href="https://vimeo.com/123456789#t=3723s"' in vimeo
    assert ">Watch at 1:02:03</a>" in vimeo


def test_text_source_links_to_the_words_with_a_text_fragment(built_site: Path) -> None:
    body = article(built_site, "example-article")
    assert 'href="https://example.org/article#:~:text=The%20honest%20answer%20is,we%20cannot%20yet%20explain"' in body
    # a paraphrase has no words of the speaker to point at: the link is the source itself
    assert "#:~:text=" not in article(built_site, "example-essay")


def test_player_is_a_button_not_an_iframe_until_clicked(built_site: Path) -> None:
    body = article(built_site, "example-talk")
    assert "<iframe" not in body
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/AAAAAAAAAAA?start=1352"' in body
    vimeo = article(built_site, "example-podcast")
    assert 'data-embed-src="https://player.vimeo.com/video/123456789?dnt=1#t=3723s"' in vimeo
    assert "data-embed-src" not in article(built_site, "example-article")


def test_speaker_role_date_source_and_context_are_shown(built_site: Path) -> None:
    body = article(built_site, "example-talk")
    assert ('<a href="../../people/ada-example/">Ada Example</a>, Researcher, Example University, '
            "14 February 2023") in body
    assert ('<dd><a href="https://www.youtube.com/watch?v=AAAAAAAAAAA" rel="nofollow noopener">'
            "Example Lecture 10</a></dd>") in body
    assert "<dd>22:32 to 22:40</dd>" in body
    assert "A fictional statement for the site tests." in body
    assert 'Topics: <a href="../../topics/prompting/">Prompting</a></p>' in body


def test_verification_is_stated_or_its_absence_is(built_site: Path) -> None:
    assert "Checked by tester on 20 November 2026, against a transcript." in article(built_site, "example-talk")
    assert "Not yet checked against the source" in article(built_site, "example-essay")


def test_disputed_statement_carries_the_reason_and_its_source(built_site: Path) -> None:
    body = article(built_site, "example-podcast")
    notice = body[body.index("kb-disputed"):]
    assert "The episode&#39;s own transcript words this differently." in notice
    assert ('<a href="https://example.org/corrections" rel="nofollow noopener">Corrections to Episode 7</a>, '
            "September 2024") in notice


def test_found_via_permalink_and_edit_link(built_site: Path) -> None:
    body = article(built_site, "example-essay")
    assert '<a href="https://example.org/report" rel="nofollow noopener">An Example Report</a>, 2024' in body
    assert ">https://we-dont-know-how.github.io/kb/statements/example-essay/</a>" in body
    edit = "https://github.com/we-dont-know-how/kb/edit/main/entries/example-essay.yaml"
    assert f'<a href="{edit}"' in body
    # Material's own edit button on the page points at the entry file too
    buttons = [a for a in Elements(html_of(built_site, "statements/example-essay/")).all("a") if a.get("rel") == "edit"]
    assert [a["href"] for a in buttons] == [edit]


def test_statement_pages_are_boosted_in_search(built_site: Path) -> None:
    import json

    shown = [json.loads(path.read_text(encoding="utf-8")) for path in (built_site / "search/kb/p").glob("*.json")]
    boosts = {location: boost for page in shown for location, _title, _text, boost, *_tags in page}  # kb.search
    assert boosts["statements/example-talk/"] == 4
    assert "statements/" not in boosts  # the all-statements list would only repeat them
