"""The Content-Security-Policy: theme scripts hashed, anything in the page content refused."""

from __future__ import annotations

import base64
import hashlib
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from kb.render import csp

TEMPLATE = """<html><head><meta http-equiv="Content-Security-Policy" content="kb-csp-placeholder">
<script>theme()</script><script id="__config" type="application/json">{"a": 1}</script></head>
<body>{content}<script src="assets/x.js"></script></body></html>"""


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_theme_scripts_are_hashed_and_content_scripts_are_not() -> None:
    content = "<p>words</p><script>stolen()</script>"
    html = csp.apply(TEMPLATE.replace("{content}", content), content)
    policy = html.split('content="', 1)[1].split('"', 1)[0]
    assert sha("theme()") in policy
    assert sha("stolen()") not in policy
    assert sha('{"a": 1}') not in policy  # a JSON data block does not run and needs no hash
    assert "'unsafe-inline'" not in policy and policy.startswith("default-src 'none'; script-src 'self' ")


def test_serve_mode_allows_the_live_reload_script() -> None:
    html = csp.apply(TEMPLATE.replace("{content}", ""), "", allow_inline_scripts=True)
    assert "script-src 'self' 'unsafe-inline';" in html


def test_a_page_without_the_placeholder_is_left_alone() -> None:
    assert csp.apply("<p>plain</p>") == "<p>plain</p>"


@pytest.mark.browser
def test_the_browser_refuses_a_script_that_reached_the_content(built_site: Path, browser: Browser,
                                                               tmp_path: Path) -> None:
    """If an escaping bug ever let a hostile entry's script into a page, the policy still stops it."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page_file = site / "statements" / "hostile-markup" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    page_file.write_text(html.replace('<article class="kb-statement"',
                                      "<script>window.__pwned = 1</script><article class=\"kb-statement\"", 1),
                         encoding="utf-8")
    page = browser.new_page()
    try:
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.goto(page_file.as_uri())
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert any("Content Security Policy" in message for message in messages), messages
        # the theme's own hashed inline scripts still ran: Material's bundle found its helpers
        assert page.evaluate("typeof window.__md_get") == "function"
    finally:
        page.close()
