"""Safe HTTP for fetching what an entry names: public hosts only, bounded in time and size.

Every URL in an entry is a stranger's. `fetch` therefore:

- speaks only http and https, and sends no cookies, no proxy settings and no .netrc credentials
  (it is built on urllib3, which reads none of them);
- resolves the host once per connection, refuses it when ANY of its addresses is private, loopback,
  link-local, multicast, reserved or unspecified (kb.netsafety), and connects to exactly the addresses
  it checked, so DNS rebinding between the check and the connect is not possible (TLS still verifies
  the certificate against the host name, and SNI carries the name);
- follows redirects itself, up to a limit, checking every hop the same way and detecting loops;
- reads the body as a stream, decompressed, and keeps at most `max_bytes` (a gzip bomb is bounded:
  urllib3 >= 2.6 inflates no more than it is asked for);
- gives every request a total deadline: a watchdog shuts the socket when it passes, so a server that
  drips its headers or body one byte at a time cannot hold a worker beyond `timeout`.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import ipaddress
import itertools
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from kb import __version__
from kb.netsafety import describe, is_public, refusal

USER_AGENT = f"wedontknowhow-kb/{__version__} (link checker of the We Don't Know How knowledge base)"
MAX_REDIRECTS = 10
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
_CHUNK = 65_536
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

Resolver = Callable[..., list[tuple]]
resolve: Resolver = socket.getaddrinfo
"""The resolver every connection uses; tests swap in a fake DNS answer to play a hostile name server."""


class FetchError(Exception):
    """A fetch that did not produce a response; the message is meant for the person running `kb`.

    `retryable` says whether trying again later may help (a timeout, a reset), as opposed to a refusal
    (private address, bad scheme, redirect loop) that will fail the same way every time. `timed_out`
    marks a request cut at its deadline (a link checker may not want to wait that long twice); `refused`
    marks kb's own refusal (a private address, a scheme, credentials), as opposed to a link that is broken.
    """

    def __init__(self, message: str, *, url: str = "", retryable: bool = False, timed_out: bool = False,
                 refused: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.retryable = retryable
        self.timed_out = timed_out
        self.refused = refused


@dataclass
class Response:
    """What the last hop answered. `redirects` lists the hops taken before it as (status, from-URL)."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    redirects: list[tuple[int, str]] = field(default_factory=list)
    truncated: bool = False
    elapsed: float = 0.0

    @property
    def text(self) -> str:
        """The body decoded by the charset the server or the page declares, else UTF-8 (never raises)."""
        try:
            return self.body.decode(_charset(self.headers.get("content-type", ""), self.body), errors="replace")
        except UnicodeError:  # codecs such as idna or punycode refuse errors="replace"
            return self.body.decode("utf-8", errors="replace")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _charset(content_type: str, body: bytes) -> str:
    declared = re.search(r"charset=([\w.:-]+)", content_type, re.IGNORECASE)
    sniffed = _CHARSET.search(body[:4096])
    for candidate in (declared.group(1) if declared else None, sniffed.group(1).decode() if sniffed else None):
        if candidate:
            try:
                "".encode(candidate)
                return candidate
            except LookupError:
                continue
    return "utf-8"


# --- refusing hosts --------------------------------------------------------------------------------

def check_url(url: str, *, allow_private: bool = False) -> None:
    """Refuse a URL that is not http(s) or whose host is spelled as a non-public one (no DNS yet)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as error:
        raise FetchError(f"malformed URL ({error})", url=url, refused=True) from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https links are fetched, not '{parts.scheme}:'", url=url, refused=True)
    if not host:
        raise FetchError("the URL has no host", url=url, refused=True)
    if parts.username is not None or parts.password is not None:
        raise FetchError("the URL carries a user name or password", url=url, refused=True)
    if not allow_private:
        reason = refusal(host)
        if reason:
            raise FetchError(f"refused: {reason} (use --allow-private for local servers)", url=url, refused=True)


def public_addresses(host: str, port: int, *, allow_private: bool = False) -> list[tuple]:
    """Resolve `host` once; refuse it when any address is not public. The answer is what to connect to."""
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        # "No such name" is an answer, not a failure to get one: trying again will not change it.
        unknown = getattr(error, "errno", None) in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
        raise FetchError(f"cannot resolve {host}: {getattr(error, 'strerror', None) or error}",
                         retryable=not unknown and not isinstance(error, UnicodeError)) from None
    if not infos:
        raise FetchError(f"cannot resolve {host}: no address", retryable=True)
    if not allow_private:
        for info in infos:
            address = ipaddress.ip_address(info[4][0].split("%")[0])
            if not is_public(address):
                raise FetchError(f"refused: {host} resolves to {address}, a {describe(address)} address "
                                 "(use --allow-private for local servers)", refused=True)
    return infos


# --- connections pinned to the checked addresses ---------------------------------------------------

class _PinnedConnection:
    """Mixin for urllib3 connections: resolve and check in `_new_conn`, then connect to those addresses."""

    allow_private = False

    def _new_conn(self) -> socket.socket:
        infos = public_addresses(self._dns_host, self.port, allow_private=self.allow_private)
        last_error: OSError | None = None
        for family, kind, proto, _name, address in infos:
            sock = socket.socket(family, kind, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(self.timeout if isinstance(self.timeout, (int, float)) else None)
                sock.connect(address)
                _watchdog.watch(sock)
                return sock
            except OSError as error:
                sock.close()
                last_error = error
        raise urllib3.exceptions.NewConnectionError(self, f"Failed to establish a new connection: {last_error}")

    def getresponse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Put a reused pooled socket under the current request's deadline too."""
        if self.sock is not None:
            _watchdog.watch(self.sock)
        return super().getresponse(*args, **kwargs)


