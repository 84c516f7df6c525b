"""Issue 8.5: the link checker against hostile servers on loopback. Every case is refused or bounded."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc

import pytest

import kb.http
from kb.http import FetchError, fetch
from kb.linkcheck.links import check_link
from kb.linkcheck.settings import Settings
from tests.check.conftest import entry_yaml

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


def answer_ok(sock: socket.socket, request: bytes) -> None:
    sock.sendall(OK)


@pytest.mark.parametrize("host", ["127.1", "0x7f000001", "2130706433", "017700000001", "[::1]",
                                  "[::ffff:127.0.0.1]", "localhost", "127.0.0.1"])
def test_private_spellings_are_refused_before_any_connection(raw_server, host: str) -> None:
    server = raw_server(answer_ok)
    with pytest.raises(FetchError, match=r"^refused: .*(loopback|local host name)"):
        fetch(f"http://{host}:{server.port}/")
    assert server.requests == []


def test_the_same_server_is_reached_with_allow_private(raw_server) -> None:
    """The refusals above are the defence, not an unreachable server."""
    server = raw_server(answer_ok)
    assert fetch(f"http://127.1:{server.port}/", allow_private=True).body == b"ok"
    assert fetch(f"http://0x7f000001:{server.port}/", allow_private=True).body == b"ok"


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch):
    """A hostile name server: names map to the addresses a test chooses (connections stay on loopback)."""
    answers: dict[str, list[str]] = {}
    asked: list[str] = []
    real = kb.http.resolve  # the conftest's guard: only local spellings reach the real resolver

    def resolve(host, port, *args, **kwargs):
        asked.append(host)
        if host in answers:
            return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                    for ip in answers[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(kb.http, "resolve", resolve)
    return answers, asked


def test_a_name_resolving_to_a_private_address_is_refused(raw_server, fake_dns) -> None:
    answers, _ = fake_dns
    answers["intranet.example.com"] = ["127.0.0.1"]
    server = raw_server(answer_ok)
    expected = r"refused: intranet\.example\.com resolves to 127\.0\.0\.1, a loopback address"
    with pytest.raises(FetchError, match=expected):
        fetch(f"http://intranet.example.com:{server.port}/")
    assert server.requests == []


def test_one_private_address_among_public_ones_is_enough_to_refuse(raw_server, fake_dns) -> None:
    answers, _ = fake_dns
    answers["mixed.example.com"] = ["93.184.216.34", "10.0.0.7"]
    with pytest.raises(FetchError, match=r"10\.0\.0\.7, a private address"):
        fetch("http://mixed.example.com/")


def test_the_checked_answer_is_the_one_connected_to(raw_server, fake_dns, monkeypatch) -> None:
    """DNS rebinding: the name is resolved once per connection, and that answer is used to connect."""
    answers, asked = fake_dns
    answers["rebind.example.com"] = ["127.0.0.1"]
    monkeypatch.setattr(kb.http, "is_public", lambda address: str(address) == "127.0.0.1")
    server = raw_server(answer_ok)
    assert fetch(f"http://rebind.example.com:{server.port}/").body == b"ok"
    assert asked.count("rebind.example.com") == 1


@pytest.mark.parametrize("target", ["http://127.0.0.2:{port}/", "http://[::1]:{port}/", "http://inside.example.com/",
                                    "file:///etc/passwd"])
def test_a_redirect_to_a_private_address_is_refused(raw_server, fake_dns, monkeypatch, target: str) -> None:
    """127.0.0.1 plays a public server here (the only kind a test can reach); its redirect must not be followed."""
    answers, _ = fake_dns
    answers["public.example.com"] = ["127.0.0.1"]
    answers["inside.example.com"] = ["192.168.1.1"]
    monkeypatch.setattr(kb.http, "is_public", lambda address: str(address) == "127.0.0.1")
    victim = raw_server(answer_ok)
    location = target.format(port=victim.port).encode()

    def redirect(sock: socket.socket, request: bytes) -> None:
        sock.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n")

    server = raw_server(redirect)
    with pytest.raises(FetchError, match=r"refused|only http and https"):
        fetch(f"http://public.example.com:{server.port}/")
    assert len(server.requests) == 1
    assert victim.requests == []


def test_kb_check_refuses_private_links_without_the_flag(raw_server, make_project, check) -> None:
    server = raw_server(answer_ok)
    root = make_project({"alpha": entry_yaml(f"http://127.1:{server.port}/", fidelity="paraphrase"),
                         "beta": entry_yaml(f"http://[::ffff:127.0.0.1]:{server.port}/", fidelity="paraphrase")})
    code, records, _ = check(root, private=False)
    assert code == 1
    assert {finding["code"] for record in records for finding in record["findings"]} == {"link-refused"}
    assert server.requests == []


def _peak_mib(action) -> tuple[object, float]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1] / 1_048_576
    finally:
        tracemalloc.stop()


def test_an_endless_body_is_cut_at_the_cap(raw_server) -> None:
    def endless(sock: socket.socket, request: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        chunk = b"x" * 65536
        while True:
            sock.sendall(chunk)

    server = raw_server(endless)
    started = time.monotonic()
    response, peak = _peak_mib(lambda: fetch(server.url("/"), allow_private=True, timeout=5))
    assert (len(response.body), response.truncated) == (1_048_576, True)
    assert time.monotonic() - started < 3
    assert peak < 8


def test_a_gzip_bomb_is_inflated_only_up_to_the_cap(raw_server) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1_048_576), compresslevel=9)
    assert len(bomb) < 100_000

    def explode(sock: socket.socket, request: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb) + bomb)

    server = raw_server(explode)
    response, peak = _peak_mib(lambda: fetch(server.url("/"), allow_private=True, timeout=5))
    assert (len(response.body), response.truncated) == (1_048_576, True)
    assert peak < 16


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_slow_drip_is_cut_at_the_deadline(raw_server, where: str) -> None:
    stop = threading.Event()

    def drip(sock: socket.socket, request: bytes) -> None:
        if where == "body":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        else:
            sock.sendall(b"HTTP/1.1 200 OK\r\n")
        while not stop.is_set():
            sock.sendall(b"X-Drip: 1\r\n" if where == "headers" else b"x")
            time.sleep(0.05)

    server = raw_server(drip)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match=r"no complete answer within 1 s"):
            fetch(server.url("/"), allow_private=True, timeout=1)
    finally:
        stop.set()
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("headers", [b"X-Big: " + b"a" * 200_000 + b"\r\n",
                                     b"".join(b"X-%d: y\r\n" % index for index in range(5000))])
def test_huge_headers_are_refused_quickly(raw_server, headers: bytes) -> None:
    def huge(sock: socket.socket, request: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\n" + headers + b"Content-Length: 0\r\n\r\n")

    server = raw_server(huge)
    started = time.monotonic()
    observation = check_link(server.url("/"), Settings(allow_private=True, timeout=3, backoff=0.01))
    assert observation.error is not None and observation.error.startswith("connection failed")
    assert time.monotonic() - started < 2


def test_a_redirect_loop_across_urls_ends(raw_server) -> None:
    def loop(sock: socket.socket, request: bytes) -> None:
        path = request.split(b" ")[1]
        target = b"/b" if path == b"/a" else b"/a"
        sock.sendall(b"HTTP/1.1 301 Moved\r\nLocation: " + target + b"\r\nContent-Length: 0\r\n\r\n")

    server = raw_server(loop)
    started = time.monotonic()
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(server.url("/a"), allow_private=True)
    assert time.monotonic() - started < 3
    assert len(server.requests) == 2
