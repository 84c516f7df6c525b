"""The timeline: the chart of statements per year and the years, each a link to its part of the full list
(kb.render.listing), so the statements are listed once, not twice."""

from __future__ import annotations

from collections import Counter

from kb.load import KnowledgeBase
from kb.render.common import page, render, root_of
from kb.render.index import Index
from kb.render.timeline_svg import bar_chart

PATH = "timeline.md"


def timeline_page(kb: KnowledgeBase, index: Index) -> str:
    years = Counter(index.entries[entry_id].said[:4] for entry_id in index.chronological)
    chart = bar_chart(Counter({int(year): count for year, count in years.items()}))
    html = render("timeline.html", chart=chart, years=dict(sorted(years.items())), root=root_of(PATH))
    return page({"title": "Timeline"}, html)
