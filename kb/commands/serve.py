"""`kb serve`: a live preview by `mkdocs serve --dirty`; editing an entry rebuilds the pages it changes.

A dirty rebuild writes only what changed: the kb plugin tells MkDocs which generated pages are the same as
before (kb.mkdocs_incremental), so one edited entry rebuilds a handful of pages, not all of them."""

from __future__ import annotations

import argparse

from kb.commands import add_root_option, find_root
from kb.commands.build import mkdocs


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("serve", help="preview the site on http://127.0.0.1:8000, rebuilt on changes",
                                    description="Serve the site locally with mkdocs serve --dirty; entries/ is "
                                                "watched, and an edit rebuilds only the pages it changes.")
    add_root_option(parser)
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                        help="address to serve on (default: 127.0.0.1:8000)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return 1 if mkdocs("serve", find_root(args.root), "--dirty", "--dev-addr", args.dev_addr) else 0
