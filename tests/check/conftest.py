"""Real servers on loopback for `kb check`: pytest-httpserver for ordinary answers, raw sockets for hostile ones."""

from __future__ import annotations

import shutil
import socket
import socketserver
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "project" / "entries"


def entry_yaml(url: str, *, statement: str = "We really have no intuition as to what is going on here.",
               fidelity: str = "verbatim", kind: str = "article", title: str = "An Example Source",
               at: str | None = None, until: str | None = None, published: str | None = None,
               archived: str | None = None) -> str:
    """A valid entry citing `url`; the keys that matter to `kb check` are parameters."""
    source = [f"type: {kind}", f"title: {title}", f"url: {url}"]
    source += [f'{key}: "{value}"' for key, value in (("at", at), ("until", until)) if value]
    source += [f"{key}: {value}" for key, value in (("published", published), ("archived", archived)) if value]
    return textwrap.dedent(f"""\
        statement: >-
          {statement}
        fidelity: {fidelity}
        speaker: ada-example
        said: 2023
        source:
        """) + "".join(f"  {line}\n" for line in source) + "topics: [prompting]\nadded: 2026-11-22\n"


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """A project whose entries are the given {name: yaml}; the registries are the fixture project's."""

    def make(entries: dict[str, str]) -> Path:
        root = tmp_path / "project"
        (root / "entries").mkdir(parents=True, exist_ok=True)
        for registry in ("_people.yaml", "_topics.yaml"):
            shutil.copy(FIXTURES / registry, root / "entries" / registry)
        people = root / "entries" / "_people.yaml"
        people.write_text(people.read_text().replace("    homepage: https://example.org/ada\n", "")
                          .replace("  links:\n", ""))
        for name, text in entries.items():
            (root / "entries" / f"{name}.yaml").write_text(text)
        return root

    return make


class RawServer:
    """A threaded TCP server on 127.0.0.1 whose handler writes whatever bytes it likes."""

    def __init__(self, handle: Callable[[socket.socket, bytes], None]) -> None:
        self.requests: list[bytes] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(10)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = self.request.recv(65536)
                        if not chunk:
                            return
                        data += chunk
                    with outer.lock:
                        outer.requests.append(data)
                    handle(self.request, data)
                except OSError:
                    pass

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, bytes], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(handle: Callable[[socket.socket, bytes], None]) -> RawServer:
        servers.append(RawServer(handle))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def check(run_kb: Callable[..., tuple[int, str, str]]) -> Callable[..., tuple[int, list[dict], str]]:
    """`kb check --format json --allow-private` on a project: (exit code, records, stderr)."""
    import json

    def run(root: Path, *args: str, private: bool = True) -> tuple[int, list[dict], str]:
        extra = ["--allow-private"] if private else []
        code, out, err = run_kb("check", "--root", str(root), "--format", "json", *extra, *args)
        return code, json.loads(out) if out.strip() else [], err

    return run


LOCAL_NAMES = frozenset({"localhost"})


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-socket stops connections but not name lookups: kb.http may resolve only local spellings here
    (a test that needs a name plays the name server itself, see test_hostile.fake_dns)."""
    import kb.http
    from kb.netsafety import literal_address

    real = kb.http.resolve

    def local_only(host: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in LOCAL_NAMES and literal_address(host) is None:
            raise socket.gaierror(socket.EAI_NONAME, f"tests resolve no real names ({host})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(kb.http, "resolve", local_only)


@pytest.fixture(autouse=True)
def no_real_archive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Broken links are looked up in the Wayback Machine: never the real one from a test (not even its DNS).
    Port 9 on loopback has no server, so the lookup fails at once; tests of the lookup serve their own."""
    monkeypatch.setenv("KB_WAYBACK_API", "http://127.0.0.1:9/wayback/available")


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on 127.0.0.1 (entry URLs need a dotted host; 'localhost' is refused by the model)."""
    return ("127.0.0.1", 0)
