"""Generated pages that MkDocs does not run through Markdown at all.

A generated page's body is already HTML (kb.render), so the kb plugin hands MkDocs an empty Markdown
source and puts the HTML back in `on_page_content`. MkDocs would still build a new Markdown converter with
every extension for each page to convert that empty text (6 s of a 10,000-statement build); `HtmlPage`
sets what converting nothing yields instead: no content, an empty table of contents, no title from the
text, no anchors and no links.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


class HtmlPage(Page):
    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self.markdown:  # only an empty source is known to convert to nothing
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def adopt_pages(files: Files, paths: list[str], config: MkDocsConfig, in_nav: Iterable[Page]) -> int:
    """Give each generated file outside the navigation an HtmlPage in place of the plain Page MkDocs made
    for it (nothing else refers to that one); pages in the navigation keep theirs. Returns how many."""
    listed = {id(page) for page in in_nav}  # by identity: a Page's == compares title and file
    made = 0
    for path in paths:
        file = files.get_file_from_path(path)
        if file is not None and file.is_documentation_page() and id(file.page) not in listed:
            HtmlPage(None, file, config)
            made += 1
    return made
