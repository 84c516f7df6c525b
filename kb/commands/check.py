"""`kb check`: the online checks (links, recordings, quotes, archives), reported as text, JSON or GitHub."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kb.commands import UsageError, add_format_option, add_root_option, find_root, selected_paths
from kb.linkcheck.cache import Cache
from kb.linkcheck.engine import check_targets
from kb.linkcheck.evaluate import judge, problems
from kb.linkcheck.plan import plan
from kb.linkcheck.report import Progress, format_json, format_table, format_totals
from kb.linkcheck.settings import Settings
from kb.load import load
from kb.problems import FORMATTERS, sorted_problems


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "check", help="check links, recordings and quotes against their sources (online)",
        description="Fetch every URL of the given entries (default: all entries and registries), check time codes "
                    "and words against recordings and pages, and suggest archived copies of broken links. "
                    "Exit 0 when nothing is broken, 1 when something is, 2 on a usage error.")
    parser.add_argument("paths", nargs="*", type=Path, help="entry files or folders to check (default: all)")
    add_root_option(parser)
    parser.add_argument("--allow-private", action="store_true",
                        help="allow private and loopback addresses (for local test servers only)")
    parser.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                        help="total time allowed for one request, redirects included (default: 15)")
    parser.add_argument("--max-age", type=float, default=7.0, metavar="DAYS",
                        help="reuse good results younger than this from .kb-cache/ (default: 7)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write .kb-cache/")
    add_format_option(parser, sorted(FORMATTERS))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if not args.max_age >= 0:
        raise UsageError("--max-age must be zero or more days")
    root = find_root(args.root)
    only = selected_paths(root, args.paths)
    kb = load(root)
    skipped = sum(file.entry is None for file in kb.files.values() if only is None or file.path in only)
    if skipped:
        print(f"kb check: {skipped} entr{'ies' if skipped != 1 else 'y'} with errors not checked; "
              "run `kb validate`", file=sys.stderr)
    settings = Settings(allow_private=args.allow_private, timeout=args.timeout)
    targets = plan(kb, only)
    started = time.monotonic()
    progress = Progress(len(targets))
    try:
        observations = check_targets(targets, settings, Cache(root, max_age_days=args.max_age,
                                                               enabled=not args.no_cache), progress.advance)
    finally:
        progress.close()
    verdicts = [judge(target, observations[target.url], settings.captions_window) for target in targets]
    found = sorted_problems(problem for verdict in verdicts for problem in problems(verdict))
    if args.format == "json":
        print(format_json(verdicts))
    else:
        output = FORMATTERS[args.format](found)
        if output:
            print(output)
        if args.format == "text":
            print(format_table(verdicts))
            print(format_totals(verdicts, time.monotonic() - started))
    return 0 if all(verdict.ok for verdict in verdicts) else 1
