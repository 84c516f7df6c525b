"""People: one page per speaker (statements in time order) and an index of everyone."""

from __future__ import annotations

from kb.load import KnowledgeBase
from kb.render.common import in_time_order, page, render, root_of
from kb.render.statement import card

INDEX = "people/index.md"


def path_of(slug: str) -> str:
    return f"people/{slug}.md"


def statements_by(kb: KnowledgeBase, slug: str) -> list[str]:
    return [entry_id for entry_id, _ in in_time_order(
        (entry_id, entry) for entry_id, entry in kb.entries.items() if entry.speaker == slug)]


def person_page(kb: KnowledgeBase, slug: str) -> str:
    person = kb.people.items[slug]
    items = [card(kb, entry_id) for entry_id in statements_by(kb, slug)]
    links = person.links.model_dump(exclude_none=True) if person.links else {}
    html = render("person.html", person=person, items=items, links=links, root=root_of(path_of(slug)))
    return page({"title": person.name, "description": person.description, "search": {"boost": 0.5}}, html)


def people_index(kb: KnowledgeBase) -> str:
    people = sorted(((slug, person, len(statements_by(kb, slug))) for slug, person in kb.people.items.items()),
                    key=lambda row: row[1].name.casefold())
    html = render("people.html", people=[row for row in people if row[2]], root=root_of(INDEX))
    return page({"title": "People"}, html)
