"""Web pages: the words of verbatim and excerpt statements looked for on the page."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

from kb.linkcheck.text import on_page, page_words
from tests.check.conftest import entry_yaml

PAGE = ("<html><head><title>Essay</title><script>var hidden = 'we really have no intuition';</script></head>"
        "<body><article><p>Honestly, <em>we really</em> have no intuition as to what\u2019s going on here. "
        "The models keep surprising us, and&nbsp;nobody can say why.</p></article></body></html>")


def codes(records: list[dict]) -> dict[str, str]:
    return {finding["code"]: finding["message"] for record in records for finding in record["findings"]}


def serve(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/essay").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    return httpserver.url_for("/essay")


def test_verbatim_words_on_the_page_are_confirmed(httpserver: HTTPServer, make_project, check) -> None:
    root = make_project({"alpha": entry_yaml(serve(httpserver), statement="We really have no intuition as to "
                                             "what's going on here.")})
    code, records, _ = check(root)
    assert code == 0
    assert codes(records) == {"words-on-page": "the words are on the page"}
    assert httpserver.log[0][0].method == "GET"


def test_words_not_on_the_page_are_a_warning(httpserver: HTTPServer, make_project, check) -> None:
    root = make_project({"alpha": entry_yaml(serve(httpserver), statement="We understand these models completely.")})
    code, records, _ = check(root)
    assert code == 0
    assert codes(records) == {"words-not-on-page": 'not on the page: "we understand these models completely"'}


def test_an_excerpt_may_leave_words_out(httpserver: HTTPServer, make_project, check) -> None:
    statement = "We really have no intuition ... The models keep surprising us, [...] nobody can say why."
    root = make_project({"alpha": entry_yaml(serve(httpserver), fidelity="excerpt", statement=statement)})
    _, records, _ = check(root)
    assert codes(records) == {"words-on-page": "the words are on the page"}


def test_a_paraphrase_is_not_looked_for(httpserver: HTTPServer, make_project, check) -> None:
    root = make_project({"alpha": entry_yaml(serve(httpserver), fidelity="paraphrase", statement="Nobody knows.")})
    _, records, _ = check(root)
    assert codes(records) == {}
    assert httpserver.log[0][0].method == "HEAD"


def test_page_text_skips_scripts_and_normalises_quotes_and_entities() -> None:
    text = page_words(PAGE)
    assert "var hidden" not in text
    assert "what's going on" not in text and "whats going on here" in text
    assert "and nobody can say why" in text


def test_runs_of_an_excerpt_must_appear_in_order() -> None:
    text = page_words(PAGE)
    assert on_page("nobody can say why ... we really have", text).found is False
    assert on_page("we really have ... nobody can say why", text).found is True
