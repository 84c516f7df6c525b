"""What a recording says about itself (title, duration, date, subtitles), read by yt-dlp as a library.

yt-dlp never touches the network on its own here: every request it makes goes through one request
handler backed by `kb.http.fetch`, so each hop is checked and pinned like any other fetch (no private
addresses, no proxies, no cookies), only hosts of the recording's own site are contacted, and the
whole probe has one deadline. No configuration file, cookie jar or cache directory is read or written;
nothing is downloaded (`extract_info(url, download=False)`).
"""

from __future__ import annotations

import io
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yt_dlp
from yt_dlp.networking.common import RequestDirector, RequestHandler
from yt_dlp.networking.common import Response as YtResponse
from yt_dlp.networking.exceptions import HTTPError, RequestError, TransportError

from kb.http import FetchError, check_url, fetch
from kb.netsafety import literal_address

PAGE_BYTES = 16 * 1_048_576
"""yt-dlp reads whole pages (a YouTube watch page is over 1 MiB); still bounded."""
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class MediaError(Exception):
    """The recording could not be read; the message is meant for the person running `kb`."""


@dataclass
class Recording:
    """What yt-dlp found. `subtitles` and `automatic_captions` map a language to [{ext, url, name}]."""

    title: str | None
    duration: float | None
    upload_date: str | None
    uploader: str | None
    webpage_url: str
    start_time: float | None
    subtitles: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    automatic_captions: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    extractor: str | None = None


def site_of(host: str) -> str:
    """The registrable part of a host name, roughly: 'www.youtube.com' -> 'youtube.com',
    'news.bbc.co.uk' -> 'bbc.co.uk'. Used only to keep yt-dlp on the recording's own site."""
    if literal_address(host) is not None:
        return host.lower()
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


SITE_FAMILIES = (frozenset({"youtube.com", "youtu.be", "youtube-nocookie.com"}),
                 frozenset({"vimeo.com", "vimeocdn.com"}))
"""Sites that are one service under several names (a youtu.be link is read from www.youtube.com)."""


def _family(site: str) -> set[str]:
    return set(next((family for family in SITE_FAMILIES if site in family), {site}))


class _Guard:
    """Per-probe policy the request handler applies: site, safety and one deadline for everything.

    yt-dlp may ask only for the recording's own site (and its family); a page that redirected
    elsewhere (each hop checked by kb.http) adds the site it landed on.
    """

    def __init__(self, url: str, allow_private: bool, timeout: float) -> None:
        self.site = site_of(urlsplit(url).hostname or "")
        self.sites = _family(self.site)
        self.allow_private = allow_private
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.refusal: str | None = None


_guards = threading.local()


class KbFetchRH(RequestHandler):
    """yt-dlp request handler that sends everything through kb.http (checked, pinned, bounded)."""

    _SUPPORTED_URL_SCHEMES = ("http", "https")
    _SUPPORTED_PROXY_SCHEMES = ()
    _SUPPORTED_FEATURES = ()

    def _check_extensions(self, extensions: dict[str, Any]) -> None:
        super()._check_extensions(extensions)
        for name in ("cookiejar", "timeout", "legacy_ssl", "keep_header_casing", "impersonate"):
            extensions.pop(name, None)

    def _send(self, request: Any) -> YtResponse:
        guard: _Guard = _guards.current
        host = urlsplit(request.url).hostname or ""
        if site_of(host) not in guard.sites:
            guard.refusal = f"refused: the recording page asked for {host}, outside {guard.site}"
            raise RequestError(guard.refusal)
        remaining = guard.deadline - time.monotonic()
        if remaining <= 0:
            raise TransportError(f"the recording did not answer within {guard.timeout:g} s")
        # No cookies; and only the encodings kb.http can decode (gzip, deflate), whatever yt-dlp asks for.
        headers = {name: value for name, value in self._get_headers(request).items()
                   if name.lower() not in ("cookie", "accept-encoding")}
        try:
            answer = fetch(request.url, allow_private=guard.allow_private, timeout=remaining, max_bytes=PAGE_BYTES,
                           method=request.method or "GET", headers=headers, data=_body(request.data))
        except FetchError as error:
            if error.refused:
                guard.refusal = str(error)
                raise RequestError(str(error)) from None
            raise TransportError(str(error)) from None
        guard.sites |= _family(site_of(urlsplit(answer.final_url).hostname or ""))
        response = YtResponse(io.BytesIO(answer.body), answer.final_url, answer.headers, answer.status)
        if not 200 <= answer.status < 300:
            raise HTTPError(response)
        return response


