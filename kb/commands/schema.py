"""`kb schema`: regenerate the committed JSON Schemas from the models, or check they are current."""

from __future__ import annotations

import argparse

from kb import schemas


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("schema", help="write kb/schema/*.schema.json from the models")
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.check:
        stale = schemas.stale()
        for name in stale:
            print(f"kb/schema/{name} is stale: run 'kb schema'")
        return 1 if stale else 0
    for name in schemas.write():
        print(f"wrote kb/schema/{name}")
    return 0
