"""`kb new`: scaffold entries/<id>.yaml from a link and a time code (logic in kb/scaffold.py).

Every missing flag is asked for when stdin is a terminal; otherwise a missing required flag is a usage
error (exit 2). A refusal (file exists, duplicate, time past the end, private address) exits 1.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from urllib.parse import urlsplit

from pydantic import ValidationError

from kb.commands import UsageError, add_root_option, find_root
from kb.http import FetchError, check_url
from kb.load import ENTRIES_DIR, PEOPLE_FILE, load
from kb.model import SLUG_MAX, Fidelity, Person, SourceType, format_timecode, parse_partial_date, timecode_seconds
from kb.netsafety import refusal
from kb.problems import format_text
from kb.scaffold import (
    Draft,
    ScaffoldError,
    SourceFacts,
    add_person,
    check_time,
    choose_id,
    create_exclusively,
    entry_data,
    problems_for,
    render,
    slugify,
    source_facts,
)
from kb.schema_errors import did_you_mean
from kb.slugs import DEVICE_HINT, is_device_name, is_slug
from kb.urls import link_at, start_seconds


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "new", help="scaffold entries/<id>.yaml from a link and a time code",
        description="Create entries/<id>.yaml from a link: the title, channel, date and length are read from "
                    "the recording (or the page, for a text). Missing flags are asked for when run in a "
                    "terminal. Exit 0 when written, 1 when refused, 2 on a usage error.")
    parser.add_argument("url", nargs="?", metavar="URL", help="the recording or text, as published")
    parser.add_argument("--at", help='where the words start in the recording, M:SS or H:MM:SS ("22:32")')
    parser.add_argument("--until", help="where the words end (optional)")
    parser.add_argument("--statement", help="the words, as said (mark left-out parts with ...)")
    parser.add_argument("--speaker", help="the speaker's key in entries/_people.yaml, like geoffrey-hinton")
    parser.add_argument("--new-speaker", metavar="NAME", help="add the speaker to entries/_people.yaml with this name")
    parser.add_argument("--speaker-description", metavar="TEXT", help="one line on who the new speaker is")
    parser.add_argument("--fidelity", choices=[item.value for item in Fidelity],
                        help="verbatim (word for word, the default), excerpt (exact words with ...) or paraphrase")
    parser.add_argument("--topic", action="append", dest="topics", metavar="TOPIC",
                        help="a key of entries/_topics.yaml (repeat for more)")
    parser.add_argument("--role", help="the speaker's role at the time, like 'Professor, MIT'")
    parser.add_argument("--said", help="when it was said, YYYY[-MM[-DD]] (default: the upload or publication date)")
    parser.add_argument("--type", dest="source_type", choices=[item.value for item in SourceType],
                        help="kind of source (default: video for a recording, article for a page)")
    parser.add_argument("--title", help="the source's title (default: as the source gives it)")
    parser.add_argument("--context", help="one or two neutral sentences on what was being discussed")
    parser.add_argument("--id", help="the file name without .yaml (default: surname and a few words)")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow links to local or private addresses (for testing against a local server)")
    add_root_option(parser)
    parser.set_defaults(run=run)


class Asker:
    """Asks for what is missing, one field at a time, when a person is at the terminal."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive
        self.missing: list[str] = []

    def __call__(self, value: str | None, flag: str, question: str, check: Callable[[str], object] | None = None,
                 default: str | None = None, required: bool = True) -> str | None:
        if value is not None:
            _checked(value, flag, check)
            return value
        if not self.interactive:
            if required and default is None:
                self.missing.append(flag)
            return default
        while True:
            suffix = f" [{default}]" if default else ""
            try:
                answer = input(f"{question}{suffix}: ").strip() or default
            except EOFError:
                raise UsageError(f"no answer for {flag}") from None
            if not answer and not required:
                return None
            if answer:
                try:
                    _checked(answer, flag, check)
                    return answer
                except UsageError as error:
                    print(f"  {error}")

    def done(self) -> None:
        if self.missing:
            raise UsageError(f"missing {', '.join(self.missing)} (or run kb new in a terminal to be asked)")


