"""The scale benchmark: N synthetic statements validated, exported, built, served and searched.

Run from the project folder (not part of the normal test run; pytest does not collect this file):

    .venv/bin/python tests/perf/bench.py --sizes 1000 10000

It prints a table and writes bench-out/bench-<time>.json and bench-out/latest.json (git-ignored).
Every timing sits beside a baseline from the same run, because shared machines are noisy:

- `kb validate` and `kb export --format csl-json` against parsing the same files with PyYAML's C loader;
- `mkdocs build` of the project (wall time, peak memory) against plain Material building as many
  one-paragraph pages (a throwaway mkdocs.yml with only the material theme and search);
- the first search result in headless Chromium (from the first keystroke to the first result shown)
  against the same on the plain site;
- the `kb serve` rebuild (`mkdocs serve --dirty`) after one entry is edited (at --serve-sizes statements),
  until the served page shows the edit.

Targets (issue 7) at 10,000 statements: validate <= 2 s, export <= 2 s, build <= 2x plain Material,
<= 25 KiB of site per statement, peak memory <= 1 GiB, first search result <= 1 s, and the rebuild after
one edit at 1,000 statements <= 3 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.server
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.perf.synth import make_project, read_corpus, synthetic_entries  # noqa: E402

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]
RESULT = ".md-search-result__item"
KIB = 1024
TARGETS = {
    "validate_s": 2.0, "export_s": 2.0, "build_ratio": 2.0, "site_kib_per_statement": 25.0,
    "build_peak_mib": 1024.0, "search_first_result_s": 1.0, "serve_rebuild_s": 3.0,
}
PARSE_SCRIPT = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def run_timed(command: list[str], cwd: Path | None = None, timeout: float = 1800,
              env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KiB of the child, combined output); raises when the command fails."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, env=env)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                raise RuntimeError(f"{command[0]} took more than {timeout} s")
            time.sleep(0.005)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited {process.returncode}:\n{text[-3000:]}")
    return wall, usage.ru_maxrss, text


def best_of(repeat: int, command: list[str], cwd: Path | None = None,
            env: dict[str, str] | None = None) -> tuple[float, str]:
    """The fastest of `repeat` runs: noise from other work on the machine only ever adds time."""
    runs = [run_timed(command, cwd, env=env) for _ in range(repeat)]
    fastest = min(runs, key=lambda run: run[0])
    return fastest[0], fastest[2]


def cold_and_warm(repeat: int, command: list[str], cache: Path) -> dict[str, tuple[float, str]]:
    """A command that keeps per-file results in the entry cache (kb/loadcache.py), timed three ways, each
    the fastest of `repeat` runs, with a cache folder of its own (XDG_CACHE_HOME) so the user's is never
    read: `cold`, the cache emptied before every run (a first run, which also fills it); `off`, KB_CACHE=0
    (no cache at all); `warm`, the cache filled by the run before (nothing changed since)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env.pop("KB_CACHE", None)
    colds = []
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        wall, _, output = run_timed(command, env=env)
        colds.append((wall, output))
    return {"cold": min(colds, key=lambda run: run[0]), "off": best_of(repeat, command, env={**env, "KB_CACHE": "0"}),
            "warm": best_of(repeat, command, env=env)}


def plain_site(target: Path, paragraphs: list[str]) -> Path:
    """The baseline: plain Material with search, one page per paragraph, nothing else (see the nav note)."""
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs" / "pages"
    docs.mkdir(parents=True)
    # Like the project's site, the navigation lists sections, not every page: Material renders the whole
    # navigation into every page, so a nav of N pages makes N pages of size N (278 KiB each at 1,000).
    (target / "mkdocs.yml").write_text("site_name: Plain\ntheme:\n  name: material\nplugins:\n  - search\n"
                                       "nav:\n  - Home: index.md\nnot_in_nav: |\n  /pages/*.md\n", encoding="utf-8")
    (target / "docs" / "index.md").write_text("# Plain\n\nThe baseline site.\n", encoding="utf-8")
    for number, paragraph in enumerate(paragraphs):
        (docs / f"page-{number:05d}.md").write_text(f"# Page {number}\n\n{paragraph}\n", encoding="utf-8")
    return target


