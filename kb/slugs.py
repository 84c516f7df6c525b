"""Ids and registry keys checked in Python: the whole text must be a slug, and not a Windows device name.

`SLUG_PATTERN` keeps `^...$` for pydantic and the JSON Schema, where `$` is the end of the text; in Python's
`re`, `$` also matches before a final newline, so Python code must use `is_slug` (a `fullmatch`), never
`re.match`. A device name (`con`, `nul`, `com1`, ...) is a valid slug, but as a file or folder name (with any
extension) it cannot be checked out on Windows, and the site writes one folder per id and registry key.
"""

from __future__ import annotations

import re

from kb.model import SLUG_MAX, SLUG_PATTERN

_SLUG = re.compile(SLUG_PATTERN)
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"{port}{digit}" for port in ("com", "lpt")
                                                              for digit in range(10))})
SLUG_HINT = "use a-z, 0-9 and single hyphens, like 'jeff-bezos'"
DEVICE_HINT = "choose a longer name, like 'con-example'; Windows reserves con, prn, aux, nul, com0-9 and lpt0-9"


def is_slug(text: str) -> bool:
    """Lowercase ASCII words joined by single hyphens, at most SLUG_MAX characters, nothing after."""
    return len(text) <= SLUG_MAX and _SLUG.fullmatch(text) is not None


def is_device_name(text: str) -> bool:
    """A name Windows reserves for a device, whatever follows the dot."""
    return text.split(".", 1)[0].lower() in WINDOWS_DEVICES
