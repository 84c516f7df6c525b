"""Shared fixtures. Sockets are limited to loopback for every test (pytest-socket, see pyproject.toml)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kb.cli import main

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def run_kb(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the `kb` command in this process (so the socket guard applies): (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the minimal valid project in tests/fixtures/project, to change freely."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    return root
