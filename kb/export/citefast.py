"""Citations by item *shape*: citeproc-py renders one template per shape, the field values are put back.

`citeproc_html`'s per-source template saves nothing when every statement has its own source (the
synthetic 10,000 have unique titles and speakers): 30,000 citeproc-py renders, minutes of CPU. Most of
what citeproc-py does depends only on the item's *shape* (its type, which fields it has, how many names,
page and genre, whether a year is before 1000), not on the text of its title, container, publisher,
event, section, URL, people's names or its dates. So each such value is replaced by a token, citeproc-py
renders the tokenised item once per shape and style, and each item's own values go back where the
tokens came out.

Why the result is exactly citeproc-py's (`format_direct`), and what is checked so that it is:

- What citeproc-py does to a value's content, it does in one leaf of the style: `cs:text variable=`
  (strip periods, then text case), one step of `cs:name` (initials, particles, sort order) or one
  `cs:date-part` (month names, ordinals, an era). While the template renders, these leaves are watched
  (`_Recorder`): each records which element rendered which token, in which context, and gives the token
  a mark of its own, so every place a token ends up in the output is tied to one element. An item's value
  is then run through citeproc-py's *own* code of that same element (`Text.strip_periods` and
  `Text.case`; `Name.process` on a one-name list, with the sort order the name had in the list;
  `Date_Part.process`) and put where that mark is.
- Everything else citeproc-py does with the rendered pieces (affixes, delimiters, quotes, markup) never
  looks inside a piece except at its first and last character: `citeproc.string.normalize_seam` drops a
  doubled space or punctuation mark at a seam. So a token carries the *class* of its value's edges (a
  space, one of `.,;:!?`, or anything else): an item whose text starts or ends with a space or such a mark
  gets a template whose tokens do too, and the item's rendered value must have exactly those edges. A seam
  that cuts a token's first character refuses the template (the value might lose more than one).
- A date is rendered as a canonical date of the same precision (its year tells the field); its parts are
  tokens of the type citeproc-py makes of them (str, String or MixedString decides how later seams
  join), and an item's part must come out of `Date_Part.process` with that type.
- citeproc-py looks at a value's content in two more places, `is-numeric` and plural labels; if the
  template tested a token there, the item's text must give the token's answer (no).
- A template is used only if every token came out whole, at most once per watched rendering, and
  through a watched leaf whose transform left the token itself unchanged. Any other path (a text-case on
  a macro holding a token, a number or label given one, `cs:name-part`, names rendered for sorting) makes
  the shape unsupported, and so is an item whose text holds a token character: citeproc-py renders those
  as before (`format_reference`'s other paths). Page and genre stay in the template as they are (a page
  range is formatted by its value), so they are part of the shape.

The result is `finish`ed (US punctuation in quotes, escaping) on the whole string, as `format_direct` does.
tests/export/test_citefast.py compares every real entry, the hostile fixtures and random items of every
shape kb's CSL export can produce with `format_direct`, and drives each refusal with a small style. Set
KB_CITATION_FAST=0 to turn this path off.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

from citeproc import model
from citeproc import string as citeproc_string
from citeproc.source import Date
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString, String

from kb.export import citeproc_html

STRING_FIELDS = ("title", "container-title", "publisher", "event", "section", "URL")
NAME_FIELDS = ("author", "interviewer")
DATE_FIELDS = ("issued", "event-date", "accessed")
DATE_PARTS = ("year", "month", "day")
SEAM_CHARS = frozenset(" .,;:!?")  # what citeproc-py's seams look at; every other edge is alike
NEUTRAL = "\ue003"  # a token's edge standing for any character not in SEAM_CHARS
SLOT_BASE, SLOT_LIMIT = 0xE100, 0x100  # one character per tokenised value of the template
CALL_BASE, CALL_LIMIT = 0xE400, 0x400  # one character per watched leaf rendering
_TOKEN_RANGE = re.compile("[\ue002-\ue7ff]")  # every character a token uses; entry text holding one is not templated
_SLOT_CHAR = re.compile("[\ue100-\ue1ff]")
_PARSER = CiteProcJSON([])
_local = threading.local()
_LIMIT = 50_000  # memo sizes; cleared beyond (serve runs for hours)


def enabled() -> bool:
    return os.environ.get("KB_CITATION_FAST", "1") != "0"


def _edge(char: str) -> str:
    return char if char in SEAM_CHARS else NEUTRAL


@dataclass
class _Recorder:
    """What happened to the tokens while one template rendered."""

    slots: dict[str, int]  # token -> slot number
    dates: dict[tuple[int, str], str]  # (canonical year, part) -> token
    calls: list[tuple] = field(default_factory=list)  # per call mark: ("text", slot, element, language) or
    #                                                   ("name", slot, element, context, sort order, role)
    #                                                   ("date", slot, element, context, type of its text)
    marks: list[str] = field(default_factory=list)  # per call: the token with its call mark
    tests: set[tuple[str, int]] = field(default_factory=set)  # ("numeric" | "plural", slot) answered False
    bad: str | None = None

    def mark(self, token: str, spec: tuple) -> str | None:
        """The token with a call mark of its own, tied to `spec`."""
        if len(self.calls) >= CALL_LIMIT:
            self.bad = "too many leaf renderings"
            return None
        self.calls.append(spec)
        self.marks.append(token[:2] + chr(CALL_BASE + len(self.calls) - 1) + token[2:])
        return self.marks[-1]


def _recorder() -> _Recorder | None:
    return getattr(_local, "recorder", None)


def _holds_token(text: Any) -> bool:
    return text is not None and _TOKEN_RANGE.search(str(text)) is not None


def _swap(text: Any, old: str, new: str) -> Any:
    """`text` with `old` replaced, keeping every (Mixed)String piece's class (a `MarkerFormatter` class must
    not be constructed again: its constructor adds markup)."""
    if isinstance(text, list):  # MixedString
        return type(text)([_swap(part, old, new) for part in text])
    if not isinstance(text, str):
        return text  # the token stays unmarked, and the template is refused
    return str.__new__(type(text), str.replace(text, old, new))


def _transforms(element: Any) -> bool:
    return element.get("text-case") is not None or element.get("strip-periods", "false").lower() == "true"


def _install() -> None:
    """Watch citeproc-py's leaves (only while a template renders; otherwise the originals run unchanged)."""
    if getattr(model.Text.markup, "kb_watched", False):
        return
    text_markup = model.Text.markup

    def markup(self: Any, text: Any, language: Any) -> Any:
        recorder = _recorder()
        if recorder is None or not _holds_token(text):
            return text_markup(self, text, language)
        variable = self.get("variable")
        slot = recorder.slots.get(str(text)) if variable is not None else None
        if slot is None or variable.startswith("page"):
            if _transforms(self):
                recorder.bad = f"text-case or strip-periods on a composite ({self.get('macro')})"
            return text_markup(self, text, language)
        token = str(text)
        if str(self.case(self.strip_periods(text), language)) != token:
            recorder.bad = f"the transform of {variable} changes its token"
        out = text_markup(self, text, language)
        marked = recorder.mark(token, ("text", slot, self, language))
        if marked is None or str(out).count(token) != 1:
            recorder.bad = recorder.bad or f"{variable} did not come out whole"
            return out
        return _swap(out, token, marked)

    markup.kb_watched = True  # type: ignore[attr-defined]
    model.Text.markup = markup

    for cls in (model.Number, model.Label, model.Et_Al):  # a Date_Part renders only dates (watched below)
        original = cls.markup

        def refuse(self: Any, text: Any, original: Any = original) -> Any:
            recorder = _recorder()
            if recorder is not None and _holds_token(text):
                recorder.bad = f"a token reached {type(self).__name__}"
            return original(self, text)

        cls.markup = refuse

    strip_first = citeproc_string._strip_first_char

    def watched_strip_first(other: Any) -> Any:
        recorder = _recorder()
        if recorder is not None and _SLOT_CHAR.match(str(other), 1):
            recorder.bad = "a seam cut a token's first character"  # the item's text may lose more than one
        return strip_first(other)

    citeproc_string._strip_first_char = watched_strip_first

    date_render = model.Date_Part.render

    def watched_date_render(self: Any, date: Any, context: Any = None) -> Any:
        recorder = _recorder()
        token = recorder.dates.get((date.get("year"), self.get("name"))) if recorder is not None else None
        if token is None:
            return date_render(self, date, context)
        if _transforms(self) or (context is not None and context is not self
                                 and context.find("cs:date-part", self.nsmap) is not None):
            recorder.bad = "a date part with text-case, strip-periods or overridden attributes"
        text = self.process(date, context)  # the canonical date's: of the type the item's will be
        marked = recorder.mark(token, ("date", recorder.slots[token], self, context, type(text)))
        if marked is None:
            return date_render(self, date, context)
        typed: Any = marked  # an int (a numeric day) becomes a str in `format` before anything else
        if isinstance(text, MixedString):
            typed = MixedString([String(marked)])
        elif isinstance(text, String):
            typed = String(marked)
        out = self.markup(typed)
        if str(out).count(marked) != 1:
            recorder.bad = "a date part did not come out whole"
        return out

    model.Date_Part.render = watched_date_render

    format_part = model.Name_Part.format_part

    def watched_format_part(self: Any, given: Any, family: Any) -> Any:
        recorder = _recorder()
        if recorder is not None:
            recorder.bad = "cs:name-part"
        return format_part(self, given, family)

    model.Name_Part.format_part = watched_format_part

    name_process = model.Name.process

    def process(self: Any, item: Any, variable: str, context: Any = None, sort_options: Any = None,
                **kwargs: Any) -> Any:
        out = name_process(self, item, variable, context=context, sort_options=sort_options, **kwargs)
        recorder = _recorder()
        if recorder is None or not _holds_token(out):
            return out
        if sort_options is not None:
            recorder.bad = "names rendered for sorting"
            return out
        order = self.get_option("name-as-sort-order", context, sort_options)
        for index, name in enumerate(item.reference.get(variable, [])):
            token = name.get("literal", "")
            slot = recorder.slots.get(token)
            if slot is None:
                recorder.bad = "a name that is not a token"
                return out
            count = str(out).count(token)
            if count == 0:
                continue  # left out by et-al
            sort = order == "all" or (order == "first" and index == 0)
            marked = recorder.mark(token, ("name", slot, self, context, sort, variable))
            if marked is None or count != 1:
                recorder.bad = recorder.bad or "a name did not come out whole"
                return out
            out = _swap(out, token, marked)
        return out

    model.Name.process = process

    for cls, test, kind in ((model.If, "_is_numeric", "numeric"), (model.Label, "_is_plural", "plural")):
        original = getattr(cls, test)

        def tested(self: Any, item: Any, original: Any = original, kind: str = kind) -> Any:
            answer = original(self, item)
            recorder = _recorder()
            if recorder is not None:
                names = (self.get("is-numeric") or "").split() if kind == "numeric" else [self.get("variable")]
                for name in names:
                    value = item.reference.get((name or "").replace("-", "_"))
                    slot = recorder.slots.get(str(value)) if value is not None else None
                    if slot is not None:
                        recorder.tests.add((kind, slot))  # a token is never numeric nor plural
            return answer

        setattr(cls, test, tested)


