"""One URL over HTTP, as politely as a browser would be and more patiently.

HEAD first (no body), GET where HEAD is refused (403, 405, 501) or where the page's words are wanted;
connection errors, 429 and 5xx retried with exponential backoff, Retry-After honoured up to a cap, and
for the whole host: the other requests to it wait too.
A request cut at its deadline is not retried: a server that drips bytes would hold a worker for
`timeout` on every attempt.
"""

from __future__ import annotations

import email.utils
import threading
import time
from urllib.parse import urlsplit

from kb.http import FetchError, Response, fetch
from kb.linkcheck.observation import CONNECTION, REFUSED, TIMEOUT, Observation
from kb.linkcheck.settings import Settings
from kb.linkcheck.text import page_words

HEAD_REFUSED = frozenset({403, 405, 501})


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _retryable_status(status: int) -> bool:
    return status == 429 or 500 <= status < 600


class _Pauses:
    """Hosts that asked us to wait (429 or 503 with Retry-After): every request to them waits, not just
    the one that was told."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def pause(self, host: str, seconds: float) -> None:
        with self._lock:
            self._until[host] = max(self._until.get(host, 0.0), time.monotonic() + seconds)

    def remaining(self, host: str) -> float:
        with self._lock:
            return max(0.0, self._until.get(host, 0.0) - time.monotonic())

    def wait(self, host: str, cap: float) -> None:
        remaining = self.remaining(host)
        if remaining > 0:
            time.sleep(min(remaining, cap))


pauses = _Pauses()


def check_link(url: str, settings: Settings, *, want_text: bool = False) -> Observation:
    """Observe `url`: status, final URL, redirects taken, and with `want_text` the words of the page."""
    started = time.monotonic()
    observation = Observation(url=url, checked_at=time.time(), needs=[], allow_private=settings.allow_private)
    method = "GET" if want_text else "HEAD"
    host = urlsplit(url).netloc.lower()  # host and port: one server
    failures = 0
    while True:
        pauses.wait(host, settings.retry_after_cap)
        observation.attempts += 1
        observation.method = method
        try:
            response = fetch(url, allow_private=settings.allow_private, timeout=settings.timeout,
                             max_bytes=settings.max_bytes, method=method, max_redirects=settings.max_redirects)
        except FetchError as error:
            if error.retryable and not error.timed_out and failures < settings.retries:
                time.sleep(settings.backoff * 2 ** failures)
                failures += 1
                continue
            observation.error = str(error)
            observation.error_kind = TIMEOUT if error.timed_out else REFUSED if error.refused else CONNECTION
            break
        if method == "HEAD" and response.status in HEAD_REFUSED:
            method = "GET"
            continue
        if _retryable_status(response.status) and failures < settings.retries:
            asked = retry_after(response.headers.get("retry-after"))
            if asked is None:
                time.sleep(min(settings.retry_after_cap, settings.backoff * 2 ** failures))
            else:
                pauses.pause(host, min(settings.retry_after_cap, asked))
            failures += 1
            continue
        _record(observation, response, want_text)
        break
    observation.duration_s = round(time.monotonic() - started, 4)
    return observation


def _record(observation: Observation, response: Response, want_text: bool) -> None:
    observation.status = response.status
    observation.final_url = response.final_url
    observation.redirects = [[status, url] for status, url in response.redirects]
    if want_text and response.ok:
        content_type = response.headers.get("content-type", "")
        if "html" in content_type or "text" in content_type or not content_type:
            observation.text = page_words(response.text, html="html" in content_type or not content_type)
        else:
            observation.text_error = f"the page is {content_type.split(';')[0]}, not text"
