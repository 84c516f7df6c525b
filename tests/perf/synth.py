"""Synthetic knowledge bases for the benchmark: N statements made from the real ones.

The project tree (mkdocs.yml, site_src/, entries/ ...) is copied into a fresh folder and entries/ is
replaced by N statements. Each is a real, valid entry with its id, speaker, topics and words varied
deterministically (a seeded random generator per statement), so runs are comparable and the data looks
like the real thing: same fields, same lengths, same mix of source types. The registries are rewritten
to match, so `kb validate` finds nothing (every speaker and topic exists and is cited, no statement is a
near-duplicate of another).

Every file is written in the canonical layout `kb fmt` writes (kb/fmt.py), as main's entries are (the
pull-request workflow enforces `kb fmt --check`), so the benchmark reads what main holds. The layout is
written directly (ruamel.yaml round trips take seconds per thousand files); tests/perf/test_synth.py
checks that `kb fmt` leaves the files as they are.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.fmt import FOLDED_KEYS, TIMECODE_KEYS, _fold, _foldable
from kb.load import ENTRIES_DIR, PEOPLE_FILE, TOPICS_FILE, load
from kb.yaml_strict import YamlError, parse_text

FLOW_KEYS = ("topics", "authors")
SCHEMA_LINE = "# yaml-language-server: $schema=../kb/schema/{name}.schema.json\n"
_IGNORED = (".git", ".venv", "site", "bench-out", ".cache", "__pycache__", ".pytest_cache", ".ruff_cache",
            ".hypothesis", ".kb-cache", "build", "dist", "*.egg-info", "kb", "tests", ENTRIES_DIR)
_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
PEOPLE_PER_STATEMENT = 10
STATEMENTS_PER_TOPIC = 250


@dataclass(frozen=True)
class Corpus:
    """What the real entries offer to vary: templates (raw mappings), words, people and topics."""

    templates: list[dict[str, Any]]
    template_ids: list[str]
    words: list[str]
    people: dict[str, Any]
    topics: dict[str, Any]


def read_corpus(project: Path) -> Corpus:
    """The valid real entries only, so a half-edited entry elsewhere cannot break the benchmark."""
    kb = load(project)
    valid = {id_: file for id_, file in sorted(kb.files.items()) if file.entry is not None and file.document}
    if not valid:
        raise SystemExit(f"no valid entries in {project / ENTRIES_DIR} to make synthetic ones from")
    templates = [file.document.value for file in valid.values()]
    text = " ".join(str(value.get(key, "")) for value in templates for key in ("statement", "context"))
    words = sorted({word.lower() for word in _WORD.findall(text)})
    people = {slug: person.model_dump(mode="json", exclude_none=True) for slug, person in kb.people.items.items()}
    topics = {slug: topic.model_dump(mode="json", exclude_none=True) for slug, topic in kb.topics.items.items()}
    return Corpus(templates, list(valid), words, people, topics)


def _vary(text: str, rng: random.Random, words: list[str], share: float = 0.5, least: int = 0) -> str:
    """Replace about `share` of the words (and pad to `least` words), so no two statements share many
    word 4-grams."""
    tokens = [rng.choice(words) if rng.random() < share else token for token in text.split()]
    tokens += [rng.choice(words) for _ in range(least - len(tokens))]
    return " ".join(tokens)


def _people(corpus: Corpus, count: int) -> dict[str, dict[str, Any]]:
    """`count` speakers, named by recombining real first and last names, described like real ones."""
    real = [person for person in corpus.people.values() if person.get("kind", "person") == "person"]
    firsts = sorted({person["name"].split()[0] for person in real}) or ["Ada"]
    lasts = sorted({person["name"].split()[-1] for person in real}) or ["Lovelace"]
    people = {}
    for number in range(count):
        template = real[number % len(real)] if real else {"description": "Researcher."}
        name = f"{firsts[number % len(firsts)]} {lasts[(number // len(firsts)) % len(lasts)]} {number}"
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        people[slug] = {"name": name, "description": template["description"]}
    return people


def _topics(corpus: Corpus, count: int, rng: random.Random) -> dict[str, dict[str, Any]]:
    """The real topics plus synthetic ones, so topic pages grow with the knowledge base."""
    topics = dict(corpus.topics)
    for number in range(count):
        word = rng.choice(corpus.words)
        topics[f"{word}-{number}"] = {"title": f"{word.title()} {number}",
                                      "description": _vary("Statements about " + word + " and how models learn it.",
                                                           rng, corpus.words, 0.2)}
    return topics


def synthetic_entries(corpus: Corpus, count: int, seed: int = 7) -> tuple[dict[str, dict[str, Any]], dict, dict]:
    """(entries by id, people, topics) for `count` statements; the same arguments give the same data."""
    rng = random.Random(seed)
    people = _people(corpus, max(1, count // PEOPLE_PER_STATEMENT))
    topics = _topics(corpus, max(1, count // STATEMENTS_PER_TOPIC), rng)
    speakers, topic_slugs = list(people), list(topics)
    entries = {}
    for number in range(count):
        template_number = number % len(corpus.templates)
        entry = copy.deepcopy(corpus.templates[template_number])
        entry["statement"] = _vary(entry["statement"], rng, corpus.words, least=24)
        if entry.get("context"):
            entry["context"] = _vary(entry["context"], rng, corpus.words, 0.3)
        entry["speaker"] = speakers[number % len(speakers)]
        chosen = [topic_slugs[number % len(topic_slugs)], *rng.sample(topic_slugs, rng.randint(0, 2))]
        entry["topics"] = list(dict.fromkeys(chosen))
        entry["source"]["title"] = f"{entry['source']['title']} ({number // len(corpus.templates) + 1})"
        entries[f"{corpus.template_ids[template_number][:60]}-{number:05d}"] = entry
    return entries, people, topics


def _scalar(value: Any, quoted: bool = False, flow: bool = False) -> str:
    """One value on its line (or in a flow list): plain when YAML reads it back as the same value, else in
    double quotes (kb fmt keeps the author's quoting, so either is canonical)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return json.dumps(value)
    if not quoted and value and "\n" not in value:
        text, expected = (f"k: [{value}]\n", [value]) if flow else (f"k: {value}\n", value)
        try:
            if parse_text(text).value == {"k": expected}:
                return value
        except YamlError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _lines(value: Any, indent: int, key: str = "") -> list[str]:
    """The canonical lines of a value under a key (`key` names it, for the styles of kb/fmt.py)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for name, item in value.items():
            if isinstance(item, dict | list) and item and not (name in FLOW_KEYS and isinstance(item, list)):
                lines += [f"{pad}{name}:", *_lines(item, indent + 2, name)]
            elif name in FLOW_KEYS and isinstance(item, list):
                lines.append(f"{pad}{name}: [{', '.join(_scalar(word, flow=True) for word in item)}]")
            elif name in FOLDED_KEYS and isinstance(item, str) and _foldable(item):
                breaks = [-1, *_fold(item).fold_pos, len(item)]  # type: ignore[attr-defined]
                lines += [f"{pad}{name}: >-", *(f"{pad}  {item[start + 1:end]}"
                                                for start, end in itertools.pairwise(breaks))]
            else:
                lines.append(f"{pad}{name}: {_scalar(item, name in TIMECODE_KEYS)}")
        return lines
    lines = []
    for item in value:
        if isinstance(item, dict):
            first, *rest = _lines(item, indent + 2, key)
            lines += [f"{pad}- {first.lstrip()}", *rest]
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines


def _dump(value: dict[str, Any], schema: str) -> str:
    return SCHEMA_LINE.format(name=schema) + "\n".join(_lines(value, 0)) + "\n"


def make_project(source: Path, target: Path, count: int, seed: int = 7) -> Path:
    """Copy the project at `source` to `target` with `count` synthetic statements in entries/."""
    corpus = read_corpus(source)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*_IGNORED), symlinks=True)
    entries, people, topics = synthetic_entries(corpus, count, seed)
    directory = target / ENTRIES_DIR
    directory.mkdir()
    (directory / PEOPLE_FILE).write_text(_dump(people, "people"), encoding="utf-8")
    (directory / TOPICS_FILE).write_text(_dump(topics, "topics"), encoding="utf-8")
    for id_, entry in entries.items():
        (directory / f"{id_}.yaml").write_text(_dump(entry, "entry"), encoding="utf-8")
    return target
