"""A bad entry stops the build with kb validate's own message and writes no site; kb build and serve work."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

from conftest import PROJECT, make_project, mkdocs_build


def break_entry(project: Path) -> None:
    for name, old, new in (("example-talk", "fidelity: verbatim", "fidelity: verbose"),
                           ("example-essay", "speaker: example-lab", "speaker: nobody-known")):
        path = project / "entries" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_bad_entry_fails_the_build_with_the_validate_message_and_no_site(tmp_path: Path, run_kb) -> None:
    project = make_project(tmp_path / "project")
    break_entry(project)
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode != 0
    assert not site.exists()
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 1
    expected = [line for line in out.splitlines() if re.match(r"entries/\S+:\d+:\d+: error ", line)]
    assert [line.split(": error ")[0] for line in expected] == ["entries/example-essay.yaml:5:10",
                                                                 "entries/example-talk.yaml:4:11"]
    for line in expected:
        assert line in result.stderr
    assert "Traceback" not in result.stderr


def test_kb_build_writes_the_site(tmp_path: Path, run_kb) -> None:
    project = make_project(tmp_path / "project")
    site = tmp_path / "out"
    code, _, _ = run_kb("build", "--root", str(project), "--site-dir", str(site))
    assert code == 0
    assert (site / "statements" / "example-talk" / "index.html").exists()


def test_kb_build_fails_on_a_bad_entry(tmp_path: Path, run_kb) -> None:
    project = make_project(tmp_path / "project")
    break_entry(project)
    code, _, _ = run_kb("build", "--root", str(project), "--site-dir", str(tmp_path / "out"))
    assert code == 1
    assert not (tmp_path / "out").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_kb_serve_rebuilds_when_an_entry_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--root", str(project),
                               "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        page = f"http://127.0.0.1:{port}/kb/statements/example-talk/"
        assert b"We really have no intuition" in wait_for(page)
        entry = project / "entries" / "example-talk.yaml"
        entry.write_text(entry.read_text(encoding="utf-8").replace("no intuition", "no idea at all"),
                         encoding="utf-8")
        deadline = time.monotonic() + 60
        while b"no idea at all" not in wait_for(page):
            assert time.monotonic() < deadline, "the page was not rebuilt after the entry changed"
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=20)
    deadline = time.monotonic() + 20
    while _accepts(port):  # kb passes SIGTERM on: the mkdocs it started must not outlive it
        assert time.monotonic() < deadline, "mkdocs serve kept running after kb serve was stopped"
        time.sleep(0.3)


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_the_bundled_entries_build_strictly(tmp_path: Path) -> None:
    """The real entries/ (not only the fixtures) make a complete site under --strict."""
    project = make_project(tmp_path / "project", PROJECT / "entries")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    built = {path.parent.name for path in (site / "statements").glob("*/index.html")}
    assert built == {path.stem for path in (PROJECT / "entries").glob("[!_]*.yaml")}
