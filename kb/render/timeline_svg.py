"""Statements per year as an SVG bar chart, drawn at build time (no chart library, no request).

The chart is an image with a title and a description for screen readers; each bar also has its own
title and a visible count and year label, and links to that year's list below it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from kb.render.common import render

WIDTH = 720
HEIGHT = 260
MARGIN_TOP = 24
MARGIN_BOTTOM = 36
MARGIN_SIDE = 12


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


def bars(counts: Counter[int]) -> list[Bar]:
    """One bar per year from the first to the last, empty years included so gaps show as gaps."""
    if not counts:
        return []
    years = list(range(min(counts), max(counts) + 1))
    slot = (WIDTH - 2 * MARGIN_SIDE) / len(years)
    plot = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    tallest = max(counts.values())
    result = []
    for index, year in enumerate(years):
        height = plot * counts[year] / tallest
        result.append(Bar(year=year, count=counts[year], x=round(MARGIN_SIDE + index * slot + slot * 0.15, 2),
                          y=round(MARGIN_TOP + plot - height, 2), width=round(slot * 0.7, 2),
                          height=round(height, 2)))
    return result


def bar_chart(counts: Counter[int]) -> Markup:
    chart = bars(counts)
    label_every = max(1, len(chart) // 12)
    summary = ", ".join(f"{bar.year}: {bar.count}" for bar in chart if bar.count)
    return Markup(render("timeline.svg", bars=chart, width=WIDTH, height=HEIGHT, label_every=label_every,
                         baseline=HEIGHT - MARGIN_BOTTOM, summary=summary, total=sum(counts.values())))