_install()


@dataclass(frozen=True)
class Template:
    """A rendered shape: citeproc's marked output cut at the marks that came out, and what each stands for."""

    pieces: tuple[str, ...]  # the text around the marks: one more than `present`
    present: tuple[tuple, ...]  # the watched calls whose mark is in the output, in output order
    tests: frozenset[tuple[str, int]]


_templates: dict[tuple[str, str], Template | None] = {}
_rendered = [0]


def _render(reference: dict[str, Any], slots: dict[str, int], dates: dict[tuple[int, str], str],
            key: str) -> Template | None:
    """Render a tokenised reference while watching its tokens; None when the shape is not supported."""
    recorder = _Recorder(slots, dates)
    _rendered[0] += 1
    _local.recorder = recorder
    try:
        raw = citeproc_html.render_raw(reference, key)
    except Exception:  # whatever citeproc-py does with this shape, the direct path does too
        return None
    finally:
        _local.recorder = None
    if recorder.bad is not None:
        if os.environ.get("KB_CITEFAST_DEBUG"):
            print("refused:", recorder.bad, reference.get("type"), key)
        return None
    found = []
    for mark, call in zip(recorder.marks, recorder.calls, strict=True):
        count = raw.count(mark)
        if count > 1:
            return None
        if count:  # not there: rendered, then dropped (a group without its variable, a substitute tried)
            found.append((raw.index(mark), mark, call))
    found.sort(key=lambda place: place[0])
    pieces, start = [], 0
    for index, mark, _ in found:
        pieces.append(raw[start:index])
        start = index + len(mark)
    pieces.append(raw[start:])
    if any(_TOKEN_RANGE.search(piece) for piece in pieces):
        return None  # a token came out cut, or by a path that was not watched
    return Template(tuple(pieces), tuple(call for _, _, call in found), frozenset(recorder.tests))


