"""What the network said about one URL: a plain, JSON-serialisable record, cached as it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Why a fetch failed, so the verdict does not have to parse messages.
REFUSED, TIMEOUT, CONNECTION = "refused", "timeout", "connection"


@dataclass
class Observation:
    url: str
    checked_at: float
    needs: list[str]
    allow_private: bool = False
    status: int | None = None
    final_url: str | None = None
    redirects: list[list[Any]] = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None
    attempts: int = 0
    method: str | None = None
    duration_s: float = 0.0
    text: str | None = None
    text_error: str | None = None
    recording: dict[str, Any] | None = None
    recording_error: str | None = None
    captions: dict[str, Any] | None = None
    captions_error: str | None = None
    archived: str | None = None
    cached: bool = False

    @property
    def reachable(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def good(self) -> bool:
        """Worth reusing from the cache: the link answered and everything asked of it was read."""
        return (self.reachable
                and ("media" not in self.needs or self.recording is not None)
                and ("text" not in self.needs or self.text is not None))

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record.pop("cached")
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Observation:
        return cls(**{key: value for key, value in record.items() if key in _STORED}, cached=True)


_STORED = frozenset(Observation.__dataclass_fields__) - {"cached"}
