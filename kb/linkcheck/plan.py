"""Which URLs to check, who cites them and where, and what the citing entries claim about them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kb.checks.urls import urls_in
from kb.load import KnowledgeBase
from kb.model import RECORDED_TYPES, Fidelity, timecode_seconds
from kb.yaml_strict import Document, Path, Position

LINK, MEDIA, TEXT = "link", "media", "text"


@dataclass(frozen=True)
class Citation:
    """One place a URL is written: the entry (or registry item), its file and the YAML path of the URL."""

    entry: str
    path: str
    document: Document = field(compare=False, repr=False)
    yaml_path: Path = ()

    def position(self, sibling: str | None = None) -> Position:
        """Where the URL is written, or a key beside it (`at` beside `source.url`) or at the top of the
        entry (`statement`) when there is one."""
        if sibling:
            for path in ((*self.yaml_path[:-1], sibling), (sibling,)):
                if path in self.document.positions:
                    return self.document.positions[path]
        return self.document.position(self.yaml_path)


@dataclass(frozen=True)
class Claim:
    """What an entry says about its primary source, to compare with what the source says."""

    citation: Citation
    statement: str
    fidelity: Fidelity
    title: str
    published: str | None
    at: int | None
    until: int | None
    archived: str | None


@dataclass
class Target:
    """One URL to check and everything that depends on it."""

    url: str
    citations: list[Citation] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    needs: set[str] = field(default_factory=lambda: {LINK})

    @property
    def entries(self) -> list[str]:
        return sorted({citation.entry for citation in self.citations})


def _registry_citations(kb: KnowledgeBase, only: set[str] | None) -> Iterator[tuple[str, Citation]]:
    for reg, name in ((kb.people, "people"), (kb.topics, "topics")):
        if reg.document is None or (only is not None and reg.path not in only):
            continue
        for path, url in urls_in(reg.document.value):
            yield url, Citation(f"{name}:{path[0]}", reg.path, reg.document, path)


def plan(kb: KnowledgeBase, only: set[str] | None = None) -> list[Target]:
    """Targets for every URL in the selected files (None: all entries and both registries), by URL."""
    targets: dict[str, Target] = {}

    def target(url: str) -> Target:
        return targets.setdefault(url, Target(url))

    for url, citation in _registry_citations(kb, only):
        target(url).citations.append(citation)
    for entry_id, file in sorted(kb.files.items()):
        if file.document is None or file.entry is None or (only is not None and file.path not in only):
            continue
        for path, url in urls_in(file.document.value):
            target(url).citations.append(Citation(entry_id, file.path, file.document, path))
        source = file.entry.source
        claim = Claim(
            citation=Citation(entry_id, file.path, file.document, ("source", "url")),
            statement=file.entry.statement, fidelity=file.entry.fidelity, title=source.title,
            published=source.published, at=timecode_seconds(source.at) if source.at else None,
            until=timecode_seconds(source.until) if source.until else None, archived=source.archived)
        primary = target(source.url)
        primary.claims.append(claim)
        if claim.at is not None:
            primary.needs.add(MEDIA)
        elif file.entry.fidelity is not Fidelity.paraphrase and source.type not in RECORDED_TYPES:
            primary.needs.add(TEXT)
    return [targets[url] for url in sorted(targets)]
