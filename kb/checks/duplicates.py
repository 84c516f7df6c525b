"""The same words from the same source twice is an error; nearly the same words, a warning.

Near-duplicates are found through shared word 4-grams (shingles) rather than by comparing every pair,
so the rule stays linear in practice at thousands of entries; shingles shared by very many entries
(boilerplate) are ignored.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator, Sequence
from itertools import chain

from kb.checks.context import Context, problem_at
from kb.load import EntryFile, KnowledgeBase
from kb.problems import Problem, Severity
from kb.urls import canonical

SHINGLE = 4
NEAR = 0.6
COMMON = 50
_WORD = re.compile(r"\w+")
Shingle = tuple[Hashable, ...]


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(tokens: Sequence[Hashable]) -> set[tuple[Hashable, ...]]:
    """Word 4-grams (all the words when there are fewer), as tuples made in C.

    A tuple of words hashes from the words' own hashes, which a string keeps once computed, so this is
    cheaper than joining each 4-gram into a new string (or numbering the words first); equal tuples are
    exactly equal word sequences.
    """
    if len(tokens) < SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return set(zip(*(tokens[start:] for start in range(SHINGLE)), strict=False))


def check_duplicates(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    files = [file for file in kb.files.values() if file.facts.valid]  # a kept entry is not restored for this
    if files and all(file.key is not None for file in files):
        yield from _kept(files, context)
    else:
        yield from _duplicates(files, context)


def _kept(files: list[EntryFile], context: Context) -> list[Problem]:
    """The findings for entries loaded through the entry cache, kept there under every file's key (each names
    the file's bytes and kb's code, this rule's included): unchanged files, no comparing them all again."""
    from kb.loadcache import kept_texts  # the cache imports the rules

    digest = hashlib.sha256(b"duplicates\0%d\0" % context.errors_only)
    for file in files:
        digest.update(f"{file.path}\0{file.key}\n".encode("utf-8", "surrogateescape"))
    (text,) = kept_texts([digest.hexdigest()], lambda missing: [json.dumps(
        [[problem.path, problem.line, problem.column, problem.code, problem.message, problem.hint,
          problem.severity.value] for problem in _duplicates(files, context)], ensure_ascii=False)])
    return [Problem(path, line, column, code, message, hint, Severity(severity))
            for path, line, column, code, message, hint, severity in json.loads(text)]


def _duplicates(files: list[EntryFile], context: Context) -> Iterator[Problem]:
    tokens = [words(file.entry.statement) for file in files]
    keys = _Keys(files, [" ".join(statement) for statement in tokens])
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for number in keys.shared_words():
        holders[keys[number]].append(files[number].path)
    for number, file in enumerate(files):
        key = keys.known(number)
        if key is not None and len(holders[key]) > 1:
            others = [path for path in holders[key] if path != file.path]
            yield problem_at(file, ("statement",), "duplicate",
                             f"the same statement from the same source is also in {', '.join(others)}",
                             "keep one of the files")
    if not context.errors_only:  # near-duplicates are warnings
        yield from _near_duplicates(files, keys, [shingles(statement) for statement in tokens])


class _Keys:
    """What makes two statements the same: their words and their source's canonical URL, the URL worked
    out only for statements whose words another one shares (canonical() parses the URL; for 10,000
    entries that was a fifth of the rule, and only equal words can make equal keys)."""

    def __init__(self, files: list[EntryFile], statements: list[str]) -> None:
        self.files = files
        self.statements = statements
        self.urls: dict[int, str] = {}

    def __getitem__(self, number: int) -> tuple[str, str]:
        if number not in self.urls:
            entry = self.files[number].entry
            assert entry is not None
            self.urls[number] = canonical(entry.source.url)
        return self.statements[number], self.urls[number]

    def shared_words(self) -> list[int]:
        """The statements whose words are another's too, in order."""
        counts = Counter(self.statements)
        return [number for number, statement in enumerate(self.statements) if counts[statement] > 1]

    def known(self, number: int) -> tuple[str, str] | None:
        """The key if it was worked out (every statement `shared_words` gave), else None."""
        return (self.statements[number], self.urls[number]) if number in self.urls else None


def _near_duplicates(files: list[EntryFile], keys: _Keys | list[tuple[str, str]],
                     sets: list[set[Shingle]]) -> Iterator[Problem]:
    """Pairs whose similarity (shingles shared, less the common ones, over all shingles of both) is at
    least NEAR, found by prefix filtering instead of comparing every pair.

    A pair that reaches NEAR shares at least NEAR * |A'| of A's uncommon shingles A', so, with every set's
    shingles ordered rarest first, it shares one among the first |A'| - ceil(NEAR * |A'|) + 1 of each:
    only those are indexed, and each candidate pair is then measured exactly.
    """
    # Most shingles are held by one entry only. Set operations (in C) find the others, and only those are
    # counted: a count per shingle would cost a dictionary of every shingle of every entry.
    seen: set[Shingle] = set()
    repeated: set[Shingle] = set()
    for shingle_set in sets:
        repeated |= shingle_set & seen
        seen |= shingle_set
    shared_sets = [shingle_set & repeated for shingle_set in sets]
    frequency = Counter(chain.from_iterable(shared_sets))
    holders: dict[Shingle, list[int]] = defaultdict(list)
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
