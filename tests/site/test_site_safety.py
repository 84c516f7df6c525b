"""A hostile entry is shown as text: no markup from it runs, and nothing in it becomes a link or an image."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitehtml import Elements

HOSTILE_PAGES = ["statements/hostile-markup/", "people/mallory-example/", "topics/prompting/", "statements/",
                 "timeline/", ""]


def every_page(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.parametrize("url_path", HOSTILE_PAGES)
def test_markup_from_an_entry_is_text(built_site: Path, url_path: str) -> None:
    html = (built_site / url_path / "index.html").read_text(encoding="utf-8")
    elements = Elements(html)
    urls = [value or "" for _, attrs in elements.tags for name, value in attrs.items()
            if name in ("href", "src", "srcdoc", "action", "data-embed-src")]
    assert not [url for url in urls if urlsplit(url).hostname == "evil.example.com"]
    assert not [attrs for attrs in elements.all("img") if attrs.get("src") == "x"]
    assert not [attrs for attrs in elements.all("a") if (attrs.get("href") or "").startswith("javascript:")]
    for script in elements.all("script"):  # only the theme's and the site's own scripts
        assert script.get("src") is None or "assets/javascripts/" in script["src"]
    assert "<b>Bold</b>" not in html and "<strong>bold</strong>" not in html and "<em>Evil</em>" not in html
    if url_path in ("statements/hostile-markup/", "people/mallory-example/"):
        assert "Mallory &lt;b&gt;Bold&lt;/b&gt; [pwned](https://evil.example.com/name)" in html


def test_hostile_statement_page_shows_every_field_as_text(built_site: Path) -> None:
    html = (built_site / "statements/hostile-markup/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;statement&#39;)&lt;/script&gt; Click [here](https://evil.example.com/link)" in html
    assert "for **bold** &lt;img src=x onerror=alert(&#39;img&#39;)&gt; and {{ 7*7 }} and `code`" in html
    assert "&lt;/title&gt;&lt;script&gt;alert(&#39;role&#39;)&lt;/script&gt;" in html
    assert "&lt;iframe src=&#34;https://evil.example.com/frame&#34;&gt;&lt;/iframe&gt;" in html
    assert "&lt;style&gt;body{display:none}&lt;/style&gt; Found" in html
    assert 'href="https://example.com/post?a=1&amp;b=&lt;2&gt;"' in html
    assert "<title>Mallory &lt;b&gt;Bold&lt;/b&gt;" in html


def test_no_page_loads_anything_from_another_site(built_site: Path) -> None:
    """Scripts, styles, images and frames are all the site's own; links may point out, loads may not."""
    for path in every_page(built_site):
        elements = Elements(path.read_text(encoding="utf-8"))
        loads = [attrs.get("src") for tag in ("script", "img", "iframe", "source", "video", "audio")
                 for attrs in elements.all(tag)]
        loads += [attrs.get("href") for attrs in elements.all("link")
                  if attrs.get("rel") in ("stylesheet", "icon", "preconnect", "preload", "modulepreload")]
        external = [url for url in loads if url and url.startswith(("http:", "https:", "//"))]
        assert external == [], path


def test_every_page_has_a_content_security_policy_without_unsafe_inline(built_site: Path) -> None:
    for path in every_page(built_site):
        html = path.read_text(encoding="utf-8")
        metas = [a for a in Elements(html).all("meta") if a.get("http-equiv") == "Content-Security-Policy"]
        assert len(metas) == 1, path
        policy = metas[0]["content"]
        assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
        assert html.index("Content-Security-Policy") < html.index("<script"), "the policy must precede scripts"
