"""The corpus of bad entries: each file under fixtures/invalid is refused with exactly the messages in its
`.expected` file; each file under fixtures/valid is accepted. Run with KB_UPDATE_GOLDEN=1 to rewrite the
expected files after a deliberate change of wording (then review the diff)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

INVALID = sorted(path for path in (FIXTURES / "invalid").iterdir() if path.suffix in (".yaml", ".yml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))


def _place(project: Path, case: Path) -> Path:
    target = project / "entries" / case.name
    shutil.copyfile(case, target)
    return target


@pytest.mark.parametrize("case", INVALID, ids=lambda path: path.name)
def test_bad_entry_gets_exactly_its_messages(case: Path, project: Path, run_kb) -> None:
    target = _place(project, case)
    code, out, err = run_kb("validate", "--root", str(project), str(target))
    *problem_lines, summary = out.splitlines()
    problems = "\n".join(problem_lines) + "\n"
    expected_file = case.with_suffix(".expected")
    if os.environ.get("KB_UPDATE_GOLDEN"):
        expected_file.write_text(problems, encoding="utf-8")
    assert problem_lines, "every case must produce at least one problem"
    assert code == (1 if " error " in problems else 0)
    assert "Traceback" not in out + err
    assert problems == expected_file.read_text(encoding="utf-8")
    assert summary.startswith("1 files, ")


@pytest.mark.parametrize("case", VALID, ids=lambda path: path.name)
def test_valid_entry_is_accepted(case: Path, project: Path, run_kb) -> None:
    target = _place(project, case)
    code, out, _ = run_kb("validate", "--strict", "--root", str(project), str(target))
    assert code == 0, out
    assert out.strip().endswith("0 errors, 0 warnings")
