"""The built site publishes every export at its stable URL, links them, and the citation box works."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin

import bibtexparser
import jsonschema
import lxml.html
import pytest
from playwright.sync_api import Browser, Page, expect

from kb import schemas
from kb.load import load
from tests.conftest import PROJECT

COMMITTED = PROJECT / "kb" / "schema"


@pytest.fixture(scope="module")
def statement_ids(site_project: Path) -> list[str]:
    return sorted(load(site_project).entries)


def test_every_export_is_in_the_built_site(built_site: Path, statement_ids: list[str], csl_schema: dict) -> None:
    api = built_site / "api"
    data = json.loads((api / "statements.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads((COMMITTED / "dataset.schema.json").read_text(encoding="utf-8")))
    assert [record["id"] for record in data["statements"]] == statement_ids
    citations = json.loads((api / "citations.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(csl_schema).validate(citations)
    assert [item["id"] for item in citations] == statement_ids
    bib = bibtexparser.loads((api / "citations.bib").read_text(encoding="utf-8"))
    assert sorted(entry["ID"] for entry in bib.entries) == statement_ids
    rows = list(csv.DictReader(io.StringIO((api / "statements.csv").read_text(encoding="utf-8"), newline="")))
    assert [row["id"] for row in rows] == statement_ids
    for entry_id in statement_ids:
        record = json.loads((api / "statements" / f"{entry_id}.json").read_text(encoding="utf-8"))
        assert record["id"] == entry_id and record["speaker"]["name"]
    for name in schemas.schemas():
        assert (built_site / "schema" / name).read_text(encoding="utf-8") == (COMMITTED / name).read_text(
            encoding="utf-8")


def _links(built_site: Path, url_path: str, xpath: str) -> list[str]:
    document = lxml.html.fromstring((built_site / url_path / "index.html").read_bytes())
    return [urljoin(f"https://site.test/{url_path}", href) for href in document.xpath(xpath)]


def _exists(built_site: Path, url: str) -> bool:
    return (built_site / url.removeprefix("https://site.test/")).is_file()


def test_statement_pages_link_their_exports(built_site: Path, statement_ids: list[str]) -> None:
    for entry_id in statement_ids:
        links = _links(built_site, f"statements/{entry_id}/", '//p[@class="kb-cite__downloads"]//a/@href')
        assert f"https://site.test/api/statements/{entry_id}.json" in links
        assert len(links) == 6 and all(_exists(built_site, link) for link in links), links


def test_front_page_links_the_exports(built_site: Path) -> None:
    links = _links(built_site, "", '//section[@class="kb-data"]//a/@href')
    assert {link.removeprefix("https://site.test/") for link in links} == {
        "api/statements.json", "schema/dataset.schema.json", "api/citations.json", "api/citations.bib",
        "api/statements.csv"}
    assert all(_exists(built_site, link) for link in links)


def test_citation_box_on_the_hostile_page_is_text(built_site: Path) -> None:
    document = lxml.html.fromstring((built_site / "statements" / "hostile-markup" / "index.html").read_bytes())
    (box,) = document.xpath('//div[@class="kb-cite"]')
    assert not box.xpath(".//script | .//b | .//*[@style] | .//a[not(starts-with(@href, '../../'))]")
    assert len(box.xpath('.//p[@data-kb-style]')) == 3


@pytest.fixture
def page_of(browser: Browser, site_url: str) -> Iterator[Callable[..., Page]]:
    contexts = []

    def open_page(path: str, *, javascript: bool = True) -> Page:
        context = browser.new_context(java_script_enabled=javascript, service_workers="block")
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
        contexts.append(context)
        page = context.new_page()
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                             " e => window.__csp.push(e.violatedDirective));")
        page.goto(urljoin(site_url, path))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.browser
def test_style_switch_works_without_javascript(page_of: Callable[..., Page]) -> None:
    page = page_of("statements/example-talk/", javascript=False)
    apa, chicago = page.locator('[data-kb-style="apa"]'), page.locator('[data-kb-style="chicago"]')
    assert apa.is_visible() and not chicago.is_visible()
    assert not page.locator('[data-kb-copy="citation"]').is_visible()  # useless without JavaScript: hidden
    page.get_by_text("Chicago", exact=True).click()
    assert chicago.is_visible() and not apa.is_visible()
    assert chicago.inner_text().startswith("Example, Ada.")


@pytest.mark.browser
def test_copy_buttons_put_the_citation_on_the_clipboard(page_of: Callable[..., Page]) -> None:
    page = page_of("statements/example-talk/")
    page.get_by_text("MLA", exact=True).click()
    page.locator('[data-kb-copy="citation"]').click()
    status = page.locator(".kb-cite__status")
    expect(status).to_have_text("Citation copied.")  # not wait_for_function: the page's CSP forbids eval
    mla = page.locator('[data-kb-style="mla"]').inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == mla.strip()
    page.locator('[data-kb-copy="bibtex"]').click()
    expect(status).to_have_text("BibTeX copied.")
    assert page.evaluate("navigator.clipboard.readText()").startswith("@misc{example-talk,")
    page.locator('[data-kb-copy="csl-json"]').click()
    expect(status).to_have_text("CSL-JSON copied.")
    assert json.loads(page.evaluate("navigator.clipboard.readText()"))[0]["id"] == "example-talk"
    assert page.evaluate("window.__csp") == []
