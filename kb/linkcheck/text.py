"""The words of a statement, of a web page and of captions, compared as words.

Quotes, apostrophes, dashes, case, accents written two ways and whitespace are normalised away, so
"what’s" on a page matches "what's" in an entry. An excerpt may leave words out ("...", "…", "[...]")
or add its own ("[the model]"): each unbroken run must appear, in order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc`]")
_WORD = re.compile(r"[^\W_]+")
_ELISION = re.compile(r"\.\.\.|\u2026|\[[^\]]*\]")
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_INLINE = frozenset({"a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s", "small", "span", "strong",
                     "sub", "sup", "u"})


def words(text: str) -> list[str]:
    """Lower-case words without punctuation; apostrophes dropped so "don't" and "don’t" agree."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(_APOSTROPHES.sub("", text))


class _Text(HTMLParser):
    """Visible text of a page: scripts, styles and the head skipped, block boundaries kept as spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def page_words(body: str, *, html: bool = True) -> str:
    """The page's words joined by single spaces: what is cached and searched."""
    return " ".join(words(html_text(body) if html else body))


def segments(statement: str) -> list[list[str]]:
    """The unbroken runs of an excerpt, as word lists (a verbatim statement is one run)."""
    return [run for run in (words(part) for part in _ELISION.split(statement)) if run]


@dataclass(frozen=True)
class Match:
    found: bool
    missing: str | None = None


def on_page(statement: str, page: str) -> Match:
    """Whether every run of the statement is on the page, in order; else the first run that is not."""
    haystack = f" {page} "
    position = 0
    for run in segments(statement):
        needle = f" {' '.join(run)} "
        found = haystack.find(needle, position)
        if found < 0:
            return Match(False, " ".join(run))
        position = found + len(needle) - 1
    return Match(True)
