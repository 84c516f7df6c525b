"""BibTeX: parsed back by a real parser (bibtexparser), one entry per statement, hostile text intact."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.bparser import BibTexParser

from kb.export.base import exportable
from kb.export.bibtex import escape, to_bibtex, unescape
from kb.export.csl import csl_items
from kb.export.names import person_name
from kb.load import KnowledgeBase, load
from tests.conftest import PROJECT
from tests.export.conftest import HOSTILE_TITLE


def _parse(text: str) -> dict[str, dict[str, str]]:
    parser = BibTexParser(common_strings=True)
    return {entry["ID"]: entry for entry in bibtexparser.loads(text, parser=parser).entries}


def test_one_entry_per_statement_for_the_real_entries() -> None:
    kb = load(PROJECT)
    entries = exportable(kb)
    parsed = _parse(to_bibtex(csl_items(kb, entries)))
    assert sorted(parsed) == sorted(entries)


def test_fields_round_trip(hostile_kb: KnowledgeBase) -> None:
    items = {item["id"]: item for item in csl_items(hostile_kb, exportable(hostile_kb))}
    parsed = _parse(to_bibtex(list(items.values())))
    assert set(parsed) == set(items)
    for key, item in items.items():
        entry = parsed[key]
        assert unescape(entry["title"].removeprefix("{").removesuffix("}")) == item["title"]
        assert unescape(entry["note"]) == item["note"]
        assert entry["url"] == item["URL"]
        assert entry["year"] == str(item["issued"]["date-parts"][0][0])
    assert parsed["hostile-entry"]["ENTRYTYPE"] == "misc"
    assert unescape(parsed["hostile-entry"]["title"][1:-1]) == HOSTILE_TITLE
    assert parsed["example-talk"]["month"] == "February"
    assert parsed["example-talk"]["date"] == "2023-02-14"
    assert parsed["example-talk"]["urldate"] == "2026-11-20"
    assert parsed["example-talk"]["author"] == "Example, Ada"
    assert parsed["example-essay"]["author"] == "{Example Lab}"
    assert parsed["example-talk"]["note"].startswith("At 22:32")
    assert "1:02:03" in parsed["hostile-entry"]["note"]


def test_latex_specials_are_escaped_and_braces_stay_balanced() -> None:
    escaped = escape(HOSTILE_TITLE)
    assert not re.search(r"(?<!\\)[&%$#_]|[~^]", escaped)
    assert r"\&" in escaped and r"\%" in escaped and r"\$5" in escaped and r"\#1" in escaped
    assert r"\_score" in escaped and r"\textbackslash{}slash" in escaped
    assert r"\textbraceleft{}open" in escaped and r"\textbraceright{} close" in escaped
    depth = 0
    for char in escaped:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    assert unescape(escaped) == HOSTILE_TITLE


def test_non_ascii_stays_utf8() -> None:
    assert escape("Sébastien Bubeck – “quoted”") == "Sébastien Bubeck – “quoted”"


@pytest.mark.parametrize("text", ["}", "{", "\\", "a}b{c", "\\}{"])
def test_a_hostile_field_cannot_end_the_entry(text: str, hostile_kb: KnowledgeBase) -> None:
    """Whatever a title holds, the parser still finds every entry and the field that follows it."""
    items = csl_items(hostile_kb, exportable(hostile_kb))
    items[0] = {**items[0], "title": f"before {text} after"}
    parsed = _parse(to_bibtex(items))
    assert len(parsed) == len(items)
    assert unescape(parsed[items[0]["id"]]["title"][1:-1]) == f"before {text} after"
    assert parsed[items[0]["id"]]["year"]


def test_interviewer_goes_into_the_note(hostile_kb: KnowledgeBase) -> None:
    items = csl_items(hostile_kb, exportable(hostile_kb))
    items[0] = {**items[0], "interviewer": [{"family": "Host", "given": "Jo"}]}
    entry = _parse(to_bibtex(items))[items[0]["id"]]
    assert entry["note"].startswith("Interviewed by Jo Host. ")
    assert "editor" not in entry


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed (scripts/install-system-deps)")
@pytest.mark.parametrize("name", ["Mallory and Eve Forged", "Ann =HYPERLINK(\"x\")", "Bo <a href=\"x\">Link</a>"])
def test_a_hostile_author_name_stays_one_author(hostile_kb: KnowledgeBase, name: str, tmp_path: Path) -> None:
    """" and " must not forge a co-author; "=" or markup must not make pandoc drop the author."""
    items = csl_items(hostile_kb, exportable(hostile_kb))
    items[0] = {**items[0], "author": [person_name(name)]}
    bib = tmp_path / "x.bib"
    bib.write_text(to_bibtex(items), encoding="utf-8")
    result = subprocess.run(["pandoc", "-f", "bibtex", "-t", "csljson", str(bib)], capture_output=True, text=True,
                            timeout=60, check=True)
    (read,) = [item for item in json.loads(result.stdout) if item["id"] == items[0]["id"]]
    assert len(read["author"]) == 1
    assert " and " not in _parse(to_bibtex(items))[items[0]["id"]]["author"].replace("{Mallory and Eve}", "")


def test_plain_names_are_not_braced(hostile_kb: KnowledgeBase) -> None:
    items = csl_items(hostile_kb, exportable(hostile_kb))
    items[0] = {**items[0], "author": [person_name("Jean-Claude van Damme"), person_name("Seán O'Brien Jr.")]}
    assert _parse(to_bibtex(items))[items[0]["id"]]["author"] == "van Damme, Jean-Claude and O'Brien, Jr., Seán"
