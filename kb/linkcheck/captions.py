"""Caption cues (WebVTT or SRT) and a fuzzy search for a statement's words near a time.

Automatic captions mishear words and repeat lines as they roll, so the search compares word
sequences by similarity (difflib), not equality, and looks first within a window around `at`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from kb.linkcheck.text import segments, words

_TIMING = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})")
_TAG = re.compile(r"<[^>]*>")
THRESHOLD = 0.7
MAX_WORDS = 12


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction.ljust(3, "0")) / 1000


def parse_cues(text: str) -> list[Cue]:
    """Cues of a WebVTT or SRT file; styling tags and inline word timings removed."""
    cues: list[Cue] = []
    for block in re.split(r"\r?\n\s*\r?\n", text.replace("\ufeff", "")):
        lines = block.strip().splitlines()
        for index, line in enumerate(lines):
            timing = _TIMING.search(line)
            if timing:
                groups = timing.groups()
                body = " ".join(_TAG.sub("", rest) for rest in lines[index + 1:]).strip()
                if body:
                    cues.append(Cue(_seconds(*groups[:4]), _seconds(*groups[4:]), body))
                break
    return cues


@dataclass(frozen=True)
class Found:
    at: float
    score: float


def find_words(cues: list[Cue], statement: str, near: float | None, window: float) -> Found | None:
    """Where the statement's first words are said: the best match within `window` seconds of `near`,
    else the best anywhere; None when nothing is similar enough."""
    runs = segments(statement)
    if not runs or not cues:
        return None
    wanted = runs[0][:MAX_WORDS]
    timed = [(cue.start, word) for cue in cues for word in words(cue.text)]
    spoken = [word for _, word in timed]

    def best(indices: range | list[int]) -> Found | None:
        top: Found | None = None
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        for index in indices:
            matcher.set_seq1(spoken[index:index + len(wanted)])
            score = matcher.ratio()
            if score >= THRESHOLD and (top is None or score > top.score):
                top = Found(timed[index][0], round(score, 3))
        return top

    if near is not None:
        nearby = [i for i, (start, _) in enumerate(timed) if abs(start - near) <= window]
        found = best(nearby)
        if found:
            return found
    return best(range(len(timed)))
