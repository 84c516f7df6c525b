"""`kb new` against real pages on 127.0.0.1: yt-dlp reads a JSON-LD VideoObject, kb.http reads an article;
the file written passes the checks; the refusals write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from kb.checks import run_checks
from kb.fmt import format_file
from kb.load import load
from kb.model import Person
from kb.scaffold import person_text
from kb.yaml_strict import parse_text

STATEMENT = "Nobody can say which circuit in the network stores the fact, and that worries me."


def video_page(server: HTTPServer, title: str = "Example Lecture 12: Circuits", duration: str = "PT1H2M3S") -> str:
    """A page whose schema.org VideoObject yt-dlp's generic extractor reads (contentUrl must be absolute)."""
    data = {"@context": "https://schema.org", "@type": "VideoObject", "name": title, "duration": duration,
            "uploadDate": "2023-05-17", "author": {"@type": "Person", "name": "Example University"},
            "contentUrl": server.url_for("/media/lecture.mp4"), "description": "A lecture."}
    return (f"<!doctype html><html><head><title>{title}</title>"
            f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
            f"<body><h1>{title}</h1></body></html>")


ARTICLE = ("<!doctype html><html><head><title>Nobody knows how it works | Example Times</title>"
           '<meta property="og:site_name" content="Example Times">'
           '<meta property="article:published_time" content="2024-03-04T10:00:00Z"></head>'
           "<body><article><p>Words.</p></article></body></html>")


@pytest.fixture
def pages(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/lecture").respond_with_data(video_page(httpserver), content_type="text/html")
    httpserver.expect_request("/media/lecture.mp4").respond_with_data(b"\0" * 64, content_type="video/mp4")
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html")
    return httpserver


def _new(run_kb, project: Path, url: str, *extra: str):
    return run_kb("new", url, "--root", str(project), "--allow-private", "--statement", STATEMENT,
                  "--speaker", "ada-example", "--topic", "prompting", *extra)


def test_a_recording_gives_title_publisher_date_and_the_checked_file(project: Path, pages: HTTPServer, run_kb):
    url = pages.url_for("/lecture")
    code, out, err = _new(run_kb, project, url, "--at", "22:32", "--fidelity", "excerpt")
    assert code == 0, err
    path = project / "entries" / "example-nobody-can-say-circuit.yaml"
    assert path.read_text(encoding="utf-8") == f"""\
# yaml-language-server: $schema=../kb/schema/entry.schema.json
statement: >-
  {STATEMENT}
fidelity: excerpt
speaker: ada-example
said: 2023-05-17
source:
  type: video
  title: 'Example Lecture 12: Circuits'
  url: {url}
  publisher: Example University
  published: 2023-05-17
  at: "22:32"
topics: [prompting]
added: {_today()}
"""
    assert "found a recording: Example Lecture 12: Circuits, 1:02:03 long, by Example University" in err
    assert "wrote entries/example-nobody-can-say-circuit.yaml" in out
    assert f"1. Open {url}#t=1352 and check the words against the recording (fidelity: excerpt)." in out
    assert "kb validate refuses it, so link to the public source before opening a pull request" in out
    problems = run_checks(load(project))
    assert [(p.path, p.code) for p in problems] == [("entries/example-nobody-can-say-circuit.yaml", "private-url")]
    assert format_file(path, "entries/x.yaml", project).changed is False


def test_a_link_with_a_start_time_gives_at(project: Path, pages: HTTPServer, run_kb) -> None:
    """yt-dlp keeps a generic page's fragment in its URL (a YouTube share link comes back without ?t=),
    so the link stays as given and `kb validate`'s url-time rule sees that it agrees with `at`."""
    url = f"{pages.url_for('/lecture')}#t=95"
    code, _, err = _new(run_kb, project, url, "--id", "shared-link")
    assert code == 0, err
    text = (project / "entries" / "shared-link.yaml").read_text(encoding="utf-8")
    assert f"  url: {url}\n" in text and '  at: "1:35"\n' in text
    assert [p.code for p in run_checks(load(project))] == ["private-url"]


def test_an_article_gives_the_page_title_site_and_date(project: Path, pages: HTTPServer, run_kb) -> None:
    code, _, err = _new(run_kb, project, pages.url_for("/article"), "--type", "article", "--id", "ada-article")
    assert code == 0, err
    text = (project / "entries" / "ada-article.yaml").read_text(encoding="utf-8")
    assert "  type: article\n  title: Nobody knows how it works | Example Times\n" in text
    assert "  publisher: Example Times\n  published: 2024-03-04\n" in text and "at:" not in text
    assert "said: 2024-03-04\n" in text


def test_a_new_speaker_is_appended_to_the_registry_keeping_the_rest(project: Path, pages: HTTPServer, run_kb):
    people = project / "entries" / "_people.yaml"
    before = people.read_text(encoding="utf-8")
    code, out, err = run_kb("new", pages.url_for("/lecture"), "--root", str(project), "--allow-private",
                            "--statement", STATEMENT, "--new-speaker", "Zoë O'Brien",
                            "--speaker-description", "A fictional student.", "--topic", "emergence", "--at", "1:00")
    assert code == 0, err
    after = people.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before):] == "zoe-obrien:\n  name: Zoë O'Brien\n  description: A fictional student.\n"
    assert "added zoe-obrien to entries/_people.yaml" in out
    kb = load(project)
    assert kb.people.items["zoe-obrien"].name == "Zoë O'Brien"
    assert "wrote entries/obrien-nobody-can-say-circuit.yaml" in out
    assert [p.code for p in run_checks(kb)] == ["private-url"]


