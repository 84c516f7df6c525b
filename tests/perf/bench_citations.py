"""Micro-benchmark of the citation box (citeproc-py, three styles) on synthetic statements.

Run from the project folder (pytest does not collect it):

    .venv/bin/python tests/perf/bench_citations.py --sizes 1000 10000 [--sample 200]

For each size it makes a synthetic project (tests/perf/synth.py) in a temporary folder (or uses
`--project`) and prints times in wall seconds, and CPU seconds of this process and its workers (the
machine is shared, so wall time depends on the other load). Modes (`--modes`, default `direct shapes`):
- `direct`: the straightforward rendering (`format_direct`, one citeproc-py render per statement and style),
  measured on `--sample` statements and scaled to the size;
- `shapes`: what a cold build does (no disk cache, nothing in memory): `prepare_citations` with the shape
  templates (`kb.export.citefast`), then every `citation_box`; "renders" counts citeproc-py's renders,
  "fallback" the citations the shape templates left to the per-source path;
- without the shape templates (KB_CITATION_FAST=0, the per-source templates of `citeproc_html`):
  `cold serial` (one process, no disk cache), `cold pool` (every core), `fill disk` (pool, writing
  .cache), `warm disk` (the in-memory cache emptied, the disk cache filled by `fill disk` read back).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kb.export import citecache, citefast, citeproc_html
from kb.export.base import exportable
from kb.export.citebox import citation_box
from kb.export.csl import csl_item
from kb.load import KnowledgeBase, load
from tests.perf.synth import make_project


def _forget() -> None:
    citeproc_html._raw.clear()
    citeproc_html._format_alone.cache_clear()
    citefast.forget()


def _cpu() -> float:
    """CPU seconds of this process and of the worker processes it waited for (the machine is shared)."""
    return time.process_time() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime


def _boxes(kb: KnowledgeBase, processes: int | None, disk: bool, shapes: bool) -> tuple[float, float, float, int]:
    """(prepare seconds, box seconds, CPU seconds, citeproc renders) for every statement's box."""
    os.environ["KB_CITATION_CACHE"] = "1" if disk else "0"
    os.environ["KB_CITATION_FAST"] = "1" if shapes else "0"
    _forget()
    cpu, start = _cpu(), time.perf_counter()
    rendered = citecache.prepare_citations(kb, processes=processes)
    prepared = time.perf_counter() - start
    for entry_id in exportable(kb):
        citation_box(kb, entry_id)
    return prepared, time.perf_counter() - prepared - start, _cpu() - cpu, rendered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--modes", nargs="+", default=["direct", "shapes"],
                        choices=["direct", "shapes", *PER_SOURCE])
    parser.add_argument("--project", type=Path, help="an existing project instead of a synthetic one")
    args = parser.parse_args()
    project = Path(__file__).resolve().parents[2]
    print(f"{'size':>6} {'mode':<12} {'prepare s':>10} {'boxes s':>8} {'total s':>8} {'cpu s':>7} {'renders':>8}  load")
    for size in [0] if args.project else args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            kb = load(args.project) if args.project else load(make_project(project, Path(folder) / "p", size))
            entries = exportable(kb)
            size = size or len(entries)
            if "direct" in args.modes:
                _direct(kb, entries, args.sample, size)
            if "shapes" in args.modes:
                prepared, boxes, cpu_s, rendered = _boxes(kb, None, False, True)
                fallback = sum(citefast.format_fast(csl_item(kb, entry_id, entry), key) is None
                               for entry_id, entry in entries.items() for key in citeproc_html.STYLES)
                print(f"{size:>6} {'shapes':<12} {prepared:>10.2f} {boxes:>8.2f} {prepared + boxes:>8.2f} "
                      f"{cpu_s:>7.2f} {rendered:>8}  {os.getloadavg()[0]:.1f}  (fallback {fallback})", flush=True)
            for mode, (processes, disk) in PER_SOURCE.items():
                if mode in args.modes:
                    prepared, boxes, cpu_s, rendered = _boxes(kb, processes, disk, False)
                    print(f"{size:>6} {mode:<12} {prepared:>10.1f} {boxes:>8.1f} {prepared + boxes:>8.1f} "
                          f"{cpu_s:>7.1f} {rendered:>8}  {os.getloadavg()[0]:.1f}", flush=True)


PER_SOURCE = {"cold serial": (1, False), "cold pool": (None, False), "fill disk": (None, True),
              "warm disk": (None, True)}


def _direct(kb: KnowledgeBase, entries: dict, sample_size: int, size: int) -> None:
    """`format_direct` on the first `sample_size` statements, scaled to all of them."""
    sample = list(entries)[:sample_size]
    citeproc_html.style("apa"), citeproc_html.style("chicago"), citeproc_html.style("mla")
    cpu, start = _cpu(), time.perf_counter()
    for entry_id in sample:
        item = csl_item(kb, entry_id, entries[entry_id])
        for key in citeproc_html.STYLES:
            citeproc_html.format_direct(item, key)
    scale = len(entries) / len(sample)
    direct, direct_cpu = (time.perf_counter() - start) * scale, (_cpu() - cpu) * scale
    print(f"{size:>6} {'direct':<12} {'':>10} {'':>8} {direct:>8.1f} {direct_cpu:>7.1f} {len(entries) * 3:>8}  "
          f"{os.getloadavg()[0]:.1f}  (scaled from {len(sample)})", flush=True)


if __name__ == "__main__":
    main()
