"""Indentation removed from finished pages: a sixth of a statement page's bytes.

Material's templates indent every line; a browser treats a run of spaces and line breaks (one that holds a
line break) next to a tag exactly as one line break, so `>\\n      <` becomes `>\\n<`, and
`<span>\\n    \\n      Home\\n  </span>` becomes `<span>\\nHome\\n</span>`: nothing renders differently.
Text inside tags (attribute values) and the elements where spaces are kept or mean something
(`pre`, `textarea`, `script`, `style`, and `code` and `kbd`, which Material sets in `pre-wrap`) are left
exactly as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

KEPT = re.compile(r"<(pre|textarea|script|style|code|kbd)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
# Each starts with a literal character ('>' or the line break), which the regex engine finds at C speed; a
# pattern that could start at any space would be tried at every space between two words.
_AFTER_TAG = re.compile(r">[ \t\r]*\n[ \t\r\n]*")
_BEFORE_TAG = re.compile(r"\n[ \t\r\n]*<")


def _squeeze(text: str, after_tag: bool, before_tag: bool) -> str:
    """Compact `text`, which lies after a tag's '>' and/or before a tag's '<' that belong to a kept element."""
    head, tail = ">" * after_tag, "<" * before_tag
    squeezed = _BEFORE_TAG.sub("\n<", _AFTER_TAG.sub(">\n", f"{head}{text}{tail}"))
    return squeezed[len(head):len(squeezed) - len(tail)]


def outside_kept(html: str, change: Callable[[str, bool, bool], str]) -> str:
    """`html` with `change(text, after_kept, before_kept)` applied to each stretch outside the kept elements;
    the flags say whether a kept element ends just before the stretch and starts just after it."""
    parts: list[str] = []
    last = 0
    for kept in KEPT.finditer(html):
        parts.append(change(html[last:kept.start()], last > 0, True))
        parts.append(kept.group())
        last = kept.end()
    parts.append(change(html[last:], last > 0, False))
    return "".join(parts)


def compact(html: str) -> str:
    """`html` with each whitespace run that holds a line break and touches a tag cut to one line break."""
    return outside_kept(html, _squeeze)
