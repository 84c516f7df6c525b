"""What `kb check` shows: a progress bar on a terminal, a summary table, or JSON records."""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any, TextIO

from kb.linkcheck.evaluate import Verdict
from kb.problems import printable


def record(verdict: Verdict) -> dict[str, Any]:
    """One JSON record per URL (the --format json contract: url, ok, status, final_url, error, entries,
    duration for recordings, plus what was found)."""
    observation = verdict.observation
    recording = observation.recording or {}
    return {
        "url": verdict.target.url,
        "ok": verdict.ok,
        "severity": verdict.severity,
        "status": observation.status,
        "final_url": observation.final_url,
        "error": observation.error,
        "entries": verdict.target.entries,
        "duration": recording.get("duration"),
        "title": recording.get("title"),
        "checks": sorted(verdict.target.needs),
        "fix": verdict.fix,
        "archived": observation.archived,
        "checked_at": observation.checked_at,
        "cached": observation.cached,
        "findings": [{"severity": finding.severity, "code": finding.code, "message": finding.message,
                      "hint": finding.hint, "entry": finding.claim.citation.entry if finding.claim else None}
                     for finding in verdict.findings],
    }


def format_json(verdicts: list[Verdict]) -> str:
    return json.dumps([record(verdict) for verdict in verdicts], indent=2, ensure_ascii=False)


def _cell(text: str, width: int) -> str:
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(verdicts: list[Verdict]) -> str:
    """One line per URL: result, status, what was found, the URL and who cites it."""
    lines = [f"{'result':<7} {'status':<6} {'note':<44} {'url':<60} entries"]
    for verdict in verdicts:
        observation = verdict.observation
        status = str(observation.status) if observation.status is not None else "-"
        notes = [finding.message for finding in verdict.findings]
        note = notes[0] if notes else ("cached" if observation.cached else "")
        lines.append(f"{verdict.severity:<7} {status:<6} {_cell(note, 44):<44} "
                     f"{_cell(verdict.target.url, 60):<60} {_cell(', '.join(verdict.target.entries), 60)}")
        if observation.archived:
            lines.append(f"{'':<15}archived: {observation.archived}")
    return "\n".join(lines)


def format_totals(verdicts: list[Verdict], seconds: float) -> str:
    counts = {"ok": 0, "warning": 0, "error": 0}
    for verdict in verdicts:
        counts[verdict.severity] += 1
    cached = sum(verdict.observation.cached for verdict in verdicts)
    return (f"{len(verdicts)} URLs in {seconds:.1f} s ({cached} from the cache): {counts['ok']} ok, "
            f"{counts['warning']} with warnings, {counts['error']} broken")


class Progress:
    """A one-line bar on stderr, drawn only when stderr is a terminal, at most ten times a second."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() and total > 0
        self.total = total
        self.done = 0
        self._drawn = 0.0
        self._lock = threading.Lock()

    def advance(self) -> None:
        with self._lock:
            self.done += 1
            now = time.monotonic()
            if self.enabled and (now - self._drawn >= 0.1 or self.done == self.total):
                self._drawn = now
                filled = 30 * self.done // self.total
                self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} URLs")
                self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 50 + "\r")
            self.stream.flush()
