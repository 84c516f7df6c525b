"""Speakers and topics exist in their registries; registry items that nobody cites are flagged."""

from __future__ import annotations

from collections.abc import Iterator

from kb.checks.context import Context, problem_at
from kb.load import KnowledgeBase, Registry
from kb.problems import Problem, Severity
from kb.schema_errors import did_you_mean


def check_references(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    """Read from each file's facts (`EntryFile.facts`): a file restored from the entry cache is checked
    without rebuilding its entry."""
    for file in kb.files.values():
        facts = file.facts
        if not facts.valid:
            continue
        speaker = facts.speaker
        if speaker not in kb.people.items:
            assert speaker is not None
            guess = did_you_mean(speaker, kb.people.items)
            add = f"add '{speaker}:' with a name and description to {kb.people.path}"
            yield problem_at(file, ("speaker",), "unknown-speaker",
                             f"'{speaker}' is not in {kb.people.path}{guess}",
                             f"fix the spelling, or {add}" if guess else add)
        for index, topic in enumerate(facts.topics):
            if topic not in kb.topics.items:
                yield problem_at(file, ("topics", index), "unknown-topic",
                                 f"'{topic}' is not in {kb.topics.path}{did_you_mean(topic, kb.topics.items)}",
                                 f"use one of: {', '.join(sorted(kb.topics.items))}")
        seen: set[str] = set()
        for index, topic in enumerate(facts.topics):
            if topic in seen:
                yield problem_at(file, ("topics", index), "duplicate-topic", f"the topic '{topic}' is listed twice")
            seen.add(topic)


def check_unused(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    """Cited means named by any entry file, valid or not, so a typo elsewhere does not mislead here. The
    names come from each file's facts (the texts among its parsed `speaker` and `topics`): a file restored
    from the entry cache is not decoded for them."""
    facts = [file.facts for file in kb.files.values()]
    speakers = {fact.cited_speaker for fact in facts if fact.cited_speaker is not None}
    topics = {topic for fact in facts for topic in fact.cited_topics}
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