def enable_kb_search(config: Path) -> None:
    """Add the split-index search (kb-search) to a project whose mkdocs.yml does not list it yet."""
    text = config.read_text(encoding="utf-8")
    if "- kb-search" not in text:
        config.write_text(text.replace("\n  - search\n", "\n  - search\n  - kb-search\n", 1), encoding="utf-8")


def directory_bytes(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


SITE_PARTS = {"statements": "statement pages", "api": "exports (api/)", "search": "search index",
              "people": "person pages", "topics": "topic pages"}


def site_parts(site: Path, count: int) -> dict[str, float]:
    """KiB per statement in each part of the site: the statement pages, the exports, the search index, the
    person and topic pages, and the rest (lists, front page, theme assets, sitemap, feed, schemas)."""
    parts: dict[str, int] = {}
    for file in site.rglob("*"):
        if file.is_file():
            top, *below = file.relative_to(site).parts
            part = SITE_PARTS.get(top, "the rest") if below else "the rest"
            if top == "statements" and len(below) == 1:  # statements/index.html: the list of all statements
                part = "the rest"
            parts[part] = parts.get(part, 0) + file.stat().st_size
    return {part: size / count / KIB for part, size in sorted(parts.items(), key=lambda item: -item[1])}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """A real HTTP server on loopback for a built site; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def first_search_result(base_url: str, query: str, repeat: int = 2) -> dict[str, float]:
    """Seconds from the first keystroke to the first result shown, on a fresh page load each time
    (a new browser context, so nothing is cached): `cold` is the first run, `best` the fastest."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for _ in range(repeat):
                context = browser.new_context()
                page = context.new_page()
                page.goto(base_url, wait_until="load")
                page.locator("input[data-md-component=search-query]").click()
                started = time.perf_counter()
                page.keyboard.type(query)
                page.locator(RESULT).first.wait_for(state="visible", timeout=120_000)
                times.append(time.perf_counter() - started)
                context.close()
        finally:
            browser.close()
    return {"cold": times[0], "best": min(times)}


def statement_page(site: Path, entry_id: str) -> str:
    """The site path of one statement's page, found in the built site."""
    for candidate in (site / "statements" / entry_id / "index.html", site / "statements" / f"{entry_id}.html"):
        if candidate.exists():
            return candidate.relative_to(site).as_posix()
    matches = sorted(site.rglob(f"*{entry_id}*/index.html")) or sorted(site.rglob(f"{entry_id}.html"))
    if not matches:
        raise RuntimeError(f"no page for {entry_id} in {site}")
    return matches[0].relative_to(site).as_posix()


def serve_rebuild(project: Path, site: Path, timeout: float = 300) -> float:
    """Seconds from saving one edited entry to `kb serve` (mkdocs serve --dirty) serving the page with the edit."""
    import urllib.request

    statements = sorted((project / "entries").glob("[!_]*.yaml"))
    entry = statements[len(statements) // 2]
    page = statement_page(site, entry.stem)
    port = free_port()
    site_url = re.search(r"^site_url:\s*(\S+)", (project / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    mount = urlsplit(site_url[1]).path if site_url else "/"  # mkdocs serve serves under site_url's path
    url = f"http://127.0.0.1:{port}{mount.rstrip('/')}/{page}"
    handle, name = tempfile.mkstemp(prefix="kb-serve-", suffix=".log")
    log = Path(name)
    process = subprocess.Popen([str(BIN / "kb"), "serve", "--dev-addr", f"127.0.0.1:{port}", "--root", str(project)],
                               cwd=project, stdout=handle, stderr=handle)
    os.close(handle)

    def fetch() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def failed(why: str) -> RuntimeError:
        return RuntimeError(f"{why}; kb serve said:\n{log.read_text(errors='replace')[-3000:]}")

    try:
        deadline = time.perf_counter() + 900
        while "Serving on" not in log.read_text(errors="replace") or not fetch():
            if time.perf_counter() > deadline or process.poll() is not None:
                raise failed("kb serve did not come up")
            time.sleep(0.2)
        time.sleep(2.0)  # let the file watcher settle after the first build
        marker = f"benchmarkedit{random.randrange(10**9)}"
        text = entry.read_text(encoding="utf-8")
        edited = re.sub(r"^statement: (.*)$", lambda match: f"statement: {marker} {match[1]}", text, count=1,
                        flags=re.MULTILINE)
        assert edited != text, f"cannot edit {entry}"
        started = time.perf_counter()
        entry.write_text(edited, encoding="utf-8")
        while marker not in fetch():
            if time.perf_counter() - started > timeout or process.poll() is not None:
                raise failed(f"the edit of {entry.name} never showed up at {url}")
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.unlink(missing_ok=True)


def bench_size(count: int, work: Path, args: argparse.Namespace) -> dict[str, object]:
    figures: dict[str, object] = {"statements": count}
    print(f"== {count} statements: generating", flush=True)
    project = make_project(ROOT, work / f"kb-{count}", count)
    if args.kb_search:
        enable_kb_search(project / "mkdocs.yml")
    entries = project / "entries"
    corpus = read_corpus(ROOT)
    generated, _, _ = synthetic_entries(corpus, count)
    plain = plain_site(work / f"plain-{count}", [entry["statement"] for entry in generated.values()])

    figures["parse_baseline_s"], _ = best_of(args.repeat, [sys.executable, "-c", PARSE_SCRIPT, str(entries)])
    # validate_s and export_s are the warm figures (the cache holds every file: a second run with nothing
    # changed); *_cold_s the first run, which parses everything and fills the cache; *_off_s with KB_CACHE=0.
    cache = work / f"entry-cache-{count}"
    if "validate" in args.steps:
        runs = cold_and_warm(args.repeat, [str(BIN / "kb"), "validate", "--root", str(project)], cache)
        figures["validate_s"], output = runs["warm"]
        figures["validate_cold_s"], figures["validate_off_s"] = runs["cold"][0], runs["off"][0]
        figures["validate_summary"] = output.strip().splitlines()[-1]
        assert {run[1] for run in runs.values()} == {output}, "kb validate said different things"
        figures["validate_ratio"] = figures["validate_s"] / figures["parse_baseline_s"]
        figures["validate_cold_ratio"] = figures["validate_cold_s"] / figures["parse_baseline_s"]
    if "export" in args.steps:
        runs = cold_and_warm(args.repeat, [str(BIN / "kb"), "export", "--format", "csl-json", "--root", str(project),
                                           "-o", str(work / "export.json")], cache)
        figures["export_s"], figures["export_cold_s"], figures["export_off_s"] = (
            runs["warm"][0], runs["cold"][0], runs["off"][0])
        figures["export_ratio"] = figures["export_s"] / figures["parse_baseline_s"]
        figures["export_cold_ratio"] = figures["export_cold_s"] / figures["parse_baseline_s"]
    site = work / f"site-{count}"
    plain_out = work / f"plain-site-{count}"
    if "build" in args.steps:
        print(f"== {count}: building the plain Material baseline", flush=True)
        figures["plain_build_s"], plain_peak, _ = run_timed(
            [str(BIN / "mkdocs"), "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(plain_out)])
        figures["plain_build_peak_mib"] = plain_peak / KIB
        figures["plain_kib_per_page"] = directory_bytes(plain_out) / count / KIB
        print(f"== {count}: building the site", flush=True)
        figures["build_s"], peak, _ = run_timed(
            [str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)], cwd=project)
        figures["build_peak_mib"] = peak / KIB
        figures["build_ratio"] = figures["build_s"] / figures["plain_build_s"]
        figures["site_mib"] = directory_bytes(site) / KIB / KIB
        figures["site_kib_per_statement"] = directory_bytes(site) / count / KIB
        figures["site_parts_kib_per_statement"] = site_parts(site, count)
    if "search" in args.steps and site.exists() and plain_out.exists():
        print(f"== {count}: searching in Chromium", flush=True)
        with serve_directory(plain_out) as url:
            plain_search = first_search_result(url, args.query)
        with serve_directory(site) as url:
            search = first_search_result(url, args.query)
        figures["plain_search_first_result_s"] = plain_search["cold"]
        figures["search_first_result_s"] = search["cold"]
        figures["search_best_s"] = search["best"]
        figures["search_ratio"] = search["cold"] / plain_search["cold"]
    if "serve" in args.steps and count in args.serve_sizes and site.exists():
        print(f"== {count}: kb serve rebuild after one edit", flush=True)
        figures["serve_rebuild_s"] = serve_rebuild(project, site)
        if "plain_build_s" in figures:
            figures["serve_rebuild_ratio"] = figures["serve_rebuild_s"] / figures["plain_build_s"]
    return figures


def target_size(name: str) -> int:
    """The targets are stated for 10,000 statements; the rebuild one for 1,000."""
    return 1000 if name == "serve_rebuild_s" else 10000


def verdicts(figures: dict[str, object]) -> dict[str, bool]:
    """Which targets this run meets, for the size each target is stated for."""
    return {name: float(figures[name]) <= limit for name, limit in TARGETS.items()
            if name in figures and figures["statements"] == target_size(name)}


ROWS = [
    ("validate, warm cache (s)", "validate_s", "parse_baseline_s", "validate_ratio"),
    ("validate, cold (s)", "validate_cold_s", "parse_baseline_s", "validate_cold_ratio"),
    ("validate, KB_CACHE=0 (s)", "validate_off_s", "parse_baseline_s", None),
    ("export csl-json, warm cache (s)", "export_s", "parse_baseline_s", "export_ratio"),
    ("export csl-json, cold (s)", "export_cold_s", "parse_baseline_s", "export_cold_ratio"),
    ("export csl-json, KB_CACHE=0 (s)", "export_off_s", "parse_baseline_s", None),
    ("site build (s)", "build_s", "plain_build_s", "build_ratio"),
    ("build peak memory (MiB)", "build_peak_mib", "plain_build_peak_mib", None),
    ("site per statement (KiB)", "site_kib_per_statement", "plain_kib_per_page", None),
    ("first search result (s)", "search_first_result_s", "plain_search_first_result_s", "search_ratio"),
    ("serve rebuild, one edit (s)", "serve_rebuild_s", "plain_build_s", "serve_rebuild_ratio"),
]


def table(results: list[dict[str, object]]) -> str:
    # No column alignment: Markdown writes it as style="" attributes, which the site's CSP refuses.
    lines = ["| measure | N | value | baseline | ratio | target |", "| --- | --- | --- | --- | --- | --- |"]
    for label, key, base, ratio in ROWS:
        for figures in results:
            if key not in figures:
                continue
            value, baseline = float(figures[key]), figures.get(base)
            target = TARGETS.get(key) if figures["statements"] == target_size(key) else None
            met = "" if target is None else ("met" if value <= target else "MISSED") + f" (<= {target:g})"
            if key == "build_s" and figures["statements"] == target_size(key):
                met = ("met" if float(figures["build_ratio"]) <= TARGETS["build_ratio"] else "MISSED") + " (<= 2x)"
            lines.append(f"| {label} | {figures['statements']:,} | {value:.2f} | "
                         f"{'' if baseline is None else f'{float(baseline):.2f}'} | "
                         f"{'' if not ratio or ratio not in figures else f'{float(figures[ratio]):.2f}x'} | {met} |")
    return "\n".join(lines)


def parts_table(results: list[dict[str, object]]) -> str:
    """Where the site's bytes are, at the largest size measured."""
    measured = [figures for figures in results if "site_parts_kib_per_statement" in figures]
    if not measured:
        return ""
    figures = max(measured, key=lambda figures: int(figures["statements"]))
    parts = figures["site_parts_kib_per_statement"]
    lines = [f"Where the site's bytes are at {figures['statements']:,} statements (KiB per statement):", "",
             "| part | KiB per statement |", "| --- | --- |"]
    lines += [f"| {part} | {size:.2f} |" for part, size in parts.items()]
    return "\n".join(lines)


PAGE = """# Performance

How the tools and the site behave with many statements, measured by the project's benchmark on
synthetic knowledge bases made from the real entries (every statement, speaker and topic varied, all
valid). Each timing stands beside a baseline measured in the same run, because the machine is shared
and noisy: ratios say more than seconds.

- **Measured:** {date}
- **Machine:** {machine}
- **Command:** `{command}` (from the project folder; it also writes `bench-out/latest.json`)

{table}

{parts}

Baselines: *parse* is PyYAML's C loader reading the same files; *plain* is Material with only its
search plugin building as many one-paragraph pages (navigation listing sections, as here); the plain
search is Material's own (lunr), which downloads every page's text and indexes it before it answers.
This site's search reads a split index instead: one small file per query word and one per result
page, so the first result does not wait for the whole site.

{notes}
"""


def page(report: dict[str, object], notes: str) -> str:
    info = report["machine"]
    described = (f"{info['cpus']} CPUs, Python {info['python']}, {info['platform']}; load average at the start "
                 f"{', '.join(f'{value:.1f}' for value in info['load_average'])}")
    return PAGE.format(date=report["started"], machine=described, command=report["command"],
                       table=table(report["results"]), parts=parts_table(report["results"]),
                       notes=notes).rstrip() + "\n"


def machine() -> dict[str, object]:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--steps", nargs="+", default=["validate", "export", "build", "search", "serve"],
                        choices=["validate", "export", "build", "search", "serve"])
    parser.add_argument("--serve-sizes", type=int, nargs="+", default=[1000], help="sizes to measure serve at")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the quick commands; the fastest counts")
    parser.add_argument("--query", default="understand", help="what to type into the search box")
    parser.add_argument("--kb-search", action="store_true",
                        help="add the kb-search plugin to the generated project if its mkdocs.yml lacks it")
    parser.add_argument("--work", type=Path, default=None, help="keep the generated projects and sites here")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out")
    parser.add_argument("--page", type=Path, default=None,
                        help="also write the results as a Markdown page (site_src/performance.md)")
    parser.add_argument("--notes", type=Path, default=None, help="Markdown to append to the page")
    parser.add_argument("--from-json", type=Path, default=None,
                        help="measure nothing: print (and with --page write) the results of an earlier run")
    args = parser.parse_args(argv)
    if args.from_json:
        report = json.loads(args.from_json.read_text(encoding="utf-8"))
        print(table(report["results"]))
        if args.page:
            notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
            args.page.write_text(page(report, notes), encoding="utf-8")
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    results = []
    try:
        for count in args.sizes:
            figures = bench_size(count, work, args)
            figures["targets_met"] = verdicts(figures)
            results.append(figures)
            print(json.dumps(figures, indent=1), flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report = {"started": started.isoformat(timespec="seconds"), "machine": machine(),
              "command": "python tests/perf/bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "results": results}
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    (args.out / f"bench-{started:%Y%m%dT%H%M%S}.json").write_text(text, encoding="utf-8")
    (args.out / "latest.json").write_text(text, encoding="utf-8")
    print(table(results))
    if args.page:
        notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
        args.page.write_text(page(report, notes), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
