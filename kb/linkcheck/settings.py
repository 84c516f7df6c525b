"""How politely and how long `kb check` works; one value passed everywhere instead of globals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

WAYBACK_API = "https://archive.org/wayback/available"


def _wayback_api() -> str:
    """The availability API; KB_WAYBACK_API points it elsewhere (the tests use a server on loopback)."""
    return os.environ.get("KB_WAYBACK_API", WAYBACK_API)


@dataclass(frozen=True)
class Settings:
    allow_private: bool = False
    timeout: float = 15.0
    retries: int = 2
    backoff: float = 0.5
    retry_after_cap: float = 30.0
    concurrency: int = 64
    per_host: int = 4
    max_bytes: int = 1_048_576
    max_redirects: int = 10
    captions_window: float = 90.0
    probe_timeout: float = 60.0
    wayback_api: str = field(default_factory=_wayback_api)
