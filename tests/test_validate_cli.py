"""`kb validate` as a contributor and CI see it: exit codes, formats, the summary, paths, --strict."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

BAD = "statement: x\nfidelity: verbatim\nspeeker: ada-example\n"


def _write(project: Path, name: str, text: str) -> Path:
    path = project / "entries" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_project_exits_0_with_a_summary(project: Path, run_kb) -> None:
    code, out, err = run_kb("validate", "--root", str(project))
    assert (code, err) == (0, "")
    assert out == "4 files, 2 valid statements: 0 errors, 0 warnings\n"


def test_summary_counts_only_the_selected_statements_without_errors(project: Path, run_kb) -> None:
    talk = project / "entries" / "example-talk.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("speaker: ada-example", "speaker: ada-exampel"),
                    encoding="utf-8")
    assert run_kb("validate", "--root", str(project))[1].splitlines()[-1].startswith("4 files, 1 valid statements:")
    essay = project / "entries" / "example-essay.yaml"
    assert run_kb("validate", "--root", str(project), str(essay))[1] == \
        "1 files, 1 valid statements: 0 errors, 0 warnings\n"


def test_errors_exit_1_and_name_file_line_and_column(project: Path, run_kb) -> None:
    _write(project, "bad.yaml", BAD)
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 1
    assert "entries/bad.yaml:3:1: error unknown-key: 'speeker' is not a field (did you mean 'speaker'?)" in out
    assert out.splitlines()[-1].endswith("errors, 1 warning")


def test_github_format_prints_workflow_annotations(project: Path, run_kb) -> None:
    _write(project, "bad.yaml", BAD)
    code, out, _ = run_kb("validate", "--root", str(project), "--format", "github")
    assert code == 1
    assert "::error file=entries/bad.yaml,line=3,col=1,title=unknown-key::'speeker' is not a field" in out
    assert all(line.startswith(("::error ", "::warning ")) for line in out.splitlines())


def test_github_annotations_cannot_be_forged_by_entry_text(project: Path, run_kb) -> None:
    _write(project, "bad.yaml", '"bad\\n::error file=evil::forged": 1\n')
    _, out, _ = run_kb("validate", "--root", str(project), "--format", "github")
    assert "::error file=evil" not in out.replace("%0A::error file=evil", "")
    assert "%0A::error file=evil::forged" in out


def test_json_format_is_a_list_of_problems(project: Path, run_kb) -> None:
    _write(project, "bad.yaml", BAD)
    code, out, _ = run_kb("validate", "--root", str(project), "--format", "json")
    problems = json.loads(out)
    assert code == 1
    assert {"path": "entries/bad.yaml", "line": 3, "column": 1, "code": "unknown-key",
            "severity": "error"}.items() <= problems[-1].items()


def test_warnings_fail_only_with_strict(project: Path, run_kb) -> None:
    (project / "entries" / "_topics.yaml").write_text(
        (project / "entries" / "_topics.yaml").read_text() + "unused:\n  title: Unused\n  description: Nobody.\n")
    assert run_kb("validate", "--root", str(project))[0] == 0
    code, out, _ = run_kb("validate", "--root", str(project), "--strict")
    assert code == 1
    assert "warning unused-topic: no statement cites the topic 'unused'" in out


def test_paths_limit_the_report_to_those_files(project: Path, run_kb) -> None:
    _write(project, "bad.yaml", BAD)
    code, out, _ = run_kb("validate", "--root", str(project), str(project / "entries" / "example-talk.yaml"))
    assert code == 0
    assert "bad.yaml" not in out


@pytest.mark.parametrize("arguments", [["--format", "xml"], ["--no-such-flag"]])
def test_usage_errors_exit_2(project: Path, run_kb, arguments: list[str]) -> None:
    assert run_kb("validate", "--root", str(project), *arguments)[0] == 2


def test_missing_path_is_a_usage_error(project: Path, run_kb) -> None:
    code, _, err = run_kb("validate", "--root", str(project), str(project / "entries" / "nope.yaml"))
    assert code == 2
    assert "nope.yaml: no such file" in err


def test_root_without_entries_is_a_usage_error(tmp_path: Path, run_kb) -> None:
    code, _, err = run_kb("validate", "--root", str(tmp_path))
    assert code == 2
    assert "has no entries/ folder" in err


def test_missing_registry_is_reported(project: Path, run_kb) -> None:
    (project / "entries" / "_people.yaml").unlink()
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 1
    assert "entries/_people.yaml:1:1: error missing-registry" in out


def test_bad_registry_item_points_at_its_line(project: Path, run_kb) -> None:
    people = project / "entries" / "_people.yaml"
    people.write_text(people.read_text() + "Bad Slug:\n  name: X\n  description: Y\nnew-one:\n  nme: X\n")
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 1
    assert "entries/_people.yaml:11:1: error invalid-slug: 'Bad Slug' is not a lowercase slug" in out
    assert "entries/_people.yaml:15:3: error unknown-key: 'nme' is not a field (did you mean 'name'?)" in out
    assert "entries/_people.yaml:15:3: error missing-key: the required key 'name' is missing in 'new-one'" in out


def test_symlinked_entry_is_refused_not_followed(project: Path, run_kb, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("statement: private\n")
    (project / "entries" / "linked.yaml").symlink_to(secret)
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 1
    assert "entries/linked.yaml:1:1: error not-a-file: the file is a symbolic link" in out
    assert "private" not in out


def test_fifo_entry_is_refused_without_blocking(project: Path, run_kb) -> None:
    os.mkfifo(project / "entries" / "pipe.yaml")
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 1
    assert "entries/pipe.yaml:1:1: error not-a-file: this is not a regular file" in out


def test_oversized_entry_is_refused_before_reading(project: Path, run_kb) -> None:
    _write(project, "huge.yaml", "statement: " + "x" * 300_000 + "\n")
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 1
    assert "entries/huge.yaml:1:1: error file-too-large: the file is 300,012 bytes, over the limit of 262,144" in out


def test_the_project_folder_as_a_path_means_every_entry(project: Path, run_kb, monkeypatch) -> None:
    _write(project, "bad.yaml", BAD)
    monkeypatch.chdir(project)
    code, out, _ = run_kb("validate", ".")
    assert code == 1 and "entries/bad.yaml:3:1: error unknown-key" in out


def test_a_path_outside_entries_is_a_usage_error(project: Path, run_kb) -> None:
    (project / ".github").mkdir()
    (project / ".github" / "x.yml").write_text("a: 1\n", encoding="utf-8")
    for path in (project / ".github", project / ".github" / "x.yml"):
        code, _, err = run_kb("validate", "--root", str(project), str(path))
        assert code == 2 and "is not in entries/" in err
