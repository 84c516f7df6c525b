"""The timeline: the chart of statements per year, then each year's statements."""

from __future__ import annotations

from collections import Counter

from kb.load import KnowledgeBase
from kb.render.common import page, render, root_of
from kb.render.index import Index
from kb.render.timeline_svg import bar_chart

PATH = "timeline.md"


def timeline_page(kb: KnowledgeBase, index: Index) -> str:
    by_year: dict[str, list] = {}
    for entry_id in index.chronological:
        by_year.setdefault(index.entries[entry_id].said[:4], []).append(index.cards[entry_id])
    chart = bar_chart(Counter({int(year): len(items) for year, items in by_year.items()}))
    html = render("timeline.html", chart=chart, years=by_year, root=root_of(PATH))
    return page({"title": "Timeline"}, html)
