"""HTTP behaviour of `kb check`: statuses, HEAD/GET, redirects, retries, politeness, exit codes."""

from __future__ import annotations

import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from kb.linkcheck.links import check_link, pauses, retry_after
from kb.linkcheck.settings import Settings
from tests.check.conftest import entry_yaml

FAST = Settings(allow_private=True, timeout=3, backoff=0.01, retry_after_cap=0.3)


def findings(record: dict) -> list[str]:
    return [finding["code"] for finding in record["findings"]]


def test_a_live_link_is_ok_and_names_its_entries(httpserver: HTTPServer, make_project, check) -> None:
    httpserver.expect_request("/ok").respond_with_data("fine")
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/ok"), fidelity="paraphrase"),
                         "beta": entry_yaml(httpserver.url_for("/ok"), fidelity="paraphrase", title="B")})
    code, records, _ = check(root)
    assert code == 0
    assert len(records) == 1
    assert records[0]["url"] == httpserver.url_for("/ok")
    assert (records[0]["ok"], records[0]["status"], records[0]["error"]) == (True, 200, None)
    assert records[0]["entries"] == ["alpha", "beta"]


def test_a_missing_page_is_an_error_and_exits_1(httpserver: HTTPServer, make_project, check) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/gone"), fidelity="paraphrase")})
    code, records, _ = check(root)
    assert code == 1
    assert (records[0]["ok"], records[0]["status"]) == (False, 404)
    assert findings(records[0]) == ["link-broken"]


@pytest.mark.parametrize("refusal", [405, 403, 501])
def test_head_refused_falls_back_to_get(httpserver: HTTPServer, refusal: int) -> None:
    httpserver.expect_request("/page", method="HEAD").respond_with_data("", status=refusal)
    httpserver.expect_request("/page", method="GET").respond_with_data("hello")
    observation = check_link(httpserver.url_for("/page"), FAST)
    assert (observation.status, observation.method) == (200, "GET")
    assert [request.method for request, _ in httpserver.log] == ["HEAD", "GET"]


def test_a_permanent_redirect_is_offered_as_a_fix(httpserver: HTTPServer, make_project, check) -> None:
    httpserver.expect_request("/old").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/new")}))
    httpserver.expect_request("/new").respond_with_data("moved here")
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/old"), fidelity="paraphrase")})
    code, records, _ = check(root)
    assert code == 0
    assert records[0]["final_url"] == httpserver.url_for("/new")
    assert records[0]["fix"] == httpserver.url_for("/new")
    assert findings(records[0]) == ["link-moved"]


def test_a_temporary_redirect_reports_the_final_url_without_a_fix(httpserver: HTTPServer, make_project,
                                                                  check) -> None:
    httpserver.expect_request("/tmp").respond_with_response(
        Response(status=302, headers={"Location": "/there"}))
    httpserver.expect_request("/there").respond_with_data("here")
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/tmp"), fidelity="paraphrase")})
    code, records, _ = check(root)
    assert (code, records[0]["final_url"], records[0]["fix"], records[0]["findings"]) == (
        0, httpserver.url_for("/there"), None, [])


