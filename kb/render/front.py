"""The front page's content: counts, a featured statement and the ways in (topic, person, year).

The hero (shoggoth, tagline, search prompt) is the theme's `home.html`, which renders this below it.
"""

from __future__ import annotations

from collections import Counter

from kb.load import KnowledgeBase
from kb.model import Fidelity
from kb.render.common import page, render, root_of
from kb.render.index import Index
from kb.render.person import speakers
from kb.render.statement import card
from kb.render.topic import used_topics

PATH = "index.md"


def featured(index: Index) -> str | None:
    """The most recently added statement, preferring checked verbatim words, so the choice is stable."""
    def rank(item: tuple[str, object]) -> tuple[bool, bool, str, str]:
        entry_id, entry = item
        return (entry.verified is not None, entry.fidelity is Fidelity.verbatim, entry.added, entry_id)

    candidates = [item for item in index.entries.items() if item[1].disputed is None] or list(index.entries.items())
    return max(candidates, key=rank)[0] if candidates else None


def front_page(kb: KnowledgeBase, index: Index) -> str:
    entries = index.entries
    years = Counter(entry.said[:4] for entry in entries.values())
    topics = sorted(used_topics(kb, index), key=lambda row: -row[2])  # stable: ties stay in title order
    people = sorted(speakers(kb, index), key=lambda row: -row[2])
    chosen = featured(index)
    html = render("front.html", root=root_of(PATH), featured=card(kb, chosen) if chosen else None,
                  counts={"statements": len(entries), "people": len(people), "topics": len(topics),
                          "years": len(years)},
                  topics=topics, people=people, years=sorted(years.items(), reverse=True),
                  verified=sum(entry.verified is not None for entry in entries.values()))
    return page({"title": "We Don't Know How", "template": "home.html", "search": {"exclude": True},
                 "hide": ["navigation", "toc"]}, html)
