"""`kb new` at a real terminal (a pseudo-terminal through pexpect): every missing field is asked for,
a wrong answer is explained and asked again, and the file written is the one the flags would give."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
from pytest_httpserver import HTTPServer

from kb.checks import run_checks
from kb.load import load
from tests.contrib.test_new import STATEMENT, video_page

KB = str(Path(sys.executable).parent / "kb")


def _spawn(project: Path, *args: str) -> pexpect.spawn:
    return pexpect.spawn(KB, ["new", "--root", str(project), "--allow-private", *args], encoding="utf-8",
                         timeout=30, dimensions=(40, 200))


def test_every_missing_field_is_asked_for_and_bad_answers_are_asked_again(project: Path,
                                                                          httpserver: HTTPServer) -> None:
    httpserver.expect_request("/lecture").respond_with_data(video_page(httpserver), content_type="text/html")
    httpserver.expect_request("/media/lecture.mp4").respond_with_data(b"\0" * 64, content_type="video/mp4")
    child = _spawn(project)
    child.expect_exact("Link to the recording or text, as published: ")
    child.sendline(httpserver.url_for("/lecture"))
    child.expect_exact("The words, as said: ")
    child.sendline(STATEMENT)
    child.expect_exact("Speaker's key in entries/_people.yaml (like geoffrey-hinton): ")
    child.sendline("ada-exampel")
    child.expect_exact("'ada-exampel' is not in entries/_people.yaml (did you mean 'ada-example'?).")
    child.expect_exact("Their full name, to add them (Enter to type the key again): ")
    child.sendline("")
    child.expect_exact("Speaker's key in entries/_people.yaml (like geoffrey-hinton): ")
    child.sendline("ada-example")
    child.expect_exact("Topics, comma-separated (emergence, prompting): ")
    child.sendline("promting")
    child.expect_exact("did you mean 'prompting'?")
    child.expect_exact("Topics, comma-separated (emergence, prompting): ")
    child.sendline("prompting, emergence")
    child.expect_exact("Fidelity: verbatim, excerpt or paraphrase [verbatim]: ")
    child.sendline("")
    child.expect_exact("found a recording: Example Lecture 12: Circuits, 1:02:03 long")
    child.expect_exact("Where the words start (M:SS or H:MM:SS): ")
    child.sendline("22.32")
    child.expect_exact("write a time code as M:SS, MM:SS or H:MM:SS")
    child.expect_exact("Where the words start (M:SS or H:MM:SS): ")
    child.sendline("22:32")
    child.expect_exact("Context, one or two neutral sentences (optional): ")
    child.sendline("A lecture on where facts are stored.")
    child.expect_exact("wrote entries/example-nobody-can-say-circuit.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    entry = load(project).entries["example-nobody-can-say-circuit"]
    assert (entry.fidelity.value, entry.source.at, entry.topics, entry.said) == (
        "verbatim", "22:32", ["prompting", "emergence"], "2023-05-17")
    assert entry.context == "A lecture on where facts are stored."
    assert [p.code for p in run_checks(load(project))] == ["private-url"]


def test_a_new_speaker_can_be_added_from_the_prompt(project: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/lecture").respond_with_data(video_page(httpserver), content_type="text/html")
    httpserver.expect_request("/media/lecture.mp4").respond_with_data(b"\0" * 64, content_type="video/mp4")
    child = _spawn(project, httpserver.url_for("/lecture"), "--statement", STATEMENT, "--topic", "emergence",
                   "--at", "1:00", "--fidelity", "paraphrase")
    child.expect_exact("Speaker's key in entries/_people.yaml (like geoffrey-hinton): ")
    child.sendline("bea-example")
    child.expect_exact("Their full name, to add them (Enter to type the key again): ")
    child.sendline("Bea Example")
    child.expect_exact("One line on who they are (like 'Computer scientist at MIT'): ")
    child.sendline("A fictional host.")
    child.expect_exact("Context, one or two neutral sentences (optional): ")
    child.sendline("")
    child.expect_exact("added bea-example to entries/_people.yaml")
    child.expect_exact("wrote entries/example-nobody-can-say-circuit.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert load(project).people.items["bea-example"].name == "Bea Example"


def test_end_of_input_at_a_prompt_is_a_usage_error(project: Path) -> None:
    child = _spawn(project)
    child.expect_exact("Link to the recording or text, as published: ")
    child.sendeof()
    child.expect_exact("kb new: error: no answer for URL")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
