"""Reading built pages: their text (what a reader sees) and their tags (what a browser would run or load)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from tests.hardening.payloads import flat

TEXT_ATTRIBUTES = frozenset({"content", "title", "alt", "aria-label", "data-embed-title", "placeholder"})
"""Attributes whose value is shown as text (escaped by the renderer); entry text may appear in them."""
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href",
                            "data-embed-src", "background", "cite"})
LOADING_TAGS = frozenset({"iframe", "object", "embed", "frame", "frameset", "applet", "base", "math", "audio",
                          "video", "source", "track"})
"""Tags the built pages never contain (video embeds are made by the site's script, on click)."""


class Page(HTMLParser):
    """Start tags as (tag, attributes) and the text outside <script> and <style>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._parts: list[str] = []
        self._inside: list[str] = []
        self.feed(html)
        self.close()
        self.text = "".join(self._parts)
        self.flat_text = flat(self.text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag in ("script", "style"):
            self._inside.append(tag)
            if tag == "script":
                self.scripts.append((values, ""))

    def handle_endtag(self, tag: str) -> None:
        if self._inside and self._inside[-1] == tag:
            self._inside.pop()

    def handle_data(self, data: str) -> None:
        if self._inside:
            if self._inside[-1] == "script" and self.scripts:
                attrs, body = self.scripts[-1]
                self.scripts[-1] = (attrs, body + data)
            return
        self._parts.append(data)


@dataclass
class Site:
    root: Path
    pages: dict[str, Page] = field(default_factory=dict)

    def with_text(self, mark: str) -> dict[str, Page]:
        return {path: page for path, page in self.pages.items() if mark in page.text}


@cache
def scan(root: Path) -> Site:
    site = Site(root)
    for path in sorted(root.rglob("*.html")):
        site.pages[path.relative_to(root).as_posix()] = Page(path.read_text(encoding="utf-8"))
    return site


def is_safe_link(url: str) -> bool:
    """A link entry text may reach: http(s) to a host that is not the attacker's."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and (parts.hostname or "") != "evil.example"


def misplaced(page: Page, mark: str) -> list[str]:
    """Every place a marker sits that is not shown text: a tag or attribute name, a script, a live URL."""
    found = []
    for tag, attrs in page.tags:
        if mark in tag:
            found.append(f"tag <{tag}>")
        for name, value in attrs.items():
            if mark in name:
                found.append(f"attribute name {name!r} on <{tag}>")
            elif mark in value and name not in TEXT_ATTRIBUTES:
                if name == "href" and tag == "a" and is_safe_link(value) and "<" not in value and '"' not in value:
                    continue  # a deep link into the source (text fragment), percent-encoded
                found.append(f"{name}={value[:80]!r} on <{tag}>")
    found += [f"script {body[:80]!r}" for _, body in page.scripts if mark in body]
    return found
