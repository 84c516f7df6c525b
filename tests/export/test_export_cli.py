"""`kb export`: formats, selection, exit codes, and an -o file that is never left half written."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pytest

from kb.export import atomic
from kb.export.atomic import write_atomic

Run = Callable[..., tuple[int, str, str]]
BROKEN = """# yaml-language-server: $schema=../../../../kb/schema/entry.schema.json
statement: >-
  Broken.
fidelity: maybe
speaker: ada-example
said: 2024
source:
  type: talk
  title: T
  url: https://example.org/t
topics: [prompting]
added: 2026-11-22
"""


@pytest.mark.parametrize("fmt", ["csl-json", "bibtex", "json", "csv"])
def test_every_format_to_stdout(run_kb: Run, project: Path, fmt: str) -> None:
    code, out, err = run_kb("export", "--format", fmt, "--root", str(project))
    assert code == 0, err
    assert "example-talk" in out and "example-essay" in out


def test_formats_parse(run_kb: Run, project: Path) -> None:
    _, out, _ = run_kb("export", "--format", "csl-json", "--root", str(project))
    assert [item["id"] for item in json.loads(out)] == ["example-essay", "example-talk"]
    _, out, _ = run_kb("export", "--format", "json", "--root", str(project))
    assert json.loads(out)["count"] == 2
    _, out, _ = run_kb("export", "--format", "bibtex", "--root", str(project))
    assert len(bibtexparser.loads(out).entries) == 2


def test_paths_select_entries(run_kb: Run, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    code, out, _ = run_kb("export", "--format", "csl-json", "entries/example-talk.yaml")
    assert code == 0
    assert [item["id"] for item in json.loads(out)] == ["example-talk"]


def test_output_file(run_kb: Run, project: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    code, out, err = run_kb("export", "--format", "bibtex", "-o", str(target), "--root", str(project))
    assert code == 0 and out == ""
    assert "wrote 2 statements" in err
    assert target.read_text(encoding="utf-8").startswith("@misc{example-essay,")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.bib", "project"]  # no temporary left


def test_errors_stop_the_export_and_leave_the_file_alone(run_kb: Run, project: Path, tmp_path: Path) -> None:
    (project / "entries" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    target = tmp_path / "out.json"
    target.write_text("previous export\n", encoding="utf-8")
    code, out, err = run_kb("export", "--format", "json", "-o", str(target), "--root", str(project))
    assert code == 1
    assert out == ""
    assert "entries/broken.yaml:4:11: error" in err
    assert "nothing exported" in err
    assert target.read_text(encoding="utf-8") == "previous export\n"


def test_skip_invalid_exports_the_rest(run_kb: Run, project: Path) -> None:
    (project / "entries" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    code, out, err = run_kb("export", "--format", "csl-json", "--skip-invalid", "--root", str(project))
    assert code == 0
    assert "entries/broken.yaml:4:11" in err
    assert [item["id"] for item in json.loads(out)] == ["example-essay", "example-talk"]


def test_errors_elsewhere_do_not_block_a_selected_file(run_kb: Run, project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "entries" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(project)
    code, out, _ = run_kb("export", "--format", "csv", "entries/example-talk.yaml")
    assert code == 0
    assert out.count("\r\n") == 2  # header and one row


@pytest.mark.parametrize("args", [["--format", "pdf"], ["--format", "csv", "-o", "/no/such/folder/x.csv"],
                                  ["--format", "csv", "no-such-file.yaml"]])
def test_usage_errors_exit_2(run_kb: Run, project: Path, args: list[str]) -> None:
    code, _, err = run_kb("export", *args, "--root", str(project))
    assert code == 2
    assert "error" in err


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while the new file is written (a full disk, say) leaves the old file and no temporary."""
    target = tmp_path / "citations.json"
    target.write_text("old\n", encoding="utf-8")

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["citations.json"]


def test_write_atomic_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_an_unwritable_output_is_a_message_not_a_traceback(project: Path, run_kb) -> None:
    too_long = project / ("x" * 300 + ".json")  # the file system refuses the name (any user, root too)
    code, _, err = run_kb("export", "--root", str(project), "--format", "csl-json", "-o", str(too_long))
    assert code == 1
    assert err.startswith("kb export: error: ") and "File name too long" in err
    assert "Traceback" not in err
