"""One recording: is the page there, what yt-dlp says about it (kb.media), and its captions."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kb.http import FetchError, fetch
from kb.linkcheck.captions import parse_cues
from kb.linkcheck.links import check_link
from kb.linkcheck.observation import Observation
from kb.linkcheck.settings import Settings

if TYPE_CHECKING:
    from kb.media import Recording

CAPTION_BYTES = 8 * 1_048_576
_FORMATS = ("vtt", "srt")


def pick_track(recording: Recording) -> tuple[str, str, str] | None:
    """(kind, language, url) of the captions to read: people's subtitles before automatic ones,
    English before other languages, WebVTT before SRT."""
    for kind, tracks in (("subtitles", recording.subtitles), ("automatic captions", recording.automatic_captions)):
        languages = sorted(tracks, key=lambda lang: (not lang.lower().startswith("en"), lang))
        for lang in languages:
            usable = [track for track in tracks[lang] if track.get("ext") in _FORMATS]
            usable.sort(key=lambda track: _FORMATS.index(track["ext"]))
            if usable:
                return kind, lang, usable[0]["url"]
    return None


def _captions(recording: Recording, settings: Settings) -> tuple[dict[str, Any] | None, str | None]:
    chosen = pick_track(recording)
    if chosen is None:
        return None, None
    kind, lang, url = chosen
    try:
        answer = fetch(url, allow_private=settings.allow_private, timeout=settings.timeout, max_bytes=CAPTION_BYTES)
    except FetchError as error:
        return None, f"the {lang} {kind} could not be fetched: {error}"
    if not answer.ok:
        return None, f"the {lang} {kind} answered HTTP {answer.status}"
    cues = parse_cues(answer.text)
    if not cues:
        return None, f"the {lang} {kind} have no readable cues"
    return {"kind": kind, "lang": lang, "cues": [[cue.start, cue.end, cue.text] for cue in cues]}, None


def check_recording(url: str, settings: Settings, *, want_text: bool = False) -> Observation:
    """The link first (cheap, and it says whether the page is there), then yt-dlp, then captions.
    yt-dlp is imported only here: a run with nothing to probe (a warm one) does not pay for it."""
    observation = check_link(url, settings, want_text=want_text)
    if not observation.reachable:
        return observation
    from kb.media import MediaError, probe_recording
    try:
        recording = probe_recording(url, allow_private=settings.allow_private, timeout=settings.probe_timeout)
    except MediaError as error:
        observation.recording_error = str(error)
        return observation
    observation.recording = asdict(recording)
    observation.captions, observation.captions_error = _captions(recording, settings)
    return observation
