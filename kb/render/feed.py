"""An Atom feed of the most recently added statements (by `added`), at /feed.xml.

Built with ElementTree so every value is escaped as XML; characters XML 1.0 cannot carry are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kb.load import KnowledgeBase
from kb.render.common import SiteOptions, is_quoted, snippet
from kb.render.index import Index
from kb.render.statement import url_of

PATH = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {name: _text(value) for name, value in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _id(options: SiteOptions, path: str) -> str:
    """An entry's permanent id: its absolute URL, or a URN when the site has no configured URL."""
    return options.page_url(path) if options.site_url else f"urn:x-wedontknowhow:{path or 'feed'}"


def atom_feed(kb: KnowledgeBase, index: Index, options: SiteOptions, site_name: str) -> str:
    ET.register_namespace("", ATOM)
    newest = sorted(index.entries.items(), key=lambda item: (item[1].added, item[0]), reverse=True)[:LIMIT]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _element(feed, "title", site_name)
    _element(feed, "subtitle", "Newly added statements")
    _element(feed, "id", _id(options, ""))
    _element(feed, "link", href=options.page_url(PATH), rel="self", type="application/atom+xml")
    _element(feed, "link", href=options.page_url(""), rel="alternate", type="text/html")
    _element(feed, "updated", f"{newest[0][1].added}T00:00:00Z" if newest else "1970-01-01T00:00:00Z")
    for entry_id, entry in newest:
        name = kb.people.items[entry.speaker].name
        words = snippet(entry.statement, 10)
        item = _element(feed, "entry")
        _element(item, "title", f"{name}: “{words}”" if is_quoted(entry) else f"{name} (paraphrase): {words}")
        _element(item, "id", _id(options, url_of(entry_id)))
        _element(item, "link", href=options.page_url(url_of(entry_id)), rel="alternate", type="text/html")
        _element(item, "updated", f"{entry.added}T00:00:00Z")
        _element(_element(item, "author"), "name", name)
        summary = entry.statement if not is_quoted(entry) else f"“{entry.statement}”"
        _element(item, "summary", f"{summary} ({entry.source.title}, {entry.said})", type="text")
        for topic in entry.topics:
            _element(item, "category", term=topic, label=kb.topics.items[topic].title)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
