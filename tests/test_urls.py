"""What URLs say about themselves: start times, canonical forms, deep links, text fragments."""

from __future__ import annotations

import pytest

from kb.urls import canonical, link_at, start_seconds, text_fragment_link, vimeo_id, youtube_id


@pytest.mark.parametrize(("url", "seconds"), [
    ("https://www.youtube.com/watch?v=DcWqzZ3I2cY&t=76s", 76),
    ("https://youtu.be/DcWqzZ3I2cY?t=1m16s", 76),
    ("https://www.youtube.com/embed/DcWqzZ3I2cY?start=76", 76),
    ("https://vimeo.com/123456#t=1m30s", 90),
    ("https://example.org/talk.mp4#t=90,120", 90),
    ("https://www.youtube.com/watch?v=DcWqzZ3I2cY", None),
    ("https://example.org/page#section-2", None),
])
def test_start_seconds_reads_every_convention(url: str, seconds: float | None) -> None:
    assert start_seconds(url) == seconds


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.youtube.com/watch?v=DcWqzZ3I2cY", "https://www.youtube.com/watch?v=DcWqzZ3I2cY&t=1525s"),
    ("https://www.youtube.com/watch?v=DcWqzZ3I2cY&t=3", "https://www.youtube.com/watch?v=DcWqzZ3I2cY&t=1525s"),
    ("https://youtu.be/DcWqzZ3I2cY", "https://youtu.be/DcWqzZ3I2cY?t=1525s"),
    ("https://vimeo.com/123456", "https://vimeo.com/123456#t=1525s"),
    ("https://example.org/talk.mp4", "https://example.org/talk.mp4#t=1525"),
])
def test_link_at_opens_the_recording_at_that_second(url: str, expected: str) -> None:
    assert link_at(url, 1525) == expected
    assert start_seconds(link_at(url, 1525)) == 1525


def test_link_without_time_is_unchanged() -> None:
    assert link_at("https://example.org/a?b=1", None) == "https://example.org/a?b=1"


def test_ids_of_video_hosts() -> None:
    assert youtube_id("https://m.youtube.com/shorts/DcWqzZ3I2cY") == "DcWqzZ3I2cY"
    assert youtube_id("https://www.youtube.com/watch?v=short") is None
    assert vimeo_id("https://player.vimeo.com/video/123456") == "123456"


def test_canonical_ignores_time_tracking_and_host_spelling() -> None:
    assert canonical("https://youtu.be/DcWqzZ3I2cY?t=5") == canonical("https://www.youtube.com/watch?v=DcWqzZ3I2cY")
    assert canonical("https://www.Example.org/a/?utm_source=x") == canonical("http://example.org/a")
    assert canonical("https://example.org/a") != canonical("https://example.org/b")


def test_text_fragment_links_the_first_run_of_an_excerpt() -> None:
    link = text_fragment_link("https://example.org/essay#top", "We don't know, really ... and nobody does.")
    assert link == "https://example.org/essay#:~:text=We%20don%27t%20know%2C%20really"


def test_text_fragment_of_a_long_quote_gives_its_start_and_end() -> None:
    words = "one two three four five six seven eight nine ten-eleven"
    link = text_fragment_link("https://e.org/", words)
    assert link.endswith("#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten%2Deleven")
