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


def compact(html: str) -> str:
    """`html` with each whitespace run that holds a line break and touches a tag cut to one line break."""
    parts: list[str] = []
    last = 0
    for kept in KEPT.finditer(html):
        parts.append(_squeeze(html[last:kept.start()], after_tag=last > 0, before_tag=True))
        parts.append(kept.group())
        last = kept.end()
    parts.append(_squeeze(html[last:], after_tag=last > 0, before_tag=False))
    return "".join(parts)
