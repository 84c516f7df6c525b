"""The site built once per session with the real mkdocs, from the site fixtures and the real theme.

`site_project` is a copy of the project's mkdocs.yml and site_src/ with tests/site/fixtures/entries
(ordinary entries plus a hostile one); `built_site` is its `mkdocs build --strict` output. Browser tests
get the built site over a real HTTP server on 127.0.0.1 and Debian's chromium through Playwright.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
FIXTURE_ENTRIES = Path(__file__).parent / "fixtures" / "entries"


def make_project(folder: Path, entries: Path = FIXTURE_ENTRIES, kb_options: dict[str, bool] | None = None) -> Path:
    """A buildable project: the real site configuration and theme with the given entries; `kb_options` are
    added to the kb plugin's settings (such as `reuse_chrome: false`, to build the long way round)."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    if kb_options:
        assert "  - kb:\n" in settings
        added = "".join(f"      {name}: {str(value).lower()}\n" for name, value in kb_options.items())
        settings = settings.replace("  - kb:\n", "  - kb:\n" + added)
    (folder / "mkdocs.yml").write_text(settings, encoding="utf-8")
    shutil.copytree(PROJECT / "site_src", folder / "site_src")
    shutil.copytree(entries, folder / "entries")
    return folder


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
                           "-d", str(site)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


@pytest.fixture(scope="session")
def site_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("site") / "project")


@pytest.fixture(scope="session")
def built_site(site_project: Path) -> Path:
    site = site_project / "site"
    result = mkdocs_build(site_project, site)
    assert result.returncode == 0, result.stderr
    return site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """`folder` on a real HTTP server on 127.0.0.1 (a free port), for the browser; yields its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site on a real HTTP server on 127.0.0.1, for the browser."""
    with serve_folder(built_site) as url:
        yield url
