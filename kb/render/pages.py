"""Every generated page of the site, as {path relative to docs_dir: content}."""

from __future__ import annotations

from kb.load import KnowledgeBase
from kb.render import feed, front, listing, person, statement, timeline, topic
from kb.render.common import SiteOptions
from kb.render.index import build_index


def render_pages(kb: KnowledgeBase, options: SiteOptions, site_name: str = "We Don't Know How") -> dict[str, str]:
    """All pages from a validated knowledge base (call only when it has no errors)."""
    index = build_index(kb)
    pages = {
        front.PATH: front.front_page(kb, index),
        listing.PATH: listing.all_statements_page(kb, index),
        person.INDEX: person.people_index(kb, index),
        topic.INDEX: topic.topics_index(kb, index),
        timeline.PATH: timeline.timeline_page(kb, index),
        feed.PATH: feed.atom_feed(kb, index, options, site_name),
    }
    for entry_id in index.entries:
        pages[statement.path_of(entry_id)] = statement.statement_page(kb, entry_id, options)
    for slug in index.by_speaker:
        pages[person.path_of(slug)] = person.person_page(kb, index, slug)
    for slug in index.by_topic:
        pages[topic.path_of(slug)] = topic.topic_page(kb, index, slug)
    return dict(sorted(pages.items()))


def statement_paths(kb: KnowledgeBase) -> dict[str, str]:
    """Generated statement page path -> entry id, for per-page settings such as the edit link."""
    return {statement.path_of(entry_id): entry_id for entry_id in kb.entries}
