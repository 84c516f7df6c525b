"""Invisible and deceptive characters in text: bidi controls, zero-width characters, mixed scripts.

Ids and slugs are ASCII by their pattern, so these can only hide in free text; there they are flagged
(names and titles are where a look-alike misleads a reader), never silently removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from kb.checks.context import Context, every_document
from kb.load import KnowledgeBase
from kb.problems import Problem, Severity
from kb.yaml_strict import Document, Path

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN_ASCII = frozenset(map(chr, range(0x20, 0x7f))) | {"\n", "\t", "\r"}
_NAME_FIELDS = {"name", "title", "speaker", "publisher", "container", "event", "by"}


def strings_in(value: Any, path: Path = ()) -> Iterator[tuple[Path, str, bool]]:
    """Every string in a parsed document: (path, text, whether it is a mapping key)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), key, True
            yield from strings_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, (*path, index))
    elif isinstance(value, str):
        yield path, value, False


def _scripts(word: str) -> set[str]:
    """The scripts of a word's letters, by the first word of their Unicode names (LATIN, CYRILLIC, ...)."""
    return {unicodedata.name(char, "UNKNOWN").split()[0] for char in word if char.isalpha()}


def findings(text: str, is_name: bool) -> list[str]:
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return []  # the common case, in one C-speed pass: ASCII letters are all Latin
    found = []
    special = set(text) - _PLAIN_ASCII
    bidi = sorted(f"U+{ord(char):04X}" for char in special if char in BIDI_CONTROLS)
    if bidi:
        found.append(f"bidirectional control characters ({', '.join(bidi)}) can make text read differently "
                     "from how it is stored")
    invisible = sorted(f"U+{ord(char):04X}" for char in special if char in INVISIBLE)
    if invisible:
        found.append(f"invisible characters ({', '.join(invisible)})")
    other = sorted(f"U+{ord(char):04X}" for char in special if unicodedata.category(char) in ("Cc", "Co", "Cs", "Cn"))
    if other:
        found.append(f"control or unassigned characters ({', '.join(other)})")
    if is_name:
        mixed = [word for word in text.split() if not word.isascii() and len(_scripts(word)) > 1]
        if mixed:
            found.append(f"letters from more than one script in one word ({', '.join(mixed[:3])}), "
                         "which is how look-alike names are made")
    return found


def check_characters(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    yield from every_document(kb, "characters", character_problems)


def character_problems(shown_as: str, document: Document) -> Iterator[Problem]:
    """The suspicious-text findings of one file."""
    if document.clean:
        return  # plain ASCII throughout: nothing for `findings` to find, so not walked
    for path, text, is_key in strings_in(document.value):
        is_name = bool(path) and (path[-1] in _NAME_FIELDS or is_key)
        for finding in findings(text, is_name):
            line, column = document.key_position(path) if is_key else document.position(path)
            yield Problem(shown_as, line, column, "suspicious-text", f"{'.'.join(map(str, path))}: {finding}",
                          "retype the text without them, or explain in review why they belong", Severity.warning)
