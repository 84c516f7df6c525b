"""Under `mkdocs serve --dirty` (what `kb serve` runs), a rebuild writes only the generated pages that changed.

MkDocs' dirty build skips a page when `File.is_modified()` says no; for a file made in memory it always says
yes, so every statement page was rebuilt after any edit (21 s at 1,000 statements). `GeneratedPage` answers
from the page's own text instead: unchanged since the last build, with its output still on disk and nothing
else that shapes every page (mkdocs.yml, the theme overrides, the hand-written pages and so the navigation)
changed, it is skipped; when one of those did change, every page is rebuilt. An entry edited, added or
removed changes its own page and the few that list it (person, topics, all statements, front page,
timeline); a removed entry's page is deleted from the site.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.structure.files import File, Files


class GeneratedPage(File):
    """A generated page that knows whether it is the same as at the last build."""

    unchanged = False

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path)) and super().is_modified()


class MemoryBytecodeCache(BytecodeCache):
    """Compiled theme templates kept in memory between the rebuilds of one `mkdocs serve` (Jinja checks each
    against its template's source checksum, so an edited template is compiled again)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def site_fingerprint(files: Files, config_file: str | None, theme_dir: str | None) -> str:
    """What shapes every page besides its own text: the configuration file, the theme overrides and the
    hand-written pages (their titles make the navigation), by name, size and modification time."""
    digest = hashlib.sha256()
    paths = [path for path in (config_file,) if path]
    paths += [file.abs_src_path for file in files if file.abs_src_path and file.is_documentation_page()]
    if theme_dir:
        paths += [str(path) for path in sorted(Path(theme_dir).rglob("*")) if path.is_file()]
    for path in paths:
        status = os.stat(path)
        digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _mark_stale(files: Files) -> None:
    """Make MkDocs' dirty build redo the hand-written pages too: it compares their output's time with their
    source's, and a change to the theme or the navigation touches neither. An output dated 1970 is older."""
    for file in files.documentation_pages():
        if os.path.isfile(file.abs_dest_path):
            os.utime(file.abs_dest_path, ns=(0, 0))


@dataclass
class LastBuild:
    """The generated pages of the previous build in this process, to tell which ones changed."""

    fingerprint: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    destinations: dict[str, str] = field(default_factory=dict)

    def add_pages(self, files: Files, pages: dict[str, str], config: object, *, dirty: bool, fingerprint: str) -> int:
        """Append `pages` to `files` as GeneratedPages; returns how many are unchanged (and will be skipped).
        Outputs of pages that are gone since the last build are deleted."""
        same_site = dirty and fingerprint == self.fingerprint
        if dirty and self.fingerprint and not same_site:
            _mark_stale(files)
        unchanged = 0
        destinations = {}
        for path, content in pages.items():
            file = GeneratedPage.generated(config, path, content=content)  # type: ignore[arg-type]
            file.unchanged = same_site and self.pages.get(path) == content
            unchanged += file.unchanged
            destinations[path] = file.abs_dest_path
            files.append(file)
        if dirty:
            for path in self.destinations.keys() - destinations.keys():
                Path(self.destinations[path]).unlink(missing_ok=True)
        self.fingerprint, self.pages, self.destinations = fingerprint, dict(pages), destinations
        return unchanged
