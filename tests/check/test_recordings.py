"""Recordings through yt-dlp on local pages: time codes against the duration, title and date, captions."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from kb.linkcheck.captions import find_words, parse_cues
from kb.media import MediaError, probe_recording
from tests.check.conftest import entry_yaml

WORDS = "We really have no intuition as to what is going on here."


def video_page(httpserver: HTTPServer, *, name: str = "The Future of AI", duration: str = "PT10M",
               uploaded: str = "2023-05-17") -> str:
    """A page whose schema.org VideoObject gives yt-dlp's generic extractor title, duration and date."""
    data = {"@context": "https://schema.org", "@type": "VideoObject", "name": name, "duration": duration,
            "uploadDate": uploaded, "contentUrl": httpserver.url_for("/talk.mp4"),
            "thumbnailUrl": httpserver.url_for("/t.jpg"), "description": "A talk.",
            "author": {"@type": "Organization", "name": "Example Academy"}}
    httpserver.expect_request("/talk").respond_with_data(
        f'<html><head><title>x</title><script type="application/ld+json">{json.dumps(data)}</script></head>'
        "<body><p>A talk.</p></body></html>", content_type="text/html")
    httpserver.expect_request("/talk.mp4").respond_with_data(b"\0" * 64, content_type="video/mp4")
    return httpserver.url_for("/talk")


def captioned_page(httpserver: HTTPServer, cues: str) -> str:
    """A page with <video> and a <track>: yt-dlp's html5 extractor reports the track as subtitles."""
    httpserver.expect_request("/captioned").respond_with_data(
        '<html><head><title>Lecture</title></head><body><video src="talk.mp4">'
        '<track kind="subtitles" srclang="en" src="talk.en.vtt"></video></body></html>', content_type="text/html")
    httpserver.expect_request("/talk.en.vtt").respond_with_data("WEBVTT\n\n" + cues, content_type="text/vtt")
    httpserver.expect_request("/talk.mp4").respond_with_data(b"\0" * 64, content_type="video/mp4")
    return httpserver.url_for("/captioned")


def lecture(url: str, **keys: str) -> str:
    return entry_yaml(url, kind="lecture", title=keys.pop("title", "The Future of AI"),
                      published=keys.pop("published", "2023-05-17"), statement=keys.pop("statement", WORDS), **keys)


def messages(records: list[dict]) -> dict[str, str]:
    return {finding["code"]: finding["message"] for record in records for finding in record["findings"]}


def test_probe_reads_title_duration_date_and_uploader(httpserver: HTTPServer) -> None:
    recording = probe_recording(video_page(httpserver), allow_private=True, timeout=10)
    assert (recording.title, recording.duration, recording.upload_date, recording.uploader) == (
        "The Future of AI", 600.0, "2023-05-17", "Example Academy")


