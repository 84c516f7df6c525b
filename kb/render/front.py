"""The front page's content: counts, a featured statement and the ways in (topic, person, year).

The hero (shoggoth, tagline, search prompt) is the theme's `home.html`, which renders this below it.
"""

from __future__ import annotations

from collections import Counter

from kb.load import KnowledgeBase
from kb.model import Fidelity
from kb.render.common import page, render, root_of
from kb.render.person import statements_by
from kb.render.statement import card
from kb.render.topic import statements_on

PATH = "index.md"


def featured(kb: KnowledgeBase) -> str | None:
    """The most recently added statement, preferring checked verbatim words, so the choice is stable."""
    def rank(item: tuple[str, object]) -> tuple[bool, bool, str, str]:
        entry_id, entry = item
        return (entry.verified is not None, entry.fidelity is Fidelity.verbatim, entry.added, entry_id)

    candidates = [item for item in kb.entries.items() if item[1].disputed is None] or list(kb.entries.items())
    return max(candidates, key=rank)[0] if candidates else None


def front_page(kb: KnowledgeBase) -> str:
    entries = kb.entries
    years = Counter(entry.said[:4] for entry in entries.values())
    speakers = {entry.speaker for entry in entries.values()}
    topics = sorted(((slug, topic, len(statements_on(kb, slug))) for slug, topic in kb.topics.items.items()),
                    key=lambda row: (-row[2], row[1].title.casefold()))
    people = sorted(((slug, kb.people.items[slug], len(statements_by(kb, slug))) for slug in speakers),
                    key=lambda row: (-row[2], row[1].name.casefold()))
    chosen = featured(kb)
    html = render("front.html", root=root_of(PATH), featured=card(kb, chosen) if chosen else None,
                  counts={"statements": len(entries), "people": len(speakers),
                          "topics": sum(1 for row in topics if row[2]), "years": len(years)},
                  topics=[row for row in topics if row[2]], people=people, years=sorted(years.items(), reverse=True),
                  verified=sum(entry.verified is not None for entry in entries.values()))
    return page({"title": "We Don't Know How", "template": "home.html", "search": {"exclude": True},
                 "hide": ["navigation", "toc"]}, html)