def _checked(value: str, flag: str, check: Callable[[str], object] | None) -> None:
    if check is None:
        return
    try:
        check(value)
    except (ValueError, UsageError) as error:
        raise UsageError(f"{flag} {value!r}: {error}") from None


def _slug(value: str) -> None:
    if not is_slug(value):
        raise ValueError(f"use a-z, 0-9 and single hyphens (at most {SLUG_MAX}), like 'geoffrey-hinton'")
    if is_device_name(value):
        raise ValueError(f"it is a Windows device name; {DEVICE_HINT}")


def _topics(known: set[str]) -> Callable[[str], None]:
    def check(value: str) -> None:
        for topic in _split(value):
            if topic not in known:
                raise ValueError(f"'{topic}' is not in entries/_topics.yaml{did_you_mean(topic, known)}; "
                                 f"use one of: {', '.join(sorted(known))}")
    return check


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\s]+", value) if part.strip()]


def run(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    kb = load(root)
    ask = Asker(sys.stdin.isatty())
    url = ask(args.url, "URL", "Link to the recording or text, as published")
    for flag, value in (("--at", args.at), ("--until", args.until)):
        if value is not None:
            _checked(value, flag, timecode_seconds)
    statement = ask(args.statement, "--statement", "The words, as said")
    speaker, new_speaker = _speaker(args, ask, kb.people.items)
    topics = ask(",".join(args.topics) if args.topics else None, "--topic",
                 f"Topics, comma-separated ({', '.join(sorted(kb.topics.items))})", _topics(set(kb.topics.items)))
    fidelity = ask(args.fidelity, "--fidelity", "Fidelity: verbatim, excerpt or paraphrase",
                   lambda value: Fidelity(value), default="verbatim")
    ask.done()
    if args.id is not None:
        _checked(args.id, "--id", _slug)
    try:
        return _scaffold(args, ask, kb, Draft(url=url, statement=statement, speaker=speaker, topics=_split(topics),
                                              fidelity=fidelity, at=args.at, until=args.until, said=args.said,
                                              role=args.role, context=args.context, source_type=args.source_type,
                                              id=args.id, new_speaker=new_speaker))
    except ScaffoldError as error:
        print(f"kb new: {error}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1


def _speaker(args: argparse.Namespace, ask: Asker, people: dict) -> tuple[str | None, Person | None]:
    """The speaker's key, and a Person to add when they are not in the registry yet."""
    while True:
        speaker = ask(args.speaker, "--speaker", f"Speaker's key in {ENTRIES_DIR}/{PEOPLE_FILE} (like geoffrey-hinton)",
                      _slug, default=slugify(args.new_speaker) if args.new_speaker else None)
        if speaker is None or speaker in people:
            if speaker is not None and args.new_speaker:
                raise UsageError(f"'{speaker}' is already in {ENTRIES_DIR}/{PEOPLE_FILE}; leave out --new-speaker")
            return speaker, None
        unknown = f"'{speaker}' is not in {ENTRIES_DIR}/{PEOPLE_FILE}{did_you_mean(speaker, people)}"
        if args.new_speaker:
            return speaker, _person(args, ask, args.new_speaker)
        if not ask.interactive:
            raise UsageError(f"{unknown}; to add them, pass --new-speaker NAME --speaker-description TEXT")
        print(f"  {unknown}.")
        name = ask(None, "--new-speaker", "Their full name, to add them (Enter to type the key again)",
                   required=False)
        if name:
            return speaker, _person(args, ask, name)
        args.speaker = None


def _person(args: argparse.Namespace, ask: Asker, name: str) -> Person | None:
    description = ask(args.speaker_description, "--speaker-description",
                      "One line on who they are (like 'Computer scientist at MIT')")
    if description is None:
        return None
    try:
        return Person(name=name, description=description)
    except ValidationError as error:
        raise UsageError(f"the new speaker: {error.errors()[0]['msg']}") from None


def _scaffold(args: argparse.Namespace, ask: Asker, kb, draft: Draft) -> int:
    root = kb.root
    registries = (f"{ENTRIES_DIR}/{PEOPLE_FILE}", kb.topics.path)
    unreadable = [problem for problem in kb.problems if problem.is_error and problem.path in registries]
    if unreadable:  # a new entry (or speaker) must not land beside a registry nobody can read
        print(format_text(unreadable))
        raise ScaffoldError("fix the registry first (see above); nothing was written")
    if draft.id is not None and (root / ENTRIES_DIR / f"{draft.id}.yaml").exists():
        raise ScaffoldError(f"{ENTRIES_DIR}/{draft.id}.yaml already exists; choose another --id")
    try:
        check_url(draft.url, allow_private=args.allow_private)
    except FetchError as error:
        raise ScaffoldError(f"{draft.url}: {error}") from None
    print(f"reading {draft.url} ...", file=sys.stderr)
    facts = source_facts(draft.url, want_recording=draft.at is not None, allow_private=args.allow_private)
    _describe(facts)
    start = start_seconds(draft.url)
    if facts.recording and start is not None:
        draft.at = draft.at or _timecode(start)
    if facts.recording:
        draft.at = ask(draft.at, "--at", "Where the words start (M:SS or H:MM:SS)", timecode_seconds)
    facts.title = ask(args.title or facts.title, "--title", "Title of the source")
    draft.said = ask(draft.said or facts.published, "--said", "When it was said (YYYY, YYYY-MM or YYYY-MM-DD)",
                     parse_partial_date)
    if ask.interactive and draft.context is None:
        draft.context = ask(None, "--context", "Context, one or two neutral sentences (optional)", required=False)
    ask.done()
    check_time(draft, facts)
    person = draft.new_speaker or kb.people.items.get(draft.speaker)
    entry_id = draft.id or choose_id(kb, draft.speaker, person, draft.statement)
    path = root / ENTRIES_DIR / f"{entry_id}.yaml"
    text = render(entry_data(draft, facts), path, root)
    problems = problems_for(kb, draft, entry_id, text, args.allow_private)
    if problems:
        print(format_text(problems))
    if any(problem.is_error for problem in problems):
        raise ScaffoldError(f"{ENTRIES_DIR}/{entry_id}.yaml would not pass kb validate (see above)")
    try:
        create_exclusively(path, text)
    except FileExistsError:
        raise ScaffoldError(f"{ENTRIES_DIR}/{entry_id}.yaml already exists; choose another --id") from None
    if draft.new_speaker is not None:
        add_person(root, draft.speaker, draft.new_speaker)
        print(f"added {draft.speaker} to {ENTRIES_DIR}/{PEOPLE_FILE}")
    print(f"wrote {ENTRIES_DIR}/{entry_id}.yaml")
    if refusal(urlsplit(facts.url).hostname or ""):
        print(f"note: {facts.url} is a local or private address, allowed by --allow-private for a test; "
              "kb validate refuses it, so link to the public source before opening a pull request")
    _next_steps(entry_id, draft, facts)
    return 0


def _timecode(seconds: float) -> str:
    return format_timecode(int(seconds))


def _describe(facts: SourceFacts) -> None:
    length = f", {_timecode(facts.duration)} long" if facts.duration else ""
    kind = "a recording" if facts.recording else "a text page"
    print(f"found {kind}: {facts.title or '(no title)'}{length}"
          f"{', by ' + facts.publisher if facts.publisher else ''}"
          f"{', dated ' + facts.published if facts.published else ''}", file=sys.stderr)


def _next_steps(entry_id: str, draft: Draft, facts: SourceFacts) -> None:
    where = link_at(facts.url, timecode_seconds(draft.at)) if draft.at else facts.url
    steps = [f"Open {where} and check the words against the {'recording' if facts.recording else 'text'} "
             f"(fidelity: {draft.fidelity}).",
             f"Check 'said' ({draft.said}): an upload or page date may be later than the day it was said.",
             "Check the source's title, publisher and type (talk, lecture, podcast, interview ...).",
             f"Run 'kb validate {ENTRIES_DIR}/{entry_id}.yaml', then 'make serve' to see the page."]
    if not draft.context:
        steps.insert(1, "Add 'context:', one or two neutral sentences on what was being discussed.")
    if not draft.role:
        steps.insert(1, "Add 'role:', the speaker's role at the time of speaking.")
    print("next:")
    for number, step in enumerate(steps, 1):
        print(f"  {number}. {step}")
