"""What `kb check` prints: the table, GitHub annotations at the entry's line, archives, the progress bar."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
from pytest_httpserver import HTTPServer

from tests.check.conftest import entry_yaml

PROJECT = Path(__file__).resolve().parents[2]


def test_text_output_ends_with_a_summary_table(httpserver: HTTPServer, make_project, run_kb) -> None:
    httpserver.expect_request("/ok").respond_with_data("fine")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/ok"), fidelity="paraphrase"),
                         "beta": entry_yaml(httpserver.url_for("/gone"), fidelity="paraphrase")})
    code, out, err = run_kb("check", "--root", str(root), "--allow-private", "--format", "text")
    assert code == 1
    assert f"entries/beta.yaml:9:8: error link-broken: {httpserver.url_for('/gone')}: HTTP 404" in out
    table = out[out.index("result "):].splitlines()
    assert table[0].split() == ["result", "status", "note", "url", "entries"]
    assert table[1].split()[:2] == ["error", "404"] and table[1].split()[-1] == "beta"
    assert table[2].split()[:2] == ["ok", "200"] and table[2].split()[-1] == "alpha"
    assert table[3].startswith("2 URLs in ") and table[3].endswith("1 ok, 0 with warnings, 1 broken")
    assert "\r" not in err


def test_github_format_annotates_the_line_of_the_url(httpserver: HTTPServer, make_project, run_kb) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    root = make_project({"beta": entry_yaml(httpserver.url_for("/gone"), fidelity="paraphrase")})
    code, out, _ = run_kb("check", "--root", str(root), "--allow-private", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=entries/beta.yaml,line=9,col=8,title=link-broken::")


def test_a_past_end_annotation_points_at_the_time_code(httpserver: HTTPServer, make_project, run_kb) -> None:
    from tests.check.test_recordings import lecture, video_page

    root = make_project({"alpha": lecture(video_page(httpserver), at="25:25")})
    _, out, _ = run_kb("check", "--root", str(root), "--allow-private", "--format", "github")
    assert "::error file=entries/alpha.yaml,line=10,col=7,title=past-end::" in out


def test_a_broken_link_gets_the_archived_line_to_add(httpserver: HTTPServer, make_project, run_kb,
                                                     monkeypatch) -> None:
    gone = httpserver.url_for("/gone")
    snapshot = f"https://web.archive.org/web/20230101000000/{gone}"
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/wayback/available", query_string={"url": gone}).respond_with_json(
        {"archived_snapshots": {"closest": {"available": True, "url": snapshot, "timestamp": "20230101000000"}}})
    monkeypatch.setenv("KB_WAYBACK_API", httpserver.url_for("/wayback/available"))
    root = make_project({"beta": entry_yaml(gone, fidelity="paraphrase")})
    code, out, _ = run_kb("check", "--root", str(root), "--allow-private", "--format", "text")
    assert code == 1
    assert f"    hint: add `archived: {snapshot}` to the source" in out
    assert f"archived: {snapshot}" in out[out.index("result "):]


def test_an_entry_that_has_an_archive_is_not_looked_up(httpserver: HTTPServer, make_project, check,
                                                       monkeypatch) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/copy").respond_with_data("the archived copy")
    monkeypatch.setenv("KB_WAYBACK_API", httpserver.url_for("/wayback/available"))
    root = make_project({"beta": entry_yaml(httpserver.url_for("/gone"), fidelity="paraphrase",
                                            archived=httpserver.url_for("/copy"))})
    check(root, "--no-cache")
    assert "/wayback/available" not in [request.path for request, _ in httpserver.log]


def test_a_progress_bar_is_drawn_on_a_terminal_only(httpserver: HTTPServer, make_project, run_kb) -> None:
    httpserver.expect_request("/ok").respond_with_data("fine")
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/ok"), fidelity="paraphrase")})
    child = pexpect.spawn(sys.executable, ["-m", "kb", "check", "--root", str(root), "--allow-private",
                                           "--no-cache"], cwd=str(PROJECT), encoding="utf-8", timeout=60,
                          env={**os.environ, "PYTHONPATH": str(PROJECT)})
    child.expect(r"\r\[#+\] 1/1 URLs")
    child.expect(pexpect.EOF)
    _, _, err = run_kb("check", "--root", str(root), "--allow-private", "--no-cache")
    assert "URLs" not in err and "[#" not in err


def test_json_records_carry_the_documented_keys(httpserver: HTTPServer, make_project, check) -> None:
    httpserver.expect_request("/ok").respond_with_data("fine")
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/ok"), fidelity="paraphrase")})
    _, records, _ = check(root)
    assert {"url", "ok", "status", "final_url", "error", "entries", "duration", "checked_at"} <= set(records[0])
    assert isinstance(records[0]["ok"], bool) and isinstance(records[0]["status"], int)
