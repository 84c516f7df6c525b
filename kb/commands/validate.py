"""`kb validate`: the offline checks, reported as text, JSON or GitHub annotations."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.checks import run_checks
from kb.commands import add_format_option, add_root_option, find_root, selected_paths
from kb.load import load, without_gc
from kb.problems import FORMATTERS, Severity, sorted_problems


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("validate", help="check entries offline: format, references, dates, duplicates",
                                    description="Check entries offline. Exit 0 when clean, 1 on errors "
                                                "(or warnings with --strict), 2 on a usage error.")
    parser.add_argument("paths", nargs="*", type=Path,
                        help="entry files or folders to report on (default: all)")
    add_root_option(parser)
    add_format_option(parser, sorted(FORMATTERS))
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with without_gc():  # see without_gc: a collection walks every loaded object and frees none of them
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    only = selected_paths(root, args.paths)
    kb = load(root, cache=True)
    problems = sorted_problems(
        problem for problem in run_checks(kb) if only is None or problem.path in only)
    errors = sum(problem.severity is Severity.error for problem in problems)
    warnings = len(problems) - errors
    output = FORMATTERS[args.format](problems)
    if output:
        print(output)
    if args.format == "text":
        files = len(kb.files) + 2 if only is None else len(only)
        failed_paths = {problem.path for problem in problems if problem.is_error}
        valid = sum(1 for file in kb.files.values() if file.facts.valid and file.path not in failed_paths
                    and (only is None or file.path in only))
        print(f"{files} files, {valid} valid statements: "
              f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
              file=sys.stdout)
    failed = errors > 0 or (args.strict and warnings > 0)
    return 1 if failed else 0