def test_probe_refuses_a_private_host_without_the_flag(httpserver: HTTPServer) -> None:
    with pytest.raises(MediaError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
        probe_recording(video_page(httpserver))
    assert httpserver.log == []


def test_a_time_code_past_the_end_is_an_error(httpserver: HTTPServer, make_project, check) -> None:
    root = make_project({"alpha": lecture(video_page(httpserver), at="25:25")})
    code, records, _ = check(root)
    assert code == 1
    assert records[0]["duration"] == 600
    assert messages(records)["past-end"] == "at 25:25 is past the end of this 10:00 recording"


def test_a_time_code_inside_the_recording_is_fine(httpserver: HTTPServer, make_project, check) -> None:
    root = make_project({"alpha": lecture(video_page(httpserver), at="9:59")})
    code, records, _ = check(root)
    assert code == 0 and "past-end" not in messages(records)


def test_a_different_title_and_date_are_warnings_showing_the_source(httpserver: HTTPServer, make_project,
                                                                    check) -> None:
    url = video_page(httpserver, name="Completely Unrelated Cooking Show", uploaded="2019-02-03")
    root = make_project({"alpha": lecture(url, at="1:00")})
    code, records, _ = check(root)
    found = messages(records)
    assert code == 0
    assert found["title-differs"] == 'the source calls itself "Completely Unrelated Cooking Show"'
    assert found["date-differs"] == "the source says it was published 2019-02-03"


def test_the_statement_is_found_in_the_captions_near_at(httpserver: HTTPServer, make_project, check) -> None:
    url = captioned_page(httpserver, "00:25:20.000 --> 00:25:30.000\nSo the question is hard.\n\n"
                                     "00:25:31.000 --> 00:25:35.000\nwe really have no intuition\n\n"
                                     "00:25:35.000 --> 00:25:38.000\nas to what's going on here\n")
    root = make_project({"alpha": lecture(url, at="25:25", title="Lecture")})
    code, records, _ = check(root)
    assert code == 0
    assert messages(records)["words-found"] == "words found at 25:31 in the en subtitles"


def test_words_missing_from_the_captions_are_reported(httpserver: HTTPServer, make_project, check) -> None:
    url = captioned_page(httpserver, "00:25:31.000 --> 00:25:35.000\nToday we talk about the weather in Spain.\n")
    root = make_project({"alpha": lecture(url, at="25:25", title="Lecture")})
    _, records, _ = check(root)
    assert messages(records)["words-not-found"] == "the statement's words are not found in the en subtitles"


def test_words_said_elsewhere_suggest_the_right_time(httpserver: HTTPServer, make_project, check) -> None:
    url = captioned_page(httpserver, "00:41:07.000 --> 00:41:12.000\nwe really have no intuition as to what's "
                                     "going on here\n")
    root = make_project({"alpha": lecture(url, at="2:00", title="Lecture")})
    _, records, _ = check(root)
    assert messages(records)["words-elsewhere"] == "the words are said at 41:07, not near 2:00 (the en subtitles)"


def test_automatic_captions_with_inline_timings_are_read() -> None:
    vtt = ("WEBVTT\nKind: captions\n\n00:01:02.000 --> 00:01:04.000 align:start position:0%\n"
           "we<00:01:02.500><c> really</c><00:01:03.000><c> have</c> no intuition\n")
    cues = parse_cues(vtt)
    assert [(cue.start, cue.text) for cue in cues] == [(62.0, "we really have no intuition")]
    found = find_words(cues, "We really have no intuition", near=60, window=90)
    assert found is not None and found.at == 62.0


def test_fuzzy_matching_tolerates_misheard_words() -> None:
    cues = parse_cues("00:00:10,000 --> 00:00:14,000\nwe really half no intuition as to what is going on hear\n")
    assert find_words(cues, WORDS, near=12, window=90) is not None
    assert find_words(cues, "Completely different sentence about cooking pasta", near=12, window=90) is None


def test_yt_dlp_may_not_leave_the_recordings_site(httpserver: HTTPServer) -> None:
    """A page pointing yt-dlp at another host (here a manifest on 127.0.0.2) gets no request out."""
    data = {"@context": "https://schema.org", "@type": "VideoObject", "name": "Elsewhere",
            "contentUrl": "http://127.0.0.2:9/stream.m3u8", "uploadDate": "2023-01-01"}
    httpserver.expect_request("/away").respond_with_data(
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head></html>',
        content_type="text/html")
    with pytest.raises(MediaError, match=r"^refused: the recording page asked for 127\.0\.0\.2, outside 127\.0\.0\.1$"):
        probe_recording(httpserver.url_for("/away"), allow_private=True, timeout=10)


def test_a_short_link_may_be_read_from_its_sites_other_name() -> None:
    from kb.media import _Guard

    guard = _Guard("https://youtu.be/AAAAAAAAAAA", allow_private=False, timeout=1)
    assert {"youtube.com", "youtu.be"} <= guard.sites and "example.com" not in guard.sites


def test_people_s_subtitles_are_preferred_to_automatic_captions_and_english_first() -> None:
    from kb.linkcheck.recordings import pick_track
    from kb.media import Recording

    recording = Recording(title="t", duration=1.0, upload_date=None, uploader=None, webpage_url="u", start_time=None,
                          subtitles={"de": [{"ext": "vtt", "url": "https://x/de.vtt"}]},
                          automatic_captions={"en": [{"ext": "json3", "url": "https://x/en.json3"},
                                                     {"ext": "vtt", "url": "https://x/en.vtt"}]})
    assert pick_track(recording) == ("subtitles", "de", "https://x/de.vtt")
    recording.subtitles = {}
    assert pick_track(recording) == ("automatic captions", "en", "https://x/en.vtt")
