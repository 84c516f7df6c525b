"""`kb export`: the statements as CSL-JSON, BibTeX, the JSON dataset or CSV, to stdout or a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.checks import run_checks
from kb.commands import UsageError, add_root_option, find_root, selected_paths
from kb.export.atomic import write_atomic
from kb.export.formats import FORMATS
from kb.load import Entries, load, without_gc
from kb.problems import format_text, sorted_problems


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "export", help="write the statements as CSL-JSON, BibTeX, JSON or CSV",
        description="Export the statements. Entries with errors stop the export (exit 1, nothing written) "
                    "unless --skip-invalid is given; then the valid ones are exported and the errors reported.")
    parser.add_argument("paths", nargs="*", type=Path, help="entry files or folders to export (default: all)")
    parser.add_argument("--format", choices=sorted(FORMATS), required=True, help="the output format")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="write to this file (atomically: the old file stays whole until the new one is)")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="export the valid entries even when others have errors")
    add_root_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with without_gc():  # see without_gc: a collection walks every loaded object and frees none of them
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    only = selected_paths(root, args.paths)
    output: Path | None = args.output
    if output is not None and not output.parent.is_dir():
        raise UsageError(f"{output.parent} is not a folder")
    if output is not None and output.is_dir():
        raise UsageError(f"{output} is a folder; give a file name")
    kb = load(root, cache=True)
    errors = sorted_problems(problem for problem in run_checks(kb, errors_only=True)
                             if problem.is_error and (only is None or problem.path in only))
    if errors:
        print(format_text(errors), file=sys.stderr)
        if not args.skip_invalid:
            print(f"kb export: {len(errors)} error{'s' * (len(errors) != 1)}: nothing exported "
                  "(fix them, or pass --skip-invalid)", file=sys.stderr)
            return 1
    failed = {problem.path for problem in errors}
    # `kb.export.base.exportable`, less the failed files; the entries are taken from their files when a
    # format asks for them (a kept CSL-JSON line does not), so the entry cache need not restore them all.
    entries = Entries(kb.files, [id_ for id_ in kb.resolved(only) if kb.files[id_].path not in failed])
    text = FORMATS[args.format](kb, entries)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
        print(f"wrote {len(entries)} statements to {output}", file=sys.stderr)
    return 0
