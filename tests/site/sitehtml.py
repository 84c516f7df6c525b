"""Reading built pages in the tests: a page's HTML by URL path, and its parsed links and scripts."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


def html_of(site: Path, url_path: str) -> str:
    """The HTML served at a directory URL such as 'statements/example-talk/'."""
    return (site / url_path / "index.html").read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Every start tag as (tag, attributes), and the text inside each element by tag."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]
