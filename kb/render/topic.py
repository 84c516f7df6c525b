"""Topics: one page per topic of the controlled vocabulary, and an index of them."""

from __future__ import annotations

from kb.load import KnowledgeBase
from kb.render.common import in_time_order, page, render, root_of
from kb.render.statement import card

INDEX = "topics/index.md"


def path_of(slug: str) -> str:
    return f"topics/{slug}.md"


def statements_on(kb: KnowledgeBase, slug: str) -> list[str]:
    return [entry_id for entry_id, _ in in_time_order(
        (entry_id, entry) for entry_id, entry in kb.entries.items() if slug in entry.topics)]


def topic_page(kb: KnowledgeBase, slug: str) -> str:
    topic = kb.topics.items[slug]
    items = [card(kb, entry_id) for entry_id in statements_on(kb, slug)]
    html = render("topic.html", topic=topic, items=items, root=root_of(path_of(slug)))
    return page({"title": topic.title, "description": topic.description, "search": {"boost": 0.5}}, html)


def topics_index(kb: KnowledgeBase) -> str:
    topics = sorted(((slug, topic, len(statements_on(kb, slug))) for slug, topic in kb.topics.items.items()),
                    key=lambda row: row[1].title.casefold())
    html = render("topics.html", topics=[row for row in topics if row[2]], root=root_of(INDEX))
    return page({"title": "Topics"}, html)
