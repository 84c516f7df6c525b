"""Work spread across hosts: many at once overall, only a few at once on any one host.

A dispatcher hands a job to the thread pool only when its host has a free slot, so a long queue for
one host never ties up workers that another host could use, and no host ever sees more than
`per_host` requests at once from us.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def run_per_host(jobs: Sequence[Job], host_of: Callable[[Job], str], work: Callable[[Job], Result], *,
                 concurrency: int = 64, per_host: int = 4,
                 on_done: Callable[[Job, Result], None] | None = None) -> list[Result]:
    """`work(job)` for every job (which must not raise), results in the order of `jobs`."""
    queues: dict[str, deque[int]] = {}
    for index, job in enumerate(jobs):
        queues.setdefault(host_of(job), deque()).append(index)
    results: list[Result | None] = [None] * len(jobs)
    active = dict.fromkeys(queues, 0)
    state = {"running": 0, "left": len(jobs)}
    changed = threading.Condition()

    def finish(index: int, host: str) -> None:
        try:
            results[index] = work(jobs[index])
            if on_done is not None:
                on_done(jobs[index], results[index])  # type: ignore[arg-type]
        finally:
            with changed:
                active[host] -= 1
                state["running"] -= 1
                state["left"] -= 1
                changed.notify()

    def runner(index: int, host: str) -> Callable[[], None]:
        return lambda: finish(index, host)

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(jobs)))) as pool, changed:
        while state["left"]:
            for host, queue in list(queues.items()):
                while queue and active[host] < per_host and state["running"] < concurrency:
                    active[host] += 1
                    state["running"] += 1
                    pool.submit(runner(queue.popleft(), host))
                if not queue:
                    del queues[host]
            if state["left"]:
                changed.wait()
    return results  # type: ignore[return-value]
