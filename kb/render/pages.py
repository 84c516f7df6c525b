"""Every generated page of the site, as {path relative to docs_dir: content}."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from kb.load import KnowledgeBase
from kb.model import Entry
from kb.render import feed, front, listing, person, statement, timeline, topic
from kb.render.common import SiteOptions
from kb.render.index import build_index


@dataclass(frozen=True)
class Rendered:
    """What the last render made of one entry: its page and its listing card's HTML by page depth and facets."""

    entry: Entry
    page: str
    cards: dict[tuple[str, bool], Markup]


@dataclass
class RenderMemo:
    """The statement pages and listing cards of the last render, for `mkdocs serve`: they are reused when
    their entry, the registries and the options are all equal to last time (they read nothing else), so an
    edit re-renders one statement page and one card instead of all of them."""

    people: dict[str, Any] = field(default_factory=dict)
    topics: dict[str, Any] = field(default_factory=dict)
    options: SiteOptions | None = None
    entries: dict[str, Rendered] = field(default_factory=dict)

    def reusable(self, kb: KnowledgeBase, options: SiteOptions) -> dict[str, Rendered]:
        same = self.options == options and self.people == kb.people.items and self.topics == kb.topics.items
        return self.entries if same else {}

    def remember(self, kb: KnowledgeBase, options: SiteOptions, entries: dict[str, Rendered]) -> None:
        self.people, self.topics, self.options = dict(kb.people.items), dict(kb.topics.items), options
        self.entries = entries


def render_pages(kb: KnowledgeBase, options: SiteOptions, site_name: str = "We Don't Know How",
                 memo: RenderMemo | None = None) -> dict[str, str]:
    """All pages from a validated knowledge base (call only when it has no errors); with a `memo`, statement
    pages and cards whose inputs are unchanged since the last call are reused."""
    index = build_index(kb)
    previous = memo.reusable(kb, options) if memo else {}
    pages: dict[str, str] = {}
    rendered: dict[str, Rendered] = {}
    for entry_id, entry in index.entries.items():
        last = previous.get(entry_id)
        card = index.cards[entry_id]
        if last and last.entry == entry:
            card.rendered.update(last.cards)
            text = last.page
        else:
            text = statement.statement_page(kb, entry_id, options)
        rendered[entry_id] = Rendered(entry, text, card.rendered)  # the listings below fill in the cards
        pages[statement.path_of(entry_id)] = text
    pages |= {
        front.PATH: front.front_page(kb, index),
        listing.PATH: listing.all_statements_page(kb, index),
        person.INDEX: person.people_index(kb, index),
        topic.INDEX: topic.topics_index(kb, index),
        timeline.PATH: timeline.timeline_page(kb, index),
        feed.PATH: feed.atom_feed(kb, index, options, site_name),
    }
    for slug in index.by_speaker:
        pages[person.path_of(slug)] = person.person_page(kb, index, slug)
    for slug in index.by_topic:
        pages[topic.path_of(slug)] = topic.topic_page(kb, index, slug)
    if memo:
        memo.remember(kb, options, rendered)
    return dict(sorted(pages.items()))


def statement_paths(kb: KnowledgeBase) -> dict[str, str]:
    """Generated statement page path -> entry id, for per-page settings such as the edit link."""
    return {statement.path_of(entry_id): entry_id for entry_id in kb.entries}
