"""Results kept between runs under the git-ignored `.kb-cache/`, each with the time it was checked.

One journal file, `.kb-cache/links.jsonl`: a result is appended as one JSON line, with one `write`
system call on a file opened for appending, the moment it is known; at the end of a run the journal is
rewritten to the latest result per URL into a temporary file that `os.replace` moves into place
(atomic). A run killed at any moment, even by SIGKILL, therefore leaves every result it finished, and
a line cut short (which one system call on a local file does not produce, but a full disk might) is
skipped when read. One file instead of one per URL: on a slow file system 2,000 small files cost
seconds to write and most of a warm run to read.

Only good results are reused, and only until they are `max_age` old; failures are always checked
again (lychee's rule).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from kb.linkcheck.observation import Observation

CACHE_DIR = ".kb-cache"
JOURNAL = "links.jsonl"
VERSION = 1


def _parse(line: bytes) -> dict | None:
    try:
        return json.loads(line)
    except ValueError:
        return None


class Cache:
    def __init__(self, root: Path, *, max_age_days: float = 7.0, enabled: bool = True) -> None:
        self.file = root / CACHE_DIR / JOURNAL
        self.max_age = max_age_days * 86_400
        self.enabled = enabled
        self._records: dict[str, dict] | None = None
        self._lock = threading.Lock()
        self._handle: int | None = None

    def _read(self) -> dict[str, dict]:
        """Every URL's latest record. The journal is parsed in one go; if a line is damaged, line by
        line, skipping the damaged ones."""
        if self._records is None:
            self._records = {}
            try:
                lines = self.file.read_bytes().splitlines()
            except OSError:
                lines = []
            try:
                records = json.loads(b"[" + b",".join(line for line in lines if line.strip()) + b"]")
            except ValueError:
                records = [_parse(line) for line in lines]
            for record in records:
                try:
                    if record.get("version") == VERSION:
                        self._records[record["observation"]["url"]] = record
                except (KeyError, TypeError, AttributeError):
                    continue
        return self._records

    def get(self, url: str, needs: set[str], *, allow_private: bool, now: float | None = None) -> Observation | None:
        """A good, fresh result for `url` that covers what is needed now, or None."""
        if not self.enabled:
            return None
        record = self._read().get(url)
        if record is None:
            return None
        try:  # a damaged line (hand-edited, a different version) is a miss, never a crash
            observation = Observation.from_json(record["observation"])
            age = (time.time() if now is None else now) - float(observation.checked_at)
        except (KeyError, TypeError, ValueError):
            return None
        if (not observation.good or age > self.max_age or not needs <= set(observation.needs)
                or (observation.allow_private and not allow_private)):
            return None
        return observation

    def put(self, observation: Observation) -> None:
        """Append one result as one line, in one write."""
        if not self.enabled:
            return
        record = {"version": VERSION, "observation": observation.to_json()}
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        with self._lock:
            self._read()[observation.url] = record
            if self._handle is None:
                self.file.parent.mkdir(parents=True, exist_ok=True)
                self._handle = os.open(self.file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            os.write(self._handle, line)

    def close(self) -> None:
        """Rewrite the journal to one line per URL, atomically (temporary file, then os.replace)."""
        with self._lock:
            if self._handle is None:
                return
            os.close(self._handle)
            self._handle = None
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-", suffix=".jsonl")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    for record in self._read().values():
                        stream.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                os.replace(temporary, self.file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
