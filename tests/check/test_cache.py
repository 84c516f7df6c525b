"""The cache under .kb-cache/: good results reused until --max-age, failures rechecked, SIGKILL-safe."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.check.conftest import entry_yaml

PROJECT = Path(__file__).resolve().parents[2]


def journal(root: Path) -> Path:
    return root / ".kb-cache" / "links.jsonl"


def lines_written(root: Path) -> int:
    """Finished lines so far, counted without parsing (the run is still writing)."""
    return journal(root).read_bytes().count(b"\n") if journal(root).exists() else 0


def cached(root: Path) -> list[dict]:
    """The cache's records, one per line; every line must be whole JSON."""
    if not journal(root).exists():
        return []
    return [json.loads(line) for line in journal(root).read_text().splitlines()]


def two_links(httpserver: HTTPServer, make_project) -> Path:
    httpserver.expect_request("/good").respond_with_data("fine")
    httpserver.expect_request("/bad").respond_with_data("gone", status=404)
    return make_project({"alpha": entry_yaml(httpserver.url_for("/good"), fidelity="paraphrase"),
                         "beta": entry_yaml(httpserver.url_for("/bad"), fidelity="paraphrase")})


def requested(httpserver: HTTPServer) -> list[str]:
    return [request.path for request, _ in httpserver.log]


def test_a_warm_run_sends_no_request_for_good_urls_and_rechecks_failures(httpserver: HTTPServer,
                                                                         make_project, check) -> None:
    root = two_links(httpserver, make_project)
    check(root)
    assert sorted(requested(httpserver)) == ["/bad", "/good"]
    httpserver.clear_log()
    code, records, _ = check(root)
    assert requested(httpserver) == ["/bad"]
    assert code == 1
    assert {record["url"].rsplit("/", 1)[1]: record["cached"] for record in records} == {"good": True, "bad": False}


def test_each_cached_result_carries_its_check_time(httpserver: HTTPServer, make_project, check) -> None:
    root = two_links(httpserver, make_project)
    before = time.time()
    check(root)
    records = cached(root)
    assert len(records) == 2
    assert all(before <= record["observation"]["checked_at"] <= time.time() for record in records)


def test_results_older_than_max_age_are_checked_again(httpserver: HTTPServer, make_project, check) -> None:
    root = two_links(httpserver, make_project)
    check(root)
    httpserver.clear_log()
    check(root, "--max-age", "0")
    assert sorted(requested(httpserver)) == ["/bad", "/good"]


def test_no_cache_neither_reads_nor_writes(httpserver: HTTPServer, make_project, check) -> None:
    root = two_links(httpserver, make_project)
    check(root, "--no-cache")
    assert not (root / ".kb-cache").exists()
    check(root)
    httpserver.clear_log()
    check(root, "--no-cache")
    assert sorted(requested(httpserver)) == ["/bad", "/good"]


def test_a_damaged_cache_file_is_a_miss_not_a_crash(httpserver: HTTPServer, make_project, check) -> None:
    root = two_links(httpserver, make_project)
    check(root)
    journal(root).write_text('{"version": 1, "observation": {"url": \n[]\n')
    httpserver.clear_log()
    _, records, _ = check(root)
    assert sorted(requested(httpserver)) == ["/bad", "/good"]
    assert len(records) == 2


def test_a_cached_line_with_a_value_of_the_wrong_type_is_a_miss(httpserver: HTTPServer, make_project, check) -> None:
    root = two_links(httpserver, make_project)
    check(root)
    records = cached(root)
    for record in records:
        record["observation"]["checked_at"] = "yesterday"
    journal(root).write_text("".join(json.dumps(record) + "\n" for record in records))
    httpserver.clear_log()
    check(root)
    assert sorted(requested(httpserver)) == ["/bad", "/good"]


def test_a_run_killed_with_sigkill_leaves_a_cache_the_next_run_reads(raw_server, make_project, check) -> None:
    hold = threading.Event()

    def handle(sock, request: bytes) -> None:
        if request.split(b" ")[1] == b"/slow":
            hold.wait(30)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    server = raw_server(handle)
    entries = {f"e{index}": entry_yaml(server.url(f"/fast/{index}"), fidelity="paraphrase", title=f"T{index}")
               for index in range(30)}
    entries["slow"] = entry_yaml(server.url("/slow"), fidelity="paraphrase")
    root = make_project(entries)
    process = subprocess.Popen([sys.executable, "-m", "kb", "check", "--root", str(root), "--allow-private",
                                "--format", "json"], cwd=PROJECT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(PROJECT)})
    deadline = time.monotonic() + 30
    while lines_written(root) < 10 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)  # while other results are still being written
    process.wait()
    assert process.returncode == -signal.SIGKILL
    files = cached(root)
    assert len(files) >= 10
    assert all(record["observation"]["status"] == 200 for record in files)
    hold.set()
    server.requests.clear()
    code, records, _ = check(root)
    asked = [request.split(b" ")[1] for request in server.requests]
    assert b"/slow" in asked and len(asked) == 31 - len(files)
    assert code == 0 and sum(record["cached"] for record in records) == len(files)
