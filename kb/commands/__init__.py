"""One module per `kb` command; each has `register(subparsers)` and sets `run` on its parser."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
from pathlib import Path
from types import ModuleType

from kb.load import ENTRIES_DIR


class UsageError(Exception):
    """A mistake in how the command was called (exit 2), not in the data."""


def add_root_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None,
                        help="project folder holding entries/ (default: this folder or the nearest parent with one)")


def add_format_option(parser: argparse.ArgumentParser, formats: list[str], help: str | None = None) -> None:
    """`--format`, defaulting to GitHub annotations inside GitHub Actions and to text elsewhere."""
    parser.add_argument("--format", choices=formats, help=help,
                        default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")


def find_root(given: Path | None) -> Path:
    """The project root: `--root`, else the current folder or the nearest parent holding entries/."""
    if given is not None:
        if not (given / ENTRIES_DIR).is_dir():
            raise UsageError(f"{given} has no {ENTRIES_DIR}/ folder")
        return given
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / ENTRIES_DIR).is_dir():
            return folder
    raise UsageError(f"no {ENTRIES_DIR}/ folder here or above; run from the project or pass --root")


def selected_paths(root: Path, paths: list[Path]) -> set[str] | None:
    """The given files as paths relative to root (as problems name them); None means everything."""
    if not paths:
        return None
    project = root.resolve()
    entries = project / ENTRIES_DIR
    selected = set()
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file")
        resolved = path.resolve()
        if resolved == project:
            resolved = entries  # `kb validate .` from the project means every entry
        if project not in resolved.parents:
            raise UsageError(f"{path} is not inside the project at {root}")
        if resolved != entries and entries not in resolved.parents:
            raise UsageError(f"{path} is not in {ENTRIES_DIR}/ of the project at {root}; "
                             f"give entry files or the {ENTRIES_DIR}/ folder")
        files = sorted(resolved.glob("*.y*ml")) if resolved.is_dir() else [resolved]
        selected |= {f"{ENTRIES_DIR}/{file.relative_to(entries).as_posix()}" for file in files}
    return selected


def commands(only: str | None = None) -> list[ModuleType]:
    """Every module of this package is a command, found by name so commands can be added alone.

    With `only` naming one of them, just that one is imported: `kb validate` need not import yt-dlp,
    requests and ruamel for the other commands (about half a second).
    """
    import kb.commands as package

    names = [module.name for module in pkgutil.iter_modules(package.__path__) if not module.name.startswith("_")]
    if only in names:
        names = [only]
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]
