"""Work spread across hosts: many at once overall, only a few at once on any one host.

A fixed set of workers; each takes its next job from the host served least recently among those with
a free slot, so no host ever sees more than `per_host` requests at once from us, a long queue for one
host never ties up workers another host could use, and every host's queue shrinks at the same pace
(none is left to run alone at the end). Workers pick their own next job: no dispatcher thread to wake
between one request and the next.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def run_per_host(jobs: Sequence[Job], host_of: Callable[[Job], str], work: Callable[[Job], Result], *,
                 concurrency: int = 64, per_host: int = 4,
                 on_done: Callable[[Job, Result], None] | None = None) -> list[Result]:
    """`work(job)` and then `on_done(job, result)` for every job; results in the order of `jobs`.

    If a call raises, the other jobs still run, and the first error is raised at the end.
    """
    queues: OrderedDict[str, deque[int]] = OrderedDict()
    for index, job in enumerate(jobs):
        queues.setdefault(host_of(job), deque()).append(index)
    results: list[Result | None] = [None] * len(jobs)
    active = dict.fromkeys(queues, 0)
    errors: list[BaseException] = []
    changed = threading.Condition()

    def take() -> tuple[int, str] | None:
        """The next job and its host, waiting while every host with work is at its limit; None when done."""
        with changed:
            while queues:
                host = next((name for name in queues if active[name] < per_host), None)
                if host is None:
                    changed.wait()
                    continue
                index = queues[host].popleft()
                active[host] += 1
                if queues[host]:
                    queues.move_to_end(host)
                else:
                    del queues[host]
                    if not queues:
                        changed.notify_all()  # the waiting workers have nothing left to take
                return index, host
            return None

    def worker() -> None:
        while (taken := take()) is not None:
            index, host = taken
            try:
                results[index] = work(jobs[index])
                if on_done is not None:
                    on_done(jobs[index], results[index])  # type: ignore[arg-type]
            except Exception as error:
                errors.append(error)
            finally:
                with changed:
                    active[host] -= 1
                    changed.notify()

    threads = [threading.Thread(target=worker, name=f"kb-check-{number}", daemon=True)
               for number in range(max(1, min(concurrency, len(jobs))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]
