"""The `kb-search` MkDocs plugin: Material's search box and results, answered from the split index.

Material lets a site bring its own search worker (the `search` entry of the page's `__config`); this
plugin points that entry at `assets/javascripts/search-worker.js` and splits Material's whole-site index
(kb.search.index), with the generated pages' documents made from the knowledge base (kb.search.documents),
before Material writes it, so Material writes only its configuration. The page
configuration is a JSON data block, not a script, so the Content-Security-Policy (scripts only from
'self', hashed inline ones) is unchanged, and the worker needs no 'wasm-unsafe-eval'.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import BasePlugin, event_priority

from kb.load import without_gc
from kb.search.documents import generated_documents
from kb.search.index import INDEX_DIR, Cache, Document, build_index, from_material

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger(f"mkdocs.plugins.{__name__}")
WORKER = "assets/javascripts/search-worker.js"
_MATERIAL_WORKER = re.compile(r'("search": ?"[^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"')


class SearchPlugin(BasePlugin):
    """Kept across `mkdocs serve` rebuilds (it has on_startup): a dirty rebuild renders, and so Material
    indexes, only the pages that changed, so the documents of the other hand-written pages are kept here."""

    def __init__(self) -> None:
        self.material: dict[str, list[Document]] = {}  # Material's documents by page location
        self.pages: set[str] = set()   # the documentation pages of this build
        self.built: set[str] = set()   # those rendered by this build
        self.cache: Cache | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.cache = Cache() if command == "serve" else None

    @event_priority(-100)  # after the kb plugin has added the generated pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.pages = {_url(file.url) for file in files.documentation_pages()}
        self.built = set()
        return files

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: object) -> dict:
        self.built.add(page.url)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return _MATERIAL_WORKER.sub(rf'\g<1>{WORKER}"', output, count=1)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The 404 page is a theme template, not a Markdown page: its search box needs the worker too."""
        return _MATERIAL_WORKER.sub(rf'\g<1>{WORKER}"', output_content, count=1)

    @event_priority(100)  # before Material's search plugin writes search/search_index.json
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Split Material's index while it is still in memory, then leave Material only its config to write:
        at 10,000 statements that saves writing and re-reading a JSON file of every page's text.

        The generated pages' documents come from the knowledge base (kb.search.documents) for every page
        Material did not index: the kb plugin marks them `search: exclude`, so Material never parses their
        HTML. A generated page Material did index (a kb plugin that does not exclude it) keeps Material's."""
        site = Path(config.site_dir)
        if not (site / WORKER).exists():
            log.warning("kb-search: %s is missing from the site; search will not answer", WORKER)
        material = next((plugin for name, plugin in config.plugins.items()
                         if name in ("material/search", "search") and hasattr(plugin, "search_index")), None)
        if material is None:
            log.warning("kb-search: Material's search plugin is not enabled; there is nothing to split")
            return
        with without_gc():  # a million short-lived objects over a heap of every page: collections find nothing
            self._take_material(material.search_index.entries)
            material.search_index.entries = []
            docs = [doc for page_docs in self.material.values() for doc in page_docs]
            kb = getattr(config.plugins.get("kb"), "kb", None)
            if kb is not None:
                docs += [doc for location, page_docs in generated_documents(kb, config.use_directory_urls)
                         if location not in self.material for doc in page_docs]
            built = build_index(docs, site / INDEX_DIR, self.cache)
        log.info("kb-search: %d documents of %d pages, %d terms in %d shards, %d files, %.1f MiB",
                 built.documents, built.pages, built.terms, built.shards, built.files, built.bytes / 2**20)

    def _take_material(self, entries: list[dict]) -> None:
        """Material's documents of the pages rendered now replace theirs (a page now excluded has none);
        those of pages not rendered stay (a dirty rebuild), those of pages gone go."""
        for location in self.built:
            self.material.pop(location, None)
        for entry in entries:
            doc = from_material(entry)
            self.material.setdefault(doc.page, []).append(doc)
        for location in [location for location in self.material if location not in self.pages]:
            del self.material[location]


def _url(url: str) -> str:
    """A File's URL as the Page's (and Material's locations): the home page is '', not './'."""
    return "" if url in (".", "./") else url
