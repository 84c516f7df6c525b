"""The entry cache (kb/loadcache.py): a warm run says exactly what a run without it says, without parsing.

Every bad fixture, the bundled entries and a synthetic project go through `kb validate` and `kb export`
three ways: with KB_CACHE=0, with an empty cache (which fills it) and with the filled one, where parsing
is made to fail so that a result that was not really kept shows up.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from kb import loadcache
from kb.export import csl
from kb.load import ENTRIES_DIR, Facts, KnowledgeBase, _read_at_most, load
from kb.model import Entry
from kb.yaml_strict import parse_text
from tests.conftest import FIXTURES, PROJECT

INVALID = sorted(path for path in (FIXTURES / "invalid").iterdir() if path.suffix in (".yaml", ".yml"))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("KB_CACHE", raising=False)
    return home


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> object:
        raise AssertionError("a file was parsed although the cache holds it")
    monkeypatch.setattr(loadcache, "process", refuse)


def _three_ways(monkeypatch: pytest.MonkeyPatch, run: Callable[[], Any]) -> tuple[Any, Any, Any]:
    """(without the cache, filling it, from it) of `run()`."""
    monkeypatch.setenv("KB_CACHE", "0")
    without = run()
    monkeypatch.delenv("KB_CACHE")
    filling = run()
    with monkeypatch.context() as patch:
        _no_parsing(patch)
        patch.setattr(csl, "csl_item", lambda *args: pytest.fail("a CSL item was built although it is kept"))
        kept = run()
    return without, filling, kept


def _hostile_project(project: Path) -> Path:
    for case in INVALID:
        shutil.copyfile(case, project / ENTRIES_DIR / case.name)
    return project


@pytest.mark.parametrize("output", ["json", "text", "github"])
def test_validate_says_the_same_with_and_without_the_cache(output: str, project: Path, cache_home: Path,
                                                           run_kb, monkeypatch: pytest.MonkeyPatch) -> None:
    _hostile_project(project)
    without, filling, kept = _three_ways(
        monkeypatch, lambda: run_kb("validate", "--root", str(project), "--format", output))
    assert without[0] == 1 and without[1].count("\n") > len(INVALID)
    assert filling == without
    assert kept == without
    assert (cache_home / "kb" / loadcache.CACHE_FILE).is_file()


def test_the_bundled_entries_export_the_same_from_the_cache(tmp_path: Path, cache_home: Path, run_kb,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "bundled"
    shutil.copytree(PROJECT / ENTRIES_DIR, root / ENTRIES_DIR)
    outputs = []
    for number in range(3):
        outputs.append(tmp_path / f"out-{number}.json")

    def export() -> tuple[int, str, str]:
        target = outputs.pop(0)
        code, out, _ = run_kb("export", "--format", "csl-json", "--root", str(root), "-o", str(target))
        return code, out, target.read_text(encoding="utf-8")

    without, filling, kept = _three_ways(monkeypatch, export)
    assert without[0] == 0 and json.loads(without[2])
    assert filling == without and kept == without


def test_export_refuses_the_same_errors_from_the_cache(project: Path, cache_home: Path, run_kb,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _hostile_project(project)
    without, filling, kept = _three_ways(
        monkeypatch, lambda: run_kb("export", "--format", "csl-json", "--root", str(project)))
    assert without[0] == 1 and "nothing exported" in without[2]
    assert filling == without and kept == without


def test_load_gives_the_same_knowledge_base_from_the_cache(project: Path, cache_home: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _hostile_project(project)
    plain = load(project)
    load(project, cache=True)
    with monkeypatch.context() as patch:
        _no_parsing(patch)
        kept = load(project, cache=True)
    assert kept.problems == plain.problems
    assert kept.files.keys() == plain.files.keys()
    for entry_id, file in plain.files.items():
        other = kept.files[entry_id]
        assert (other.id, other.path) == (file.id, file.path)
        assert _state(other.entry) == _state(file.entry)
        if file.document is None:
            assert other.document is None
        else:
            assert isinstance(other.document, loadcache.KeptDocument)
            assert "positions" not in vars(other.document)  # not decoded until asked for
            assert (other.document.value, other.document.first_line, other.document.clean) == (
                file.document.value, file.document.first_line, file.document.clean)
            assert other.document.positions == file.document.positions
            assert other.document.key_positions == file.document.key_positions


def _state(model: Any) -> Any:
    """Everything pydantic keeps on a model, nested models and enum types included."""
    if isinstance(model, BaseModel):
        state = model.__getstate__()
        return (type(model), {key: _state(value) for key, value in state.items()})
    if isinstance(model, dict):
        return {key: _state(value) for key, value in model.items()}
    if isinstance(model, set):
        return (set, sorted(model))
    if isinstance(model, (list, tuple)):
        return (type(model), [_state(value) for value in model])
    return (type(model), model)


def _bundled_and_valid() -> list[Path]:
    return sorted((PROJECT / ENTRIES_DIR).glob("[!_]*.yaml")) + sorted((FIXTURES / "valid").glob("*.yaml"))


@pytest.mark.parametrize("path", _bundled_and_valid(), ids=lambda path: path.name)
def test_an_entry_rebuilt_from_its_dump_is_the_validated_entry(path: Path) -> None:
    value = parse_text(path.read_text(encoding="utf-8")).value
    validated = Entry.model_validate(value)
    dumped = json.loads(json.dumps(validated.model_dump(mode="json", exclude_unset=True)))
    rebuilt = loadcache.rebuild(Entry, dumped)
    assert _state(rebuilt) == _state(validated)
    assert rebuilt == validated and repr(rebuilt) == repr(validated)
    assert rebuilt.model_dump() == validated.model_dump()


def test_a_changed_file_is_read_again(project: Path, cache_home: Path, run_kb) -> None:
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 0
    entry = next(path for path in (project / ENTRIES_DIR).glob("[!_]*.yaml"))
    entry.write_text(entry.read_text(encoding="utf-8").replace("\nfidelity: ", "\nfidelity: guessed-"),
                     encoding="utf-8")
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 1 and f"{entry.relative_to(project).as_posix()}:" in out and "fidelity" in out


def test_a_renamed_file_is_read_again(project: Path, cache_home: Path, run_kb,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The name is part of the key: problems name their file, and file-name rules read it."""
    run_kb("validate", "--root", str(project))
    entry = next(path for path in (project / ENTRIES_DIR).glob("[!_]*.yaml"))
    entry.rename(entry.with_name("Renamed.yaml"))
    parsed = []
    monkeypatch.setattr(loadcache, "process", lambda *args: parsed.append(args[1]) or real_process(*args))
    code, out, _ = run_kb("validate", "--root", str(project))
    assert parsed == [f"{ENTRIES_DIR}/Renamed.yaml"]
    assert code == 1 and f"{ENTRIES_DIR}/Renamed.yaml:1:1: error file-name" in out


