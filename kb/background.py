"""Work done in a forked child while the parent goes on, on the machine's other core.

`mkdocs build` runs on one core. Writing the site's exports (at 10,000 statements: encoding the JSON, CSV
and BibTeX and creating 10,000 small files, about 7 s) needs only the loaded entries, so the kb plugin forks
a child for it once the entries are checked and the site folder is clean, and waits for it at the end of the
build. The child shares the parent's memory until it writes (copy-on-write) and leaves by `os._exit`, so it
runs none of the parent's exit handlers and flushes none of its buffers.

Only a process without threads may fork safely: `mkdocs serve` runs a threaded server, so it does this work
in line, as does any process with threads and a system without `fork`.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass


class ChildFailed(RuntimeError):
    """The child's work raised, or the child did not exit cleanly; the message holds its traceback."""


@dataclass
class Child:
    pid: int
    report: int  # the read end of a pipe; the child writes its traceback there when its work raises

    def wait(self) -> None:
        """Block until the child has finished; ChildFailed when its work did not succeed."""
        with os.fdopen(self.report, "rb") as report:  # read to the end first: a long traceback fills the pipe
            message = report.read().decode("utf-8", "replace")
        _, status = os.waitpid(self.pid, 0)
        if message or os.waitstatus_to_exitcode(status) != 0:
            raise ChildFailed(message or f"the child exited with status {os.waitstatus_to_exitcode(status)}")


def can_fork() -> bool:
    """A system with `fork`, and a process with no thread but this one (a fork copies only the caller's
    thread, so a lock another thread held would stay locked in the child)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def run_in_child(work: Callable[[], object]) -> Child:
    """Start `work` in a forked child; call `.wait()` on the result to join it."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code = 0
        try:
            work()
        except BaseException:
            unsent = memoryview(traceback.format_exc().encode("utf-8", "replace"))
            while unsent:
                unsent = unsent[os.write(write_end, unsent):]
            code = 1
        os._exit(code)
    os.close(write_end)
    return Child(pid, read_end)
