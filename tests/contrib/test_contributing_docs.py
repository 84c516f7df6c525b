"""The contributor's documents say what the code does: the guide's example validates, its sample message is
the real one, and the issue form's fields are fields of the entry format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from kb.checks import run_checks
from kb.load import load
from kb.model import Entry, Source
from kb.problems import format_text
from tests.conftest import PROJECT

GUIDE = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")
FIRST_EXAMPLE = re.search(r"```yaml\n(.*?)```", GUIDE, re.S).group(1)


def _project_with(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "entries").mkdir()
    for registry in ("_people.yaml", "_topics.yaml"):
        shutil.copy(PROJECT / "entries" / registry, tmp_path / "entries" / registry)
    (tmp_path / "entries" / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_guide_starts_with_the_smallest_correct_example(tmp_path: Path) -> None:
    assert GUIDE.index("```yaml") < GUIDE.index("## ")
    root = _project_with(tmp_path, "example.yaml", FIRST_EXAMPLE)
    errors = [p for p in run_checks(load(root)) if p.path == "entries/example.yaml"]
    assert errors == []
    assert "example" in load(root).entries
    required = {name for name, field in Entry.model_fields.items() if field.is_required()}
    assert set(yaml.safe_load(FIRST_EXAMPLE)) == required


def test_the_sample_problem_in_the_guide_is_what_kb_validate_prints(tmp_path: Path) -> None:
    sample = re.search(r"```\n(entries/\S+: error .*\n    hint: .*)\n```", GUIDE).group(1)
    text = FIRST_EXAMPLE.replace('  at: "51:29"\n', '  at: "51:29"\n  until: "51:20"\n')
    root = _project_with(tmp_path, "tegmark-big-black-box-llms.yaml", text)
    printed = format_text([p for p in run_checks(load(root)) if p.code == "timecode"])
    assert printed == sample


def test_every_issue_form_field_is_a_field_of_the_entry() -> None:
    form = yaml.safe_load((PROJECT / ".github" / "ISSUE_TEMPLATE" / "suggest-a-statement.yml").read_text("utf-8"))
    fields = {item["id"] for item in form["body"] if "id" in item} - {"checked"}
    entry_fields = set(Entry.model_fields) | set(Source.model_fields)
    assert fields <= entry_fields
    assert {"statement", "fidelity", "speaker", "url", "at"} <= fields
    labels = {item["id"]: item["attributes"]["label"] for item in form["body"] if "id" in item}
    assert all(f"({name})" in labels[name] or f"(source.{name})" in labels[name] for name in fields)
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}
    assert required == {"statement", "fidelity", "speaker", "url"}


def test_the_readme_links_the_guide_and_lists_the_new_commands() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in readme
    assert "| `kb new URL --at TIME" in readme and "| `kb fmt [--check] [PATH...]" in readme
