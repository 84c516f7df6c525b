"""Theme parts shared by thousands of generated pages are rendered once per build, not once per page.

Material renders its tabs, navigation drawer, footer, page configuration and script tags for every page,
and for a generated statement, person or topic page (not in the navigation, no table of contents, nothing
hidden) they come out the same for every page in the same folder: what they read of the page is only where
it sits in the navigation (nowhere), its table of contents (empty) and its URL, through links made relative
to it, which are the same from `statements/a/` as from `statements/b/`. So the first such page of a folder
renders them and the rest reuse the text. Any other page (hand-written, in the
navigation, with a table of contents) renders them as usual. `site_src/overrides/main.html` routes the
blocks through `kb_chrome`; a test builds a site with and without reuse and compares every byte.

The header differs between those pages by one thing, the page title Material prints in it, so it is
rendered once with a stand-in title (`TitleStandIn`) and each page gets the text with its own title put in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SHARED_BLOCKS = frozenset({"styles", "tabs", "site_nav", "footer", "config", "scripts"})
TITLE_MARK = "\ue000kb-page-title\ue000"


class TitleStandIn:
    """The page as a template sees it, except that its title reads as TITLE_MARK."""

    def __init__(self, page: Any) -> None:
        self._page = page
        self.title = TITLE_MARK
        self.meta = {**(page.meta or {}), "title": TITLE_MARK}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


def printed_title(page: Any) -> str:
    """The title as Material's header prints it: `page.meta.title` when set, else `page.title`."""
    meta = page.meta or {}
    return str(meta["title"] if meta.get("title") else page.title)


class ChromeCache:
    """Rendered theme blocks by (block name, key); `clear()` at each build, as the navigation may change."""

    def __init__(self) -> None:
        self.blocks: dict[tuple[str, str], str] = {}
        self.reused = 0

    def clear(self) -> None:
        self.blocks.clear()
        self.reused = 0

    def __call__(self, name: str, key: str | None, render: Callable[[], str]) -> str:
        """The block `name` for pages sharing `key` (None or undefined: this page renders its own)."""
        if not isinstance(key, str) or name not in SHARED_BLOCKS:  # theme pages (404) have no key at all
            return render()
        cached = self.blocks.get((name, key))
        if cached is None:
            cached = self.blocks[name, key] = render()
        else:
            self.reused += 1
        return cached


    def titled(self, name: str, key: str | None, page: Any, render: Callable[[Any], str]) -> str:
        """The block `name` (rendered by `render(page)`), shared by pages with `key` apart from the title."""
        if not isinstance(key, str):
            return render(page)
        cached = self.blocks.get((name, key))
        if cached is None:
            cached = render(TitleStandIn(page))
            if cached.count(TITLE_MARK) != 1:  # not the header this was made for: no sharing
                return render(page)
            self.blocks[name, key] = cached
        else:
            self.reused += 1
        return cached.replace(TITLE_MARK, printed_title(page))


def shared_key(page: object, generated: bool) -> str | None:
    """The folder whose pages may share this page's theme blocks ('statements' for 'statements/x/'), or None
    when it must render its own."""
    meta = getattr(page, "meta", None) or {}
    if not generated or getattr(page, "parent", None) is not None or getattr(page, "toc", None) or meta.get("hide"):
        return None
    if getattr(page, "previous_page", None) is not None or getattr(page, "next_page", None) is not None:
        return None  # in the navigation: the footer links its neighbours
    url = str(getattr(page, "url", ""))
    if not url.endswith("/") or url.count("/") < 2:
        return None  # links are made relative to the page's folder; only 'folder/name/' pages share one
    return url.rstrip("/").rsplit("/", 1)[0]