def _pool_classes(allow_private: bool) -> dict[str, type]:
    http_conn = type("PinnedHTTPConnection", (_PinnedConnection, HTTPConnection), {"allow_private": allow_private})
    https_conn = type("PinnedHTTPSConnection", (_PinnedConnection, HTTPSConnection),
                      {"allow_private": allow_private})
    return {
        "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


def new_pool(*, allow_private: bool = False, ca_certs: str | None = None) -> urllib3.PoolManager:
    """Pooled connections, pinned and checked. urllib3 itself (the engine under requests): it reads no
    proxy settings, .netrc or cookie jar from anywhere, and costs a third of requests' time per request,
    which is most of a link check. TLS is verified against certifi's roots (or `ca_certs`)."""
    pool = urllib3.PoolManager(num_pools=256, maxsize=16, block=False, retries=False, cert_reqs="CERT_REQUIRED",
                               ca_certs=ca_certs or certifi.where(),
                               headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})
    pool.pool_classes_by_scheme = _pool_classes(allow_private)
    return pool


_STALE_CONNECTION = urllib3.Retry(total=1, connect=0, read=1, redirect=0, status=0, other=0,
                                  raise_on_redirect=False, raise_on_status=False)
"""One more try when a kept-alive connection turns out closed by the server before it answered (what
browsers do too); every other retry is the caller's decision, with its own backoff. The deadline still
covers both tries."""

_pools: dict[bool, urllib3.PoolManager] = {}
_pools_lock = threading.Lock()


def shared_pool(allow_private: bool) -> urllib3.PoolManager:
    """One pool manager per safety setting, shared by threads (urllib3's pools are thread-safe)."""
    with _pools_lock:
        if allow_private not in _pools:
            _pools[allow_private] = new_pool(allow_private=allow_private)
        return _pools[allow_private]


# --- a total deadline per request ------------------------------------------------------------------

class _Deadline:
    """One request's deadline; `cancelled` once the request is over, so its sockets are left alone."""

    __slots__ = ("at", "cancelled")

    def __init__(self, at: float) -> None:
        self.at = at
        self.cancelled = False


