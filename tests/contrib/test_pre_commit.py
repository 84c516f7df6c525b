"""pre-commit: the hooks offered to others and this repository's own, run the way pre-commit runs them."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from tests.conftest import PROJECT

OFFERED = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
OWN = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
SHUFFLED = "fidelity: verbatim\nstatement: >-\n  Nobody knows.\n"


def _hooks(hooks: list[dict]) -> dict[str, dict]:
    return {hook["id"]: hook for hook in hooks}


def test_offered_hooks_are_kb_validate_and_kb_fmt_in_python() -> None:
    hooks = _hooks(OFFERED)
    assert {name: (hook["entry"], hook["language"]) for name, hook in hooks.items()} == {
        "kb-validate": ("kb validate", "python"), "kb-fmt": ("kb fmt", "python")}
    assert hooks["kb-validate"]["pass_filenames"] is False
    assert all(hook["files"] == r"^entries/.*\.ya?ml$" for hook in hooks.values())


def test_own_config_uses_local_hooks_with_the_project_dependencies() -> None:
    (repo,) = OWN["repos"]
    assert repo["repo"] == "local"
    dependencies = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for hook in repo["hooks"]:
        assert hook["language"] == "python"
        assert hook["entry"].startswith("python -m kb ")
        assert hook["additional_dependencies"] == dependencies, "keep the hook's dependencies equal to pyproject.toml"
    assert [hook["id"] for hook in repo["hooks"]] == ["kb-fmt", "kb-validate"]


def _run_hook(entry: str, project: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    """pre-commit runs `entry` from the repository root with the matching file names appended (and fails the
    commit when a hook changed a file, so `kb fmt` itself exits 0 after rewriting)."""
    command = shlex.split(entry.replace("python", sys.executable, 1) if entry.startswith("python ") else
                          entry.replace("kb", str(Path(sys.executable).parent / "kb"), 1))
    return subprocess.run([*command, *files], cwd=project, capture_output=True, text=True, timeout=60, check=False)


def test_fmt_hook_rewrites_the_entry_it_is_given(project: Path) -> None:
    (project / "entries" / "x.yaml").write_text(SHUFFLED, encoding="utf-8")
    for entry in (_hooks(OFFERED)["kb-fmt"]["entry"], _hooks(OWN["repos"][0]["hooks"])["kb-fmt"]["entry"]):
        (project / "entries" / "x.yaml").write_text(SHUFFLED, encoding="utf-8")
        result = _run_hook(entry, project, ["entries/x.yaml"])
        assert "reformatted entries/x.yaml" in result.stdout
        assert (project / "entries" / "x.yaml").read_text(encoding="utf-8").splitlines()[1] == "statement: >-"


def test_validate_hook_fails_on_a_bad_entry_and_passes_on_a_good_project(project: Path) -> None:
    entry = _hooks(OWN["repos"][0]["hooks"])["kb-validate"]["entry"]
    assert _run_hook(entry, project, []).returncode == 0
    (project / "entries" / "x.yaml").write_text(SHUFFLED, encoding="utf-8")
    result = _run_hook(entry, project, [])
    assert result.returncode == 1 and "entries/x.yaml:" in result.stdout
