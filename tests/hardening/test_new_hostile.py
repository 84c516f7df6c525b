"""`kb new` writes YAML from a stranger's server (the page title, site name) and from its flags: whatever they
hold, the file it writes reads back strictly to exactly that text, and the file goes nowhere but entries/."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from kb.yaml_strict import parse_bytes

STATEMENT = "Nobody can say which circuit in the network stores the fact, and that worries me."
TITLES = {
    "yaml-mapping": "Key: value #not a comment",
    "yaml-list": "- item: one",
    "yaml-document": "--- !!python/object/apply:os.system ['id']",
    "yaml-anchor": "&anchor *alias <<: *alias",
    "yaml-block": "| folded > text",
    "yaml-quotes": "'single' \"double\" `back`",
    "yaml-bool": "yes",
    "yaml-number": "1e3",
    "yaml-null": "~",
    "markup": "<script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }}",
    "entities": "&lt;b&gt; &amp;amp; &#x3C;",
    "unicode-lines": "line\u2028separator\u0085next",
    "bidi": "\u202eevil\u202c title",
    "percent-braces": "%YAML 1.1 {a: [b]}",
}


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """Entry URLs need a dotted host; 'localhost' is refused by the model."""
    return ("127.0.0.1", 0)


def _page(title: str, site: str) -> str:
    return (f"<!doctype html><html><head><title>{html.escape(title)}</title>"
            f'<meta property="og:site_name" content="{html.escape(site)}">'
            '<meta property="article:published_time" content="2024-03-04T10:00:00Z"></head>'
            "<body><article><p>Words.</p></article></body></html>")


def _new(run_kb, project: Path, url: str, *extra: str) -> tuple[int, str, str]:
    return run_kb("new", url, "--root", str(project), "--allow-private", "--type", "article", "--speaker",
                  "ada-example", "--topic", "prompting", *extra)


@pytest.mark.parametrize("name", TITLES)
def test_a_hostile_page_title_is_written_as_text(project: Path, httpserver: HTTPServer, run_kb, name: str) -> None:
    title = TITLES[name]
    httpserver.expect_request("/article").respond_with_data(_page(title, f"Site {title}"), content_type="text/html")
    code, out, err = _new(run_kb, project, httpserver.url_for("/article"), "--statement", STATEMENT, "--id", "hostile")
    assert "Traceback" not in out + err
    written = project / "entries" / "hostile.yaml"
    if code != 0:
        assert code in (1, 2) and err and not written.exists()
        return
    value = parse_bytes(written.read_bytes()).value
    assert " ".join(value["source"]["title"].split()) == " ".join(title.split())
    assert value["statement"] == STATEMENT and value["speaker"] == "ada-example"


@pytest.mark.parametrize("statement", ["Words: with # and - and {{ 7*7 }} and <b>tags</b>",
                                       "'quoted' \"twice\" --- ... !!binary x", "A\u202e reversed and \u200b hidden"])
def test_a_hostile_statement_flag_is_written_exactly(project: Path, httpserver: HTTPServer, run_kb,
                                                    statement: str) -> None:
    httpserver.expect_request("/article").respond_with_data(_page("A title", "A site"), content_type="text/html")
    code, out, err = _new(run_kb, project, httpserver.url_for("/article"), "--statement", statement, "--id", "words")
    assert code == 0 and "Traceback" not in out + err, err
    assert parse_bytes((project / "entries" / "words.yaml").read_bytes()).value["statement"] == statement


@pytest.mark.parametrize("entry_id", ["../evil", "../../evil", "/tmp/evil", "a/b", "a\\b", ".hidden", "CON",
                                      "\u0430da", "ada\u200b", "x" * 81, "", "ada\n", "con", "nul", "com1"])
def test_an_id_that_is_not_a_slug_writes_nothing(project: Path, httpserver: HTTPServer, run_kb,
                                                 entry_id: str) -> None:
    httpserver.expect_request("/article").respond_with_data(_page("A title", "A site"), content_type="text/html")
    before = {path for path in project.parent.rglob("*")}
    code, out, err = _new(run_kb, project, httpserver.url_for("/article"), "--statement", STATEMENT,
                          "--id", entry_id)
    assert code in (1, 2) and err and "Traceback" not in out + err
    assert {path for path in project.parent.rglob("*")} == before


def test_a_hostile_new_speaker_is_written_as_text(project: Path, httpserver: HTTPServer, run_kb) -> None:
    httpserver.expect_request("/article").respond_with_data(_page("A title", "A site"), content_type="text/html")
    name, description = "Mallory: #1 <b>-</b> {{ 7*7 }}", "- 'a list'? &no *alias !!python/object:os.system"
    code, out, err = _new(run_kb, project, httpserver.url_for("/article"), "--statement", STATEMENT, "--id", "m",
                          "--speaker", "mallory", "--new-speaker", name, "--speaker-description", description)
    assert "Traceback" not in out + err
    people = parse_bytes((project / "entries" / "_people.yaml").read_bytes()).value
    assert code == 0, err
    assert people["ada-example"]["name"] == "Ada Example"  # the rest is kept
    added = [person for person in people.values() if person.get("name") == name]
    assert added and added[0]["description"] == description