real_process = loadcache.process


def test_kb_cache_0_neither_reads_nor_writes(project: Path, cache_home: Path, run_kb,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CACHE", "0")
    assert run_kb("validate", "--root", str(project))[0] == 0
    assert not cache_home.exists()


def test_the_cache_lives_outside_the_project(project: Path, cache_home: Path, run_kb) -> None:
    before = sorted(path.relative_to(project) for path in project.rglob("*"))
    run_kb("validate", "--root", str(project))
    assert sorted(path.relative_to(project) for path in project.rglob("*")) == before
    assert loadcache.cache_path() == cache_home / "kb" / loadcache.CACHE_FILE


def test_a_damaged_cache_file_only_costs_time(project: Path, cache_home: Path, run_kb,
                                             caplog: pytest.LogCaptureFixture) -> None:
    expected = run_kb("validate", "--root", str(_hostile_project(project)), "--format", "json")
    path = loadcache.cache_path()
    assert path.is_file()
    path.write_bytes(b"this is not a database" * 100)
    assert run_kb("validate", "--root", str(project), "--format", "json") == expected
    assert "entry cache" in caplog.text and "not used" in caplog.text


@pytest.mark.parametrize("damage", ["{not json", "[]", "null", "[null, [], null, [1]]",
                                    '[null, [[1]], null, [false, null, [], [], null, []]]',
                                    '[[1, true], [], null, [false, null, [], [], null, []]]'])
def test_a_damaged_record_is_read_from_the_file_instead(damage: str, project: Path, cache_home: Path, run_kb,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    expected = run_kb("validate", "--root", str(_hostile_project(project)), "--format", "json")
    with sqlite3.connect(loadcache.cache_path()) as connection:
        connection.execute("UPDATE head SET head = ?", (damage,))
    connection.close()
    assert run_kb("validate", "--root", str(project), "--format", "json") == expected
    assert "not usable" in caplog.text


@pytest.mark.parametrize("damage", ["{not json", "[]", "[{}, {}]", "null", '[{"statement": 1}, true]'])
def test_a_damaged_body_is_read_from_the_file_when_first_used(damage: str, project: Path, cache_home: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    """The parsed value and the entry are decoded only when asked for, long after loading: a body found
    damaged then is made again from the file's bytes, so the value, positions and entry are still right."""
    _hostile_project(project)
    load(project, cache=True)
    with sqlite3.connect(loadcache.cache_path()) as connection:
        connection.execute("UPDATE body SET body = ?", (damage,))
    connection.close()
    kept = load(project, cache=True)
    assert "not usable" not in caplog.text  # nothing decoded yet
    _same_as_plain(project, kept)
    assert "not usable" in caplog.text


def test_a_change_of_kb_code_misses(project: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(project, cache=True)
    loadcache.fingerprint.cache_clear()
    monkeypatch.setattr(loadcache, "version", lambda name: "0-other")
    try:
        with monkeypatch.context() as patch:
            parsed = []
            patch.setattr(loadcache, "process", lambda *args: parsed.append(args[1]) or real_process(*args))
            load(project, cache=True)
        assert len(parsed) == len(list((project / ENTRIES_DIR).glob("[!_]*.yaml")))
    finally:
        loadcache.fingerprint.cache_clear()


def test_the_fingerprint_covers_every_module_a_result_is_made_by() -> None:
    """CODE lists files by hand; this fails when the loader starts importing a kb module it misses, at the
    start or on the way (a module imported inside a function, such as the canonical-layout reader)."""
    entries = [str(path) for path in _bundled_and_valid()] + [str(path) for path in INVALID]
    script = ("import sys, pathlib, kb.loadcache\n"
              f"for path in {entries!r}:\n"
              "    kb.loadcache.process('x', 'entries/x.yaml', pathlib.Path(path).read_bytes())\n"
              "print('\\n'.join(name for name in sys.modules if name.startswith('kb')))")
    names = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           cwd=PROJECT).stdout.split()
    covered = {path for pattern in loadcache.CODE for path in (PROJECT / "kb").glob(pattern)}
    for name in names:
        module = PROJECT.joinpath(*name.split("."))
        path = module / "__init__.py" if module.is_dir() else module.with_suffix(".py")
        assert path in covered, name


@pytest.mark.parametrize(("size", "expected"), [(0, 0), (10, 10), (10, 3), (10, 50), (300, 300), (300, 100)])
def test_a_file_is_read_whole_up_to_the_limit_whatever_its_size_said(tmp_path: Path, size: int,
                                                                     expected: int) -> None:
    """The reader asks for the size stat gave; a file that grew since is still read to the limit."""
    path = tmp_path / "entry.yaml"
    data = bytes(range(256)) * 2
    path.write_bytes(data[:size])
    assert _read_at_most(path, expected, 201) == data[:min(size, 201)]


def test_a_kept_csl_item_follows_its_speaker(project: Path, cache_home: Path, run_kb) -> None:
    """An item names its speaker, who lives in another file: renaming them must not leave old lines."""
    def export() -> dict[str, Any]:
        code, out, _ = run_kb("export", "--format", "csl-json", "--root", str(project))
        assert code == 0
        return {item["id"]: item for item in json.loads(out)}

    before = export()
    people = project / ENTRIES_DIR / "_people.yaml"
    text = people.read_text(encoding="utf-8")
    name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("name:"))
    people.write_text(text.replace(name, "Zed Renamed", 1), encoding="utf-8")
    after = export()
    assert before.keys() == after.keys()
    changed = [entry_id for entry_id in before if before[entry_id] != after[entry_id]]
    assert changed and all(after[entry_id]["author"] == [{"family": "Renamed", "given": "Zed"}]
                           for entry_id in changed)


def _same_as_plain(project: Path, kept: KnowledgeBase) -> None:
    plain = load(project)
    assert kept.problems == plain.problems
    assert kept.files.keys() == plain.files.keys()
    for entry_id, file in plain.files.items():
        other = kept.files[entry_id]
        assert _state(other.entry) == _state(file.entry), entry_id
        assert (other.document is None) == (file.document is None), entry_id
        if file.document is not None:
            assert other.document.value == file.document.value
            assert other.document.positions == file.document.positions


@pytest.mark.parametrize("cache", ["1", "0"])
def test_a_worker_process_reads_half_the_files_with_the_same_result(cache: str, project: Path, cache_home: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _hostile_project(project)
    monkeypatch.setenv("KB_CACHE", cache)
    monkeypatch.setattr(loadcache, "POOL_THRESHOLD", 2)
    monkeypatch.setattr(loadcache, "workers", lambda: 2)
    started = []
    real_start = loadcache._start_worker
    monkeypatch.setattr(loadcache, "_start_worker", lambda files: started.append(len(files)) or real_start(files))
    parsed_here = []
    monkeypatch.setattr(loadcache, "process", lambda *args: parsed_here.append(args[1]) or real_process(*args))
    kept = load(project, cache=True)
    total = len(list((project / ENTRIES_DIR).glob("[!_]*.y*ml")))
    assert started and started[0] >= total // 2 - 1
    assert len(parsed_here) < total  # the worker's share was not read again here
    _same_as_plain(project, kept)
    if cache == "1":  # what the worker read was kept too
        with monkeypatch.context() as patch:
            _no_parsing(patch)
            _same_as_plain(project, load(project, cache=True))


def test_a_failing_worker_leaves_its_share_to_this_process(project: Path, cache_home: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _hostile_project(project)
    monkeypatch.setattr(loadcache, "POOL_THRESHOLD", 2)
    monkeypatch.setattr(loadcache, "workers", lambda: 2)
    monkeypatch.setattr(loadcache.sys, "executable", "/bin/false")
    _same_as_plain(project, load(project, cache=True))


def test_only_a_text_only_model_lets_equal_mean_the_same() -> None:
    """The shortcut that stores 'the entry is its parsed value' trusts == only when no field can hold a number
    or a boolean (1 == True == 1.0, so a number field would make a converted value look unchanged)."""
    class Counted(BaseModel):
        title: str
        count: int | None = None

    assert loadcache._text_only(Entry)
    assert not loadcache._text_only(Counted)


def test_an_unquoted_year_is_kept_as_the_text_it_was_validated_to(project: Path, cache_home: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    entry = next(path for path in (project / ENTRIES_DIR).glob("[!_]*.yaml"))
    text = entry.read_text(encoding="utf-8")
    entry.write_text(re.sub(r"^said: .*$", "said: 2021", text, count=1, flags=re.MULTILINE), encoding="utf-8")
    load(project, cache=True)
    with monkeypatch.context() as patch:
        _no_parsing(patch)
        kept = load(project, cache=True).files[entry.stem]
    assert kept.document.value["said"] == 2021 and kept.entry.said == "2021"


def test_duplicate_findings_are_kept_and_follow_every_edit(project: Path, cache_home: Path, run_kb,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The near-duplicate and duplicate findings are kept under every file's key: a warm run gives them
    without comparing the statements again, and editing any file makes them be worked out anew."""
    from kb.checks import duplicates

    talk = project / "entries" / "example-talk.yaml"
    text = talk.read_text(encoding="utf-8")
    near = text.replace("We really have no intuition as to what's going on here.",
                        "We really have no intuition as to what's going on in here.")
    copy = project / "entries" / "example-talk-again.yaml"
    copy.write_text(near.replace("watch?v=AAAAAAAAAAA", "watch?v=BBBBBBBBBBB"), encoding="utf-8")
    without, filling, kept = _three_ways(monkeypatch, lambda: run_kb("validate", "--root", str(project)))
    assert "near-duplicate" in without[1]
    assert without == filling
    with monkeypatch.context() as patch:
        patch.setattr(duplicates, "_duplicates", lambda *args: pytest.fail("compared although kept"))
        assert run_kb("validate", "--root", str(project)) == without
    copy.write_text(text, encoding="utf-8")  # the same words from the same source: a duplicate, an error
    again = run_kb("validate", "--root", str(project))
    monkeypatch.setenv("KB_CACHE", "0")
    assert again == run_kb("validate", "--root", str(project))
    assert again[0] == 1 and "duplicate: the same statement from the same source" in again[1]
    assert kept == without


def _not_decoded(patch: pytest.MonkeyPatch) -> None:
    """Fail on any decoding of a kept record's body (the parsed value and the entry)."""
    patch.setattr(loadcache._Body, "decode", lambda self: pytest.fail(f"the body of {self.shown_as} was decoded"))


@pytest.mark.parametrize("command", [("validate", "--format", "json"), ("validate",),
                                     ("export", "--format", "csl-json")])
def test_a_warm_run_decodes_no_document_and_no_entry(command: tuple[str, ...], tmp_path: Path, cache_home: Path,
                                                     run_kb, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing changed: the rules read each file's kept facts and findings, the CSL-JSON lines are kept, so
    neither a parsed value nor an entry is restored."""
    root = tmp_path / "bundled"
    shutil.copytree(PROJECT / ENTRIES_DIR, root / ENTRIES_DIR)
    without, filling, _ = _three_ways(monkeypatch, lambda: run_kb(*command, "--root", str(root)))
    assert without[0] == 0 and without == filling
    with monkeypatch.context() as patch:
        _no_parsing(patch)
        _not_decoded(patch)
        assert run_kb(*command, "--root", str(root)) == without
        with pytest.raises(pytest.fail.Exception, match="was decoded"):  # what BibTeX needs is not kept
            run_kb("export", "--format", "bibtex", "--root", str(root))


def _edit_words(project: Path) -> None:
    talk = project / ENTRIES_DIR / "example-talk.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("intuition", "idea"), encoding="utf-8")


def _rename(project: Path) -> None:
    (project / ENTRIES_DIR / "example-talk.yaml").rename(project / ENTRIES_DIR / "example-talk-renamed.yaml")


def _rename_speaker(project: Path) -> None:
    people = project / ENTRIES_DIR / "_people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Example Lab", "name: Other Lab"),
                      encoding="utf-8")


def _drop_speaker(project: Path) -> None:
    people = project / ENTRIES_DIR / "_people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("example-lab:", "example-labs:"), encoding="utf-8")


def _future_date(project: Path) -> None:
    essay = project / ENTRIES_DIR / "example-essay.yaml"
    essay.write_text(essay.read_text(encoding="utf-8").replace("said: 2024-03", "said: 2999-03"), encoding="utf-8")


def _new_code(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Callable[[Path], None]:
    """A change of kb's code as far as the cache can tell (its fingerprint, or the CSL code's), with a CSL
    item that now says so."""
    def change(project: Path) -> None:
        real, item = getattr(module, name), csl.csl_item
        monkeypatch.setattr(module, name, lambda: real() + b"changed")
        monkeypatch.setattr(csl, "csl_item", lambda *args: {**item(*args), "note": "new code"})
    return change


@pytest.mark.parametrize("change", ["edit", "rename", "speaker-renamed", "speaker-gone", "future-date",
                                    "kb-code", "csl-code"])
def test_a_changed_input_never_gives_a_stale_export(change: str, project: Path, cache_home: Path, run_kb,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """After a warm run, each change the export depends on gives what a run without the cache gives, and
    not what it gave before: a file's words or name, the people registry, the date, kb's code."""
    changes = {"edit": _edit_words, "rename": _rename, "speaker-renamed": _rename_speaker,
               "speaker-gone": _drop_speaker, "future-date": _future_date,
               "kb-code": _new_code(monkeypatch, loadcache, "fingerprint"),
               "csl-code": _new_code(monkeypatch, csl, "_code")}

    def export() -> tuple[int, str, str]:
        return run_kb("export", "--format", "csl-json", "--root", str(project))

    before = export()
    assert before[0] == 0 and export() == before  # filled, then warm
    changes[change](project)
    after = export()
    monkeypatch.setenv("KB_CACHE", "0")
    assert after == export()
    assert after != before


@pytest.mark.parametrize("name", ["a.yaml", "a.b.yaml", ".yaml", "..yaml", "x.yml", "Upper.YAML.yaml", "a.yaml.yml",
                                  "_x.yaml", "ö.yaml", "a.yxml"])
def test_an_entry_files_id_is_its_paths_stem(name: str) -> None:
    from pathlib import PurePosixPath

    from kb.load import _ENTRY_NAME, file_stem

    assert _ENTRY_NAME.match(name)
    assert file_stem(name) == PurePosixPath(name).stem


@pytest.mark.parametrize("one_by_one", [0, 1, 1000])
def test_what_is_fetched_late_is_right_even_when_the_cache_lost_it(one_by_one: int, project: Path, cache_home: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Bodies are fetched when first needed, a few one by one and then the rest at once: all give what the
    file gives, also when another kb emptied the cache between loading and asking."""
    _hostile_project(project)
    monkeypatch.setattr(loadcache, "_ONE_BY_ONE", one_by_one)
    load(project, cache=True)
    kept = load(project, cache=True)
    _same_as_plain(project, kept)
    emptied = load(project, cache=True)
    with sqlite3.connect(loadcache.cache_path()) as connection:
        connection.execute("DELETE FROM body")
    connection.close()
    _same_as_plain(project, emptied)


def test_bibtex_from_the_cache_is_the_same(tmp_path: Path, cache_home: Path, run_kb,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """BibTeX reads every entry, so every kept body is fetched (more than are fetched one by one)."""
    root = tmp_path / "bundled"
    shutil.copytree(PROJECT / ENTRIES_DIR, root / ENTRIES_DIR)
    assert len(list((root / ENTRIES_DIR).glob("[!_]*.yaml"))) > loadcache._ONE_BY_ONE
    monkeypatch.setenv("KB_CACHE", "0")
    without = run_kb("export", "--format", "bibtex", "--root", str(root))
    monkeypatch.delenv("KB_CACHE")
    filling = run_kb("export", "--format", "bibtex", "--root", str(root))
    with monkeypatch.context() as patch:
        _no_parsing(patch)
        kept = run_kb("export", "--format", "bibtex", "--root", str(root))
    assert without[0] == 0 and filling == without and kept == without


@pytest.mark.parametrize("selected", [["example-talk.yaml"], ["example-talk.yaml", "example-essay.yaml"], []])
def test_kept_csl_lines_make_the_same_file_for_any_number(selected: list[str], project: Path, cache_home: Path,
                                                          run_kb, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept lines are joined into the file by hand (one join, not three copies): one line, two, all."""
    paths = [str(project / ENTRIES_DIR / name) for name in selected]
    without, filling, kept = _three_ways(
        monkeypatch, lambda: run_kb("export", "--format", "csl-json", "--root", str(project), *paths))
    assert without[0] == 0 and len(json.loads(without[1])) == (len(selected) or 2)
    assert filling == without and kept == without


@pytest.mark.parametrize("text", ['[1, "a", {"b": null}]', "[]", '"x"', "[1] ", " [1]", "[1][2]", "[1", "", "nul",
                                  '{"a": NaN}', '"\\ud800"', "[1,]"])
def test_a_head_is_decoded_as_json_loads_decodes_it_or_refused(text: str) -> None:
    try:
        expected = json.loads(text)
    except ValueError:
        expected = ValueError
    try:
        got = loadcache._decode(text)
    except ValueError:
        got = ValueError
    assert got == expected or (got is ValueError and text != text.strip())  # json.loads allows spaces around


def test_past_max_rows_the_cache_starts_again_when_written(project: Path, cache_home: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    load(project, cache=True)
    monkeypatch.setattr(loadcache, "MAX_ROWS", 1)
    with sqlite3.connect(loadcache.cache_path()) as connection:
        connection.execute("CREATE TABLE entry (key TEXT)")  # as kb before the head/body split kept them
        (before,) = connection.execute("SELECT count(*) FROM head").fetchone()
    connection.close()
    assert before > 1
    load(project, cache=True)  # reads, writes nothing: nothing trimmed
    with sqlite3.connect(loadcache.cache_path()) as connection:
        assert connection.execute("SELECT count(*) FROM head").fetchone() == (before,)
    connection.close()
    _edit_words(project)
    _same_as_plain(project, load(project, cache=True))  # writes one: trimmed first
    with sqlite3.connect(loadcache.cache_path()) as connection:
        (after,) = connection.execute("SELECT count(*) FROM head").fetchone()
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    connection.close()
    assert after == 1 and "entry" not in tables


def test_facts_follow_a_replaced_entry_or_document(project: Path, cache_home: Path) -> None:
    """The facts the rules read are the file's own, for a file read now and one from the cache, also after
    its entry or document is replaced."""
    plain = load(project).files["example-talk"]
    load(project, cache=True)
    kept = load(project, cache=True).files["example-talk"]
    assert isinstance(kept, loadcache.KeptFile)
    expected = Facts.of(plain.document, plain.entry)
    assert expected.valid and expected.cited_speaker
    for file in (kept, plain):
        assert file.facts == expected
        file.entry = None
        assert file.facts == expected._replace(valid=False, speaker=None, topics=(), dates=())
        file.document = None
        assert file.facts == Facts(False)


_PEOPLE_CASES = {
    "fine": None,
    "bad-slug": "Bad Slug:\n  name: X\n  description: Y\n",
    "bad-item": "zed-nobody:\n  name: Zed\n  description: Y\n  kind: robot\n",
    "number-like-key": "12:\n  name: Twelve\n  description: Y\n",
    "not-a-mapping": "- just\n- a list\n",
    "broken": "ada-example: [unclosed\n",
}


@pytest.mark.parametrize("case", sorted(_PEOPLE_CASES))
def test_a_kept_registry_says_what_the_file_says(case: str, project: Path, cache_home: Path, run_kb,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The registries are kept like entry files: the same findings, items and positions from the cache, and
    the file is not read again (or, when it could not come back the same, read each time)."""
    people = project / ENTRIES_DIR / "_people.yaml"
    if _PEOPLE_CASES[case] is not None:
        extra = _PEOPLE_CASES[case]
        people.write_text(extra if case in ("not-a-mapping", "broken") else people.read_text(encoding="utf-8")
                          + extra, encoding="utf-8")
    without, filling, _ = _three_ways(monkeypatch, lambda: run_kb("validate", "--root", str(project),
                                                                  "--format", "json"))
    assert filling == without
    plain = load(project)
    with monkeypatch.context() as patch:
        if case in ("fine", "bad-slug", "bad-item", "not-a-mapping", "broken"):
            patch.setattr(loadcache, "registry_of", lambda *args: pytest.fail("the registry was read again"))
        assert run_kb("validate", "--root", str(project), "--format", "json") == without
        kept = load(project, cache=True)
    for registry, other in ((plain.people, kept.people), (plain.topics, kept.topics)):
        assert _state(other.items) == _state(registry.items)
        assert (other.document is None) == (registry.document is None)
        if registry.document is not None:
            assert (other.document.value, other.document.first_line, other.document.clean) == (
                registry.document.value, registry.document.first_line, registry.document.clean)
            assert other.document.positions == registry.document.positions
            assert other.document.key_positions == registry.document.key_positions