def shape_key(reference: dict[str, Any], dates: dict[tuple[int, str], str]) -> str:
    """The tokenised reference (with the tokens' edges and the canonical dates) and the date tokens decide
    everything citeproc-py does with a template, so they are its key."""
    return json.dumps([reference, sorted(dates.items())], sort_keys=True, ensure_ascii=False)


def template(reference: dict[str, Any], slots: dict[str, int], dates: dict[tuple[int, str], str], key: str,
             known: str | None = None) -> Template | None:
    """The template for a tokenised reference in style `key`, rendered once per process (`known`: its
    `shape_key`, if computed already)."""
    cache_key = (known or shape_key(reference, dates), key)
    if cache_key not in _templates:
        if len(_templates) >= _LIMIT:
            _templates.clear()
        _templates[cache_key] = _render(reference, slots, dates, key)
    return _templates[cache_key]


def rendered_templates() -> int:
    """How many templates citeproc-py has rendered in this process."""
    return _rendered[0]


@dataclass
class Shape:
    """An item split into its tokenised reference and the values the tokens stand for."""

    reference: dict[str, Any]
    values: list[Any] = field(default_factory=list)  # per slot: a string, a CSL name dict or date parts
    tokens: list[str] = field(default_factory=list)  # per slot, with neutral edges
    places: list[tuple] = field(default_factory=list)  # per slot: ("text", field), ("name", role, index)
    #                                                     or ("date", canonical year, part)

    def add(self, value: Any, place: tuple) -> str | None:
        if len(self.values) >= SLOT_LIMIT:
            return None
        self.values.append(value)
        self.tokens.append(NEUTRAL + chr(SLOT_BASE + len(self.tokens)) + NEUTRAL)
        self.places.append(place)
        return self.tokens[-1]


