"""Links point at public hosts: no private, loopback or local address, however it is spelled."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from kb.checks.context import Context
from kb.load import KnowledgeBase
from kb.netsafety import refusal
from kb.problems import Problem
from kb.yaml_strict import Document, Path


def urls_in(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every http(s) string in a parsed document, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from urls_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from urls_in(item, (*path, index))
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        yield path, value


def documents(kb: KnowledgeBase) -> Iterator[tuple[str, Document]]:
    for registry in (kb.people, kb.topics):
        if registry.document is not None:
            yield registry.path, registry.document
    for file in kb.files.values():
        if file.document is not None:
            yield file.path, file.document


def check_url_hosts(kb: KnowledgeBase, context: Context) -> Iterator[Problem]:
    for shown_as, document in documents(kb):
        for path, url in urls_in(document.value):
            try:
                host = urlsplit(url).hostname or ""
            except ValueError:
                continue
            reason = refusal(host)
            if reason:
                line, column = document.position(path)
                yield Problem(shown_as, line, column, "private-url", f"{'.'.join(map(str, path))}: {reason}",
                              "link to the public address of the source")
