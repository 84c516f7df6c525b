"""Fixtures for the export tests: the minimal project plus entries whose text attacks every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.load import KnowledgeBase, load
from tests.conftest import PROJECT

CSL_SCHEMA = PROJECT.parent / "shared" / "reference" / "csl-data.schema.json"

HOSTILE_TITLE = r"Braces {open and } close, back\slash, 100% & $5 #1 under_score ~tilde ^caret <script>x</script>"
HOSTILE_PEOPLE = """
mallory-example:
  name: "Mallory <b>O'Hara</b> & {Sons}"
  description: "A hostile speaker: <script>alert('person')</script>"
"""
HOSTILE_ENTRY = f"""# yaml-language-server: $schema=../../../../kb/schema/entry.schema.json
statement: >-
  =HYPERLINK("https://evil.example.com") We don't know {{why}}, 100% & $x$ \\emph{{here}} <script>alert(1)</script>
fidelity: verbatim
speaker: mallory-example
said: 2022
source:
  type: podcast
  title: '{HOSTILE_TITLE}'
  url: https://www.youtube.com/watch?v=BBBBBBBBBBB
  container: "The <i>Show</i> & Co"
  published: 2022-06
  at: "1:02:03"
topics: [prompting]
context: >-
  -2+3 starts like a formula.
added: 2026-11-22
"""


@pytest.fixture(scope="session")
def csl_schema() -> dict:
    """The official CSL-JSON input schema from ../shared/reference (CI has it beside the clone)."""
    assert CSL_SCHEMA.is_file(), f"the official CSL schema is missing: expected {CSL_SCHEMA}"
    return json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture
def hostile_project(project: Path) -> Path:
    """The minimal project with one more speaker and entry full of LaTeX, HTML and spreadsheet specials."""
    people = project / "entries" / "_people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + HOSTILE_PEOPLE, encoding="utf-8")
    (project / "entries" / "hostile-entry.yaml").write_text(HOSTILE_ENTRY, encoding="utf-8")
    return project


@pytest.fixture
def hostile_kb(hostile_project: Path) -> KnowledgeBase:
    kb = load(hostile_project)
    assert not [problem for problem in kb.problems if problem.is_error], kb.problems
    assert set(kb.entries) == {"example-essay", "example-talk", "hostile-entry"}
    return kb


# The site built once per session by SITE's fixtures (the real mkdocs.yml, theme and the site test entries,
# one of them hostile), served on 127.0.0.1, and Debian's chromium.
from tests.site.conftest import built_site, site_project, site_url  # noqa: E402, F401
