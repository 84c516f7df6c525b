"""The scanner the site tests rely on finds what it must: a check that cannot fail guards nothing."""

from __future__ import annotations

from tests.hardening.html_scan import Page, misplaced
from tests.hardening.payloads import flat

MARK = "mk99f99z"


def test_escaped_markup_is_text_and_misplaces_nothing() -> None:
    page = Page(f'<p title="{MARK} &lt;b&gt;">{MARK} &lt;script&gt;alert(1)&lt;/script&gt;</p>'
                f'<a href="https://example.org/x#:~:text={MARK}">x</a>')
    assert flat(f"{MARK} <script>alert(1)</script>") in page.flat_text
    assert misplaced(page, MARK) == []


def test_injected_markup_is_found() -> None:
    cases = [f"<script>alert('{MARK}')</script>", f"<img src=x onerror=alert('{MARK}')>",
             f"<a href=\"javascript:alert('{MARK}')\">x</a>", f'<a href="https://evil.example/{MARK}">x</a>',
             f'<p id="kb-{MARK}">x</p>', f'<div {MARK}="1"></div>', f"<{MARK}>x</{MARK}>",
             f'<p onclick="{MARK}">x</p>']
    for html in cases:
        assert misplaced(Page(html), MARK), html


def test_markup_turned_into_elements_is_not_text() -> None:
    page = Page(f"<p><b>{MARK}</b> <a href='x'>link</a></p>")
    assert flat(f"<b>{MARK}</b>") not in page.flat_text
    assert flat(f"[link](x) {MARK}") not in page.flat_text
