"""The built site in Debian's chromium: search, deep links, filters, embeds, privacy, CSP, phone width, axe.

Every request the browser makes is recorded; any that is not for 127.0.0.1 is aborted and fails the
privacy tests. Console errors include CSP refusals ("Refused to execute ..."), which are also collected
from `securitypolicyviolation` events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PAGES = ["", "statements/example-talk/", "statements/hostile-markup/", "statements/example-podcast/",
         "people/ada-example/", "topics/emergence/", "statements/", "timeline/", "about/", "404.html"]
RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
    e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@dataclass
class Visit:
    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname not in ("127.0.0.1", None)
                and not url.startswith(("data:", "blob:", "about:"))]

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp")


@pytest.fixture
def visit(browser: Browser, site_url: str) -> Iterator[Callable[..., Visit]]:
    contexts = []

    def open_page(path: str, viewport: dict[str, int] = DESKTOP, color_scheme: str = "light") -> Visit:
        context = browser.new_context(viewport=viewport, service_workers="block", color_scheme=color_scheme)
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        record = Visit(page)
        page.add_init_script(RECORD_CSP)
        page.on("request", lambda request: record.requests.append(request.url))
        page.on("console", lambda message: record.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: record.errors.append(str(error)))

        def only_loopback(route: Route) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()

        context.route("**/*", only_loopback)
        page.goto(site_url + path, wait_until="load")
        return record

    yield open_page
    for context in contexts:
        context.close()


def search(page: Page, words: str) -> list[str]:
    """Type into Material's search box; the result links, best first."""
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    box.press_sequentially(words, delay=20)  # Material searches on key events, as a reader types
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=15_000)
    return [urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]


@pytest.mark.parametrize(("words", "expected"), [
    ("intuition", "statements/example-talk/"),          # a word of the statement
    ("Bob Example", "statements/example-podcast/"),     # the speaker's name
    ("Lecture 10", "statements/example-talk/"),         # the source's title
    ("generalises", "statements/example-article/"),
])
def test_search_finds_the_statement(visit: Callable[..., Visit], words: str, expected: str) -> None:
    found = search(visit("").page, words)
    assert found[0].endswith(expected), found


def test_search_by_topic_ranks_statements_first(visit: Callable[..., Visit]) -> None:
    found = search(visit("").page, "Interpretability")
    assert found[0].split("/")[-3] == "statements", found
    assert any(path.endswith("statements/example-podcast/") for path in found)


def test_watch_link_carries_the_second(visit: Callable[..., Visit]) -> None:
    page = visit("statements/example-talk/").page
    link = page.get_by_role("link", name="Watch at 22:32")
    href = link.get_attribute("href")
    assert parse_qs(urlsplit(href).query)["t"] == ["1352s"]
    vimeo = visit("statements/example-podcast/").page.get_by_role("link", name="Watch at 1:02:03")
    assert urlsplit(vimeo.get_attribute("href")).fragment == "t=3723s"


def test_filters_narrow_the_list_and_clear(visit: Callable[..., Visit]) -> None:
    page = visit("statements/").page
    cards = page.locator(".kb-all .kb-card:visible")
    assert cards.count() == 5
    page.get_by_label("Speaker").select_option("ada-example")
    assert cards.count() == 2
    page.get_by_label("Year").select_option("2023")
    assert cards.count() == 1
    assert "We really have no intuition" in cards.first.inner_text()
    assert page.locator(".kb-all .kb-year:visible h2").all_inner_texts() == ["2023"], "empty years are hidden"
    assert page.locator("#kb-filter-count").inner_text() == "Showing 1 of 5 statements."
    assert parse_qs(urlsplit(page.url).query) == {"speaker": ["ada-example"], "year": ["2023"]}
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function("document.querySelectorAll('.kb-all .kb-card:not([hidden])').length === 5")
    page.get_by_label("Topic").select_option("emergence")
    assert cards.count() == 2
    page.get_by_label("Fidelity").select_option("paraphrase")
    assert cards.count() == 1
    page.get_by_label("Topic").select_option("")
    page.get_by_label("Source type").select_option("podcast")
    assert cards.count() == 0
    assert page.locator(".kb-all .kb-year:visible").count() == 0


def test_filters_are_read_from_the_address(visit: Callable[..., Visit]) -> None:
    page = visit("statements/?topic=interpretability&type=article").page
    assert page.locator(".kb-all .kb-card:visible").count() == 1
    assert page.get_by_label("Topic").input_value() == "interpretability"


def test_embed_loads_only_after_a_click(visit: Callable[..., Visit]) -> None:
    record = visit("statements/example-talk/")
    page = record.page
    assert page.locator("iframe").count() == 0
    assert record.outside() == []
    page.get_by_role("button", name="Play here from 22:32").click()
    frame = page.locator(".kb-embed iframe")
    frame.wait_for(state="attached")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/AAAAAAAAAAA?start=1352"
    page.wait_for_timeout(300)
    assert record.csp_violations() == []  # frame-src allows the privacy-enhanced host
    assert {urlsplit(url).hostname for url in record.outside()} == {"www.youtube-nocookie.com"}


@pytest.mark.parametrize("path", PAGES)
def test_no_request_leaves_the_site_and_no_console_error(visit: Callable[..., Visit], path: str) -> None:
    record = visit(path)
    record.page.wait_for_timeout(200)
    assert record.outside() == []
    assert record.csp_violations() == []
    errors = [error for error in record.errors if not (path == "404.html" and "404" in error)]
    assert errors == []


def test_hostile_entry_runs_nothing(visit: Callable[..., Visit]) -> None:
    record = visit("statements/hostile-markup/")
    page = record.page
    assert page.evaluate("typeof window.alertCalled") == "undefined"
    assert page.locator(".kb-quote__words").inner_text().startswith("“<script>alert('statement')</script> Click [here]")
    assert page.locator(".kb-statement img, .kb-statement iframe, .kb-statement script").count() == 0
    assert record.csp_violations() == []


@pytest.mark.parametrize("path", ["", "statements/example-talk/", "statements/hostile-markup/", "statements/",
                                  "timeline/", "people/ada-example/"])
def test_phone_width_has_no_horizontal_scroll(visit: Callable[..., Visit], path: str) -> None:
    page = visit(path, PHONE).page
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


@pytest.mark.parametrize(("path", "scheme"), [
    ("", "light"), ("statements/example-talk/", "light"), ("people/ada-example/", "light"), ("statements/", "light"),
    ("", "dark"), ("statements/example-podcast/", "dark"), ("timeline/", "dark"),
])
def test_axe_finds_no_serious_or_critical_violation(visit: Callable[..., Visit], path: str, scheme: str) -> None:
    page = visit(path, color_scheme=scheme).page
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_search_results_show_hostile_text_as_text(visit: Callable[..., Visit]) -> None:
    record = visit("")
    found = search(record.page, "Mallory")
    assert found[0].endswith("statements/hostile-markup/")
    results = record.page.locator(".md-search-result")
    assert "Mallory <b>Bold</b>" in results.inner_text()
    assert results.locator("b, img, iframe, script, a[href*='evil']").count() == 0
    assert record.csp_violations() == []
