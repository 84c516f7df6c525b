"""The same words from the same source twice is an error; nearly the same words, a warning.

Near-duplicates are found through shared word 4-grams (shingles) rather than by comparing every pair,
so the rule stays linear in practice at thousands of entries; shingles shared by very many entries
(boilerplate) are ignored.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import chain

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


def shingles(tokens: list[str]) -> set[str]:
    """Word 4-grams as strings (a string caches its hash; a tuple would be hashed at every lookup)."""
    if len(tokens) < SHINGLE:
        return {" ".join(tokens)} if tokens else set()
    return set(map(" ".join, zip(*(tokens[start:] for start in range(SHINGLE)), strict=False)))  # in C


def check_duplicates(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    files = [file for file in kb.files.values() if file.entry is not None]
    tokens = [words(file.entry.statement) for file in files]
    keys = [(" ".join(statement), canonical(file.entry.source.url)) for file, statement in zip(files, tokens,
                                                                                                 strict=True)]
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for file, key in zip(files, keys, strict=True):
        holders[key].append(file.path)
    for file, key in zip(files, keys, strict=True):
        if len(holders[key]) > 1:
            others = [path for path in holders[key] if path != file.path]
            yield problem_at(file, ("statement",), "duplicate",
                             f"the same statement from the same source is also in {', '.join(others)}",
                             "keep one of the files")
    yield from _near_duplicates(files, keys, [shingles(statement) for statement in tokens])


def _near_duplicates(files: list[EntryFile], keys: list[tuple[str, str]], sets: list[set[str]]) -> Iterator[Problem]:
    """Pairs whose similarity (shingles shared, less the common ones, over all shingles of both) is at
    least NEAR, found by prefix filtering instead of comparing every pair.

    A pair that reaches NEAR shares at least NEAR * |A'| of A's uncommon shingles A', so, with every set's
    shingles ordered rarest first, it shares one among the first |A'| - ceil(NEAR * |A'|) + 1 of each:
    only those are indexed, and each candidate pair is then measured exactly.
    """
    # Most shingles are held by one entry only. Set operations (in C) find the others, and only those are
    # counted: a count per shingle would cost a dictionary of every shingle of every entry.
    seen: set[str] = set()
    repeated: set[str] = set()
    for shingle_set in sets:
        repeated |= shingle_set & seen
        seen |= shingle_set
    shared_sets = [shingle_set & repeated for shingle_set in sets]
    frequency = Counter(chain.from_iterable(shared_sets))
    holders: dict[str, list[int]] = defaultdict(list)
    for number, shingle_set in enumerate(sets):
        held = [(frequency[shingle], shingle) for shingle in shared_sets[number]]
        uncommon = len(shingle_set) - sum(count > COMMON for count, _ in held)
        unique = len(shingle_set) - len(held)  # first in rarest-first order, and shared with nobody
        if not held:
            continue  # shares nothing, so it is nobody's candidate and indexes nothing
        shared = sorted(pair for pair in held if pair[0] <= COMMON)
        prefix = [shingle for _, shingle in shared[:uncommon - math.ceil(NEAR * uncommon - 1e-9) + 1 - unique]]
        candidates = {other for shingle in prefix for other in holders[shingle]}
        for shingle in prefix:
            holders[shingle].append(number)
        for other in sorted(candidates):
            both_sets = shingle_set & sets[other]
            both = sum(frequency[shingle] <= COMMON for shingle in both_sets)
            similarity = both / (len(shingle_set) + len(sets[other]) - len(both_sets))
            if similarity >= NEAR and keys[number] != keys[other]:
                yield problem_at(files[number], ("statement",), "near-duplicate",
                                 f"this statement is {similarity:.0%} like the one in {files[other].path}",
                                 "if both are the same statement, keep one", Severity.warning)
