"""Material's inline scripts load from files; a script in the page content stays inline and refused."""

from __future__ import annotations

import re
from pathlib import Path

from kb.render import csp
from kb.render.scripts import ScriptFiles, file_name

PAGE = """<html><head><meta http-equiv="Content-Security-Policy" content="kb-csp-placeholder">
<script>__md_scope=new URL("../..",location)</script><script id="__config" type="application/json">{"a": 1}</script>
</head><body>{content}<script>palette()</script><script src="x.js"></script><script defer>later()</script>
</body></html>"""


def _page(content: str) -> str:
    return PAGE.replace("{content}", content)


def test_theme_scripts_move_to_files_with_the_same_text() -> None:
    scripts = ScriptFiles()
    out = scripts.apply(_page(""), "", lambda path: "../../" + path)
    scope, palette = '__md_scope=new URL("../..",location)', "palette()"
    assert f'<script src="../../{file_name(scope)}"></script>' in out
    assert f'<script src="../../{file_name(palette)}"></script>' in out
    assert scripts.documents() == {file_name(scope): scope.encode(), file_name(palette): palette.encode()}
    assert '<script id="__config" type="application/json">{"a": 1}</script>' in out
    assert '<script defer>later()</script>' in out, "anything but a plain <script> is left as it is"
    policy = csp.policy(out)
    assert "script-src 'self' 'sha256-" in policy, "the one left inline is still hashed"


def test_a_script_in_the_content_stays_inline_and_unhashed() -> None:
    content = "<p>words</p><script>stolen()</script>"
    scripts = ScriptFiles()
    out = csp.apply(scripts.apply(_page(content), content, lambda path: path), content)
    assert content in out
    assert all(body != "stolen()" for body in map(bytes.decode, scripts.documents().values()))
    policy = out.split('content="', 1)[1].split('"', 1)[0]
    assert "'unsafe-inline'" not in policy
    assert re.findall(r"'sha256-[^']+'", policy) == [csp.inline_hashes("<script defer>later()</script>")[0][0]], \
        "only the theme's defer script is hashed; the content's is not"


def test_the_built_site_runs_no_inline_theme_script(built_site: Path) -> None:
    checked = 0
    for page in built_site.rglob("*.html"):
        if page.name == "404.html":  # linked absolutely from any depth: its scripts stay inline
            continue
        html = page.read_text(encoding="utf-8")
        assert "<script>" not in html, page
        for src in re.findall(r'<script src="([^"]*inline-[0-9a-f]{8}\.js)"></script>', html):
            assert (page.parent / src).resolve().is_file(), (page, src)
            checked += 1
        assert "script-src 'self';" in html, page
    assert checked >= 3 * 15, "three scripts on each of the fixture site's pages"
