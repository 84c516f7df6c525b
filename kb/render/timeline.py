"""The timeline: the chart of statements per year, then each year's statements."""

from __future__ import annotations

from collections import Counter

from kb.load import KnowledgeBase
from kb.render.common import in_time_order, page, render, root_of
from kb.render.statement import card
from kb.render.timeline_svg import bar_chart

PATH = "timeline.md"


def timeline_page(kb: KnowledgeBase) -> str:
    by_year: dict[str, list] = {}
    for entry_id, entry in in_time_order(kb.entries.items()):
        by_year.setdefault(entry.said[:4], []).append(card(kb, entry_id))
    chart = bar_chart(Counter(int(year) for year in (e.said[:4] for e in kb.entries.values())))
    html = render("timeline.html", chart=chart, years=by_year, root=root_of(PATH))
    return page({"title": "Timeline"}, html)