def test_a_redirect_loop_is_broken(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_response(Response(status=302, headers={"Location": "/b"}))
    httpserver.expect_request("/b").respond_with_response(Response(status=302, headers={"Location": "/a"}))
    observation = check_link(httpserver.url_for("/a"), FAST)
    assert observation.error is not None and "redirect loop" in observation.error
    assert len(httpserver.log) == 2


def test_redirects_stop_at_the_limit(httpserver: HTTPServer) -> None:
    for hop in range(15):
        httpserver.expect_request(f"/{hop}").respond_with_response(
            Response(status=302, headers={"Location": f"/{hop + 1}"}))
    observation = check_link(httpserver.url_for("/0"), FAST)
    assert observation.error == f"more than 10 redirects (last to {httpserver.url_for('/11')})"


def test_server_errors_are_retried_with_backoff(httpserver: HTTPServer) -> None:
    answers = iter([503, 500, 200])
    httpserver.expect_request("/flaky").respond_with_handler(lambda _: Response("x", status=next(answers)))
    observation = check_link(httpserver.url_for("/flaky"), FAST)
    assert (observation.status, observation.attempts) == (200, 3)


def test_retries_give_up_after_the_limit(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/down").respond_with_data("x", status=503)
    observation = check_link(httpserver.url_for("/down"), FAST)
    assert (observation.status, observation.attempts) == (503, FAST.retries + 1)


def test_a_reset_connection_is_retried(raw_server) -> None:
    """The first two connections are dropped unanswered: urllib3 retries a dropped connection once by
    itself, then check_link's own retry (with backoff) gets through."""
    calls = []

    def handle(sock, request) -> None:
        calls.append(1)
        if len(calls) <= 2:
            sock.close()
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    server = raw_server(handle)
    observation = check_link(server.url("/"), FAST)
    assert (observation.status, observation.attempts, len(calls)) == (200, 2, 3)


def test_retry_after_is_honoured(httpserver: HTTPServer) -> None:
    answers = iter([Response("slow down", status=429, headers={"Retry-After": "1"}), Response("ok")])
    httpserver.expect_request("/busy").respond_with_handler(lambda _: next(answers))
    settings = Settings(allow_private=True, timeout=3, backoff=0.01, retry_after_cap=5)
    started = time.monotonic()
    observation = check_link(httpserver.url_for("/busy"), settings)
    assert observation.status == 200
    assert time.monotonic() - started >= 1.0


def test_retry_after_is_capped(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy").respond_with_response(
        Response("no", status=429, headers={"Retry-After": "3600"}))
    started = time.monotonic()
    observation = check_link(httpserver.url_for("/busy"), FAST)
    assert observation.status == 429
    assert time.monotonic() - started < 2 * FAST.retries * FAST.retry_after_cap + 1


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after("7") == 7
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == pytest.approx(10)
    assert retry_after("soon") is None


@pytest.mark.parametrize("status", [403, 429, 999])
def test_bot_refusals_are_unverifiable_warnings(httpserver: HTTPServer, make_project, check, status: int) -> None:
    httpserver.expect_request("/guarded").respond_with_data("go away", status=status)
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/guarded"), fidelity="paraphrase")})
    code, records, _ = check(root)
    assert code == 0
    assert (records[0]["ok"], records[0]["severity"]) == (True, "warning")
    assert findings(records[0]) == ["link-unverifiable"]


def test_the_user_agent_names_the_project(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ua").respond_with_data("ok")
    check_link(httpserver.url_for("/ua"), FAST)
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert "wedontknowhow-kb" in agent and "We Don't Know How" in agent


def test_a_server_that_does_not_answer_times_out(raw_server) -> None:
    server = raw_server(lambda sock, request: time.sleep(5))
    started = time.monotonic()
    observation = check_link(server.url("/"), Settings(allow_private=True, timeout=0.5))
    assert observation.error == "no complete answer within 0.5 s"
    assert time.monotonic() - started < 1.5


def test_no_more_than_four_requests_at_once_per_host(raw_server, make_project, check) -> None:
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def handle(sock, request) -> None:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    server = raw_server(handle)
    root = make_project({f"e{index}": entry_yaml(server.url(f"/{index}"), fidelity="paraphrase", title=f"T{index}")
                         for index in range(12)})
    code, records, _ = check(root)
    assert code == 0 and len(records) == 12
    assert state["max"] == 4


def test_usage_errors_exit_2(make_project, run_kb) -> None:
    root = make_project({})
    assert run_kb("check", "--root", str(root), "--timeout", "0")[0] == 2
    assert run_kb("check", "--root", str(root), "--max-age", "-1")[0] == 2
    assert run_kb("check", "--root", str(root), "--format", "xml")[0] == 2




def test_only_the_given_entries_are_checked(httpserver: HTTPServer, make_project, check) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    httpserver.expect_request("/b").respond_with_data("b")
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/a"), fidelity="paraphrase"),
                         "beta": entry_yaml(httpserver.url_for("/b"), fidelity="paraphrase")})
    code, records, _ = check(root, str(root / "entries" / "beta.yaml"))
    assert code == 0
    assert [record["entries"] for record in records] == [["beta"]]
    assert [request.path for request, _ in httpserver.log] == ["/b"]


def test_retry_after_pauses_the_whole_host(raw_server) -> None:
    told = threading.Event()
    seen: list[tuple[bytes, float]] = []

    def handle(sock, request: bytes) -> None:
        path = request.split(b" ")[1]
        seen.append((path, time.monotonic()))
        if path == b"/first" and not told.is_set():
            told.set()
            sock.sendall(b"HTTP/1.1 429 Too Many\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    server = raw_server(handle)
    settings = Settings(allow_private=True, timeout=3, backoff=0.01, retry_after_cap=5)
    first = threading.Thread(target=check_link, args=(server.url("/first"), settings))
    first.start()
    deadline = time.monotonic() + 5
    while pauses.remaining(f"127.0.0.1:{server.port}") == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    told_at = time.monotonic()
    assert check_link(server.url("/second"), settings).status == 200
    first.join()
    second_at = next(at for path, at in seen if path == b"/second")
    assert second_at - told_at >= 0.8


def test_a_redirect_status_without_a_location_is_a_warning(httpserver: HTTPServer, make_project, check) -> None:
    httpserver.expect_request("/odd").respond_with_data("", status=302)
    root = make_project({"alpha": entry_yaml(httpserver.url_for("/odd"), fidelity="paraphrase")})
    code, records, _ = check(root)
    assert (code, records[0]["status"], findings(records[0])) == (0, 302, ["link-unusual"])


def test_a_name_that_does_not_exist_is_not_retried() -> None:
    """tests/check/conftest.py's resolver answers "no such name" for every real name, like NXDOMAIN."""
    observation = check_link("http://no-such-host.example.org/", Settings(timeout=3, backoff=0.5))
    assert observation.attempts == 1
    assert observation.error is not None and observation.error.startswith("cannot resolve no-such-host.example.org")


def test_a_dead_name_is_broken_not_refused(make_project, check) -> None:
    root = make_project({"alpha": entry_yaml("http://no-such-host.example.org/", fidelity="paraphrase")})
    code, records, _ = check(root, private=False)
    assert code == 1 and findings(records[0]) == ["link-broken"]
