"""Read `entries/` into one KnowledgeBase: every file parsed strictly, every problem kept with its place."""

from __future__ import annotations

import fnmatch
import gc
import os
import re
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from kb.model import SLUG_MAX, Entry, Person, Topic
from kb.problems import Problem
from kb.schema_errors import problems_from_validation
from kb.slugs import DEVICE_HINT, SLUG_HINT, is_device_name, is_slug
from kb.yaml_strict import MAX_BYTES, Document, YamlError, parse_bytes
from kb.yaml_strict import Path as ValuePath

ENTRIES_DIR = "entries"
PEOPLE_FILE = "_people.yaml"
TOPICS_FILE = "_topics.yaml"
SCHEMA_COMMENT = "# yaml-language-server: $schema="
_ALLOWED = frozenset({PEOPLE_FILE, TOPICS_FILE, "README.md", ".gitkeep"})
_ENTRY_NAME = re.compile(fnmatch.translate("*.y*ml"))  # read as a statement unless it starts with '_'



def entry_dates(entry: Entry) -> Iterator[tuple[ValuePath, str]]:
    """Every date an entry holds, with its path: `said` first, then `added`, then the optional ones."""
    yield ("said",), entry.said
    yield ("added",), entry.added
    if entry.source.published:
        yield ("source", "published"), entry.source.published
    if entry.verified:
        yield ("verified", "on"), entry.verified.on
    for index, report in enumerate(entry.found_via or ()):
        if report.date:
            yield ("found_via", index, "date"), report.date
    if entry.disputed and entry.disputed.source.date:
        yield ("disputed", "source", "date"), entry.disputed.source.date


class Facts(NamedTuple):
    """What the rules over all files (references, unused, dates, duplicates) and the exports read of each
    file, worked out from its document and entry by `of`. It is small, so the entry cache keeps it apart
    and a warm run restores neither the document's value nor the entry for those rules (`kb.loadcache`).
    A named tuple: 10,000 of them are made from the cache's JSON at every warm run.

    - valid: an Entry was made (the file parsed and validated);
    - speaker, topics, dates: the entry's speaker, topics and `entry_dates` (`said` and `added` first),
      when valid;
    - cited_speaker, cited_topics: the parsed value's `speaker` when it is text and the texts among its
      `topics`, valid entry or not (what `check_unused` counts).
    """

    valid: bool
    speaker: str | None = None
    topics: tuple[str, ...] = ()
    dates: tuple[tuple[ValuePath, str], ...] = ()
    cited_speaker: str | None = None
    cited_topics: tuple[str, ...] = ()

    @classmethod
    def of(cls, document: Document | None, entry: Entry | None) -> Facts:
        value = None if document is None else document.value
        cited_speaker, cited_topics = None, ()
        if isinstance(value, dict):
            speaker = value.get("speaker")
            cited_speaker = speaker if isinstance(speaker, str) else None
            topics = value.get("topics")
            cited_topics = tuple(topic for topic in topics if isinstance(topic, str)) if isinstance(
                topics, list) else ()
        if entry is None:
            return cls(False, cited_speaker=cited_speaker, cited_topics=cited_topics)
        return cls(True, entry.speaker, tuple(entry.topics), tuple(entry_dates(entry)), cited_speaker, cited_topics)


@dataclass
class EntryFile:
    """One statement file, parsed; `entry` is None when the file has errors that stop validation."""

    id: str
    path: str
    document: Document | None = None
    entry: Entry | None = None
    key: str | None = None
    """The entry cache's key for this file's name and bytes (`kb.loadcache`), when loaded through it: what an
    export derives from the file alone can be kept under it too."""
    findings: dict[str, list[Problem]] | None = None
    """The findings of the per-file rules (`kb.checks.FILE_RULES`) by rule, when already known (the load
    cache keeps them with the file); None means the rules look at the file themselves."""

    @cached_property
    def facts(self) -> Facts:
        """`Facts.of` the document and entry, worked out once (and again after either is replaced)."""
        return Facts.of(self.document, self.entry)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("document", "entry"):
            self.__dict__.pop("facts", None)  # what was worked out from the old one
        super().__setattr__(name, value)


@dataclass
class Registry:
    """People or topics by slug, with the parsed file for positions."""

    path: str
    items: dict[str, Any] = field(default_factory=dict)
    document: Document | None = None


