"""Material's inline icons point into one sprite file, its inline scripts load from files and the indentation
goes; the pages look exactly as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from kb.render.icons import SPRITE_PATH, IconSprite
from tests.site.conftest import make_project, mkdocs_build, serve_folder

MENU = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18v2H3zm0 5h18v2H3z"/></svg>'
USE = re.compile(r'<use href="([^"#]*)#(i[0-9a-f]{8})"/>')


def test_an_icon_becomes_a_reference_to_its_symbol() -> None:
    icons = IconSprite()
    page = f"<label>{MENU}</label><span>{MENU}</span>"
    out = icons.apply(page, "../../assets/icons.svg")
    references = USE.findall(out)
    assert len(references) == 2 and references[0] == references[1]
    assert references[0][0] == "../../assets/icons.svg"
    assert out.count('<svg viewBox="0 0 24 24">') == 2 and "<path" not in out
    sprite = icons.document().decode()
    assert sprite.count("<symbol") == 1
    symbol = f'<symbol id="{references[0][1]}" viewBox="0 0 24 24"><path d="M3 6h18v2H3zm0 5h18v2H3z"/></symbol>'
    assert symbol in sprite


def test_the_id_is_the_same_in_every_build() -> None:
    first, second = IconSprite(), IconSprite()
    assert first.apply(MENU, "x.svg") == second.apply(MENU, "x.svg")
    assert first.document() == second.document()


@pytest.mark.parametrize("kept", [
    f"<pre>{MENU}</pre>", f"<script>var icon = '{MENU}';</script>", f"<textarea>{MENU}</textarea>",
    '<svg class="kb-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><path d="M0 0h9"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><path d="M0 0h9"/><path d="M0 9h9"/></svg>',
])
def test_anything_else_is_left_as_it_is(kept: str) -> None:
    icons = IconSprite()
    assert icons.apply(f"<p>a</p>{kept}<p>b</p>", "x.svg") == f"<p>a</p>{kept}<p>b</p>"
    assert not icons.symbols


def test_every_reference_in_the_built_site_finds_its_symbol(built_site: Path) -> None:
    sprite = (built_site / SPRITE_PATH).read_text(encoding="utf-8")
    symbols = set(re.findall(r'<symbol id="(i[0-9a-f]{8})"', sprite))
    checked = 0
    for page in built_site.rglob("*.html"):
        if page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path' not in html, page
        for href, ident in USE.findall(html):
            assert (page.parent / href).resolve() == (built_site / SPRITE_PATH).resolve(), page
            assert ident in symbols, (page, ident)
            checked += 1
    assert checked > 100


@pytest.fixture(scope="module")
def inline_icon_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site the long way round: Material's icons and scripts inline, its indentation kept."""
    project = make_project(tmp_path_factory.mktemp("inline-icons") / "project",
                           kb_options={"icon_sprite": False, "script_files": False, "compact_pages": False})
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def _screenshot(browser: Browser, url: str, viewport: dict[str, int], scheme: str) -> bytes:
    context = browser.new_context(viewport=viewport, color_scheme=scheme, reduced_motion="reduce",
                                  service_workers="block")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    # the search box's placeholder is drawn a frame late now and then, on either site: it is not compared
    shot = page.screenshot(full_page=True, animations="disabled", mask=[page.locator(".md-search__input")])
    context.close()
    return shot


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["statements/example-talk/", "about/"])  # a generated page, a written one
def test_pages_look_the_same_slimmed(browser: Browser, built_site: Path, inline_icon_site: Path,
                                     path: str, scheme: str) -> None:
    """Pixel for pixel, on a desktop and a phone (where the menu and search icons show), in both schemes (the
    scheme is set by one of the moved scripts)."""
    with serve_folder(inline_icon_site) as inline_url, serve_folder(built_site) as slim_url:
        for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
            assert (_screenshot(browser, inline_url + path, viewport, scheme)
                    == _screenshot(browser, slim_url + path, viewport, scheme)), (path, scheme, viewport)
