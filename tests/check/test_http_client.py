"""kb.http itself: pinning keeps TLS verification, no proxy from the environment, no cookies, decoding."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.http import FetchError, fetch, new_pool

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and the name 'localhost'), made by openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "6")
            self.end_headers()
            self.wfile.write(b"secret")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"https://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_a_pinned_https_connection_still_verifies_the_certificate(tls_server: str, certificate) -> None:
    trusting = new_pool(allow_private=True, ca_certs=str(certificate[0]))
    assert fetch(tls_server, allow_private=True, pool=trusting).body == b"secret"
    with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        fetch(tls_server, allow_private=True, pool=new_pool(allow_private=True))


def test_proxy_settings_in_the_environment_are_ignored(raw_server, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = raw_server(lambda sock, request: sock.sendall(OK))
    target = raw_server(lambda sock, request: sock.sendall(OK))
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy.url("/"))
    assert fetch(target.url("/"), allow_private=True, pool=new_pool(allow_private=True)).body == b"ok"
    assert proxy.requests == [] and len(target.requests) == 1


def test_cookies_are_neither_kept_nor_sent(raw_server) -> None:
    def set_cookie(sock, request: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nSet-Cookie: track=me; Path=/\r\nContent-Length: 0\r\n"
                     b"Connection: close\r\n\r\n")

    server = raw_server(set_cookie)
    pool = new_pool(allow_private=True)
    fetch(server.url("/"), allow_private=True, pool=pool)
    fetch(server.url("/"), allow_private=True, pool=pool)
    assert len(server.requests) == 2 and b"cookie" not in server.requests[1].lower()


def test_text_is_decoded_by_the_declared_charset(raw_server) -> None:
    body = "caf\u00e9".encode("latin-1")

    def latin(sock, request: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n" % len(body) + body)

    server = raw_server(latin)
    assert fetch(server.url("/"), allow_private=True).text == "caf\u00e9"


def test_only_http_and_https_are_fetched() -> None:
    for url in ("file:///etc/passwd", "gopher://127.0.0.1/", "ftp://example.org/x"):
        with pytest.raises(FetchError, match="only http and https"):
            fetch(url, allow_private=True)


def test_a_finished_requests_deadline_does_not_cut_the_next_request_on_the_same_connection() -> None:
    """Connections are pooled: the watchdog must forget a deadline once its request is over."""
    connections: set[tuple[str, int]] = set()

    class KeepAlive(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            connections.add(self.client_address)
            if self.path == "/slow":
                time.sleep(0.6)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        pool = new_pool(allow_private=True)
        base = f"http://127.0.0.1:{server.server_port}"
        assert fetch(f"{base}/fast", allow_private=True, timeout=0.3, pool=pool).body == b"ok"
        assert fetch(f"{base}/slow", allow_private=True, timeout=5, pool=pool).body == b"ok"
        assert len(connections) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_text_of_a_page_declaring_a_codec_that_cannot_replace_errors() -> None:
    from kb.http import Response

    page = Response(url="https://example.org/", final_url="https://example.org/", status=200,
                    headers={"content-type": "text/html; charset=idna"}, body="caf\u00e9".encode())
    assert page.text == "caf\u00e9"