def _date_parts(value: Any) -> list[int] | None:
    """[year, month, day] (month and day optional) of a plain CSL date, else None."""
    if not isinstance(value, dict) or set(value) != {"date-parts"}:
        return None
    ranges = value["date-parts"]
    if not isinstance(ranges, list) or len(ranges) != 1 or not isinstance(ranges[0], list):
        return None
    parts = ranges[0]
    if not 1 <= len(parts) <= 3 or any(type(part) is not int for part in parts):
        return None
    limits = ((1, 9999), (1, 12), (1, 31))
    if any(not low <= part <= high for part, (low, high) in zip(parts, limits, strict=False)):
        return None
    return parts


def shape_of(reference: dict[str, Any], known: str | None = None) -> Shape | None:
    """The tokenised form of a reference (`citeproc_html.reference_of`; neutral token edges), or None when
    its text (or `known`, the item's JSON before cleaning) holds a token character
    or a date is not a plain year, month and day.

    A date is replaced by a canonical one of the same precision whose year names the field (2001, 2002,
    2003; 501... for a year before 1000, which citeproc-py renders with an era term) and whose day is 1 or
    2 (day 1 alone may be an ordinal); its parts are tokens."""
    if _TOKEN_RANGE.search(known or json.dumps(reference, ensure_ascii=False)):
        return None
    shape = Shape({**reference, "id": citeproc_html.TEMPLATE_ID})
    for name in STRING_FIELDS:
        value = reference.get(name)
        if isinstance(value, str) and value:
            shape.reference[name] = shape.add(value, ("text", name))
    for name in NAME_FIELDS:
        names = reference.get(name)
        if isinstance(names, list) and names and all(isinstance(one, dict) for one in names):
            shape.reference[name] = [{"literal": shape.add(one, ("name", name, index))}
                                     for index, one in enumerate(names)]
    for number, name in enumerate(DATE_FIELDS):
        if name not in reference:
            continue
        parts = _date_parts(reference[name])
        if parts is None:
            return None
        year = (2001 if parts[0] >= 1000 else 501) + number
        canonical = [year, 1, 1 if len(parts) > 2 and parts[2] == 1 else 2][:len(parts)]
        shape.reference[name] = {"date-parts": [canonical]}
        for part in DATE_PARTS[:len(parts)]:
            shape.add(tuple(parts), ("date", year, part))
    if len(shape.tokens) >= SLOT_LIMIT:
        return None
    return shape


