"""Link checker benchmark: kb check's engine beside linkchecker and linkinator, on loopback only.

    .venv/bin/python benchmarks/links/bench.py [--urls 2000] [--hosts 20] [--delay 0.1] [--rounds 3]
        [--linkchecker /tmp/bench-venv/bin/linkchecker] [--linkinator /tmp/linkinator/node_modules/.bin/linkinator]

2,000 URLs over 20 loopback hosts (127.0.0.2 .. 127.0.0.21), each host a separate asyncio server process
that answers every request after ~100 ms and counts how many requests it is serving at once. A page on
127.0.0.1 links all the URLs, for the tools that crawl a page. kb's engine is timed cold (empty cache)
and warm (second run, same cache), alternating with linkinator for `--rounds` rounds (the machine may be
shared: the best of each is compared); linkchecker, slow, runs once. All in the same run, on the same URLs.
With 4 requests per host at most, 20 hosts and 100 ms, no checker can finish in under
urls / (hosts * 4) * delay = 2.5 s.

Install the other tools outside the project (they are not dependencies):
    python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install linkchecker
    mkdir -p /tmp/linkinator && cd /tmp/linkinator && npm install linkinator@6
A tool that is not installed is reported as skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


# --- the servers: one process per host --------------------------------------------------------------

def serve(host: str, delay: float) -> None:
    """An HTTP/1.1 keep-alive server answering 200 after `delay`; GET /__stats gives the peak concurrency."""
    state = {"now": 0, "max": 0, "count": 0}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line = head.split(b"\r\n", 1)[0].split(b" ")
                method, path = line[0], line[1]
                if path.startswith(b"/__stats"):
                    body = json.dumps(state).encode()
                    if b"reset" in path:
                        state.update(now=0, max=0, count=0)
                else:
                    state["now"] += 1
                    state["count"] += 1
                    state["max"] = max(state["max"], state["now"])
                    await asyncio.sleep(delay)
                    state["now"] -= 1
                    body = b"<html><body>ok</body></html>"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body)
                             + (b"" if method == b"HEAD" else body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, host, 0, backlog=1024)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(main())


def start_hosts(count: int, delay: float) -> tuple[list[subprocess.Popen], list[str]]:
    processes, bases = [], []
    for index in range(count):
        host = f"127.0.0.{index + 2}"
        process = subprocess.Popen([sys.executable, __file__, "--serve", host, "--delay", str(delay)],
                                   stdout=subprocess.PIPE, text=True)
        processes.append(process)
        bases.append(f"http://{host}:{process.stdout.readline().strip()}")
    return processes, bases


def stats(bases: list[str], reset: bool = True) -> dict[str, int]:
    """Peak concurrent requests on any one host, and requests served, since the last reset."""
    peaks, total = [], 0
    for base in bases:
        with urllib.request.urlopen(f"{base}/__stats{'?reset' if reset else ''}", timeout=5) as answer:
            state = json.load(answer)
        peaks.append(state["max"])
        total += state["count"]
    return {"max_per_host": max(peaks), "requests": total}


def link_page(urls: list[str]) -> tuple[http.server.HTTPServer, str]:
    """127.0.0.1 serves one page linking every URL, for the crawling tools."""
    page = ("<!doctype html><html><head><title>links</title></head><body>"
            + "".join(f'<a href="{url}">{index}</a>\n' for index, url in enumerate(urls)) + "</body></html>").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = (200, page) if self.path == "/index.html" else (404, b"")
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/index.html"


# --- the checkers ---------------------------------------------------------------------------------

def run_kb(urls: list[str], cache_root: Path) -> tuple[float, int]:
    from kb.linkcheck.cache import Cache
    from kb.linkcheck.engine import check_targets
    from kb.linkcheck.plan import Target
    from kb.linkcheck.settings import Settings

    targets = [Target(url) for url in urls]
    started = time.perf_counter()
    results = check_targets(targets, Settings(allow_private=True), Cache(cache_root))
    elapsed = time.perf_counter() - started
    return elapsed, sum(observation.reachable for observation in results.values())


def entries_project(urls: list[str], folder: Path) -> Path:
    """A project with one paraphrase entry per URL (the fixture project's registries), for the CLI rows."""
    entries = folder / "entries"
    entries.mkdir(parents=True)
    for registry in ("_people.yaml", "_topics.yaml"):
        shutil.copy(ROOT / "tests" / "fixtures" / "project" / "entries" / registry, entries / registry)
    for index, url in enumerate(urls):
        (entries / f"link-{index}.yaml").write_text(
            f"statement: Statement number {index}.\nfidelity: paraphrase\nspeaker: ada-example\nsaid: 2023\n"
            f"source:\n  type: article\n  title: Source {index}\n  url: {url}\ntopics: [prompting]\n"
            "added: 2026-11-22\n")
    return folder


def run_cli(root: Path) -> float:
    """`kb check` as a user runs it (loading the entries included), in a fresh process."""
    return run_tool([sys.executable, "-m", "kb", "check", "--root", str(root), "--allow-private", "--format", "json"])


def run_tool(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900, check=False, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=3, help="kb and linkinator runs, alternating (best counts)")
    parser.add_argument("--linkchecker", default="/tmp/bench-venv/bin/linkchecker")
    parser.add_argument("--linkinator", default="/tmp/linkinator/node_modules/.bin/linkinator")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.delay)
        return
    processes, bases = start_hosts(args.hosts, args.delay)
    try:
        urls = [f"{bases[index % len(bases)]}/page/{index}" for index in range(args.urls)]
        page_server, page = link_page(urls)
        bound = args.urls / (len(bases) * 4) * args.delay
        rows: list[tuple[str, str, str]] = []
        times: dict[str, float] = {}
        for round_ in range(args.rounds):
            with tempfile.TemporaryDirectory() as cache:
                stats(bases)
                cold, reachable = run_kb(urls, Path(cache))
                cold_stats = stats(bases)
                warm, _ = run_kb(urls, Path(cache))
                warm_stats = stats(bases)
            times["kb"] = min(times.get("kb", cold), cold)
            rows.append((f"kb engine, cold #{round_ + 1}", f"{cold:.2f} s",
                         f"max {cold_stats['max_per_host']} per host, {cold_stats['requests']} requests, "
                         f"{reachable}/{args.urls} ok"))
            rows.append((f"kb engine, warm #{round_ + 1}", f"{warm:.3f} s", f"{warm_stats['requests']} requests"))
            tools = [("linkinator", [args.linkinator, page, "--timeout", "30000"])]
            if round_ == 0:
                tools.append(("linkchecker", [args.linkchecker, "--check-extern", "--no-status", "--no-warnings",
                                              "-o", "none", page]))
            for name, command in tools:
                if not shutil.which(command[0]):
                    rows.append((name, "skipped", f"{command[0]} is not installed"))
                    continue
                elapsed = run_tool(command)
                times[name] = min(times.get(name, elapsed), elapsed)
                tool_stats = stats(bases)
                rows.append((f"{name} #{round_ + 1}", f"{elapsed:.2f} s",
                             f"max {tool_stats['max_per_host']} per host, {tool_stats['requests']} requests"))
        with tempfile.TemporaryDirectory() as folder:
            project = entries_project(urls, Path(folder))
            stats(bases)
            cli_cold = run_cli(project)
            cli_stats = stats(bases)
            cli_warm = run_cli(project)
            rows.append(("kb check CLI, cold", f"{cli_cold:.2f} s", f"{len(urls)} entries, max "
                         f"{cli_stats['max_per_host']} per host, {cli_stats['requests']} requests"))
            rows.append(("kb check CLI, warm", f"{cli_warm:.2f} s", f"{stats(bases)['requests']} requests "
                         "(process start, loading and validating the entries included)"))
        page_server.shutdown()
    finally:
        for process in processes:
            process.kill()
    print(f"{args.urls} URLs over {len(bases)} hosts, {args.delay * 1000:.0f} ms per answer; "
          f"bound at 4 per host: {bound:.2f} s")
    for name, elapsed, detail in rows:
        print(f"  {name:<24} {elapsed:>9}   {detail}")
    if "linkinator" in times:
        print(f"  best of {args.rounds}: kb cold {times['kb']:.2f} s, linkinator {times['linkinator']:.2f} s, "
              f"ratio {times['kb'] / times['linkinator']:.2f}")


if __name__ == "__main__":
    main()
