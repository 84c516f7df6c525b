"""Material's small inline scripts moved into files that every page loads: 1.2 KB less on each page.

Material writes three scripts into every page (the storage scope in the head, the colour-scheme switch in
the header, the content-tab target), and the policy (kb.render.csp) names each by its hash. Here each
becomes `<script src=".../assets/javascripts/inline-<hash>.js"></script>` holding exactly the same text: a
classic script with `src` and without `async` or `defer` runs at the same point of parsing as the inline
one did, so the scheme is still set before the page is drawn. A script whose text differs by page depth
(the scope names "../.." or "..") gets one file per text.

Only scripts outside the page's content are moved, and only plain `<script>` elements (no attributes), so
a script that got into the content stays inline and is refused by the policy as before; JSON data blocks
(`type="application/json"`), which the theme's code reads from the page, stay where they are.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

FOLDER = "assets/javascripts"
_PLAIN_SCRIPT = re.compile(r"<script>(?P<body>.*?)</script>", re.DOTALL)


def file_name(body: str) -> str:
    return f"{FOLDER}/inline-{hashlib.blake2s(body.encode(), digest_size=4).hexdigest()}.js"


class ScriptFiles:
    """The scripts moved so far, by file name: kept for the whole of a `mkdocs serve`, as the icon sprite."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def _moved(self, script: re.Match[str], locate: Callable[[str], str]) -> str:
        body = script["body"]
        name = file_name(body)
        if self.files.setdefault(name, body) != body:
            raise ValueError(f"two scripts hash to {name}; lengthen the name")
        return f'<script src="{locate(name)}"></script>'

    def apply(self, html: str, content: str, locate: Callable[[str], str]) -> str:
        """`html` with every plain inline script outside `content` loaded from its file; `locate` gives a site
        path's URL relative to the page."""
        pieces = html.split(content) if content else [html]
        moved = [_PLAIN_SCRIPT.sub(lambda script: self._moved(script, locate), piece) for piece in pieces]
        return content.join(moved) if content else moved[0]

    def documents(self) -> dict[str, bytes]:
        """Each file's bytes: the script's text, exactly."""
        return {name: body.encode("utf-8") for name, body in sorted(self.files.items())}
