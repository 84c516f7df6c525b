"""Speakers and topics exist in their registries; registry items that nobody cites are flagged."""

from __future__ import annotations

from collections.abc import Iterator

from kb.checks.context import Context, problem_at
from kb.load import KnowledgeBase, Registry
from kb.problems import Problem, Severity
from kb.schema_errors import did_you_mean


def check_references(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    for file in kb.files.values():
        entry = file.entry
        if entry is None:
            continue
        if entry.speaker not in kb.people.items:
            guess = did_you_mean(entry.speaker, kb.people.items)
            add = f"add '{entry.speaker}:' with a name and description to {kb.people.path}"
            yield problem_at(file, ("speaker",), "unknown-speaker",
                             f"'{entry.speaker}' is not in {kb.people.path}{guess}",
                             f"fix the spelling, or {add}" if guess else add)
        for index, topic in enumerate(entry.topics):
            if topic not in kb.topics.items:
                yield problem_at(file, ("topics", index), "unknown-topic",
                                 f"'{topic}' is not in {kb.topics.path}{did_you_mean(topic, kb.topics.items)}",
                                 f"use one of: {', '.join(sorted(kb.topics.items))}")
        seen: set[str] = set()
        for index, topic in enumerate(entry.topics):
            if topic in seen:
                yield problem_at(file, ("topics", index), "duplicate-topic", f"the topic '{topic}' is listed twice")
            seen.add(topic)


def check_unused(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    """Cited means named by any entry file, valid or not, so a typo elsewhere does not mislead here."""
    raw = [file.document.value for file in kb.files.values()
           if file.document is not None and isinstance(file.document.value, dict)]
    # Raw values may be of any type (the entry can be invalid): only strings can name a registry item.
    speakers = {speaker for value in raw if isinstance(speaker := value.get("speaker"), str)}
    topics = {topic for value in raw if isinstance(value.get("topics"), list) for topic in value["topics"]
              if isinstance(topic, str)}
    yield from _unused(kb.people, speakers, "person")
    yield from _unused(kb.topics, topics, "topic")


def _unused(registry: Registry, cited: set[str], what: str) -> Iterator[Problem]:
    if registry.document is None:
        return
    for slug in registry.items:
        if slug not in cited:
            line, column = registry.document.key_position((slug,))
            yield Problem(registry.path, line, column, f"unused-{what}", f"no statement cites the {what} '{slug}'",
                          "remove it, or add a statement that cites it", Severity.warning)
