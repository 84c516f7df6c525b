"""The search documents of the generated pages, made from the knowledge base instead of their HTML.

Material's search plugin parses every page's HTML to index it (a fifth of a 1,000-statement build). The
statement, person, topic, timeline and index pages are made from the entries, so their documents are
too: the same sections (a statement's page, #source, #context, #found-via, #checked),
titles, tags and boosts as the pages, in plain text. What they leave out on purpose:

- a statement's #cite section (its citations and BibTeX repeat the source, in three styles);
- the statement cards that person and topic pages list: each statement is found on its own
  page, which ranks first anyway (boost 4), and the cards were most of the index at 10,000 statements;
- the people and topics indexes' lists (each person and topic has its own page) and the whole of the
  front page and the all-statements list, which Material never indexed either (`search: exclude`).
"""

from __future__ import annotations

from collections.abc import Iterator

from kb.load import KnowledgeBase
from kb.model import Entry, SecondarySource
from kb.render import person, statement, timeline, topic
from kb.render.common import display_date
from kb.render.index import Index, build_index
from kb.render.statement import VERIFICATION_METHODS, Card, card, page_title
from kb.search.index import Document

STATEMENT_BOOST = 4.0  # as the pages' `search: boost` front matter (kb.render): statements above the rest
PAGE_BOOST = 0.5       # person and topic pages
UNCHECKED = "Not yet checked against the source."
PEOPLE_LEAD = "Everyone quoted here, with the number of their statements."
TOPICS_LEAD = "What the experts say they do not understand, by subject."
TIMELINE_LEAD = "When the statements were said."


def page_location(path: str, use_directory_urls: bool = True) -> str:
    """Where MkDocs serves a generated page (a path of docs_dir ending in .md): its URL relative to the site,
    as MkDocs' Page.url (the home page is '', not './') and so as Material's search locations.

    MkDocs' own File works this out too, at a tenth of a millisecond per page."""
    stem = path.removesuffix(".md")
    if not use_directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else f"{stem}/"


def _plural(count: int, noun: str, nouns: str = "") -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _one_line(text: str) -> str:
    """A text field's paragraphs on one line: what " ".join(kb.render.common.paragraphs(text)) gives."""
    return " ".join(text.split())


def _secondary(source: SecondarySource) -> str:
    return source.title + (f", {display_date(source.date)}" if source.date else "")


def _source_text(entry: Entry) -> str:
    """The #source section's list as 'Label: value' items (the page links the transcript and the archived copy:
    here they are only said to be there)."""
    source = entry.source
    position = f"{source.at} to {source.until}" if source.at and source.until else source.at
    fields = (("Title", source.title), ("Type", source.type.value),
              ("Authors", ", ".join(source.authors) if source.authors else None), ("Publisher", source.publisher),
              ("Part of", source.container), ("Event", source.event),
              ("Published", display_date(source.published) if source.published else None),
              ("Position", position), ("Page", source.page), ("Section", source.section),
              ("Transcript", "linked" if source.transcript else None),
              ("Archived copy", "linked" if source.archived else None))
    return " · ".join(f"{label}: {value}" for label, value in fields if value)


def _checked_text(entry: Entry) -> str:
    verified = entry.verified
    if verified is None:
        return UNCHECKED
    text = f"Checked by {verified.by} on {display_date(verified.on)}, {VERIFICATION_METHODS[verified.method]}."
    return f"{text} {verified.note}" if verified.note else text


def statement_documents(item: Card, location: str) -> list[Document]:
    """The page (its words, who said them when, dispute, topics) and its #source, #context, #found-via and
    #checked sections, with the page's topic tags and boost."""
    entry = item.entry
    words = _one_line(entry.statement)
    said = display_date(entry.said)
    parts = [f"“{words}”" if item.quoted else f"Paraphrase: {words}",
             ", ".join(filter(None, (item.person.name, entry.role, said))) + f" ({item.label.lower()})"]
    if entry.disputed:
        parts.append("Disputed: " + _one_line(entry.disputed.reason)
                     + f" Source of the dispute: {_secondary(entry.disputed.source)}.")
    parts.append("Topics: " + ", ".join(topic.title for _, topic in item.topics))
    tags = tuple(topic.title for _, topic in item.topics)
    docs = [Document(location, page_title(item), " ".join(parts), STATEMENT_BOOST, tags),
            Document(f"{location}#source", "Source", _source_text(entry), STATEMENT_BOOST)]
    if entry.context:
        docs.append(Document(f"{location}#context", "Context", _one_line(entry.context), STATEMENT_BOOST))
    if entry.found_via:
        docs.append(Document(f"{location}#found-via", "Found via", " · ".join(map(_secondary, entry.found_via)),
                             STATEMENT_BOOST))
    docs.append(Document(f"{location}#checked", "Checked against the source", _checked_text(entry), STATEMENT_BOOST))
    return docs


def generated_documents(kb: KnowledgeBase, use_directory_urls: bool = True,
                        index: Index | None = None) -> Iterator[tuple[str, list[Document]]]:
    """(page location, its documents) for every generated page that search shows, in page path order."""
    index = index or build_index(kb)

    def at(path: str) -> str:
        return page_location(path, use_directory_urls)

    pages: list[tuple[str, list[Document]]] = []
    for entry_id in index.entries:
        location = at(statement.path_of(entry_id))
        pages.append((location, statement_documents(card(kb, entry_id), location)))
    for slug, ids in index.by_speaker.items():
        someone, location = kb.people.items[slug], at(person.path_of(slug))
        pages.append((location, [Document(location, someone.name,
                                          f"{someone.description} {_plural(len(ids), 'statement')}.", PAGE_BOOST)]))
    for slug, ids in index.by_topic.items():
        subject, location = kb.topics.items[slug], at(topic.path_of(slug))
        pages.append((location, [Document(location, subject.title,
                                          f"{subject.description} {_plural(len(ids), 'statement')}.", PAGE_BOOST)]))
    people, topics = at(person.INDEX), at(topic.INDEX)
    everyone = _plural(len(index.by_speaker), "person", "people")
    pages.append((people, [Document(people, "People", f"{PEOPLE_LEAD} {everyone}.")]))
    pages.append((topics, [Document(topics, "Topics", f"{TOPICS_LEAD} {_plural(len(index.by_topic), 'topic')}.")]))
    pages.append(_timeline(index, at(timeline.PATH)))
    yield from sorted(pages, key=lambda page: page[0])


def _timeline(index: Index, location: str) -> tuple[str, list[Document]]:
    """The timeline page, with the number of statements said in each year (the years' headings are on the
    all-statements page, which search leaves out)."""
    years: dict[str, int] = {}
    for entry_id in index.chronological:
        year = index.entries[entry_id].said[:4]
        years[year] = years.get(year, 0) + 1
    counts = {year: _plural(count, "statement") for year, count in years.items()}
    text = f"{TIMELINE_LEAD} " + ", ".join(f"{year}: {count}" for year, count in counts.items()) + "."
    return location, [Document(location, "Timeline", text)]
