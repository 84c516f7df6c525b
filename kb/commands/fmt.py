"""`kb fmt`: put entry and registry files in the canonical layout (kb/fmt.py), or list those that are not."""

from __future__ import annotations

import argparse
from pathlib import Path

from kb.commands import add_format_option, add_root_option, find_root, selected_paths
from kb.fmt import format_file, write_atomically
from kb.load import ENTRIES_DIR, PEOPLE_FILE, TOPICS_FILE, entry_paths, folder_refusal
from kb.problems import FORMATTERS, Problem, sorted_problems


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "fmt", help="lay entry files out in the canonical key order and style",
        description="Rewrite entry files in the canonical key order and style, keeping comments and wording. "
                    "Exit 0 when done (or, with --check, when nothing would change), 1 when a file would change "
                    "or cannot be read, 2 on a usage error.")
    parser.add_argument("paths", nargs="*", type=Path, help="entry files or folders (default: all of entries/)")
    parser.add_argument("--check", action="store_true", help="change nothing; list files that would change")
    add_root_option(parser)
    add_format_option(parser, sorted(FORMATTERS), help="how to report files that would change or cannot be read")
    parser.set_defaults(run=run)


def _targets(root: Path, paths: list[Path]) -> list[str]:
    only = selected_paths(root, paths)
    if only is not None:
        return sorted(only)
    registries = [f"{ENTRIES_DIR}/{name}" for name in (PEOPLE_FILE, TOPICS_FILE)
                  if (root / ENTRIES_DIR / name).exists()]
    return registries + [f"{ENTRIES_DIR}/{path.name}" for path in entry_paths(root)]


def run(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    refused = folder_refusal(root)  # a linked entries/ would have kb fmt rewrite files outside the project
    problems: list[Problem] = [refused] if refused else []
    changed: list[str] = []
    targets = [] if refused else _targets(root, args.paths)
    for shown_as in targets:
        outcome = format_file(root / shown_as, shown_as, root)
        if outcome.problem is not None:
            problems.append(outcome.problem)
        elif outcome.changed and outcome.text is not None:
            changed.append(shown_as)
            if not args.check:
                write_atomically(outcome.path, outcome.text)
    if args.check:
        problems += [Problem(path, 1, 1, "not-formatted", "the file is not in the canonical layout",
                             f"run 'kb fmt {path}'") for path in changed]
    output = FORMATTERS[args.format](sorted_problems(problems))
    if output:
        print(output)
    if args.format == "text":
        if not args.check:
            for path in changed:
                print(f"reformatted {path}")
        verb = "would be reformatted" if args.check else "reformatted"
        left = len(problems) - len(changed) * args.check
        print(f"{len(targets)} files: {len(changed)} {verb}" + (f", {left} cannot be read (see above)" if left else ""))
    return 1 if problems else 0
