"""The `kb` MkDocs plugin: validate the entries, add the generated pages, keep them fresh under serve.

An invalid knowledge base stops the build in `on_config`, before anything is written, with the same
`file:line:col: error code: message` lines as `kb validate`. Page content comes from `kb.render`,
which knows nothing of MkDocs; this module only hands it over.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.utils import get_relative_url

from kb.background import Child, ChildFailed, can_fork, run_in_child
from kb.checks import run_checks
from kb.export.citecache import prepare_citations
from kb.export.publish import publish_file, publish_site_exports
from kb.load import ENTRIES_DIR, KnowledgeBase, load
from kb.mkdocs_chrome import ChromeCache, shared_key
from kb.mkdocs_incremental import LastBuild, MemoryBytecodeCache, site_fingerprint
from kb.mkdocs_pages import adopt_pages
from kb.problems import format_text, sorted_problems
from kb.render import SiteOptions, csp, render_pages
from kb.render.common import read_page
from kb.render.compact import compact
from kb.render.icons import SPRITE_PATH, IconSprite
from kb.render.pages import RenderMemo, statement_paths
from kb.render.scripts import ScriptFiles

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class KnowledgeBaseConfig(Config):
    root = config_options.Optional(config_options.Dir(exists=True))
    """The project folder holding entries/ (default: the folder of mkdocs.yml)."""
    repo = config_options.Type(str, default="we-dont-know-how/kb")
    """GitHub owner/name, for the 'edit this entry' links."""
    branch = config_options.Type(str, default="main")
    reuse_chrome = config_options.Type(bool, default=True)
    """Render the theme blocks shared by generated pages once per depth (kb.mkdocs_chrome)."""
    icon_sprite = config_options.Type(bool, default=True)
    """Point Material's inline icons into one sprite file (kb.render.icons)."""
    script_files = config_options.Type(bool, default=True)
    """Load Material's inline scripts from files (kb.render.scripts)."""
    compact_pages = config_options.Type(bool, default=True)
    """Cut the indentation out of finished pages (kb.render.compact)."""


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None
        self.options = SiteOptions()
        self.pages: dict[str, str] = {}
        self.bodies: dict[str, tuple[dict[str, object], str]] = {}
        self.edit_urls: dict[str, str] = {}
        self.chrome = ChromeCache()
        self.last_build = LastBuild()
        self.render_memo = RenderMemo()
        self.compiled_templates = MemoryBytecodeCache()
        self.icons = IconSprite()
        self.scripts = ScriptFiles()
        self.exports: Child | None = None
        self.serving = False
        self.dirty = False

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """MkDocs keeps a plugin with this method for all the builds of one `mkdocs serve`, so what the last
        build generated is still known at the next one."""
        self.serving = command == "serve"
        self.dirty = dirty

    def root(self, config: MkDocsConfig) -> Path:
        return Path(self.config.root) if self.config.root else Path(config.config_file_path).resolve().parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check every entry; any error stops the build here, so no half-built site is written."""
        kb = load(self.root(config), cache=self.serving)  # under serve, unchanged entries are not parsed again
        problems = sorted_problems(run_checks(kb))
        errors = [problem for problem in problems if problem.is_error]
        if errors:
            raise PluginError(f"the entries have {len(errors)} error{'s' * (len(errors) != 1)}; "
                              f"fix them and build again (kb validate shows the same):\n{format_text(errors)}")
        for problem in problems:
            log.warning(format_text([problem]))
        options = SiteOptions(repo=self.config.repo, branch=self.config.branch, site_url=config.site_url or "")
        self.kb = kb
        self.options = options
        self.chrome.clear()
        prepare_citations(kb)  # every citation box at once: one template per item shape, the rest cached
        self.pages = render_pages(kb, options, site_name=config.site_name,
                                  memo=self.render_memo if self.serving else None)
        self.edit_urls = {path: options.edit_url(entry_id) for path, entry_id in statement_paths(kb).items()}
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path in self.pages:
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"site_src/{path} would hide a generated page; rename or remove it")
        if not self.serving and can_fork() and self.kb is not None:  # the site folder is clean by now
            self.exports = run_in_child(functools.partial(publish_site_exports, self.kb, Path(config.site_dir)))
        fingerprint = site_fingerprint(files, config.config_file_path, config.theme.custom_dir)
        unchanged = self.last_build.add_pages(files, self.pages, config, dirty=self.dirty, fingerprint=fingerprint)
        if self.dirty:
            log.info("kb: %d of %d generated pages changed", len(self.pages) - unchanged, len(self.pages))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        adopt_pages(files, list(self.pages), config, in_nav=nav.pages)
        return nav

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A generated page's front matter is read here (kb.render.common.read_page) rather than by MkDocs'
        pure-Python YAML loader, and its body is already HTML, so MkDocs gets nothing to parse or convert."""
        text = self.pages.get(page.file.src_uri)
        if text is None:
            return None
        self.bodies[page.file.src_uri] = read_page(text)
        return ""

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        read = self.bodies.get(page.file.src_uri)
        if read is not None:
            page.meta = dict(read[0])
            # kb-search indexes generated pages from the entries (kb.search.documents); Material must not parse them
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The body Markdown would have passed through unchanged (one raw HTML block)."""
        read = self.bodies.pop(page.file.src_uri, None)
        return html if read is None else read[1].strip()

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Under serve, MkDocs makes a new theme environment for every rebuild; the compiled templates are kept
        (by name and source checksum, so an edited override is compiled again)."""
        env.globals["kb_chrome"] = self.chrome
        if self.serving:
            env.bytecode_cache = self.compiled_templates
        return env

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: object) -> dict:
        """A statement page's edit button opens its entry file, not the generated Markdown; generated pages
        outside the navigation share the theme blocks that come out the same for all of them."""
        edit_url = self.edit_urls.get(page.file.src_uri)
        if edit_url:
            page.edit_url = edit_url
        generated = self.config.reuse_chrome and page.file.src_uri in self.pages
        context["kb_chrome_key"] = shared_key(page, generated)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        content = page.content or ""
        if self.config.script_files:
            output = self.scripts.apply(output, content, lambda path: get_relative_url(path, page.url))
        secured = csp.apply(output, content, allow_inline_scripts=self.serving)
        if self.config.icon_sprite:
            secured = self.icons.apply(secured, get_relative_url(SPRITE_PATH, page.url))
        finished = compact(secured) if self.config.compact_pages else secured
        if page.file.src_uri in self.pages:
            page.content = None  # written next and read by nothing after: 10,000 page bodies less to hold
        return finished

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The icon sprite and the scripts the pages point at, and the CSL-JSON, BibTeX, CSV and JSON exports and
        the schemas, at stable URLs (kb.export.publish)."""
        site = Path(config.site_dir)
        if self.icons.symbols:
            publish_file(site / SPRITE_PATH, self.icons.document())
        for name, script in self.scripts.documents().items():
            publish_file(site / name, script)
        if self.exports is not None:  # `mkdocs build`: written meanwhile by a child (kb.background)
            exports, self.exports = self.exports, None
            try:
                exports.wait()
            except ChildFailed as failure:
                raise PluginError(f"writing the site's exports failed:\n{failure}") from None
        elif self.kb is not None:
            publish_site_exports(self.kb, site)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Theme pages that are not Markdown pages (the 404 page) get their policy too."""
        secured = csp.apply(output_content, allow_inline_scripts=self.serving)
        return compact(secured) if self.config.compact_pages else secured

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        """Editing an entry under `mkdocs serve` rebuilds the site (on_config loads the entries again)."""
        server.watch(str(self.root(config) / ENTRIES_DIR))
        return server
