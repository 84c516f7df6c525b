"""What reading an entry file gives, kept between runs, so `kb validate` and `kb export` parse only what changed.

Parsing (libyaml, then the strict position-keeping walk), validating and the per-file rules
(`kb.checks.FILE_RULES`) cost about 0.4 ms per file: 4 s of a 10,000-statement `kb validate`. Their result
depends on nothing but the file's name and bytes and on kb's own code, so each file's result is kept
under a key made of exactly those: the SHA-256 of a fingerprint of the code (every `kb/**/*.py` file, the
versions of Python, pydantic, pydantic-core and PyYAML) and of the file's name and bytes. A changed file,
a renamed one or a changed kb misses; nothing can go stale.

Where: `$XDG_CACHE_HOME/kb/entries.sqlite3` (default `~/.cache/kb/`), outside the project, so a pull
request cannot plant a cache that makes a bad entry pass. What: JSON only (the parsed value, the
validated entry as pydantic dumps it, the problems), never pickle, so a cache file cannot run code.
Each record is three JSON texts (`Record`): a small head (problems, findings, the file's `Facts`) decoded
at once, the body (the parsed value and the entry) decoded on first use, which the rules of a warm
`kb validate` or `kb export` never make, and the positions, decoded only when a problem needs a line.
`KB_CACHE=0` turns the cache off (neither read nor written). A cache that cannot be opened, read or
written costs only the time it would have saved: a warning, and the files are read as without it.

Rules that depend on more than the file (today's date, the registries, the other files) are never kept
per file: they run every time, on each file's facts (or its entry); duplicates keep their result under
every file's key.

A cold run (many files not in the cache, or KB_CACHE=0) reads half of them in a worker process on another
core, which answers in the cache's own JSON; if it fails, this process reads its share too.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import types
import typing
from collections.abc import Callable, Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kb.checks import FILE_RULES
from kb.load import (
    ENTRIES_DIR,
    EntryFile,
    Facts,
    Registry,
    _load_registry,
    file_stem,
    parse_document,
    read_bytes,
    registry_of,
    validate_document,
)
from kb.model import Entry
from kb.problems import Problem, Severity
from kb.yaml_strict import Document

log = logging.getLogger(__name__)

CACHE_FILE = "entries.sqlite3"
MAX_ROWS = 200_000  # about 500 MB; past it the cache starts again (old versions of files pile up)
_CHUNK = 500  # SQLite limits the number of parameters of one statement
_OLD_TABLES = ("entry", "file")  # what earlier versions of kb kept, dropped when the cache is opened
_KB = Path(__file__).resolve().parent

Record = tuple[str, str, str]
"""A file's result as three JSON texts: the head (the document's first line and `clean`, the problems, the
findings, the `Facts`), decoded at once; the body (the parsed value, the entry), decoded when first used;
the positions, decoded when a problem needs a line."""


def cache_enabled() -> bool:
    return os.environ.get("KB_CACHE", "1") != "0"


def cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kb" / CACHE_FILE


# The modules a file's result is made by: this one, what it imports from kb and what those import (a test
# checks the list against a fresh interpreter's imports). Not all of kb: editing a page template or the
# search must not throw away every file's parse.
CODE = ("checks/*.py", "load.py", "loadcache.py", "model.py", "netsafety.py", "problems.py", "schema_errors.py",
        "slugs.py", "urls.py", "yaml_canonical.py", "yaml_strict.py", "__init__.py")


@cache
def fingerprint() -> bytes:
    """What a file's result depends on besides the file: kb's code and the libraries that parse and validate."""
    digest = hashlib.sha256()
    for name in ("pydantic", "pydantic-core", "PyYAML"):
        digest.update(f"{name}={version(name)}\n".encode())
    digest.update(f"python={platform.python_version()}\n".encode())
    for path in sorted(path for pattern in CODE for path in _KB.glob(pattern)):
        digest.update(path.relative_to(_KB).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.digest()


def cache_key(name: str, data: bytes) -> str:
    return hashlib.sha256(fingerprint() + name.encode("utf-8", "surrogateescape") + b"\0" + data).hexdigest()


def load_entries(directory: Path, names: list[str],
                 processes: int | None = None) -> list[tuple[EntryFile, list[Problem]]]:
    """What `kb.load.load_entry` gives for each file of `directory` named, in order, taken from the cache
    where it holds the file.

    The files the cache does not hold are read here and, when there are many and another core, partly in
    a worker process (`python -m kb.loadcache`, given the bytes read here, answering in the cache's JSON).
    """
    folder = str(directory)
    ids = [file_stem(name) for name in names]
    shown = [f"{ENTRIES_DIR}/{name}" for name in names]
    reads = [read_bytes(f"{folder}/{name}", shown_as) for name, shown_as in zip(names, shown, strict=True)]
    keys = [None if data is None else cache_key(name, data) for name, (data, _) in zip(names, reads, strict=True)]
    store = _Store.open() if cache_enabled() else None
    kept = store.get([key for key in keys if key is not None]) if store is not None else {}
    bodies = _Bodies()
    results: list[tuple[EntryFile, list[Problem]] | None] = [None] * len(names)
    misses = []
    for number, (entry_id, shown_as, (data, problems), key) in enumerate(zip(ids, shown, reads, keys, strict=True)):
        if data is None or key is None:
            results[number] = (EntryFile(id=entry_id, path=shown_as), problems)
        elif key in kept and (restored := _restore_or_none(entry_id, shown_as, key, kept[key], data,
                                                           bodies)) is not None:
            results[number] = restored
        else:
            misses.append(number)
    new: list[tuple[str, Record]] = []
    processes = workers() if processes is None else processes
    theirs = misses[len(misses) // 2:] if processes > 1 and len(misses) >= POOL_THRESHOLD else []
    child = _start_worker([(ids[number], shown[number], reads[number][0] or b"") for number in theirs]
                          ) if theirs else None
    for number in misses[:len(misses) - len(theirs)]:
        data, key = reads[number][0] or b"", keys[number] or ""
        entry_file, problems = process(ids[number], shown[number], data)
        entry_file.key = key
        results[number] = (entry_file, problems)
        record = encode(entry_file, problems) if store is not None else None
        if record is not None:
            new.append((key, record))
    answers = _answers(child, len(theirs)) if child is not None else []
    for number, answer in zip(theirs, answers, strict=True):
        key = keys[number] or ""
        if answer is not None:
            bodies.rows[key] = answer[1:]
        restored = None if answer is None else _restore_or_none(ids[number], shown[number], key, answer[0],
                                                                 reads[number][0] or b"", bodies)
        if restored is None:
            restored = process(ids[number], shown[number], reads[number][0] or b"")
        elif store is not None:
            new.append((key, answer))
        restored[0].key = key
        results[number] = restored
    if store is not None:
        store.put(new)
        store.close()
    return [result for result in results if result is not None]


# --- the worker: the other core reads part of the files ------------------------------------------------------

POOL_THRESHOLD = 400  # below this many files to read, starting a worker (about 0.3 s) does not pay


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _start_worker(files: list[tuple[str, str, bytes]]) -> subprocess.Popen[bytes] | None:
    """`python -m kb.loadcache` reading `files` (id, name, bytes) from a temporary file, answering into
    another (a pipe would fill and stop it while this process reads its own share). Not multiprocessing:
    its `fork` can deadlock a threaded process and its `spawn` re-runs the caller's main script."""
    try:
        with tempfile.TemporaryFile() as jobs:
            for fields in files:
                for field in fields:
                    raw = field if isinstance(field, bytes) else field.encode("utf-8", "surrogateescape")
                    jobs.write(len(raw).to_bytes(4, "big") + raw)
            jobs.seek(0)
            answers = tempfile.TemporaryFile()  # noqa: SIM115 - read and closed by _answers
            child = subprocess.Popen([sys.executable, "-m", "kb.loadcache"], stdin=jobs, stdout=answers,
                                     stderr=subprocess.DEVNULL)
            child.answers = answers  # type: ignore[attr-defined]
            return child
    except OSError as error:
        log.warning("entry files read in one process: %s", error)
        return None


def _answers(child: subprocess.Popen[bytes] | None, count: int) -> list[Record | None]:
    """The worker's records, or Nones (this process then reads those files itself) if it failed."""
    if child is None:
        return [None] * count
    answers = child.answers  # type: ignore[attr-defined]
    try:
        child.wait()
        answers.seek(0)
        records = json.loads(answers.read()) if child.returncode == 0 else None
    except (OSError, ValueError):
        records = None
    finally:
        answers.close()
    if not isinstance(records, list) or len(records) != count:
        return [None] * count
    return [tuple(record) if isinstance(record, list) and len(record) == 3  # type: ignore[misc]
            and all(isinstance(part, str) for part in record) else None for record in records]


def _worker_main() -> None:
    """Read (name, bytes) jobs from stdin; print the JSON list of their records (null: could not keep)."""
    data = sys.stdin.buffer.read()
    fields = []
    offset = 0
    while offset < len(data):
        size = int.from_bytes(data[offset:offset + 4], "big")
        fields.append(data[offset + 4:offset + 4 + size])
        offset += 4 + size
    records: list[Record | None] = []
    for start in range(0, len(fields), 3):
        entry_id, shown_as = (field.decode("utf-8", "surrogateescape") for field in fields[start:start + 2])
        entry_file, problems = process(entry_id, shown_as, fields[start + 2])
        records.append(encode(entry_file, problems))
    sys.stdout.write(json.dumps(records, ensure_ascii=False))


def process(entry_id: str, shown_as: str, data: bytes) -> tuple[EntryFile, list[Problem]]:
    """One file's bytes read as `load_entry` reads them, with the per-file rules' findings."""
    document, problems = parse_document(data, shown_as)
    entry_file = EntryFile(id=entry_id, path=shown_as, document=document)
    if document is not None:
        entry_file.entry, problems = validate_document(document, Entry, shown_as)
        entry_file.findings = {name: rule(entry_file) for name, rule in FILE_RULES.items()}
    return entry_file, problems


def kept_texts(keys: list[str], make: Callable[[list[int]], list[str]]) -> list[str]:
    """A text for each key: the kept ones from the store, the others made by `make` (given their positions
    in `keys`) and kept. For what is derived from entry files (a CSL-JSON line): each key must name all the
    derived text depends on, such as `EntryFile.key`, the code that derives it and what else it reads."""
    store = _Store.open() if cache_enabled() else None
    kept = store.get_texts(keys) if store is not None else {}
    missing = [number for number, key in enumerate(keys) if key not in kept]
    made = make(missing) if missing else []
    texts = [kept.get(key, "") for key in keys]
    for number, text in zip(missing, made, strict=True):
        texts[number] = text
    if store is not None:
        store.put_texts([(keys[number], text) for number, text in zip(missing, made, strict=True)
                         if not _SURROGATE.search(text)])
        store.close()
    return texts


def load_registry(path: Path, shown_as: str, model: type[BaseModel]) -> tuple[Registry, list[Problem]]:
    """`kb.load._load_registry`, kept under the key of the registry's model, name and bytes: parsing and
    validating the 1,000 people of a 10,000-statement knowledge base takes about 0.1 s."""
    if not cache_enabled() or not path.exists():
        return _load_registry(path, shown_as, model)
    data, problems = read_bytes(path, shown_as)
    if data is None:
        return Registry(path=shown_as), problems
    made: list[tuple[Registry, list[Problem]]] = []

    def make(missing: list[int]) -> list[str]:
        made.append(registry_of(data, shown_as, model))
        return [_registry_out(*made[0])]

    (text,) = kept_texts([cache_key(f"{model.__name__}\0{shown_as}", data)], make)
    if made:
        return made[0]
    try:
        kept = _registry_in(text, shown_as, model)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        log.warning("entry cache: the record for %s is not usable (%s); reading the file", shown_as, error)
        kept = None
    return registry_of(data, shown_as, model) if kept is None else kept


def _registry_out(registry: Registry, problems: list[Problem]) -> str:
    """A registry as JSON, or "null" when it would not come back the same (a key that is not text, a
    problem placed in another file): then it is read from its file each time."""
    document = registry.document
    if any(problem.path != registry.path for problem in problems):
        return "null"
    text = json.dumps([
        None if document is None else [document.first_line, document.clean, document.value,
                                       list(document.positions.items()), list(document.key_positions.items())],
        {slug: item.model_dump(mode="json", exclude_unset=True) for slug, item in registry.items.items()},
        [_problem_out(problem) for problem in problems]], ensure_ascii=False, allow_nan=True)
    if document is not None and not _same(json.loads(text)[0][2], document.value):
        return "null"
    return text


def _registry_in(text: str, shown_as: str, model: type[BaseModel]) -> tuple[Registry, list[Problem]] | None:
    kept = json.loads(text)
    if kept is None:
        return None
    document, items, problems = kept
    registry = Registry(path=shown_as, items={slug: rebuild(model, item) for slug, item in items.items()})
    if document is not None:
        first_line, clean, value, positions, key_positions = document
        registry.document = Document(value=value, first_line=first_line, clean=clean,
                                     positions={tuple(path): tuple(place) for path, place in positions},
                                     key_positions={tuple(path): tuple(place) for path, place in key_positions})
    return registry, [_problem_in(shown_as, item) for item in problems]


# --- encoding: everything as JSON -------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def encode(entry_file: EntryFile, problems: list[Problem]) -> Record | None:
    """The file's result as JSON texts, or None when it cannot be kept exactly (then it is just not kept)."""
    findings = entry_file.findings or {}
    every = [*problems, *(problem for found in findings.values() for problem in found)]
    if any(problem.path != entry_file.path for problem in every):
        return None  # restored problems are placed in this file; one placed elsewhere would move
    document = entry_file.document
    facts = entry_file.facts
    head = json.dumps([
        None if document is None else [document.first_line, document.clean],
        [_problem_out(problem) for problem in problems],
        None if entry_file.findings is None else {
            name: [_problem_out(problem) for problem in found] for name, found in findings.items()},
        [facts.valid, facts.speaker, facts.topics, facts.dates, facts.cited_speaker, facts.cited_topics],
    ], ensure_ascii=False)
    body = "null" if document is None else json.dumps(
        [document.value, None if entry_file.entry is None else _entry_out(entry_file.entry, document)],
        ensure_ascii=False, allow_nan=True)
    positions = "null" if document is None else json.dumps(  # (path, place) pairs: encoded in C as they are
        [list(document.positions.items()), list(document.key_positions.items())], ensure_ascii=False)
    if _SURROGATE.search(head) or _SURROGATE.search(body) or _SURROGATE.search(positions):
        return None  # JSON would join a lone surrogate pair into one character, and UTF-8 refuses it
    return head, body, positions


def restore(entry_id: str, shown_as: str, key: str, head: str, data: bytes,
            bodies: _Bodies) -> tuple[EntryFile, list[Problem]]:
    """The EntryFile and load problems `encode` kept, as `process` made them from `data`, the file's bytes
    (read again should the rest of the record turn out missing or unreadable when first used). Only the
    head is decoded here; the body and positions are fetched from `bodies` when first needed."""
    document, problems, findings, facts = _decode(head)
    valid, speaker, topics, dates, cited_speaker, cited_topics = facts
    if not (isinstance(valid, bool) and isinstance(topics, list) and isinstance(cited_topics, list)
            and (document is None or isinstance(document[0], str))):
        raise TypeError("not a record of this version")
    kept_facts = Facts(valid, speaker, tuple(topics), tuple([(tuple(path), value) for path, value in dates]),
                       cited_speaker, tuple(cited_topics))
    body = _Body(entry_id, shown_as, key, data, bodies)
    entry_file = KeptFile(entry_id, shown_as, key, kept_facts, body,
                          None if document is None else KeptDocument(*document, body),
                          None if findings is None else {name: [_problem_in(shown_as, item) for item in found]
                                                         for name, found in findings.items()})
    return entry_file, [_problem_in(shown_as, item) for item in problems] if problems else []


_SCAN = json.JSONDecoder().scan_once


def _decode(text: str) -> Any:
    """`json.loads(text)` for a text `json.dumps` wrote here, through the decoder's C scanner directly:
    for a head of a few hundred bytes, `json.loads` spends twice as long in its Python frames as in
    decoding, and a warm run decodes 10,000 heads."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration as error:
        raise ValueError(f"not JSON at {error.value}") from None
    if end != len(text):
        raise ValueError(f"not JSON after {end}")
    return value


def _restore_or_none(entry_id: str, shown_as: str, key: str, head: str, data: bytes,
                     bodies: _Bodies) -> tuple[EntryFile, list[Problem]] | None:
    """`restore`, or None for a record it cannot read (a damaged or foreign cache): the file is then read."""
    try:
        return restore(entry_id, shown_as, key, head, data, bodies)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        log.warning("entry cache: the record for %s is not usable (%s); reading the file", shown_as, error)
        return None


_ONE_BY_ONE = 32  # bodies fetched one at a time before the rest are fetched at once


class _Bodies:
    """The bodies and positions of one load's kept records, fetched from the store only when one is needed:
    a few one by one (a problem to place), then all the others in one pass (a format that reads every
    entry). The records a worker answered with are here from the start."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str] | None] = {}
        self.wanted: list[str] = []
        self.taken: set[str] = set()
        self.fetched = 0
        self.store: _Store | None = None

    def take(self, key: str) -> tuple[str, str] | None:
        """(body, positions) of `key`, once; None when the store no longer holds it or cannot be read."""
        if key not in self.rows:
            self.fetched += 1
            keys = [key]
            if self.fetched > _ONE_BY_ONE:
                keys += [other for other in self.wanted if other not in self.taken and other not in self.rows
                         and other != key]
                self.wanted = []
            self.store = self.store or _Store.open()
            found = self.store.get_rest(keys) if self.store is not None else {}
            self.rows.update((other, found.get(other)) for other in keys)
        self.taken.add(key)
        return self.rows.pop(key)


class _Body:
    """What of a kept record is decoded on first use (the parsed value and the entry, most of the record,
    and the positions), shared by a KeptFile and its KeptDocument: a warm `kb validate` or `kb export`
    fetches and decodes none of it."""

    def __init__(self, entry_id: str, shown_as: str, key: str, data: bytes, bodies: _Bodies) -> None:
        self.entry_id = entry_id
        self.shown_as = shown_as
        self.key = key
        self.data = data
        self.bodies: _Bodies | None = bodies
        bodies.wanted.append(key)
        self.value: Any = None
        self.entry: Entry | None = None
        self.positions: str | None = None
        self.document: Document | None = None
        """The file parsed again, when the kept record turned out missing or unreadable."""

    def decode(self) -> None:
        """Fetch the rest of the record and set `value`, `entry` and `positions` (its text), once; a record
        that is gone or cannot be read (a damaged cache) is made again from the file's bytes."""
        if self.bodies is None:
            return
        row, self.bodies = self.bodies.take(self.key), None
        try:
            if row is None:
                raise KeyError("no longer in the cache")
            text, self.positions = row
            self.value, dumped = json.loads(text)
            if dumped is not None:
                self.entry = rebuild(Entry, self.value if dumped is True else dumped)  # type: ignore[assignment]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("entry cache: the record for %s is not usable (%s); reading the file", self.shown_as, error)
            entry_file, _ = process(self.entry_id, self.shown_as, self.data)
            self.entry, self.document = entry_file.entry, entry_file.document
            self.value = None if self.document is None else self.document.value
        self.data = b""


class KeptFile(EntryFile):
    """An EntryFile from the cache. Its facts, findings and first line are there at once; its document's
    value and its entry (`_Body`) are decoded when first asked for (`kb validate` and a kept export never
    ask: their rules read `EntryFile.facts`)."""

    _document: Document | None
    _body: _Body | None
    _entry: Entry | None

    def __init__(self, entry_id: str, shown_as: str, key: str, facts: Facts, body: _Body,
                 document: KeptDocument | None, findings: dict[str, list[Problem]] | None) -> None:
        # Set in one go, past EntryFile.__setattr__ (10,000 of these at every warm run); `facts` is what
        # EntryFile.facts would work out from the document and the entry.
        self.__dict__.update(id=entry_id, path=shown_as, key=key, findings=findings, _document=document,
                             _body=body if facts.valid else None, _entry=None, facts=facts)

    @property  # type: ignore[override]
    def document(self) -> Document | None:
        return self._document

    @document.setter
    def document(self, document: Document | None) -> None:
        self._document = document

    @property  # type: ignore[override]
    def entry(self) -> Entry | None:
        if self._body is not None:
            self._body.decode()
            self._entry, self._body = self._body.entry, None
        return self._entry

    @entry.setter
    def entry(self, entry: Entry | None) -> None:
        self._entry, self._body = entry, None


def _entry_out(entry: BaseModel, document: Document | None) -> Any:
    """The entry as pydantic dumps it, or True when that is the parsed value itself (most files: nothing
    is converted), which halves what is kept."""
    dumped = entry.model_dump(mode="json", exclude_unset=True)
    if document is None or dumped != document.value:
        return dumped
    # Equal values are of equal types when the model holds text only (no 1 == True == 1.0 to confuse).
    return True if _TEXT_ONLY or _same(dumped, document.value) else dumped


def _text_only(annotation: Any) -> bool:
    """Whether a field, or a model's every field, holds only text, enums of text, lists, None and models
    of the same (so what pydantic dumps has no number or boolean anywhere)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return all(_text_only(info.annotation) for info in annotation.model_fields.values())
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return all(isinstance(member.value, str) for member in annotation)
    if annotation in (str, type(None)):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return all(isinstance(value, str) for value in typing.get_args(annotation))
    if origin in (typing.Annotated,):
        return _text_only(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        return all(_text_only(arg) for arg in typing.get_args(annotation))
    return False


_TEXT_ONLY = _text_only(Entry)


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types throughout (1 == 1.0 == True, but a year 2024 is not the text '2024')."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(value, b[key]) for key, value in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _problem_out(problem: Problem) -> list[Any]:
    return [problem.line, problem.column, problem.code, problem.message, problem.hint, problem.severity.value]


def _problem_in(shown_as: str, item: list[Any]) -> Problem:
    line, column, code, message, hint, severity = item
    return Problem(shown_as, line, column, code, message, hint, Severity(severity))


class KeptDocument(Document):
    """A Document from the cache: its value and its positions are fetched and decoded on first use
    (`_Body`), since only a rule that has not kept its findings or a problem to place needs them."""

    def __init__(self, first_line: str, clean: bool, body: _Body) -> None:
        self.first_line = first_line
        self.clean = clean
        self._body = body

    def __getattr__(self, name: str) -> Any:
        if name not in ("value", "positions", "key_positions"):
            raise AttributeError(name)
        body = self.__dict__["_body"]
        body.decode()
        if body.document is not None:  # the record was unusable and the file was parsed again
            self.value, self.positions, self.key_positions = (
                body.document.value, body.document.positions, body.document.key_positions)
        elif name == "value":
            self.value = body.value
        else:
            values, keys = json.loads(body.positions)
            self.positions = {tuple(path): tuple(place) for path, place in values}
            self.key_positions = {tuple(path): tuple(place) for path, place in keys}
        return self.__dict__[name]


# --- rebuilding the validated entry without validating it again ----------------------------------------------

def rebuild(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    """The model `model.model_validate` gave, from its `model_dump(mode="json", exclude_unset=True)`.

    Validation ran when the file was first read; running it again would cost as much as the parse saved
    (Python validators on every URL and date). This sets what validation set: every field in order (unset
    ones at their defaults), nested models and enums as their types, and which fields were set.
    """
    defaults, required, converted = _shape(model)
    if not required <= data.keys():
        raise KeyError(f"{model.__name__}: {sorted(required - data.keys())} missing")
    values = defaults.copy()  # every field, in order; the update keeps that order
    values.update(data)
    for name, kind in converted:
        value = values[name]
        if value is not None:
            values[name] = [_value(kind[1], item) for item in value] if isinstance(kind, tuple) else _value(kind, value)
    built = model.__new__(model)
    object.__setattr__(built, "__dict__", values)
    object.__setattr__(built, "__pydantic_fields_set__", set(data))
    object.__setattr__(built, "__pydantic_extra__", None)
    object.__setattr__(built, "__pydantic_private__", None)
    return built


@cache
def _shape(model: type[BaseModel]) -> tuple[dict[str, Any], frozenset[str], list[tuple[str, Any]]]:
    """(every field at its default, the required fields, the fields to convert and what to): per model, once."""
    defaults: dict[str, Any] = {}
    required = set()
    converted = []
    for name, info in model.model_fields.items():
        if info.default_factory is not None:
            raise TypeError(f"{model.__name__}.{name}: a default factory is not rebuilt")
        if info.is_required():
            required.add(name)
        defaults[name] = None if info.is_required() else info.default
        kind = _kind(info.annotation)
        if kind is not None:
            converted.append((name, kind))
    return defaults, frozenset(required), converted


def _kind(annotation: Any) -> Any:
    """A field's annotation reduced to what rebuilding needs: a model, an enum, ("list", kind) or None (as is)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = [_kind(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"cannot rebuild a union of several types: {annotation}")
        return kinds[0]
    if origin is list:
        return ("list", _kind(typing.get_args(annotation)[0]))
    if origin is typing.Literal or annotation in (str, int, bool):
        return None
    if isinstance(annotation, type) and issubclass(annotation, (BaseModel, enum.Enum)):
        return annotation
    raise TypeError(f"cannot rebuild a field of type {annotation}")


def _value(kind: Any, value: Any) -> Any:
    if kind is None or value is None:
        return value
    if issubclass(kind, enum.Enum):
        return kind(value)
    return rebuild(kind, value)


# --- the store ---------------------------------------------------------------------------------------------

class _Store:
    """The SQLite file; every failure is a warning and the run goes on without it."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls) -> _Store | None:
        path = cache_path()
        connection = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30)
            # A cache: a write lost in a crash is only a miss next time, so no waiting for the disk, and
            # readers never wait for a writer (two kb commands at once).
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("PRAGMA journal_mode = WAL")
            with connection:
                # The heads, a few hundred bytes each and all read by every warm run, sit in the key's own
                # B-tree (WITHOUT ROWID): one lookup each, and 10,000 of them in about a tenth of the pages.
                connection.execute("CREATE TABLE IF NOT EXISTS head (key TEXT PRIMARY KEY, head TEXT NOT NULL) "
                                   "WITHOUT ROWID")
                connection.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, body TEXT NOT NULL, "
                                   "positions TEXT NOT NULL)")
                connection.execute("CREATE TABLE IF NOT EXISTS derived (key TEXT PRIMARY KEY, text TEXT NOT NULL)")
            return cls(connection, path)
        except (sqlite3.Error, OSError) as error:
            if connection is not None:
                connection.close()
            log.warning("entry cache %s not used: %s", path, error)
            return None

    def _select(self, query: str, keys: list[str]) -> list[tuple[object, ...]] | None:
        """`query` (its `{marks}` stand for the keys) over `keys`, in chunks SQLite accepts; None when it fails."""
        rows: list[tuple[object, ...]] = []
        keys = sorted(keys)  # neighbouring keys share pages: a fifth fewer page reads than in file order
        try:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start:start + _CHUNK]
                rows += self.connection.execute(query.format(marks=",".join("?" * len(chunk))), chunk)
        except sqlite3.Error as error:
            log.warning("entry cache %s not read: %s", self.path, error)
            return None
        return rows

    def get(self, keys: list[str]) -> dict[str, str]:
        """The heads of the records of `keys` (the rest is fetched by `get_rest` when needed)."""
        rows = self._select("SELECT key, head FROM head WHERE key IN ({marks})", keys)
        return {} if rows is None else {key: head for key, head in rows if isinstance(head, str)}

    def get_rest(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """The bodies and positions of the records of `keys`."""
        rows = self._select("SELECT key, body, positions FROM body WHERE key IN ({marks})", keys)
        return {} if rows is None else {key: (body, positions) for key, body, positions in rows
                                        if isinstance(body, str) and isinstance(positions, str)}

    def get_texts(self, keys: list[str]) -> dict[str, str]:
        rows = self._select("SELECT key, text FROM derived WHERE key IN ({marks})", keys)
        return {} if rows is None else {key: text for key, text in rows if isinstance(text, str)}

    def _insert(self, statement: str, rows: list[tuple[str, ...]]) -> None:
        if not rows:
            return
        try:
            with self.connection:
                self._trim()
                self.connection.executemany(statement, rows)
        except (sqlite3.Error, OSError) as error:
            log.warning("entries not kept in %s: %s", self.path, error)

    def _trim(self) -> None:
        """Start again past MAX_ROWS, and drop what earlier versions of kb kept: before writing only, since
        counting the rows reads the whole of each table's index, and a warm run writes nothing."""
        for table in _OLD_TABLES:
            self.connection.execute(f"DROP TABLE IF EXISTS {table}")
        for table in ("head", "body", "derived"):
            (rows,) = self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()
            if rows > MAX_ROWS:
                self.connection.execute(f"DELETE FROM {table}")

    def put_texts(self, rows: list[tuple[str, str]]) -> None:
        self._insert("INSERT OR REPLACE INTO derived VALUES (?, ?)", rows)

    def put(self, records: Iterable[tuple[str, Record]]) -> None:
        rows = list(records)
        self._insert("INSERT OR REPLACE INTO body VALUES (?, ?, ?)", [(key, body, positions)
                                                                      for key, (_, body, positions) in rows])
        self._insert("INSERT OR REPLACE INTO head VALUES (?, ?)", [(key, head) for key, (head, _, _) in rows])

    def close(self) -> None:
        self.connection.close()


if __name__ == "__main__":
    _worker_main()