def _edged(shape: Shape, edges: dict[int, tuple[str, str]]) -> tuple[dict[str, Any], dict[str, int],
                                                                       dict[tuple[int, str], str]]:
    """The shape's reference, token -> slot and (date year, part) -> token maps, the tokens given the
    edge classes `edges`."""
    tokens = list(shape.tokens)
    for slot, (left, right) in edges.items():
        tokens[slot] = left + tokens[slot][1] + right
    reference = dict(shape.reference)
    dates: dict[tuple[int, str], str] = {}
    for token, place in zip(tokens, shape.places, strict=True):
        if place[0] == "text":
            reference[place[1]] = token
        elif place[0] == "name":
            if place[2] == 0:
                reference[place[1]] = []
            reference[place[1]].append({"literal": token})
        else:
            dates[place[1], place[2]] = token
    return reference, {token: slot for slot, token in enumerate(tokens)}, dates


_values: dict[tuple, str | None] = {}


def _parse(value: str) -> MixedString:
    """`CiteProcJSON.parse_string`: without a nocase span that is the one piece it builds, made directly."""
    if _PARSER.start_tag in value.lower():
        return _PARSER.parse_string(value)
    return MixedString([String(value)])


def _text_value(element: Any, language: Any, value: str) -> str:
    parsed = _parse(value)
    if not _transforms(element):
        return str(parsed)
    return str(element.case(element.strip_periods(parsed), language))


class _OneName:
    """The part of a citation item `Name.process` reads: the reference, with one name."""

    def __init__(self, role: str, name: dict[str, Any]) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.reference = {role: _PARSER.parse_names([name])}


