"""A page's front matter reads back exactly, whatever characters an entry holds (HARDEN DEFECT-1).

If YAML refused the front matter, MkDocs would render the whole page, its `title:` line included, as
Markdown; so every code point is tried, through MkDocs' own reader (libyaml) and PyYAML's pure Python one.
"""

from __future__ import annotations

import yaml
from markupsafe import escape
from mkdocs.utils.meta import get_data

from kb.render.common import page

EVERY_CHARACTER = "".join(chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF)
BMP = EVERY_CHARACTER[:0xD800] + "".join(chr(point) for point in range(0xE000, 0x10000))
BODY = "<div>body</div>"


def _front(text: str) -> str:
    return text.split("\n---\n", 1)[0].removeprefix("---\n")


def test_every_character_reads_back_through_mkdocs() -> None:
    meta = {"title": EVERY_CHARACTER, "description": EVERY_CHARACTER[::-1], "tags": list(EVERY_CHARACTER[:4096])}
    doc, data = get_data(page(meta, BODY))
    assert data == {"title": str(escape(meta["title"])), "description": str(escape(meta["description"])),
                    "tags": [str(escape(tag)) for tag in meta["tags"]]}
    assert doc == BODY + "\n"


def test_every_character_of_the_basic_plane_reads_back_through_pure_python_yaml() -> None:
    text = page({"title": BMP, "other": BMP}, BODY)
    assert yaml.load(_front(text), yaml.SafeLoader) == {"title": str(escape(BMP)), "other": BMP}


def test_the_front_matter_is_one_line_per_key_and_holds_no_raw_control() -> None:
    front = _front(page({"title": EVERY_CHARACTER, "other": EVERY_CHARACTER}, BODY))
    assert len(front.splitlines()) == 2
    assert not any(0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029\ufeff" or ord(char) < 0x20
                   for char in front if char != "\n")