class _Watchdog:
    """Shuts sockets whose request outlived its deadline (socket timeouts only bound each single read).

    Cancelling is a flag, not a search: finished requests cost nothing, and the thread wakes only when
    a deadline is due or an earlier one arrives.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._heap: list[tuple[float, int, socket.socket, _Deadline]] = []
        self._counter = itertools.count()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None

    def begin(self, seconds: float) -> _Deadline:
        deadline = _Deadline(time.monotonic() + seconds)
        self._local.current = deadline
        return deadline

    def end(self, deadline: _Deadline) -> None:
        deadline.cancelled = True
        if getattr(self._local, "current", None) is deadline:
            self._local.current = None

    def watch(self, sock: socket.socket) -> None:
        deadline = getattr(self._local, "current", None)
        if deadline is None:
            return
        with self._condition:
            heapq.heappush(self._heap, (deadline.at, next(self._counter), sock, deadline))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="kb-http-watchdog", daemon=True)
                self._thread.start()
            if self._heap[0][3] is deadline:
                self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._heap:
                    self._condition.wait()
                due, _, sock, deadline = self._heap[0]
                wait = due - time.monotonic()
                if wait > 0 and not deadline.cancelled:
                    self._condition.wait(wait)
                    continue
                heapq.heappop(self._heap)
            if not deadline.cancelled:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


_watchdog = _Watchdog()


# --- fetching --------------------------------------------------------------------------------------

def fetch(url: str, *, allow_private: bool = False, timeout: float = 15.0, max_bytes: int = 1_048_576,
          method: str = "GET", headers: Mapping[str, str] | None = None, data: bytes | None = None,
          max_redirects: int = MAX_REDIRECTS, pool: urllib3.PoolManager | None = None) -> Response:
    """Fetch `url` safely, following redirects; any HTTP status is a Response, only failures raise.

    `timeout` bounds the whole call (connect, redirects, headers and body); `max_bytes` bounds the
    decompressed body kept (`truncated` says whether there was more). HEAD reads no body.
    """
    pool = pool or shared_pool(allow_private)
    started = time.monotonic()
    deadline = started + timeout
    redirects: list[tuple[int, str]] = []
    seen = {url}
    current, current_method, current_data = url, method.upper(), data
    while True:
        check_url(current, allow_private=allow_private)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"no complete answer within {timeout:g} s", url=url, retryable=True, timed_out=True)
        status, answer_headers, body, truncated = _one_request(
            pool, current, current_method, headers, current_data, remaining, max_bytes, timeout)
        location = answer_headers.get("location")
        if status not in REDIRECT_CODES or not location:
            return Response(url=url, final_url=current, status=status, headers=answer_headers, body=body,
                            redirects=redirects, truncated=truncated, elapsed=time.monotonic() - started)
        target = urljoin(current, location.strip())
        redirects.append((status, current))
        if target.split("#")[0] in {seen_url.split("#")[0] for seen_url in seen}:
            raise FetchError(f"redirect loop: {current} sends back to {target}", url=url)
        if len(redirects) > max_redirects:
            raise FetchError(f"more than {max_redirects} redirects (last to {target})", url=url)
        seen.add(target)
        if status == 303 or (status in (301, 302) and current_method == "POST"):
            current_method, current_data = ("HEAD" if current_method == "HEAD" else "GET"), None
        current = target


def _one_request(pool: urllib3.PoolManager, url: str, method: str, headers: Mapping[str, str] | None,
                 data: bytes | None, remaining: float, max_bytes: int,
                 timeout: float) -> tuple[int, dict[str, str], bytes, bool]:
    cut_at = time.monotonic() + remaining
    deadline = _watchdog.begin(remaining)
    try:
        answer = pool.request(method, url, body=data, headers=dict(headers) if headers else None, redirect=False,
                              retries=_STALE_CONNECTION, preload_content=False, decode_content=True,
                              timeout=urllib3.Timeout(connect=min(remaining, 10.0), read=min(remaining, timeout)))
        truncated = True
        try:
            body, truncated = _read_capped(answer, max_bytes)
        finally:
            _watchdog.end(deadline)
            if truncated:
                answer.close()  # unread bytes are left: this connection cannot carry another request
            answer.release_conn()
        if time.monotonic() >= cut_at:
            # The watchdog shut the socket: whatever arrived is incomplete, even if it parsed.
            raise FetchError(f"no complete answer within {timeout:g} s", url=url, retryable=True, timed_out=True)
        return answer.status, {name.lower(): value for name, value in answer.headers.items()}, body, truncated
    except FetchError as error:
        error.url = error.url or url
        raise
    except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as error:
        if time.monotonic() >= cut_at - 0.05:
            raise FetchError(f"no complete answer within {timeout:g} s", url=url, retryable=True,
                             timed_out=True) from None
        raise FetchError(_describe_error(error), url=url, retryable=True) from None
    finally:
        _watchdog.end(deadline)


def _read_capped(answer: urllib3.BaseHTTPResponse, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    for chunk in answer.stream(_CHUNK, decode_content=True):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False


def _innermost(error: BaseException) -> BaseException:
    """The low-level cause (a reset, a refused connection) that urllib3 wraps."""
    for _ in range(5):
        reason = getattr(error, "reason", None)
        nested = reason if isinstance(reason, BaseException) else error.__context__
        if nested is None:
            break
        error = nested
    return error


def _describe_error(error: BaseException) -> str:
    text = str(_innermost(error)) or type(error).__name__
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return f"timed out ({text})"
    if isinstance(error, urllib3.exceptions.DecodeError):
        return f"the response could not be decompressed ({text})"
    return f"connection failed: {text}"
