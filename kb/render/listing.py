"""All statements on one page, newest said first, under a heading per year, with client-side filters.

Without JavaScript it is the full list; the filter form is `hidden` until the script shows it, so no
dead controls appear. Each card carries its facets as data attributes for the script to match. The
timeline and the front page link to the year headings (`statements/#y2024`): this is the one page that
lists every statement.
"""

from __future__ import annotations

from kb.load import KnowledgeBase
from kb.model import Fidelity, SourceType
from kb.render.common import FIDELITY_LABELS, page, render, root_of
from kb.render.index import Index

PATH = "statements/index.md"


def facets(kb: KnowledgeBase, index: Index) -> dict[str, list[tuple[str, str]]]:
    """Every filter's options as (value, label), only values that some statement has."""
    entries = index.entries.values()
    speakers = {entry.speaker for entry in entries}
    topics = {topic for entry in entries for topic in entry.topics}
    types = {entry.source.type for entry in entries}
    fidelities = {entry.fidelity for entry in entries}
    return {
        "speaker": sorted(((slug, kb.people.items[slug].name) for slug in speakers), key=lambda o: o[1].casefold()),
        "topic": sorted(((slug, kb.topics.items[slug].title) for slug in topics), key=lambda o: o[1].casefold()),
        "year": [(year, year) for year in sorted({entry.said[:4] for entry in entries}, reverse=True)],
        "type": [(kind.value, kind.value) for kind in SourceType if kind in types],
        "fidelity": [(kind.value, FIDELITY_LABELS[kind]) for kind in Fidelity if kind in fidelities],
    }


FACET_LABELS = {"speaker": "Speaker", "topic": "Topic", "year": "Year", "type": "Source type",
                "fidelity": "Fidelity"}


def all_statements_page(kb: KnowledgeBase, index: Index) -> str:
    items = [index.cards[entry_id] for entry_id in reversed(index.chronological)]
    years: dict[str, list] = {}
    for item in items:
        years.setdefault(item.year, []).append(item)
    html = render("statements.html", items=items, years=years, facets=facets(kb, index), labels=FACET_LABELS,
                  root=root_of(PATH))
    return page({"title": "All statements", "search": {"exclude": True}}, html)