@dataclass
class KnowledgeBase:
    root: Path
    files: dict[str, EntryFile]
    people: Registry
    topics: Registry
    problems: list[Problem]

    @property
    def entries(self) -> dict[str, Entry]:
        """The valid statements by id, in id order."""
        files = self.files
        return {id_: entry for id_ in sorted(files) if (entry := files[id_].entry) is not None}

    def resolved(self, only: set[str] | None = None) -> list[str]:
        """The ids of the valid statements whose speaker and topics resolve, in id order; `only` limits them
        to file paths. What `kb.export.base.exportable` selects, read from each file's facts, so that no
        entry has to be restored to find them."""
        files, people, topics = self.files, self.people.items, self.topics.items
        return [id_ for id_ in sorted(files) if (facts := files[id_].facts).valid
                and (only is None or files[id_].path in only)
                and facts.speaker in people and all(topic in topics for topic in facts.topics)]

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


class Entries(Mapping[str, Entry]):
    """The entries of some files, by id in the order given, each taken from its file when asked for: an
    export whose output is kept (`kb.export.csl.csl_json`) then restores none of them from the cache."""

    def __init__(self, files: dict[str, EntryFile], ids: list[str]) -> None:
        self._files = files
        self._ids = ids
        self._known = frozenset(ids)

    def __getitem__(self, entry_id: str) -> Entry:
        entry = self._files[entry_id].entry if entry_id in self._known else None
        if entry is None:
            raise KeyError(entry_id)
        return entry

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def file_stem(name: str) -> str:
    """`Path(name).stem` for an entry file's name (`*.y*ml`, so never ending in a dot), without a Path."""
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def read_document(path: Path, shown_as: str) -> tuple[Document | None, list[Problem]]:
    """Parse one file strictly; a refusal becomes a Problem instead of an exception."""
    data, problems = read_bytes(path, shown_as)
    return (None, problems) if data is None else parse_document(data, shown_as)


def read_bytes(path: Path | str, shown_as: str) -> tuple[bytes | None, list[Problem]]:
    """One file's bytes, or None and the Problem why not (a link, not a file, too large, unreadable)."""
    try:
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            raise YamlError("the file is a symbolic link", code="not-a-file",
                            hint="commit the entry itself, not a link to another file")
        if not stat.S_ISREG(status.st_mode):
            raise YamlError("this is not a regular file", code="not-a-file", hint="entries are plain text files")
        size = status.st_size
        if size > MAX_BYTES:
            raise YamlError(f"the file is {size:,} bytes, over the limit of {MAX_BYTES:,}", code="file-too-large",
                            hint="an entry holds one statement; shorten it")
        return _read_at_most(path, size, MAX_BYTES + 1), []
    except YamlError as error:
        return None, [Problem(shown_as, error.line, error.column, error.code, error.message, error.hint)]
    except OSError as error:
        return None, [Problem(shown_as, 1, 1, "unreadable", f"cannot read the file: {error.strerror}")]


