"""People: one page per speaker (statements in time order) and an index of everyone."""

from __future__ import annotations

from kb.load import KnowledgeBase
from kb.model import Person
from kb.render.common import page, render, root_of
from kb.render.index import Index

INDEX = "people/index.md"


def path_of(slug: str) -> str:
    return f"people/{slug}.md"


def person_page(kb: KnowledgeBase, index: Index, slug: str) -> str:
    person = kb.people.items[slug]
    items = [index.cards[entry_id] for entry_id in index.by_speaker[slug]]
    links = person.links.model_dump(exclude_none=True) if person.links else {}
    html = render("person.html", person=person, items=items, links=links, root=root_of(path_of(slug)))
    return page({"title": person.name, "description": person.description, "search": {"boost": 0.5}}, html)


def speakers(kb: KnowledgeBase, index: Index) -> list[tuple[str, Person, int]]:
    """(slug, person, number of statements) for everyone quoted, by name."""
    return sorted(((slug, kb.people.items[slug], len(ids)) for slug, ids in index.by_speaker.items()),
                  key=lambda row: row[1].name.casefold())


def people_index(kb: KnowledgeBase, index: Index) -> str:
    html = render("people.html", people=speakers(kb, index), root=root_of(INDEX))
    return page({"title": "People"}, html)
