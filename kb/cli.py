"""The `kb` command: a thin layer that parses arguments and hands over to one module per command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kb import __version__
from kb.commands import UsageError, commands


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or for `command` alone when it is one (so only its module loads)."""
    parser = argparse.ArgumentParser(
        prog="kb", description="Validate, check, build and export the We Don't Know How knowledge base.")
    parser.add_argument("--version", action="version", version=f"kb {__version__}")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in commands(command):
        module.register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 when all is well, 1 when the data has problems, 2 on a usage error."""
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(next((arg for arg in given if not arg.startswith("-")), None))
    args = parser.parse_args(given)
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"kb {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as error:  # a file that cannot be written or read: the file system's own words, no traceback
        where = f"{error.filename}: " if error.filename else ""
        print(f"kb {args.command}: error: {where}{error.strerror or error}", file=sys.stderr)
        return 1
