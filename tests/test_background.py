"""Work in a forked child: what it does is there after `wait`, and a failure comes back with its traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.background import ChildFailed, can_fork, run_in_child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


def test_the_childs_work_is_done_when_wait_returns(tmp_path: Path) -> None:
    target = tmp_path / "written.txt"
    child = run_in_child(lambda: target.write_text(f"by {os.getpid()}", encoding="utf-8"))
    child.wait()
    assert target.read_text(encoding="utf-8") == f"by {child.pid}"


def test_a_failure_in_the_child_is_raised_by_wait_with_its_traceback() -> None:
    def fail() -> None:
        raise ValueError("x" * 200_000)  # more than a pipe holds: the parent must read while the child writes

    child = run_in_child(fail)
    with pytest.raises(ChildFailed) as failure:
        child.wait()
    assert "ValueError: xxx" in str(failure.value) and len(str(failure.value)) > 200_000


def test_a_child_that_dies_is_a_failure() -> None:
    child = run_in_child(lambda: os._exit(3))
    with pytest.raises(ChildFailed, match="status 3"):
        child.wait()


def test_no_fork_while_another_thread_runs() -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()
