"""Plan in, observations out: cached results first, then the network, politely, in parallel."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from kb.linkcheck.archive import archived_copy
from kb.linkcheck.cache import Cache
from kb.linkcheck.links import check_link
from kb.linkcheck.observation import REFUSED, Observation
from kb.linkcheck.plan import MEDIA, TEXT, Target
from kb.linkcheck.recordings import check_recording
from kb.linkcheck.schedule import run_per_host
from kb.linkcheck.settings import Settings

UNVERIFIABLE = frozenset({403, 429, 999})


def broken(observation: Observation) -> bool:
    """Gone or unreachable (a refusal of bots is not broken, and a refused private host has no archive)."""
    if observation.error is not None:
        return observation.error_kind != REFUSED
    status = observation.status or 0
    return status >= 400 and status not in UNVERIFIABLE


def observe(target: Target, settings: Settings) -> Observation:
    """Everything the target needs from the network, never raising (a crash is a failed result)."""
    try:
        check = check_recording if MEDIA in target.needs else check_link
        observation = check(target.url, settings, want_text=TEXT in target.needs)
    except Exception as error:  # a bug must cost one URL, not the run
        observation = Observation(url=target.url, checked_at=time.time(), needs=[], error=f"internal error: {error}",
                                  error_kind="internal", allow_private=settings.allow_private)
    observation.needs = sorted(target.needs)
    if broken(observation) and not any(claim.archived for claim in target.claims) and not is_archive(target):
        observation.archived = archived_copy(target.url, settings)
    return observation


def is_archive(target: Target) -> bool:
    """An archived copy is not itself looked up in the archive."""
    return host_of(target).endswith("archive.org")


def host_of(target: Target) -> str:
    try:
        return (urlsplit(target.url).hostname or "").lower()
    except ValueError:
        return ""


def check_targets(targets: list[Target], settings: Settings, cache: Cache,
                  advance: Callable[[], None] = lambda: None) -> dict[str, Observation]:
    """Observations by URL: good fresh ones from the cache (no request at all), the rest fetched;
    each fetched result is cached the moment it is known."""
    results: dict[str, Observation] = {}
    todo: list[Target] = []
    for target in targets:
        hit = cache.get(target.url, target.needs, allow_private=settings.allow_private)
        if hit is None:
            todo.append(target)
        else:
            results[target.url] = hit
            advance()

    def done(target: Target, observation: Observation) -> None:
        cache.put(observation)
        advance()

    try:
        fetched = run_per_host(todo, host_of, lambda target: observe(target, settings),
                               concurrency=settings.concurrency, per_host=settings.per_host, on_done=done)
    finally:
        cache.close()
    results.update((target.url, observation) for target, observation in zip(todo, fetched, strict=True))
    return results