def test_an_existing_file_is_never_overwritten(project: Path, pages: HTTPServer, run_kb) -> None:
    path = project / "entries" / "example-talk.yaml"
    before = path.read_bytes()
    code, _, err = _new(run_kb, project, pages.url_for("/lecture"), "--at", "1:00", "--id", "example-talk")
    assert code == 1
    assert "entries/example-talk.yaml already exists; choose another --id" in err and "nothing was written" in err
    assert path.read_bytes() == before


def test_a_statement_the_knowledge_base_has_is_refused(project: Path, pages: HTTPServer, run_kb) -> None:
    url = pages.url_for("/lecture")
    assert _new(run_kb, project, url, "--at", "1:00", "--id", "first")[0] == 0
    files = sorted(path.name for path in (project / "entries").iterdir())
    code, out, err = _new(run_kb, project, url, "--at", "1:05", "--id", "second")
    assert code == 1
    assert ("entries/second.yaml:2:12: error duplicate: the same statement from the same source is also in "
            "entries/first.yaml") in out
    assert "entries/second.yaml would not pass kb validate (see above)" in err
    assert sorted(path.name for path in (project / "entries").iterdir()) == files


def test_a_time_past_the_end_of_the_recording_is_refused(project: Path, pages: HTTPServer, run_kb) -> None:
    code, _, err = _new(run_kb, project, pages.url_for("/lecture"), "--at", "1:02:04")
    assert code == 1
    assert "--at 1:02:04 is past the end of the recording, which lasts 1:02:03" in err
    assert sorted(path.name for path in (project / "entries").iterdir()) == [
        "_people.yaml", "_topics.yaml", "example-essay.yaml", "example-talk.yaml"]


def test_a_private_address_is_refused_without_allow_private(project: Path, pages: HTTPServer, run_kb) -> None:
    code, _, err = run_kb("new", pages.url_for("/lecture"), "--root", str(project), "--statement", STATEMENT,
                          "--speaker", "ada-example", "--topic", "prompting", "--at", "1:00")
    assert code == 1
    assert "127.0.0.1 is a loopback address" in err and "--allow-private" in err
    assert len(pages.log) == 0


@pytest.mark.parametrize("timecode", ["22.32", "1:2", "1:60:00", "1:60"])
def test_a_bad_time_code_is_a_usage_error_before_any_request(project: Path, pages: HTTPServer, run_kb,
                                                             timecode: str) -> None:
    code, _, err = _new(run_kb, project, pages.url_for("/lecture"), "--at", timecode)
    assert code == 2
    assert f"--at '{timecode}': write a time code as M:SS, MM:SS or H:MM:SS" in err
    assert len(pages.log) == 0


def test_a_time_code_on_a_text_page_is_refused(project: Path, pages: HTTPServer, run_kb) -> None:
    code, _, err = _new(run_kb, project, pages.url_for("/article"), "--at", "1:00")
    assert code == 1
    assert "no recording found at" in err and "for a text (an article, an essay) leave --at out" in err


def test_missing_flags_without_a_terminal_are_a_usage_error(project: Path, run_kb) -> None:
    code, _, err = run_kb("new", "https://www.youtube.com/watch?v=AAAAAAAAAAA", "--root", str(project))
    assert code == 2
    assert err == ("kb new: error: missing --statement, --speaker, --topic "
                   "(or run kb new in a terminal to be asked)\n")


def test_an_unknown_speaker_is_named_with_a_suggestion(project: Path, run_kb) -> None:
    code, _, err = run_kb("new", "https://www.youtube.com/watch?v=AAAAAAAAAAA", "--root", str(project),
                          "--statement", STATEMENT, "--speaker", "ada-exampel", "--topic", "prompting")
    assert code == 2
    assert "'ada-exampel' is not in entries/_people.yaml (did you mean 'ada-example'?)" in err
    assert "--new-speaker NAME --speaker-description TEXT" in err


def test_an_unknown_topic_lists_the_known_ones(project: Path, run_kb) -> None:
    code, _, err = run_kb("new", "https://www.youtube.com/watch?v=AAAAAAAAAAA", "--root", str(project),
                          "--statement", STATEMENT, "--speaker", "ada-example", "--topic", "promting")
    assert code == 2
    assert "'promting' is not in entries/_topics.yaml (did you mean 'prompting'?); use one of: emergence, prompting" \
        in err


def test_registry_lines_quote_what_yaml_would_misread() -> None:
    text = person_text("ada", Person(name="Ada: #1 'the first'", description="- a list? no"))
    assert parse_text(text).value == {"ada": {"name": "Ada: #1 'the first'", "description": "- a list? no"}}


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def test_a_date_the_calendar_lacks_is_dropped_from_the_facts() -> None:
    from kb.scaffold import SourceFacts

    assert SourceFacts(url="https://example.org/", recording=False, published="2024-02-30").published is None
    assert SourceFacts(url="https://example.org/", recording=False, published="2024-02-29").published == "2024-02-29"


def test_an_unreadable_registry_is_refused_before_anything_is_written(project: Path, run_kb) -> None:
    people = project / "entries" / "_people.yaml"
    people.write_bytes(people.read_bytes() + b"\xff\xfe broken\n")
    before = sorted(path.name for path in (project / "entries").iterdir())
    code, out, err = _new(run_kb, project, "https://example.org/talk", "--at", "1:00", "--new-speaker", "Ann Other",
                          "--speaker-description", "A test person.")
    assert code == 1 and "entries/_people.yaml" in out and "nothing was written" in err
    assert sorted(path.name for path in (project / "entries").iterdir()) == before
