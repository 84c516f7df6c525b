"""`kb fmt`: canonical order and style, comments kept, idempotent, --check, refusals, and never a change of meaning."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kb.fmt import format_text, same_meaning
from kb.load import load
from kb.yaml_strict import parse_text
from tests.conftest import FIXTURES

SHUFFLED = """\
# A note the contributor wrote.
added: 2026-11-22
topics:
  - prompting   # the closest topic
source:
    url: https://www.youtube.com/watch?v=CCCCCCCCCCC
    at: 1:02
    title: 'Example Lecture 11'
    type: lecture
statement: "We do not know why this prompt works."
speaker: ada-example  # Ada, not Bea
fidelity: verbatim
said: 2023-02-14
"""

CANONICAL = """\
# yaml-language-server: $schema=../kb/schema/entry.schema.json
# A note the contributor wrote.
statement: >-
  We do not know why this prompt works.
fidelity: verbatim
speaker: ada-example  # Ada, not Bea
said: 2023-02-14
source:
  type: lecture
  title: 'Example Lecture 11'
  url: https://www.youtube.com/watch?v=CCCCCCCCCCC
  at: "1:02"
topics:
  - prompting   # the closest topic
added: 2026-11-22
"""


def _entry(project: Path, name: str, text: str) -> Path:
    path = project / "entries" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_canonical_project_is_left_byte_for_byte(project: Path, run_kb) -> None:
    before = {path.name: path.read_bytes() for path in (project / "entries").iterdir()}
    code, out, err = run_kb("fmt", "--root", str(project))
    assert (code, out, err) == (0, "4 files: 0 reformatted\n", "")
    assert before == {path.name: path.read_bytes() for path in (project / "entries").iterdir()}


def test_keys_are_put_in_model_order_keeping_comments_and_wording(project: Path, run_kb) -> None:
    path = _entry(project, "shuffled.yaml", SHUFFLED)
    code, out, _ = run_kb("fmt", "--root", str(project))
    assert code == 0
    assert "reformatted entries/shuffled.yaml" in out
    assert path.read_text(encoding="utf-8") == CANONICAL


def test_formatting_twice_changes_nothing_the_second_time(project: Path, run_kb) -> None:
    path = _entry(project, "shuffled.yaml", SHUFFLED)
    run_kb("fmt", "--root", str(project))
    once = path.read_bytes()
    code, out, _ = run_kb("fmt", "--root", str(project), str(path))
    assert (code, out) == (0, "1 files: 0 reformatted\n")
    assert path.read_bytes() == once


def test_check_lists_files_that_would_change_exits_1_and_writes_nothing(project: Path, run_kb) -> None:
    path = _entry(project, "shuffled.yaml", SHUFFLED)
    code, out, _ = run_kb("fmt", "--check", "--root", str(project))
    assert code == 1
    assert out.splitlines() == [
        "entries/shuffled.yaml:1:1: error not-formatted: the file is not in the canonical layout",
        "    hint: run 'kb fmt entries/shuffled.yaml'",
        "5 files: 1 would be reformatted",
    ]
    assert path.read_text(encoding="utf-8") == SHUFFLED
    run_kb("fmt", "--root", str(project))
    assert run_kb("fmt", "--check", "--root", str(project))[0] == 0


def test_check_reports_github_annotations(project: Path, run_kb) -> None:
    _entry(project, "shuffled.yaml", SHUFFLED)
    code, out, _ = run_kb("fmt", "--check", "--format", "github", "--root", str(project))
    assert code == 1
    assert out == ("::error file=entries/shuffled.yaml,line=1,col=1,title=not-formatted::the file is not in the "
                   "canonical layout (hint: run 'kb fmt entries/shuffled.yaml')\n")


def test_a_file_that_does_not_parse_is_reported_at_its_place_and_left_alone(project: Path, run_kb) -> None:
    broken = "statement: x\nsource:\n  title: [unclosed\nadded: 2026-11-22\n"
    path = _entry(project, "broken.yaml", broken)
    code, out, _ = run_kb("fmt", "--root", str(project))
    assert code == 1
    assert out.splitlines()[0].startswith("entries/broken.yaml:4:6: error yaml-syntax: YAML syntax error")
    assert out.splitlines()[-1] == "5 files: 0 reformatted, 1 cannot be read (see above)"
    assert path.read_text(encoding="utf-8") == broken


def test_refused_yaml_such_as_aliases_is_left_alone(project: Path, run_kb) -> None:
    text = (FIXTURES / "invalid" / "alias.yaml").read_text(encoding="utf-8")
    path = _entry(project, "alias.yaml", text)
    code, out, _ = run_kb("fmt", "--root", str(project), str(path))
    assert code == 1 and "error yaml-alias" in out
    assert path.read_text(encoding="utf-8") == text


def test_schema_line_is_added_relative_to_the_file(project: Path, run_kb) -> None:
    path = _entry(project, "bare.yaml", CANONICAL.split("\n", 1)[1])
    run_kb("fmt", "--root", str(project), str(path))
    assert path.read_text(encoding="utf-8") == CANONICAL


def test_bom_and_crlf_become_plain_utf8_with_lf(project: Path, run_kb) -> None:
    path = project / "entries" / "bom-crlf.yaml"
    path.write_bytes((FIXTURES / "valid" / "bom-crlf.yaml").read_bytes())
    run_kb("fmt", "--root", str(project), str(path))
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert same_meaning(parse_text((FIXTURES / "valid" / "bom-crlf.yaml").read_bytes().decode("utf-8-sig")).value,
                        parse_text(data.decode()).value)


def test_long_statement_is_folded_at_single_spaces_without_changing_it(tmp_path: Path) -> None:
    words = "We do not know why  this works, " * 12
    text = f'statement: "{words.strip()}"\n'
    result = format_text(text, tmp_path / "entries" / "x.yaml", tmp_path)
    assert result.splitlines()[1] == "statement: >-"
    assert all(len(line) <= 100 for line in result.splitlines()[1:])
    assert parse_text(result).value == parse_text(text).value


def test_registry_keeps_its_slug_order_and_orders_each_item(project: Path, run_kb) -> None:
    path = project / "entries" / "_people.yaml"
    path.write_text("# people\nzed-example:  # last name first\n  description: Z.\n  name: Zed\n"
                    "ada-example:\n  kind: person\n  name: Ada Example\n  description: A.\n"
                    "example-lab:\n  name: Example Lab\n  description: A lab.\n", encoding="utf-8")
    run_kb("fmt", "--root", str(project), str(path))
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../kb/schema/people.schema.json\n# people\n"
        "zed-example:  # last name first\n  name: Zed\n  description: Z.\n"
        "ada-example:\n  name: Ada Example\n  description: A.\n  kind: person\n"
        "example-lab:\n  name: Example Lab\n  description: A lab.\n")


def test_write_is_atomic_and_keeps_the_file_mode(project: Path, run_kb) -> None:
    path = _entry(project, "shuffled.yaml", SHUFFLED)
    os.chmod(path, 0o640)
    run_kb("fmt", "--root", str(project))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def test_formatted_project_still_validates_the_same(project: Path, run_kb) -> None:
    _entry(project, "shuffled.yaml", SHUFFLED)
    before = {id_: entry.model_dump() for id_, entry in load(project).entries.items()}
    run_kb("fmt", "--root", str(project))
    assert {id_: entry.model_dump() for id_, entry in load(project).entries.items()} == before


def test_yaml_that_only_the_strict_reader_accepts_is_refused_at_its_place(project: Path, run_kb) -> None:
    text = CANONICAL.replace("title: 'Example Lecture 11'", "title: Example\t]Lecture")
    path = _entry(project, "tab.yaml", text)
    code, out, _ = run_kb("fmt", "--root", str(project), str(path))
    assert code == 1
    assert out.splitlines()[0] == ("entries/tab.yaml:10:17: error fmt-refused: kb fmt cannot lay this file out: "
                                   "found character '\\t' that cannot start any token")
    assert path.read_text(encoding="utf-8") == text
