"""Concurrency: many hosts at once up to the global limit, a few at once per host, nothing lost."""

from __future__ import annotations

import ast
import threading
import time
from pathlib import Path

import pytest

from kb.linkcheck.schedule import run_per_host

KB = Path(__file__).resolve().parents[2] / "kb"


def measure(jobs: list[tuple[str, int]], concurrency: int, per_host: int,
            seconds: float = 0.05) -> tuple[list[int], int, dict]:
    lock = threading.Lock()
    state: dict = {"now": 0, "max": 0, "hosts": {}, "host_max": {}, "started": {}}

    def work(job: tuple[str, int]) -> int:
        host, number = job
        with lock:
            state["started"][number] = time.monotonic()
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
            state["hosts"][host] = state["hosts"].get(host, 0) + 1
            state["host_max"][host] = max(state["host_max"].get(host, 0), state["hosts"][host])
        time.sleep(seconds)
        with lock:
            state["now"] -= 1
            state["hosts"][host] -= 1
        return number

    results = run_per_host(jobs, lambda job: job[0], work, concurrency=concurrency, per_host=per_host)
    return results, state["max"], state


def test_the_global_limit_holds_across_hosts() -> None:
    jobs = [(f"host{index % 10}", index) for index in range(60)]
    results, peak, _ = measure(jobs, concurrency=6, per_host=4)
    assert results == list(range(60))
    assert 4 < peak <= 6


def test_one_busy_host_does_not_starve_the_others() -> None:
    jobs = [("busy", index) for index in range(40)] + [(f"quiet{index}", 100 + index) for index in range(8)]
    results, _, state = measure(jobs, concurrency=12, per_host=4, seconds=0.1)
    assert results == [job[1] for job in jobs]
    assert state["host_max"]["busy"] == 4
    quiet_started = max(state["started"][100 + index] for index in range(8))
    assert quiet_started < min(state["started"][index] for index in range(4, 40))


def test_a_failing_job_does_not_hang_or_stop_the_run() -> None:
    done: list[int] = []

    def work(job: int) -> int:
        if job == 3:
            raise RuntimeError("boom")
        return job

    with pytest.raises(RuntimeError, match="boom"):
        run_per_host(list(range(6)), lambda job: "h", work, concurrency=4, per_host=2,
                     on_done=lambda job, result: done.append(job))
    assert sorted(done) == [0, 1, 2, 4, 5]


def test_nothing_from_an_entry_reaches_a_shell() -> None:
    """The online code runs no program at all: no subprocess, os.system, os.popen or os.exec*."""
    online = [KB / "http.py", KB / "media.py", KB / "commands" / "check.py", *sorted((KB / "linkcheck").glob("*.py"))]
    for path in online:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
                assert not any(name.split(".")[0] in ("subprocess", "pty", "shlex") for name in names), path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os":
                assert not node.attr.startswith(("system", "popen", "exec", "spawn", "fork")), (path, node.attr)


def test_hosts_take_turns_so_none_is_left_alone_at_the_end() -> None:
    order: list[str] = []
    lock = threading.Lock()

    def work(job: tuple[str, int]) -> int:
        with lock:
            order.append(job[0])
        time.sleep(0.01)
        return job[1]

    jobs = [(host, number) for host in ("a", "b", "c") for number in range(6)]
    run_per_host(jobs, lambda job: job[0], work, concurrency=2, per_host=2)
    assert set(order[:6]) == {"a", "b", "c"}
    assert set(order[-6:]) == {"a", "b", "c"}
