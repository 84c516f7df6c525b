"""Site-wide: navigation, listings, timeline chart, feed, internal links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sitehtml import Elements, html_of

ATOM = "{http://www.w3.org/2005/Atom}"
STATEMENTS = {"example-talk", "example-essay", "example-article", "example-podcast", "hostile-markup"}


def nav_links(html: str) -> list[str]:
    """The hrefs of the primary navigation and the tabs (not the page's own content)."""
    start = html.index('<nav class="md-nav md-nav--primary')
    nav = html[start:html.index("</nav>", start)]
    tabs = re.search(r'<nav class="md-tabs".*?</nav>', html, re.DOTALL)
    return re.findall(r'href="([^"]*)"', nav + (tabs.group(0) if tabs else ""))


def test_navigation_lists_sections_never_statements(built_site: Path) -> None:
    for url_path in ("", "statements/example-talk/", "statements/"):
        links = nav_links(html_of(built_site, url_path))
        assert links, url_path
        assert not [link for link in links if re.search(r"statements/[a-z0-9-]+/", link)], links
    sections = nav_links(html_of(built_site, "about/"))
    for section in ("../statements/", "../people/", "../topics/", "../timeline/"):
        assert section in sections


def test_all_statements_page_lists_every_statement_with_its_facets(built_site: Path) -> None:
    elements = Elements(html_of(built_site, "statements/"))
    cards = [attrs for attrs in elements.all("li") if attrs.get("class") == "kb-card"]
    assert len(cards) == len(STATEMENTS)
    talk = next(card for card in cards if card["data-speaker"] == "ada-example" and card["data-year"] == "2023")
    assert (talk["data-topics"], talk["data-type"], talk["data-fidelity"]) == ("prompting", "lecture", "verbatim")
    forms = [attrs for attrs in elements.all("form") if attrs.get("id") == "kb-filters"]
    assert forms and "hidden" in forms[0], "without JavaScript the filters stay hidden and the list is complete"
    names = {attrs["name"] for attrs in elements.all("select")}
    assert names == {"speaker", "topic", "year", "type", "fidelity"}
    for listing in ("people/ada-example/", "topics/emergence/"):
        html = html_of(built_site, listing)
        assert 'class="kb-card"' in html and "data-speaker=" not in html, "only the filtered list needs facets"


def test_person_page_lists_statements_in_time_order(built_site: Path) -> None:
    html = html_of(built_site, "people/ada-example/")
    assert "A fictional researcher used by the site tests." in html
    assert html.index("The honest answer") < html.index("We really have no intuition")
    assert 'href="https://example.org/ada"' in html


def test_topic_page_lists_its_statements(built_site: Path) -> None:
    html = html_of(built_site, "topics/interpretability/")
    assert "What happens inside a trained model." in html
    assert html.index("The honest answer") < html.index("Honestly, the inside")
    assert "We really have no intuition" not in html


def test_timeline_chart_is_an_accessible_svg_with_one_bar_per_year(built_site: Path) -> None:
    html = html_of(built_site, "timeline/")
    start = html.index('<svg class="kb-chart"')
    svg = html[start:html.index("</svg>", start) + 6]
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "kb-chart-title kb-chart-desc"
    assert root.find(f"{ns}title").text == "Statements per year"
    assert "2019: 1, 2021: 1, 2023: 1, 2024: 2" in root.find(f"{ns}desc").text
    bars = root.findall(f".//{ns}rect")
    assert len(bars) == 4  # 2019, 2021, 2023, 2024 (2020 and 2022 are empty)
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[-1] == 2 * heights[0]
    labels = [text.text for text in root.iter(f"{ns}text") if text.get("class") == "kb-chart__label"]
    assert labels == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert 'href="../statements/#y2024"' in html
    assert 'class="kb-card"' not in html, "the statements are listed once, on the all-statements page"
    listing = html_of(built_site, "statements/")
    assert listing.index('<h2 id="y2024">') < listing.index('<h2 id="y2023">') < listing.index('<h2 id="y2019">')


def test_feed_is_atom_of_the_newest_additions_linked_from_every_page(built_site: Path) -> None:
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    ids = [entry.find(f"{ATOM}id").text.rsplit("/", 2)[-2] for entry in entries]
    assert ids == ["example-podcast", "example-essay", "example-talk", "example-article", "hostile-markup"]
    paraphrase = entries[1].find(f"{ATOM}title").text
    assert paraphrase.startswith("Example Lab (paraphrase): Nobody") and "“" not in paraphrase
    hostile = entries[-1].find(f"{ATOM}summary").text
    assert "<script>alert('statement')</script>" in hostile  # text in XML, escaped by the serializer
    for path in built_site.rglob("*.html"):
        links = [a for a in Elements(path.read_text(encoding="utf-8")).all("link") if a.get("rel") == "alternate"]
        assert any(a.get("type") == "application/atom+xml" and a["href"].endswith("feed.xml") for a in links), path


def test_front_page_has_counts_featured_statement_and_ways_in(built_site: Path) -> None:
    html = html_of(built_site, "")
    assert "<strong>5</strong> statements" in html and "<strong>4</strong> people" in html
    featured = html[html.index('class="kb-featured"'):]
    assert "We really have no intuition" in featured[:2000]  # the newest checked verbatim statement
    for way in ('href="topics/emergence/"', 'href="people/ada-example/"', 'href="statements/#y2024"'):
        assert way in html


def test_every_internal_link_resolves(built_site: Path) -> None:
    base = "http://site.test/kb/"  # site_url's path: the 404 page links absolutely
    for path in built_site.rglob("*.html"):
        page_url = urljoin(base, path.relative_to(built_site).as_posix())
        for attrs in Elements(path.read_text(encoding="utf-8")).all("a"):
            href = attrs.get("href") or ""
            target = urlsplit(urljoin(page_url, href))
            if href.startswith("#") or not f"{target.scheme}://{target.netloc}{target.path}".startswith(base):
                continue
            file = built_site / target.path.removeprefix("/kb/")
            assert (file / "index.html").exists() if target.path.endswith("/") else file.exists(), (path, href)