def _read_at_most(path: Path | str, expected: int, limit: int) -> bytes:
    """Up to `limit` bytes of a file (all of it unless it is larger), asking for its expected size first:
    one read of the limit would allocate that much per file (256 KiB, 10,000 times). A bare descriptor,
    not a file object: for 10,000 files that halves the time of reading them."""
    parts = []
    total = 0
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        want = min(expected, limit - 1) + 1  # one more, to see the end at once
        while total < limit:
            chunk = os.read(handle, min(want, limit - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
            want = limit - total
    finally:
        os.close(handle)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def parse_document(data: bytes, shown_as: str) -> tuple[Document | None, list[Problem]]:
    """Parse a file's bytes strictly; a refusal becomes a Problem instead of an exception."""
    try:
        return parse_bytes(data), []
    except YamlError as error:
        return None, [Problem(shown_as, error.line, error.column, error.code, error.message, error.hint)]


def validate_document(document: Document, model: type[BaseModel], shown_as: str) -> tuple[Any, list[Problem]]:
    """Validate a parsed file against a model or adapter; schema errors point at their lines."""
    value = document.value
    if not isinstance(value, dict):
        what = "empty" if value is None else f"a {type(value).__name__}, not a mapping"
        return None, [Problem(shown_as, 1, 1, "invalid-value", f"the file is {what}",
                              "an entry is a mapping of keys such as 'statement:' and 'speaker:'")]
    try:
        return model.model_validate(value), []
    except ValidationError as error:
        return None, list(problems_from_validation(error, model, document, shown_as))


def load_entry(path: Path, shown_as: str) -> tuple[EntryFile, list[Problem]]:
    document, problems = read_document(path, shown_as)
    entry_file = EntryFile(id=path.stem, path=shown_as, document=document)
    if document is not None:
        entry_file.entry, problems = validate_document(document, Entry, shown_as)
    return entry_file, problems


def _load_registry(path: Path, shown_as: str, model: type[BaseModel]) -> tuple[Registry, list[Problem]]:
    """A registry is a mapping of slug to details; each item is validated on its own."""
    if not path.exists():
        return Registry(path=shown_as), [Problem(shown_as, 1, 1, "missing-registry", "the registry file is missing",
                                                 f"create {shown_as}")]
    data, problems = read_bytes(path, shown_as)
    return (Registry(path=shown_as), problems) if data is None else registry_of(data, shown_as, model)


def registry_of(data: bytes, shown_as: str, model: type[BaseModel]) -> tuple[Registry, list[Problem]]:
    """A registry read from its file's bytes (`_load_registry`; `kb.loadcache.load_registry` keeps it)."""
    registry = Registry(path=shown_as)
    registry.document, problems = parse_document(data, shown_as)
    document = registry.document
    if document is None:
        return registry, problems
    if not isinstance(document.value, dict):
        return registry, [Problem(shown_as, 1, 1, "invalid-value", "the registry must be a mapping of slug: details")]
    for slug, item in document.value.items():
        refusal = _key_refusal(slug)
        if refusal:
            line, column = document.key_position((slug,))
            problems.append(Problem(shown_as, line, column, "invalid-slug", f"{slug!r} {refusal[0]}",
                                    refusal[1]))
            continue
        try:
            registry.items[slug] = model.model_validate(item)
        except ValidationError as error:
            problems += problems_from_validation(error, model, document, shown_as, prefix=(slug,))
    return registry, problems


def _key_refusal(slug: str) -> tuple[str, str] | None:
    """Why a registry key cannot be a slug (message, hint), or None when it can."""
    if not is_slug(slug):
        return f"is not a lowercase slug of at most {SLUG_MAX} characters", SLUG_HINT
    if is_device_name(slug):
        return "is a Windows device name: its page folder cannot be checked out on Windows", DEVICE_HINT
    return None


def entry_paths(root: Path) -> list[Path]:
    """Every statement file (registries, starting with '_', are not statements)."""
    return scan_entries(root)[0]


def scan_entries(root: Path) -> tuple[list[Path], list[Problem]]:
    """The statement files in entries/, and a Problem for every other file or folder there (`entry_names`)."""
    names, problems = entry_names(root)
    directory = root / ENTRIES_DIR
    return [directory / name for name in names], problems


def entry_names(root: Path) -> tuple[list[str], list[Problem]]:
    """The names of the statement files in entries/, and a Problem for every other file or folder there.

    A statement in a file the loader does not read (`x.YAML`, `x.json`, `sub/x.yaml`, `x.yaml.txt`) would
    be lost without a word while CI passes, so each is reported, and so is `_x.yaml` (only the two registries
    start with '_'). Names like `x.yml` or `Upper.yaml` are read as entries, for check_file_names to say what
    is wrong with them. Besides the registries only `README.md` (a note on the folder) and `.gitkeep` may
    sit there. Links are never followed.
    """
    directory = root / ENTRIES_DIR
    if folder_refusal(root) is not None:
        return [], []
    names: list[str] = []  # not Paths: building 10,000 of them took longer than listing the folder
    problems: list[Problem] = []
    try:
        listing = sorted(os.scandir(directory), key=lambda item: item.name)  # strings sort faster than Paths
    except OSError:
        return [], []  # missing or unreadable: each registry then says so
    for item in listing:
        name = item.name
        if name in _ALLOWED:
            continue
        if _ENTRY_NAME.match(name) and not name.startswith("_"):
            names.append(name)
        elif item.is_dir(follow_symlinks=False):
            problems += _folder_problems(Path(item.path), f"{ENTRIES_DIR}/{name}")
        else:
            problems.append(Problem(f"{ENTRIES_DIR}/{name}", 1, 1, "not-an-entry",
                                    "not an entry file: kb reads only entries/<id>.yaml, so a statement in it is "
                                    "never checked or published", f"rename it to {_entry_name_for(name)}, or remove it"
                                    + " (only the registries' names start with '_')" * name.startswith("_")))
    return names, problems


def _entry_name_for(name: str) -> str:
    """The entry file a stray file's statement belongs in: 'Upper.YAML' to 'entries/upper.yaml'."""
    base = name.split(".", 1)[0].lower().lstrip("_")
    return f"{ENTRIES_DIR}/{base if is_slug(base) else '<id>'}.yaml"


def _folder_problems(folder: Path, shown_as: str) -> list[Problem]:
    """One Problem per file under a folder in entries/ (or for the folder when it holds none); walked
    without recursion and without following links, so no depth or loop can stop it."""
    problems: list[Problem] = []
    pending = [(folder, shown_as)]
    while pending:
        current, shown = pending.pop()
        try:
            items = sorted(os.scandir(current), key=lambda item: item.name)
        except OSError:
            items = []
        if not items:
            problems.append(Problem(shown, 1, 1, "not-an-entry", "a folder inside entries/ is not read",
                                    "remove the folder; entries sit directly in entries/"))
        for item in items:
            if item.is_dir(follow_symlinks=False):
                pending.append((Path(item.path), f"{shown}/{item.name}"))
            else:
                problems.append(Problem(f"{shown}/{item.name}", 1, 1, "not-an-entry",
                                        "files in folders inside entries/ are not read, so a statement in it is "
                                        "never checked or published",
                                        f"move it to {_entry_name_for(item.name)}, or remove it"))
    return problems


@contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived objects.

    Loading 10,000 entries allocates millions of objects that all stay alive, so every collection
    the allocations trigger walks an ever larger heap and frees nothing (a third of the load time,
    measured). Reference counting still frees garbage meanwhile; the collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def folder_refusal(root: Path) -> Problem | None:
    """A Problem when entries/ is a symbolic link or not a folder, else None.

    Git stores a link, so a pull request can replace entries/ with one pointing anywhere (a CI runner's
    temporary folder, a home directory); following it would read files outside the project and quote
    their values in public messages. The project root itself is the one the person running kb chose.
    """
    try:
        mode = (Path(root) / ENTRIES_DIR).lstat().st_mode
    except OSError:
        return None  # missing: each registry then says it is missing
    if stat.S_ISLNK(mode):
        return Problem(ENTRIES_DIR, 1, 1, "not-a-folder",
                       f"{ENTRIES_DIR}/ is a symbolic link; kb does not follow it out of the project",
                       f"commit the entries themselves in an {ENTRIES_DIR}/ folder, not a link to another one")
    if not stat.S_ISDIR(mode):
        return Problem(ENTRIES_DIR, 1, 1, "not-a-folder", f"{ENTRIES_DIR} is not a folder",
                       f"make {ENTRIES_DIR}/ a folder holding one <id>.yaml file per statement")
    return None


@without_gc()
def load(root: Path, *, cache: bool = False) -> KnowledgeBase:
    """Load every entry and both registries under `root`; never raises on bad input.

    With `cache`, unchanged entry files are not parsed again: `kb.loadcache` keeps each file's parsed
    value, validated entry and per-file rule findings in the user's cache folder (KB_CACHE=0 turns it
    off). The result is the same either way.
    """
    root = Path(root)
    directory = root / ENTRIES_DIR
    refused = folder_refusal(root)
    if refused is not None:
        return KnowledgeBase(root=root, files={}, people=Registry(path=f"{ENTRIES_DIR}/{PEOPLE_FILE}"),
                             topics=Registry(path=f"{ENTRIES_DIR}/{TOPICS_FILE}"), problems=[refused])
    problems: list[Problem] = []
    if cache:
        from kb.loadcache import load_registry as read_registry  # imports kb.checks, which imports this module
    else:
        read_registry = _load_registry
    people, found = read_registry(directory / PEOPLE_FILE, f"{ENTRIES_DIR}/{PEOPLE_FILE}", Person)
    problems += found
    topics, found = read_registry(directory / TOPICS_FILE, f"{ENTRIES_DIR}/{TOPICS_FILE}", Topic)
    problems += found
    files: dict[str, EntryFile] = {}
    names, found = entry_names(root)
    problems += found
    if cache:
        from kb.loadcache import load_entries  # imports kb.checks, which imports this module

        loaded = load_entries(directory, names)
    else:
        loaded = [load_entry(directory / name, f"{ENTRIES_DIR}/{name}") for name in names]
    for entry_file, found in loaded:
        files[entry_file.id] = entry_file
        problems += found
    return KnowledgeBase(root=root, files=files, people=people, topics=topics, problems=problems)
