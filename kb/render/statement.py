"""One statement's page: the words, who said them when, the source at the second, and how it was checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from kb.export.citebox import citation_box as export_citation_box
from kb.load import KnowledgeBase
from kb.model import RECORDED_TYPES, Entry, Person, Topic, VerificationMethod, format_timecode, timecode_seconds
from kb.render.common import FIDELITY_LABELS, SiteOptions, environment, is_quoted, page, render, root_of, snippet
from kb.urls import link_at, text_fragment_link, vimeo_id, youtube_id

VERIFICATION_METHODS = {
    VerificationMethod.listened: "by listening to the recording",
    VerificationMethod.transcript: "against a transcript",
    VerificationMethod.page_text: "against the text of the source",
}
EMBED_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


def path_of(entry_id: str) -> str:
    return f"statements/{entry_id}.md"


def url_of(entry_id: str) -> str:
    return f"statements/{entry_id}/"


@dataclass(frozen=True)
class Card:
    """What a listing shows of a statement: enough to recognise it and follow the link."""

    id: str
    entry: Entry
    person: Person
    topics: list[tuple[str, Topic]]
    quoted: bool
    label: str
    rendered: dict[tuple[str, bool], Markup] = field(default_factory=dict, compare=False, repr=False)

    @property
    def url(self) -> str:
        return url_of(self.id)

    @property
    def year(self) -> str:
        return self.entry.said[:4]

    def html(self, root: str, facets: bool = False) -> Markup:
        """The card as listings show it, rendered once per `root` and `facets`: a statement is listed on the
        all-statements page (with its facets, for the filters), its speaker's page and each of its topics'
        pages (four times on average)."""
        key = (root, facets)
        if key not in self.rendered:
            self.rendered[key] = macros().card(self, root, facets)
        return self.rendered[key]


def macros() -> Any:
    return environment().get_template("_macros.html").module


def card(kb: KnowledgeBase, entry_id: str) -> Card:
    entry = kb.files[entry_id].entry  # not kb.entries, which re-sorts every statement on each access
    assert entry is not None, f"{entry_id} is not a valid statement"
    return Card(id=entry_id, entry=entry, person=kb.people.items[entry.speaker],
                topics=[(slug, kb.topics.items[slug]) for slug in entry.topics],
                quoted=is_quoted(entry), label=FIDELITY_LABELS[entry.fidelity])


def embed_url(url: str, seconds: int | None) -> str | None:
    """The privacy-enhanced player URL for a YouTube or Vimeo recording, starting at `seconds`."""
    start = seconds or 0
    video = youtube_id(url)
    if video:
        return f"{EMBED_HOSTS[0]}/embed/{video}?start={start}"
    vimeo = vimeo_id(url)
    if vimeo:
        return f"{EMBED_HOSTS[1]}/video/{vimeo}?dnt=1#t={start}s"
    return None


@dataclass(frozen=True)
class SourceLinks:
    """The ways to reach the words in the source: a link at the second, or to the words on the page."""

    watch: str | None
    watch_label: str
    read: str | None
    embed: str | None


def source_links(entry: Entry) -> SourceLinks:
    source = entry.source
    seconds = timecode_seconds(source.at) if source.at else None
    if source.type in RECORDED_TYPES or seconds is not None:
        label = f"Watch at {format_timecode(seconds)}" if seconds is not None else "Watch or listen to the recording"
        return SourceLinks(watch=link_at(source.url, seconds), watch_label=label, read=None,
                           embed=embed_url(source.url, seconds))
    read = text_fragment_link(source.url, entry.statement) if is_quoted(entry) else source.url
    return SourceLinks(watch=None, watch_label="", read=read, embed=None)


def citation_box(kb: KnowledgeBase, entry_id: str) -> Markup:
    """The citation block under the statement; the export package provides its HTML (see site-ready)."""
    return Markup(export_citation_box(kb, entry_id))


def page_title(item: Card) -> str:
    """The statement page's title (unescaped; the search index uses it too)."""
    words = snippet(item.entry.statement, 8)
    return f"{item.person.name}: " + (f"“{words}”" if item.quoted else f"{words} (paraphrase)")


def statement_page(kb: KnowledgeBase, entry_id: str, options: SiteOptions) -> str:
    path = path_of(entry_id)
    item = card(kb, entry_id)
    entry = item.entry
    title = page_title(item)
    html = render("statement.html", item=item, entry=entry, root=root_of(path), links=source_links(entry),
                  methods=VERIFICATION_METHODS, edit_url=options.edit_url(entry_id),
                  permalink=options.page_url(url_of(entry_id)), citation=citation_box(kb, entry_id))
    # Topic titles as search tags (Material weighs tags far above titles), so a topic's word finds its
    # statements before the topic page itself.
    return page({"title": title, "description": snippet(entry.statement, 30), "search": {"boost": 4},
                 "tags": [topic.title for _, topic in item.topics]}, html)
