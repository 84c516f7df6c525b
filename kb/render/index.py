"""The statements grouped once per build, so each page costs only what it shows.

`KnowledgeBase.entries` builds a sorted mapping on every access; pages read this instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.load import KnowledgeBase
from kb.model import Entry
from kb.render.statement import Card, card


@dataclass(frozen=True)
class Index:
    entries: dict[str, Entry]
    chronological: list[str]
    by_speaker: dict[str, list[str]]
    by_topic: dict[str, list[str]]
    cards: dict[str, Card]
    """One card per statement, shared by every listing so each renders its HTML once per page depth."""


def build_index(kb: KnowledgeBase) -> Index:
    """Valid statements by id, in the order they were said, and grouped by speaker and by topic."""
    entries = kb.entries
    chronological = sorted(entries, key=lambda entry_id: (entries[entry_id].said, entry_id))
    by_speaker: dict[str, list[str]] = {}
    by_topic: dict[str, list[str]] = {}
    for entry_id in chronological:
        entry = entries[entry_id]
        by_speaker.setdefault(entry.speaker, []).append(entry_id)
        for topic in entry.topics:
            by_topic.setdefault(topic, []).append(entry_id)
    cards = {entry_id: card(kb, entry_id) for entry_id in chronological}
    return Index(entries=entries, chronological=chronological, by_speaker=by_speaker, by_topic=by_topic,
                 cards=cards)
