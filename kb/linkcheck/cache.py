"""Results kept between runs under the git-ignored `.kb-cache/`, one JSON file per URL.

One file per URL, each written to a temporary file and moved into place with os.replace, so a run
killed at any moment (even SIGKILL) leaves only whole files: every result finished before the kill
is kept, and nothing half-written is ever read. Only good results are reused, and only until they
are `max_age` old; failures are always checked again (lychee's rule).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from kb.linkcheck.observation import Observation

CACHE_DIR = ".kb-cache"
VERSION = 1


class Cache:
    def __init__(self, root: Path, *, max_age_days: float = 7.0, enabled: bool = True) -> None:
        self.folder = root / CACHE_DIR / "links"
        self.max_age = max_age_days * 86_400
        self.enabled = enabled

    def _file(self, url: str) -> Path:
        return self.folder / f"{hashlib.sha256(url.encode()).hexdigest()[:40]}.json"

    def get(self, url: str, needs: set[str], *, allow_private: bool, now: float | None = None) -> Observation | None:
        """A good, fresh result for `url` that covers what is needed now, or None."""
        if not self.enabled:
            return None
        try:
            record = json.loads(self._file(url).read_text(encoding="utf-8"))
            if record.get("version") != VERSION or record.get("url") != url:
                return None
            observation = Observation.from_json(record["observation"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        age = (time.time() if now is None else now) - observation.checked_at
        if (not observation.good or age > self.max_age or not needs <= set(observation.needs)
                or (observation.allow_private and not allow_private)):
            return None
        return observation

    def put(self, observation: Observation) -> None:
        """Write one result atomically (temporary file in the same folder, then os.replace)."""
        if not self.enabled:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {"version": VERSION, "url": observation.url, "observation": observation.to_json()}
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(record, stream, ensure_ascii=False)
            os.replace(temporary, self._file(observation.url))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
