"""`kb build`: the site, by `mkdocs build --strict` on the project's mkdocs.yml (the kb plugin validates)."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path

from kb.commands import UsageError, add_root_option, find_root


def mkdocs(command: str, root: Path, *extra: str) -> int:
    """Run mkdocs with this interpreter, so the kb plugin of this installation is the one loaded.

    A SIGTERM to `kb` is passed on, so stopping `kb serve` never leaves a `mkdocs serve` running."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        raise UsageError(f"{root} has no mkdocs.yml")
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", command, "-f", str(config), *extra])
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: process.terminate())
    try:
        return process.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("build", help="validate the entries and build the site (mkdocs build --strict)",
                                    description="Build the site into site/ (or --site-dir). Any entry error stops "
                                                "the build with the same messages as kb validate; exit 1.")
    add_root_option(parser)
    parser.add_argument("--site-dir", type=Path, default=None, help="where to write the site (default: site/)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    extra = ["--strict"] + (["--site-dir", str(args.site_dir.resolve())] if args.site_dir else [])
    return 1 if mkdocs("build", root, *extra) else 0
