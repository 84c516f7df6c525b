"""Observations judged against what the entries claim: findings, and Problems at the entries' lines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from kb.http import PERMANENT_REDIRECTS as PERMANENT
from kb.linkcheck.captions import Cue, find_words
from kb.linkcheck.engine import UNVERIFIABLE
from kb.linkcheck.observation import REFUSED, Observation
from kb.linkcheck.plan import MEDIA, TEXT, Claim, Target
from kb.linkcheck.text import on_page, words
from kb.model import Fidelity, format_timecode
from kb.problems import Problem, Severity

ERROR, WARNING, NOTE = "error", "warning", "note"
_COPY_SUFFIX = re.compile(r"\s*\(\d+\)$")
UNDATED_EXTRACTORS = frozenset({"html5"})
"""Extractors whose upload date is only the file's Last-Modified time, not a publication date."""


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    hint: str = ""
    sibling: str | None = None
    claim: Claim | None = field(default=None, compare=False)


@dataclass
class Verdict:
    target: Target
    observation: Observation
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not any(finding.severity == ERROR for finding in self.findings)

    @property
    def severity(self) -> str:
        levels = {finding.severity for finding in self.findings}
        return ERROR if ERROR in levels else WARNING if WARNING in levels else "ok"

    @property
    def fix(self) -> str | None:
        """The URL to write instead, when the link moved for good."""
        redirects = self.observation.redirects
        if self.observation.reachable and redirects and redirects[0][0] in PERMANENT:
            return self.observation.final_url
        return None


def _link_findings(observation: Observation) -> Iterator[Finding]:
    archive_hint = f"add `archived: {observation.archived}` to the source" if observation.archived else ""
    status = observation.status
    if observation.error is not None:
        code = "link-refused" if observation.error_kind == REFUSED else "link-broken"
        yield Finding(ERROR, code, observation.error, archive_hint)
    elif status in UNVERIFIABLE:
        tries = f"{observation.attempts} tries" if observation.attempts > 1 else "1 try"
        yield Finding(WARNING, "link-unverifiable",
                      f"the host refused the checker with HTTP {status} ({tries}; many sites refuse robots)",
                      "open the link in a browser to confirm it")
    elif status is not None and status >= 400:
        yield Finding(ERROR, "link-broken", f"HTTP {status}", archive_hint or "find where the source moved")
    elif status is not None and not 200 <= status < 300:
        yield Finding(WARNING, "link-unusual", f"HTTP {status} and no redirect to follow",
                      "open the link in a browser to see what it shows")
    elif observation.redirects and observation.redirects[0][0] in PERMANENT:
        yield Finding(WARNING, "link-moved", f"permanently redirected to {observation.final_url}",
                      f"replace the URL with {observation.final_url}")


def _similar_titles(ours: str, theirs: str) -> bool:
    a, b = words(ours), words(_COPY_SUFFIX.sub("", theirs))
    if not a or not b or set(a) <= set(b) or set(b) <= set(a):
        return True
    return SequenceMatcher(None, a, b).ratio() >= 0.5


def _dates_agree(published: str, uploaded: str) -> bool:
    if len(published) < 10:
        return uploaded.startswith(published)
    return abs((dt.date.fromisoformat(published) - dt.date.fromisoformat(uploaded)).days) <= 1


def _recording_findings(claim: Claim, observation: Observation, window: float) -> Iterator[Finding]:
    recording = observation.recording
    if recording is None:
        if observation.recording_error:
            yield Finding(WARNING, "recording-unread", f"yt-dlp could not read the recording: "
                          f"{observation.recording_error}", "check the time code by hand", "at", claim)
        return
    duration = recording.get("duration")
    for name, seconds in (("at", claim.at), ("until", claim.until)):
        if duration is not None and seconds is not None and seconds > duration:
            yield Finding(ERROR, "past-end", f"{name} {format_timecode(seconds)} is past the end of this "
                          f"{format_timecode(int(duration))} recording", "fix the time code", name, claim)
    title = recording.get("title")
    if title and not _similar_titles(claim.title, title):
        yield Finding(WARNING, "title-differs", f"the source calls itself \"{title}\"",
                      "use the source's own title", "title", claim)
    uploaded = recording.get("upload_date")
    if (claim.published and uploaded and recording.get("extractor") not in UNDATED_EXTRACTORS
            and not _dates_agree(claim.published, uploaded)):
        yield Finding(WARNING, "date-differs", f"the source says it was published {uploaded}",
                      "check 'published'", "published", claim)
    yield from _caption_findings(claim, observation, window)


def _caption_findings(claim: Claim, observation: Observation, window: float) -> Iterator[Finding]:
    if claim.fidelity is Fidelity.paraphrase:
        return
    captions = observation.captions
    if captions is None:
        yield Finding(NOTE, "no-captions", observation.captions_error or "no captions to check the words against",
                      claim=claim)
        return
    cues = [Cue(*cue) for cue in captions["cues"]]
    where = f"the {captions['lang']} {captions['kind']}"
    found = find_words(cues, claim.statement, claim.at, window)
    if found is None:
        yield Finding(WARNING, "words-not-found", f"the statement's words are not found in {where}",
                      "check the words and the time code against the recording", "statement", claim)
    elif claim.at is None or abs(found.at - claim.at) <= window:
        yield Finding(NOTE, "words-found", f"words found at {format_timecode(int(found.at))} in {where}", claim=claim)
    else:
        said = format_timecode(int(found.at))
        yield Finding(WARNING, "words-elsewhere", f"the words are said at {said}, not near "
                      f"{format_timecode(claim.at)} ({where})", f'set at: "{said}"', "at", claim)


def _page_findings(claim: Claim, observation: Observation) -> Iterator[Finding]:
    if claim.fidelity is Fidelity.paraphrase or claim.at is not None:
        return
    if observation.text is None:
        if observation.text_error:
            yield Finding(NOTE, "page-unread", observation.text_error, claim=claim)
        return
    match = on_page(claim.statement, observation.text)
    if match.found:
        yield Finding(NOTE, "words-on-page", "the words are on the page", claim=claim)
    else:
        yield Finding(WARNING, "words-not-on-page", f"not on the page: \"{match.missing}\"",
                      "check the words against the page (it may need JavaScript to show them)", "statement", claim)


def judge(target: Target, observation: Observation, window: float = 90.0) -> Verdict:
    """Every finding about one URL: the link itself, then each citing entry's claims (`window`: how far from
    `at`, in seconds, the words may be heard and still count as near)."""
    findings = list(_link_findings(observation))
    if observation.reachable:
        for claim in target.claims:
            if MEDIA in target.needs and claim.at is not None:
                findings += _recording_findings(claim, observation, window)
            elif TEXT in target.needs:
                findings += _page_findings(claim, observation)
    return Verdict(target, observation, findings)


def problems(verdict: Verdict) -> Iterator[Problem]:
    """Errors and warnings placed in the entry files (notes stay in the report)."""
    for finding in verdict.findings:
        if finding.severity == NOTE:
            continue
        severity = Severity.error if finding.severity == ERROR else Severity.warning
        citations = [finding.claim.citation] if finding.claim else verdict.target.citations
        for citation in citations:
            line, column = citation.position(finding.sibling)
            yield Problem(citation.path, line, column, finding.code, f"{verdict.target.url}: {finding.message}",
                          finding.hint, severity)
