"""Links point at public hosts: no private, loopback or local address, however it is spelled."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from kb.checks.context import Context, every_document
from kb.load import KnowledgeBase
from kb.netsafety import refusal
from kb.problems import Problem
from kb.yaml_strict import Document, Path


def urls_in(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every http(s) string in a parsed document, with its path."""
    found: list[tuple[Path, str]] = []
    _collect_urls(value, path, found)
    return iter(found)


def _collect_urls(value: Any, path: Path, found: list[tuple[Path, str]]) -> None:
    """Depth first, in document order; a path is built only for a URL or a container (strings are most
    of the nodes, and this runs over every node of every file)."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            found.append((path, value))
        return
    for key, item in items:
        if isinstance(item, str):
            if item.startswith(("http://", "https://")):
                found.append(((*path, key), item))
        elif isinstance(item, (dict, list)):
            _collect_urls(item, (*path, key), found)


def check_url_hosts(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    yield from every_document(kb, "url-hosts", url_problems)


def url_problems(shown_as: str, document: Document) -> Iterator[Problem]:
    """The private-url findings of one file."""
    for path, url in urls_in(document.value):
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        reason = _refusal(host)
        if reason:
            line, column = document.position(path)
            yield Problem(shown_as, line, column, "private-url", f"{'.'.join(map(str, path))}: {reason}",
                          "link to the public address of the source")


@lru_cache(maxsize=4096)
def _refusal(host: str) -> str | None:
    """`refusal` is pure and hosts repeat (a few hundred for 10,000 entries): each is judged once."""
    return refusal(host)
