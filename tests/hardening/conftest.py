"""One hostile project for the session: every payload in every text field, built once into a site and exports.

Each payload gets its own entry, speaker and topic (`hostile-<payload>`), so the pages of one payload hold
only that payload; each field of it carries its own marker. The site is built the way `mkdocs serve`
builds it (without --strict), because a flagged warning does not stop that build: what a warning lets
through must still be neutralised. The production build (--strict) fails on those warnings as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb.checks import run_checks
from kb.load import load
from kb.problems import Problem
from tests.hardening.payloads import FIELDS, PAYLOADS, SECRET_TOKEN, Field, marker, value, yaml_quote

PROJECT = Path(__file__).resolve().parents[2]
FIXTURE_PROJECT = PROJECT / "tests" / "fixtures" / "project"
SCHEMA_LINE = "# yaml-language-server: $schema=../kb/schema/entry.schema.json"


@dataclass
class HostileProject:
    root: Path
    site: Path
    values: dict[tuple[str, str], str]  # (field name, payload) -> the exact text written
    markers: dict[tuple[str, str], str]
    problems: list[Problem]
    build_log: str


def slug_of(payload: str) -> str:
    return f"hostile-{payload}"


def _registry_item(owner: str, payload: str, texts: dict[str, str]) -> str:
    lines = [f"{slug_of(payload)}:"]
    for name, text in texts.items():
        lines.append(f"  {name}: {yaml_quote(text)}")
    if owner == "person":
        lines.append("  kind: person")
    return "\n".join(lines) + "\n"


def _entry(index: int, payload: str, texts: dict[str, str]) -> str:
    slug = slug_of(payload)
    q = {name: yaml_quote(text) for name, text in texts.items()}
    return f"""{SCHEMA_LINE}
statement: {q['statement']}
fidelity: verbatim
speaker: {slug}
role: {q['role']}
said: 2023-02-14
source:
  type: lecture
  title: {q['source.title']}
  url: https://www.youtube.com/watch?v=hostile{index:04d}
  publisher: {q['source.publisher']}
  container: {q['source.container']}
  event: {q['source.event']}
  authors: [{q['source.authors']}]
  published: 2023
  at: "1:05"
  until: "1:20"
  page: {q['source.page']}
  section: {q['source.section']}
found_via:
  - title: {q['found_via.title']}
    url: https://example.org/found/{index}
    date: 2024
topics: [{slug}, prompting]
context: {q['context']}
verified:
  by: {q['verified.by']}
  on: 2026-11-20
  method: transcript
  note: {q['verified.note']}
disputed:
  reason: {q['disputed.reason']}
  source:
    title: {q['disputed.source.title']}
    url: https://example.org/dispute/{index}
added: 2026-11-22
"""


def write_hostile_project(root: Path, secrets: dict[str, str]) -> tuple[dict, dict]:
    """Every payload in every field; returns the exact values and markers by (field, payload)."""
    values: dict[tuple[str, str], str] = {}
    markers: dict[tuple[str, str], str] = {}
    people, topics = [], []
    for index, payload in enumerate(PAYLOADS):
        texts: dict[str, str] = {}
        for field_index, field in enumerate(FIELDS):
            mark = marker(index, field_index)
            markers[field.name, payload] = mark
            texts[field.name] = values[field.name, payload] = value(payload, field, mark, secrets)
        people.append(_registry_item("person", payload, {f.name.split(".")[1]: texts[f.name]
                                                         for f in FIELDS if f.owner == "person"}))
        topics.append(_registry_item("topic", payload, {f.name.split(".")[1]: texts[f.name]
                                                        for f in FIELDS if f.owner == "topic"}))
        (root / "entries" / f"{slug_of(payload)}.yaml").write_text(_entry(index, payload, texts), encoding="utf-8")
    with (root / "entries" / "_people.yaml").open("a", encoding="utf-8") as handle:
        handle.write("".join(people))
    with (root / "entries" / "_topics.yaml").open("a", encoding="utf-8") as handle:
        handle.write("".join(topics))
    return values, markers


def mkdocs_build(root: Path, site: Path, *, strict: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    return subprocess.run(command + ["--strict"] * strict, capture_output=True, text=True, timeout=300, cwd=root,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileProject:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "site_src", root / "site_src")
    outside = base / "outside-secret.txt"
    for secret in (outside, root / "secret.txt"):
        secret.write_text(SECRET_TOKEN + "\n", encoding="utf-8")
    values, markers = write_hostile_project(root, {"SECRET_REL": "secret.txt", "SECRET_ABS": str(outside)})
    problems = run_checks(load(root))
    site = base / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr[-5000:]
    return HostileProject(root, site, values, markers, problems, result.stderr)


def problems_at(hostile: HostileProject, field: Field, payload: str) -> list[Problem]:
    """The problems the validator reports for one field of one payload."""
    slug = slug_of(payload)
    dotted = ".".join(map(str, field.path))
    if field.owner == "entry":
        return [p for p in hostile.problems if p.path == f"entries/{slug}.yaml" and p.message.startswith(dotted + ":")]
    registry = "entries/_people.yaml" if field.owner == "person" else "entries/_topics.yaml"
    return [p for p in hostile.problems if p.path == registry and p.message.startswith(f"{slug}.{dotted}:")]