def _name_value(element: Any, context: Any, sort: bool, role: str, name: dict[str, Any]) -> str:
    """What `Name.process` makes of this one name at its place in the list (the sort order forced to the
    one the name had there: `name-as-sort-order="first"` sorts only the first)."""
    options = {"name-as-sort-order": "all" if sort else None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return str(element.process(_OneName(role, name), role, context=context, sort_options=options))


def _date_value(element: Any, context: Any, kind: type, parts: tuple[int, ...]) -> str | None:
    """What `Date_Part.process` makes of the item's date; None unless it has the template's type (the
    type decides how later seams join it)."""
    text = element.process(Date(**dict(zip(DATE_PARTS, parts, strict=False))), context)
    return str(text) if type(text) is kind else None


def _value(call: tuple, value: Any) -> str | None:
    """The text citeproc-py makes of `value` in the leaf `call`; None if it fails there. Names and dates
    recur (a speaker, a day) and cost a citeproc-py call: they are memoised; titles and URLs are not."""
    if call[0] == "text":
        try:
            return _text_value(call[2], call[3], value)
        except Exception:  # citeproc-py fails on it: the direct rendering decides
            return None
    memo = (call[0], *call[2:], tuple(sorted(value.items())) if isinstance(value, dict) else value)
    if memo in _values:
        return _values[memo]
    try:
        if call[0] == "name":
            text = _name_value(call[2], call[3], call[4], call[5], value)
        else:
            text = _date_value(call[2], call[3], call[4], value)
    except Exception:  # citeproc-py fails on it: the direct rendering decides
        text = None
    if len(_values) >= _LIMIT:
        _values.clear()
    _values[memo] = text
    return text


def _passes_tests(made: Template, shape: Shape) -> bool:
    """The item's text answers `is-numeric` and plural tests as the template's tokens did (no)."""
    for kind, slot in made.tests:
        value = shape.values[slot]
        if not isinstance(value, str):
            return False
        text = str(_parse(value))
        if kind == "numeric" and model.If.re_numeric.match(text):
            return False
        if kind == "plural" and model.Label.RE_MULTIPLE_NUMBERS.search(text):
            return False
    return True


Edges = dict[int, tuple[str, str]]


def _fill(made: Template, shape: Shape) -> tuple[list[str], Edges] | None:
    """(the item's text for each mark of `made`, the edge classes each slot needs); None if a value
    cannot go in."""
    needed: Edges = {}
    texts = []
    for call in made.present:
        slot = call[1]
        text = _value(call, shape.values[slot])
        if not text:
            return None
        edge = (_edge(text[0]), _edge(text[-1]))
        if needed.setdefault(slot, edge) != edge:
            return None  # one value rendered with different edges in two places
        texts.append(text)
    return texts, needed


@dataclass
class _Prepared:
    known: str  # the item's rendered fields as given, as JSON: what the results are kept under
    shape: Shape
    neutral: tuple[dict[str, Any], dict[str, int], dict[tuple[int, str], str]]
    key: str  # the neutral template's shape_key


_edged_templates: dict[tuple[str, str, tuple], Template | None] = {}  # (shape_key, style, edges) ->
_MISSING = object()
_results: dict[bytes, dict[str, str | None]] = {}  # SHA-256 of the fields JSON -> style -> citation
_last: list[tuple[dict[str, Any], str] | None] = [None]  # (a copy of the last item's fields, their JSON)
_prepared_last: list[_Prepared | None] = [None]


def _prepared(fields: dict[str, Any], known: str) -> _Prepared | None:
    last = _prepared_last[0]
    if last is not None and last.known == known:
        return last
    shape = shape_of(citeproc_html.reference_of(fields), known)  # the item's JSON holds all its text
    if shape is None:
        return None
    neutral = _edged(shape, {})
    prepared = _Prepared(known, shape, neutral, shape_key(neutral[0], neutral[2]))
    _prepared_last[0] = prepared
    return prepared


def _known(fields: dict[str, Any]) -> str:
    """The fields' JSON, the key of their results. A box asks for its three styles in a row, so the last
    item's JSON is reused when the fields are equal to (a copy of) the last ones."""
    last = _last[0]
    if last is not None and last[0] == fields:
        return last[1]
    known = json.dumps(fields, ensure_ascii=False, default=repr)
    _last[0] = (json.loads(known), known)  # a copy: an item changed in place is not the last one
    return known


def format_fast(item: dict[str, Any], key: str) -> str | None:
    """`format_direct(item, key)` by way of the item's shape template, or None when that is not proven
    for this item (the caller then renders it with citeproc-py)."""
    if not enabled():
        return None
    fields = {name: value for name, value in item.items() if name in citeproc_html.RENDERED_FIELDS}
    known = _known(fields)
    digest = hashlib.sha256(known.encode()).digest()  # 32 bytes per item kept, not its whole JSON
    results = _results.get(digest)
    if results is None:
        if len(_results) >= _LIMIT:
            _results.clear()
        results = _results[digest] = {}
    result = results.get(key, _MISSING)
    if result is _MISSING:
        result = results[key] = _format(fields, known, key)
    return result  # type: ignore[return-value]


def _format(fields: dict[str, Any], known: str, key: str) -> str | None:
    prepared = _prepared(fields, known)
    if prepared is None:
        return None
    shape = prepared.shape
    made = template(*prepared.neutral, key, prepared.key)
    filled = _fill(made, shape) if made is not None else None
    if filled is None:
        return None
    texts, needed = filled
    edges = {slot: edge for slot, edge in needed.items() if edge != (NEUTRAL, NEUTRAL)}
    if edges:  # the item's text starts or ends with a space or punctuation: the template with those edges
        wanted = (prepared.key, key, tuple(sorted(edges.items())))
        if wanted not in _edged_templates:
            if len(_edged_templates) >= _LIMIT:
                _edged_templates.clear()
            _edged_templates[wanted] = template(*_edged(shape, edges), key)
        edged = _edged_templates[wanted]
        if edged is None or edged.present != made.present:  # the same leaves, only the seams may differ
            return None
        made = edged
    if not _passes_tests(made, shape):
        return None
    pieces = made.pieces
    raw = "".join([part for pair in zip(pieces, texts, strict=False) for part in pair] + [pieces[-1]])
    return citeproc_html.finish(raw)


def forget() -> None:
    """Drop every template and memo (benchmarks and tests start cold with it)."""
    _templates.clear()
    _edged_templates.clear()
    _values.clear()
    _results.clear()
    _last[0] = None
    _prepared_last[0] = None
