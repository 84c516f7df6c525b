"""Every payload in every text field, through the real site build: shown as text, never markup, never run.

For each (field, payload) the test records how the pipeline treats it: `refused` (the validator stops it),
`flagged` (a warning, which fails CI's --strict, but a local `mkdocs serve` build still renders it) or
`accepted` (valid text); flagged and accepted values must both come out neutralised.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.hardening.conftest import HostileProject, problems_at, slug_of
from tests.hardening.html_scan import LOADING_TAGS, URL_ATTRIBUTES, is_safe_link, misplaced, scan
from tests.hardening.payloads import FIELDS, PAYLOADS, SECRET_TOKEN, flat

CASES = [pytest.param(field, payload, id=f"{field.name}-{payload}") for payload in PAYLOADS for field in FIELDS]
FLAGGED_PAYLOADS = {"bidi", "zero-width", "c1-control", "terminal-escape"}
NAME_FIELDS = {"source.title", "source.publisher", "source.container", "source.event", "found_via.title",
               "verified.by", "disputed.source.title", "person.name", "topic.title"}


def expected_status(field_name: str, payload: str) -> str:
    """What the validator must say: deceptive characters are flagged, look-alike letters only in names."""
    if payload in FLAGGED_PAYLOADS or (payload == "homoglyph" and field_name in NAME_FIELDS):
        return "flagged"
    return "accepted"


def status(hostile: HostileProject, field, payload: str) -> str:
    problems = problems_at(hostile, field, payload)
    if any(problem.is_error for problem in problems):
        return "refused"
    return "flagged" if problems else "accepted"


@pytest.mark.parametrize(("field", "payload"), CASES)
def test_validator_verdict(hostile: HostileProject, field, payload: str, record_property) -> None:
    verdict = status(hostile, field, payload)
    record_property("verdict", verdict)
    assert verdict == expected_status(field.name, payload), problems_at(hostile, field, payload)


@pytest.mark.parametrize(("field", "payload"), CASES)
def test_value_is_shown_as_text(hostile: HostileProject, field, payload: str, record_property) -> None:
    """The whole value, markup included, is in the text a reader sees on some page: nothing became a tag,
    a link, an admonition, a table, an included file or an evaluated template."""
    record_property("verdict", "neutralised")
    site = scan(hostile.site)
    mark = hostile.markers[field.name, payload]
    wanted = flat(hostile.values[field.name, payload])
    shown = site.with_text(mark)
    assert shown, f"{field.name} is on no page"
    assert any(wanted in page.flat_text for page in shown.values()), sorted(shown)


@pytest.mark.parametrize(("field", "payload"), CASES)
def test_value_injects_nothing(hostile: HostileProject, field, payload: str) -> None:
    """The marker is never in a tag name, an attribute name, an event handler, a script or a live URL."""
    site = scan(hostile.site)
    mark = hostile.markers[field.name, payload]
    found = {path: places for path, page in site.pages.items() if (places := misplaced(page, mark))}
    assert found == {}


def test_template_syntax_is_not_evaluated(hostile: HostileProject) -> None:
    site = scan(hostile.site)
    for field in FIELDS:
        mark = hostile.markers[field.name, "jinja"]
        for path, page in site.with_text(mark).items():
            after = page.text[page.text.index(mark):][:200]
            assert "{{ 7*7 }}" in after and "49" not in after, (field.name, path)
            assert "We Don't Know How {%" not in after, (field.name, path)


def test_no_file_is_read_into_the_site(hostile: HostileProject) -> None:
    """The snippets trick (--8<-- "file") must not pull a file from inside or outside the project."""
    leaked = [path for path in hostile.site.rglob("*") if path.is_file()
              and SECRET_TOKEN.encode() in path.read_bytes()]
    assert leaked == []
    for field in FIELDS:
        assert any('--8<--"secret.txt"' in page.flat_text
                   for page in scan(hostile.site).with_text(hostile.markers[field.name, "snippets"]).values())


@pytest.mark.parametrize("defect", [False, True],
                         ids=["all-but-c1-control", "c1-control"])
def test_no_page_runs_or_loads_anything_from_an_entry(hostile: HostileProject, defect: bool) -> None:
    """Whatever a payload did, no page has an event handler, a foreign script, a frame or a script URL."""
    problems = []
    for path, page in scan(hostile.site).pages.items():
        if ("/hostile-c1-control/" in path) != defect:
            continue
        for tag, attrs in page.tags:
            if tag in LOADING_TAGS and "md-" not in attrs.get("class", "") and tag != "svg":
                problems.append((path, tag, attrs))
            for name, value in attrs.items():
                if name.startswith("on") or name in ("srcdoc", "style"):
                    problems.append((path, tag, name))
                if name in URL_ATTRIBUTES and value and not value.startswith(("#", "/", ".")) \
                        and urlsplit(value).scheme and not is_safe_link(value):
                    problems.append((path, tag, name, value))
        for attrs, body in page.scripts:
            if "alert(" in body or (attrs.get("src") and "assets/javascripts/" not in attrs["src"]):
                problems.append((path, "script", attrs, body[:60]))
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_search_index_holds_the_text(hostile: HostileProject, payload: str) -> None:
    """The split index (kb/search) keeps entry text as plain data, whole; search-worker.js escapes it before
    Material shows it (the browser test types the markers). Material's own index, if used, must hold it escaped."""
    docs = []
    for shard in sorted((hostile.site / "search" / "kb" / "p").glob("*.json")):
        docs += [{"location": doc[0], "title": doc[1], "text": doc[2]} for doc in json.loads(shard.read_text("utf-8"))]
    material = json.loads((hostile.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    mine = [doc for doc in docs + material if doc["location"].startswith(f"statements/{slug_of(payload)}/")]
    assert mine
    text = flat(" ".join(doc["title"] + " " + doc["text"] for doc in docs
                         if doc["location"].startswith(f"statements/{slug_of(payload)}/")))
    wanted = flat(hostile.values["context", payload])[:300]  # results show a teaser of long sections
    assert not docs or wanted in text
    escaped = " ".join(doc["text"] + doc["title"] for doc in material if doc in mine)
    for bad in ("<script", "<img", "<svg", "<iframe", "<a ", "<div", "<style", "<form", "<object"):
        assert bad not in escaped, bad


def test_feed_carries_entry_text_as_text(hostile: HostileProject) -> None:
    """Feed readers render type="html" content; every entry-derived element is plain text, well formed."""
    import xml.etree.ElementTree as ET

    feeds = [path for path in hostile.site.rglob("*.xml") if "sitemap" not in path.name]
    assert feeds
    atom = "{http://www.w3.org/2005/Atom}"
    for path in feeds:
        tree = ET.parse(path)
        for element in tree.iter():
            if element.tag in (f"{atom}summary", f"{atom}content", f"{atom}title"):
                assert element.get("type", "text") == "text", (path, element.tag)
        assert any(hostile.markers["statement", "script"] in (e.text or "") for e in tree.iter())