def _body(data: Any) -> bytes | None:
    if data is None or isinstance(data, bytes):
        return data
    if hasattr(data, "read"):
        return data.read()
    return b"".join(data)


class _GuardedYoutubeDL(yt_dlp.YoutubeDL):
    """YoutubeDL whose only way out is KbFetchRH."""

    def build_request_director(self, handlers: Any, preferences: Any = None) -> RequestDirector:
        return super().build_request_director([KbFetchRH], preferences)


class _Quiet:
    """yt-dlp's messages are kept for the error text instead of being printed."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def debug(self, message: str) -> None:
        pass

    info = warning = debug

    def error(self, message: str) -> None:
        self.errors.append(message)


def _options(timeout: float, logger: _Quiet) -> dict[str, Any]:
    return {
        "quiet": True, "no_warnings": True, "noprogress": True, "logger": logger,
        "skip_download": True, "simulate": True, "noplaylist": True, "extract_flat": "in_playlist",
        "socket_timeout": timeout, "extractor_retries": 0, "retries": 0, "cachedir": False,
        "cookiefile": None, "check_formats": False, "ignore_no_formats_error": True,
        "writesubtitles": False, "writeautomaticsub": False, "color": "never",
    }


def _tracks(value: Any) -> dict[str, list[dict[str, str]]]:
    if not isinstance(value, dict):
        return {}
    return {str(lang): [{key: str(item[key]) for key in ("ext", "url", "name") if item.get(key)}
                        for item in items if isinstance(item, dict) and item.get("url")]
            for lang, items in value.items() if isinstance(items, list)}


def _date(value: Any) -> str | None:
    text = str(value or "")
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if re.fullmatch(r"\d{8}", text) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _message(error: Exception, logger: _Quiet) -> str:
    text = _ANSI.sub("", str(error) or (logger.errors[-1] if logger.errors else type(error).__name__))
    return text.removeprefix("ERROR: ").strip()


def probe_recording(url: str, *, allow_private: bool = False, timeout: float = 30.0) -> Recording:
    """Title, duration, upload date, uploader, start time and subtitle tracks of the recording at `url`.

    Raises MediaError when the host is refused, the page has no recording, or nothing answers in time.
    """
    try:
        check_url(url, allow_private=allow_private)
    except FetchError as error:
        raise MediaError(str(error)) from None
    guard = _Guard(url, allow_private, timeout)
    logger = _Quiet()
    _guards.current = guard
    try:
        with _GuardedYoutubeDL(_options(timeout, logger)) as ydl:
            info = ydl.extract_info(url, download=False)
    except yt_dlp.utils.DownloadError as error:
        raise MediaError(guard.refusal or _message(error, logger)) from None
    except Exception as error:  # yt-dlp extractors raise anything on a hostile page
        raise MediaError(guard.refusal or f"yt-dlp failed on this page: {_message(error, logger)}") from None
    finally:
        _guards.current = None
    if not isinstance(info, dict):
        raise MediaError("yt-dlp found no recording on this page")
    if info.get("_type") == "playlist" and info.get("entries"):
        first = next(iter(info["entries"]), None)
        info = first if isinstance(first, dict) else info
    return Recording(
        title=info.get("title"),
        duration=_number(info.get("duration")),
        upload_date=_date(info.get("upload_date")),
        uploader=info.get("uploader") or info.get("channel"),
        webpage_url=info.get("webpage_url") or url,
        start_time=_number(info.get("start_time")),
        subtitles=_tracks(info.get("subtitles")),
        automatic_captions=_tracks(info.get("automatic_captions")),
        extractor=info.get("extractor"),
    )
