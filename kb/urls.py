"""What a URL says about itself: its own start time, its canonical form, and a link at a given second.

YouTube reads `t=`/`start=` (`76`, `76s`, `1m16s`); its embeds take `start=` in whole seconds. Vimeo
reads `#t=1m30s` or `#t=90`. Self-hosted media read the media fragment `#t=start[,end]`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_TIME_PARAMS = ("t", "start", "time_continue")


def parse_duration(text: str) -> float | None:
    """'76', '76s', '1m16s', '1h2m3s' or 'npt:76' to seconds; None when it is not a time."""
    text = text.strip().lower().removeprefix("npt:")
    if not text:
        return None
    match = _DURATION.fullmatch(text)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


def youtube_id(url: str) -> str | None:
    """The 11-character video id of a YouTube watch, short, embed, live or shorts URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    candidate = ""
    if host in ("youtu.be", "www.youtu.be"):
        candidate = parts.path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        if parts.path == "/watch":
            candidate = dict(parse_qsl(parts.query)).get("v", "")
        else:
            segments = parts.path.strip("/").split("/")
            if len(segments) >= 2 and segments[0] in ("embed", "live", "shorts", "v"):
                candidate = segments[1]
    return candidate if _YOUTUBE_ID.fullmatch(candidate) else None


def vimeo_id(url: str) -> str | None:
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _VIMEO_HOSTS:
        return None
    digits = [segment for segment in parts.path.split("/") if segment.isdigit()]
    return digits[-1] if digits else None


def start_seconds(url: str) -> float | None:
    """The start time a URL carries itself: query `t=`/`start=`, or a fragment `#t=`."""
    parts = urlsplit(url)
    for name, value in parse_qsl(parts.query):
        if name in _TIME_PARAMS:
            return parse_duration(value)
    fragment = dict(parse_qsl(parts.fragment))
    if "t" in fragment:
        return parse_duration(fragment["t"].split(",")[0])
    return None


def canonical(url: str) -> str:
    """A form under which two links to the same work compare equal (time and tracking dropped)."""
    video = youtube_id(url)
    if video:
        return f"youtube:{video}"
    vimeo = vimeo_id(url)
    if vimeo:
        return f"vimeo:{vimeo}"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in _TIME_PARAMS and not k.startswith("utm_")]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, urlencode(query), ""))[2:]


def link_at(url: str, seconds: int | None) -> str:
    """The URL opening the recording at `seconds` (the URL itself when there is no time)."""
    if seconds is None:
        return url
    seconds = int(seconds)
    parts = urlsplit(url)
    if youtube_id(url):
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _TIME_PARAMS]
        query.append(("t", f"{seconds}s"))
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
    if vimeo_id(url):
        return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, f"t={seconds}s"))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, f"t={seconds}"))


def text_fragment_link(url: str, words: str, max_words: int = 8) -> str:
    """A `#:~:text=start,end` link to `words` on a web page: the first unbroken run of an excerpt."""
    segment = next((part for part in re.split(r"\.\.\.|\u2026|\[\.\.\.\]", words) if part.split()), "")
    tokens = segment.split()
    if not tokens:
        return url
    if len(tokens) <= max_words:
        directive = _fragment_quote(" ".join(tokens))
    else:
        half = max_words // 2
        directive = f"{_fragment_quote(' '.join(tokens[:half]))},{_fragment_quote(' '.join(tokens[-half:]))}"
    base = url.split("#", 1)[0]
    return f"{base}#:~:text={directive}"


def _fragment_quote(text: str) -> str:
    """Percent-encode for a text directive, where '-', ',' and '&' have meanings of their own."""
    return quote(text.strip(" .,;:!?\"'\u201c\u201d"), safe="").replace("-", "%2D")
