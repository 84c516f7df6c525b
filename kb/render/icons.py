"""Material's inline icons moved into one sprite file that every page points at.

Material writes each icon into every page as a whole `<svg><path d="..."/></svg>`: the menu, the two
colour-scheme toggles, three search icons and the edit pencil are about 3 KB of each page, the same on
all of them. Here each such icon becomes `<svg viewBox="..."><use href=".../assets/icons.svg#i..."/></svg>`,
and the sprite file holds one `<symbol>` per icon with the same view box and path, so the browser draws
exactly the same shape (Material's CSS sizes and colours the outer `svg`, which stays where it was).

Only the one shape Material writes is replaced (an `svg` with `xmlns` and `viewBox` and a single `path`);
anything else, such as the timeline chart, is left alone, and nothing inside the elements compaction keeps
as they are (`pre`, `textarea`, `script`, `style`, `code`, `kbd`) is touched. An icon's id is a hash of its
view box and path, so it names the same icon in every build and a page left unchanged by a
`mkdocs serve --dirty` rebuild still finds its icons.
"""

from __future__ import annotations

import hashlib
import re

from kb.render.compact import outside_kept

SPRITE_PATH = "assets/icons.svg"
_ICON = re.compile(r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="([0-9. ]+)"><path d="([^"<>&]*)"/></svg>')


class IconSprite:
    """The icons met so far, by id: kept for the whole of a `mkdocs serve`, so the sprite never loses one."""

    def __init__(self) -> None:
        self.symbols: dict[str, tuple[str, str]] = {}

    def _reference(self, icon: re.Match[str], sprite_url: str) -> str:
        view_box, path = icon.groups()
        ident = "i" + hashlib.blake2s(f"{view_box}|{path}".encode(), digest_size=4).hexdigest()
        if self.symbols.setdefault(ident, (view_box, path)) != (view_box, path):
            raise ValueError(f"two icons hash to {ident}; lengthen the id")
        return f'<svg viewBox="{view_box}"><use href="{sprite_url}#{ident}"/></svg>'

    def apply(self, html: str, sprite_url: str) -> str:
        """`html` with every Material icon outside the kept elements pointing into the sprite at `sprite_url`."""
        return outside_kept(html, lambda text, _after, _before: _ICON.sub(
            lambda icon: self._reference(icon, sprite_url), text))

    def document(self) -> bytes:
        """The sprite file: one symbol per icon, in id order so the same icons give the same bytes."""
        symbols = "".join(f'<symbol id="{ident}" viewBox="{view_box}"><path d="{path}"/></symbol>'
                          for ident, (view_box, path) in sorted(self.symbols.items()))
        return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'.encode()
