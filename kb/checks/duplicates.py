"""The same words from the same source twice is an error; nearly the same words, a warning.

Near-duplicates are found through shared word 4-grams (shingles) rather than by comparing every pair,
so the rule stays linear in practice at thousands of entries; shingles shared by very many entries
(boilerplate) are ignored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from kb.checks.context import Context, problem_at
from kb.load import EntryFile, KnowledgeBase
from kb.problems import Problem, Severity
from kb.urls import canonical

SHINGLE = 4
NEAR = 0.6
COMMON = 50
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(text: str) -> set[tuple[str, ...]]:
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def check_duplicates(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    files = [file for file in kb.files.values() if file.entry is not None]
    keys = [(" ".join(words(file.entry.statement)), canonical(file.entry.source.url)) for file in files]
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for file, key in zip(files, keys, strict=True):
        holders[key].append(file.path)
    for file, key in zip(files, keys, strict=True):
        others = [path for path in holders[key] if path != file.path]
        if others:
            yield problem_at(file, ("statement",), "duplicate",
                             f"the same statement from the same source is also in {', '.join(others)}",
                             "keep one of the files")
    yield from _near_duplicates(files, keys)


def _near_duplicates(files: list[EntryFile], keys: list[tuple[str, str]]) -> Iterator[Problem]:
    sets = [shingles(file.entry.statement) for file in files]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for number, shingle_set in enumerate(sets):
        for shingle in shingle_set:
            index[shingle].append(number)
    for number, shingle_set in enumerate(sets):
        shared: dict[int, int] = defaultdict(int)
        for shingle in shingle_set:
            holders = index[shingle]
            if len(holders) <= COMMON:
                for other in holders:
                    if other < number:
                        shared[other] += 1
        for other, count in sorted(shared.items()):
            similarity = count / len(shingle_set | sets[other])
            if similarity >= NEAR and keys[number] != keys[other]:
                yield problem_at(files[number], ("statement",), "near-duplicate",
                                 f"this statement is {similarity:.0%} like the one in {files[other].path}",
                                 "if both are the same statement, keep one", Severity.warning)
