"""The front page's art and hero: the SVGs are safe, self-contained and accessible; the hero shows the
shoggoth that matches the palette, opens the search, and fits a phone.

The SVGs are served as images under a strict Content-Security-Policy and must not reach anywhere: no
scripts, no external references, no embedded rasters or foreign HTML, no <style> (a style-src policy
sent with the file would block it), every colour a presentation attribute.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from sitehtml import Elements

PROJECT = Path(__file__).resolve().parents[2]
IMAGES = PROJECT / "site_src" / "assets" / "images"
HOME = PROJECT / "site_src" / "overrides" / "home.html"
SVG_NS = "{http://www.w3.org/2000/svg}"
# name -> size cap in bytes: the illustrations are detailed, the marks must stay tiny
SVGS = {"shoggoth-light.svg": 30_000, "shoggoth-dark.svg": 30_000, "logo.svg": 4_000, "favicon.svg": 4_000}
FORBIDDEN_ELEMENTS = {"script", "image", "foreignObject", "style", "iframe", "object", "embed", "a", "use"}
ALL_SCHEMES = ("light", "dark")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _svg(name: str) -> ET.Element:
    return ET.parse(IMAGES / name).getroot()


@pytest.mark.parametrize("name", sorted(SVGS))
def test_svg_is_well_formed_accessible_and_small(name: str) -> None:
    path = IMAGES / name
    assert path.stat().st_size < SVGS[name], f"{name} is {path.stat().st_size} bytes"
    root = _svg(name)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox"), "a viewBox lets the picture scale"
    title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
    assert title is not None and (title.text or "").strip()
    assert desc is not None and len((desc.text or "").strip()) > 20
    ids = {element.get("id") for element in root.iter()}
    assert set((root.get("aria-labelledby") or "").split()) == {title.get("id"), desc.get("id")} <= ids


@pytest.mark.parametrize("name", sorted(SVGS))
def test_svg_has_no_script_external_reference_or_embedded_content(name: str) -> None:
    root = _svg(name)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    for element in root.iter():
        assert _local(element.tag) not in FORBIDDEN_ELEMENTS, f"<{_local(element.tag)}> in {name}"
        for attribute, value in element.attrib.items():
            key = _local(attribute)
            assert not key.lower().startswith("on"), f"event handler {key} in {name}"
            assert key != "href", f"{key}={value!r} in {name}"
            assert "://" not in value and "data:" not in value, f"{key}={value!r} in {name}"
            for target in re.findall(r"url\(([^)]*)\)", value):
                assert target.startswith("#") and target[1:] in ids, f"url({target}) in {name} is not a local paint"
    text = (IMAGES / name).read_text(encoding="utf-8")
    assert text.count("://") == 1 and 'xmlns="http://www.w3.org/2000/svg"' in text, "only the SVG namespace"
    assert "<!ENTITY" not in text and "<!DOCTYPE" not in text


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_shoggoth_is_many_eyed_tentacled_and_masked(scheme: str) -> None:
    """The picture the brief asks for: shaded body, many eyes (some half-lidded), tentacles, the mask."""
    root = _svg(f"shoggoth-{scheme}.svg")
    elements = list(root.iter())
    fills = [element.get("fill", "") for element in elements]
    assert sum(_local(element.tag) == "radialGradient" for element in elements) >= 5
    assert fills.count("url(#sclera)") >= 12, "many eyes"
    assert fills.count("url(#lid)") >= 5, "some of them half-lidded"
    assert len({element.get("r") for element in elements if element.get("fill") == "url(#sclera)"}) >= 8, \
        "eyes of many sizes"
    assert fills.count("url(#tenF)") + fills.count("url(#tenB)") >= 8, "tentacles"
    assert fills.count("url(#mask)") == 1, "one small smiley mask"


def test_light_and_dark_variants_differ_in_colour_not_in_drawing() -> None:
    light, dark = (IMAGES / "shoggoth-light.svg").read_text(), (IMAGES / "shoggoth-dark.svg").read_text()
    assert light != dark
    shapes = re.compile(r' d="([^"]+)"')
    assert shapes.findall(light) == shapes.findall(dark)


def test_home_template_extends_main_and_renders_the_page_content() -> None:
    source = HOME.read_text(encoding="utf-8")
    code = re.sub(r"\{#.*?#\}", "", source, flags=re.DOTALL).strip()
    assert code.startswith('{% extends "main.html" %}')
    assert re.search(r"\{%\s*block content\s*%\}\s*\{\{\s*page\.content\s*\}\}\s*\{%\s*endblock\s*%\}", code)
    assert re.search(r"\{%\s*block tabs\s*%\}\s*\{\{\s*super\(\)\s*\}\}", code), "keeps Material's tabs"
    assert "<script" not in code and " style=" not in code


def test_built_front_page_has_the_hero_above_the_generated_content(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    elements = Elements(html)
    images = {attrs.get("src", ""): attrs for attrs in elements.all("img")
              if "kb-hero__img" in (attrs.get("class") or "")}
    assert sorted(Path(src).name for src in images) == ["shoggoth-dark.svg", "shoggoth-light.svg"]
    for src, attrs in images.items():
        assert "shoggoth" in (attrs.get("alt") or "") and "smiley" in (attrs.get("alt") or "")
        assert (built_site / src).is_file(), src
    forms = [attrs for attrs in elements.all("form") if attrs.get("class") == "kb-hero__search"]
    assert forms == [{"class": "kb-hero__search", "role": "search", "method": "get"}]
    fields = [attrs for attrs in elements.all("input") if attrs.get("name") == "q"]
    assert len(fields) == 1 and fields[0]["type"] == "search" and fields[0].get("aria-label")
    assert len(elements.all("h1")) == 1, "the tagline is the page's one heading"
    assert html.index('class="kb-hero"') < html.index('class="kb-counts"') < html.index('class="kb-ways"')
    assert (built_site / "assets" / "stylesheets" / "theme.css").is_file()
    assert "assets/stylesheets/theme.css" in html
    assert " style=" not in html.split('class="kb-hero"', 1)[1].split("</section>", 1)[0]


def _luminance(rgb: str) -> float:
    """WCAG relative luminance of a computed `rgb(r, g, b)` colour."""
    channels = [int(value) / 255 for value in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _open(browser: Browser, site_url: str, *, width: int, height: int, scheme: str) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url)
    page.wait_for_load_state("load")
    return page, errors


def _shown_variant(page: Page) -> str:
    """Which shoggoth the reader sees, after checking that exactly one is visible and actually loaded."""
    visible = [variant for variant in ALL_SCHEMES if page.locator(f".kb-hero__img--{variant}").is_visible()]
    assert len(visible) == 1, visible
    image = page.locator(f".kb-hero__img--{visible[0]}")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the SVG loaded"
    box = image.bounding_box()
    assert box and box["width"] >= 200 and box["height"] >= 160
    return visible[0]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_hero_shows_the_variant_of_the_active_scheme(browser: Browser, site_url: str, scheme: str) -> None:
    page, errors = _open(browser, site_url, width=1280, height=900, scheme=scheme)
    active = page.evaluate("document.body.dataset.mdColorScheme")
    assert active == ("slate" if scheme == "dark" else "default")
    assert _shown_variant(page) == scheme
    # the palette toggle switches the picture with the rest of the page
    page.locator("form[data-md-component=palette] label:visible").first.click()
    expect(page.locator("body")).not_to_have_attribute("data-md-color-scheme", active)
    assert _shown_variant(page) == ("light" if scheme == "dark" else "dark")
    assert errors == []
    page.context.close()


@pytest.mark.browser
def test_hero_sits_beside_the_tagline_on_a_desktop(browser: Browser, site_url: str) -> None:
    page, _ = _open(browser, site_url, width=1280, height=900, scheme="light")
    art, title = page.locator(".kb-hero__art").bounding_box(), page.locator(".kb-hero__title").bounding_box()
    assert art and title and art["x"] >= title["x"] + title["width"]
    assert art["y"] + art["height"] <= 900, "the whole picture is on the first screen"
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_front_page_fits_a_phone(browser: Browser, site_url: str, scheme: str) -> None:
    page, errors = _open(browser, site_url, width=390, height=844, scheme=scheme)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert _shown_variant(page) == scheme
    art, title = page.locator(".kb-hero__art").bounding_box(), page.locator(".kb-hero__title").bounding_box()
    assert art and title and art["y"] + art["height"] <= title["y"], "stacked: picture, then tagline"
    assert art["x"] >= 0 and art["x"] + art["width"] <= 390
    assert title["y"] < 844, "the tagline is on the first screen"
    for selector in (".kb-counts", ".kb-ways"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    assert errors == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_search_prompt_opens_materials_search_with_the_words(browser: Browser, site_url: str, width: int) -> None:
    page, errors = _open(browser, site_url, width=width, height=844, scheme="light")
    page.locator(".kb-hero__query").fill("mystery")
    page.locator(".kb-hero__submit").click()
    page.wait_for_url("**/?q=mystery")
    expect(page.locator("#__search")).to_be_checked()
    query = page.locator("input[data-md-component=search-query]")
    expect(query).to_be_focused()
    expect(query).to_have_value("mystery")
    expect(page.locator(".md-search-result__item").first).to_contain_text("mystery")
    assert errors == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("scheme", "width"), [("dark", 1280), ("dark", 390), ("light", 390)])
def test_palette_passes_axe_in_both_schemes(browser: Browser, site_url: str, scheme: str, width: int) -> None:
    """The light desktop front page is in the site's axe test; the palette must hold in the others too."""
    page, _ = _open(browser, site_url, width=width, height=844, scheme=scheme)
    results = Axe().run(page)
    serious = [(violation["id"], [node["target"] for node in violation["nodes"]][:3])
               for violation in results.response["violations"] if violation["impact"] in ("serious", "critical")]
    assert serious == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_timeline_bars_stand_out_from_the_page_in_both_schemes(browser: Browser, site_url: str, scheme: str) -> None:
    """The bars are primary-coloured; the palette must keep them visible (WCAG non-text contrast 3:1)."""
    page, _ = _open(browser, site_url + "timeline/", width=1280, height=900, scheme=scheme)
    bar = page.locator(".kb-chart__bar").first.evaluate("bar => getComputedStyle(bar).fill")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert _contrast(bar, background) >= 3, (bar, background)
    page.context.close()
