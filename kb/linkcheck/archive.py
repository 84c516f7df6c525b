"""An archived copy of a broken link, from the Wayback Machine availability API."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from kb.http import FetchError, fetch
from kb.linkcheck.settings import Settings


def archived_copy(url: str, settings: Settings) -> str | None:
    """The closest archived snapshot's URL, or None when there is none or the API cannot be reached."""
    query = f"{settings.wayback_api}?{urlencode({'url': url})}"
    try:
        answer = fetch(query, allow_private=settings.allow_private, timeout=settings.timeout, max_bytes=65_536)
        closest = json.loads(answer.body).get("archived_snapshots", {}).get("closest", {}) if answer.ok else {}
    except (FetchError, ValueError, AttributeError):
        return None
    snapshot = closest.get("url") if isinstance(closest, dict) and closest.get("available") else None
    if isinstance(snapshot, str) and snapshot.startswith(("https://", "http://")):
        return snapshot.replace("http://web.archive.org/", "https://web.archive.org/", 1)
    return None
