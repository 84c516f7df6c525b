"""`kb serve`: a live preview by `mkdocs serve`; editing an entry rebuilds the site."""

from __future__ import annotations

import argparse

from kb.commands import add_root_option, find_root
from kb.commands.build import mkdocs


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("serve", help="preview the site on http://127.0.0.1:8000, rebuilt on changes",
                                    description="Serve the site locally with mkdocs serve; entries/ is watched.")
    add_root_option(parser)
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                        help="address to serve on (default: 127.0.0.1:8000)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return 1 if mkdocs("serve", find_root(args.root), "--dev-addr", args.dev_addr) else 0
