"""Topics: one page per topic of the controlled vocabulary, and an index of them."""

from __future__ import annotations

from kb.load import KnowledgeBase
from kb.model import Topic
from kb.render.common import page, render, root_of
from kb.render.index import Index

INDEX = "topics/index.md"


def path_of(slug: str) -> str:
    return f"topics/{slug}.md"


def topic_page(kb: KnowledgeBase, index: Index, slug: str) -> str:
    topic = kb.topics.items[slug]
    items = [index.cards[entry_id] for entry_id in index.by_topic[slug]]
    html = render("topic.html", topic=topic, items=items, root=root_of(path_of(slug)))
    return page({"title": topic.title, "description": topic.description, "search": {"boost": 0.5}}, html)


def used_topics(kb: KnowledgeBase, index: Index) -> list[tuple[str, Topic, int]]:
    """(slug, topic, number of statements) for every topic with a statement, by title."""
    return sorted(((slug, kb.topics.items[slug], len(ids)) for slug, ids in index.by_topic.items()),
                  key=lambda row: row[1].title.casefold())


def topics_index(kb: KnowledgeBase, index: Index) -> str:
    html = render("topics.html", topics=used_topics(kb, index), root=root_of(INDEX))
    return page({"title": "Topics"}, html)
