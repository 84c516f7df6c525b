"""The `kb` command end to end on mutated real entries: `kb validate`, `kb fmt --check` and `kb fmt` always end
with exit 0, 1 or 2 and a message, never an exception, a traceback or a hang (each example has a deadline).

Two mutators: bytes (insert, delete or replace YAML-significant pieces anywhere) and structure (parse a real
entry, then replace, drop or retype values, put hostile payloads and odd types in, and write it back as
JSON, which is YAML). The registries are the project's real ones, so references resolve as in CI.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.cli import main
from kb.fmt import same_meaning
from kb.yaml_strict import YamlError, parse_bytes
from tests.conftest import FIXTURES, PROJECT
from tests.hardening.payloads import PAYLOADS
from tests.test_fuzz_loader import byte_mutants as mutate_bytes

REAL = sorted((PROJECT / "entries").glob("[!_]*.yaml"))
SEEDS = [path.read_bytes() for path in [*REAL, *sorted(FIXTURES.glob("valid/*.yaml"))]]
INVALID_SEEDS = [path.read_bytes() for path in sorted(FIXTURES.glob("invalid/*.yaml"))]
PIECES = [b":", b": ", b"- ", b"&a ", b"*a", b"!!python/object/apply:os.system ['id']", b"!!binary ", b"[", b"]",
          b"{", b"}", b"\n", b"\n  ", b"\t", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"'", b'"', b"|-\n", b">+\n",
          b"? ", b"---\n", b"...\n", b"# ", b"%YAML 1.1\n", b"%TAG ! tag:x,2000:\n", b"\xe2\x80\xae", b"<<: *a",
          b"1:2:3", b"\\u0000", b"\\x85", b"0x1F", b"1e999", b".nan", b"~", b"yes", b"2023-02-30", b"99:99",
          b"\r", b"\r\n", b"\xc0\xaf", b"\xed\xa0\x80", "\u2028".encode(), b"\x1b[2J"]
ODD_VALUES = st.one_of(
    st.sampled_from(list(PAYLOADS.values())), st.text(max_size=40), st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True), st.booleans(), st.none(), st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.sampled_from(["2023-02-30", "0000", "9999-12-31", "99:99", "1:60", "-1", "https://127.0.0.1/",
                     "http://0x7f000001/", "javascript:alert(1)", "ftp://x.example/", "", " ", "a" * 600]))
EXAMPLES = settings(max_examples=int(os.environ.get("KB_FUZZ_EXAMPLES", "250")), deadline=5000, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def byte_mutants() -> st.SearchStrategy[bytes]:
    return mutate_bytes(SEEDS + INVALID_SEEDS, PIECES, max_steps=8)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@st.composite
def structure_mutants(draw: st.DrawFn) -> bytes:
    value = parse_bytes(draw(st.sampled_from(SEEDS))).value
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(value)[1:]))
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(ODD_VALUES)
        if isinstance(parent, dict) and draw(st.booleans()):
            parent[draw(st.sampled_from(["unknown", "Statement", "source ", "\u202etopics", "<script>"]))] = 1
    return json.dumps(value, ensure_ascii=draw(st.booleans()), default=str, allow_nan=True).encode("utf-8",
                                                                                                  "surrogatepass")


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzzcli")
    (root / "entries").mkdir()
    for name in ("_people.yaml", "_topics.yaml"):
        shutil.copy(PROJECT / "entries" / name, root / "entries" / name)
    shutil.copy(REAL[0], root / "entries" / REAL[0].name)
    return root


def run(*argv: str) -> tuple[int, str, str]:
    """`kb` in this process: any exception but SystemExit escapes and fails the example."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def check_every_command(root: Path, data: bytes) -> None:
    target = root / "entries" / "fuzzed.yaml"
    target.write_bytes(data)
    for argv in (["validate", "--root", str(root)], ["validate", "--strict", "--format", "github", "--root", str(root),
                                                     str(target)],
                 ["fmt", "--check", "--root", str(root), str(target)], ["fmt", "--root", str(root), str(target)]):
        code, out, err = run(*argv)
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in out + err, argv
        if code and argv[0] == "validate" and "--format" not in argv:
            assert "fuzzed.yaml:" in out or code == 2, (argv, out)
    after = target.read_bytes()
    if after != data:  # kb fmt rewrote it: the meaning is kept
        try:
            before = parse_bytes(data).value
        except YamlError:
            pytest.fail("kb fmt rewrote a file it could not read")
        assert same_meaning(parse_bytes(after).value, before)  # NaN is NaN here


@EXAMPLES
@given(data=byte_mutants())
def test_cli_survives_byte_mutants(fuzz_root: Path, data: bytes) -> None:
    check_every_command(fuzz_root, data)


@EXAMPLES
@given(data=structure_mutants())
def test_cli_survives_structure_mutants(fuzz_root: Path, data: bytes) -> None:
    check_every_command(fuzz_root, data)


@pytest.mark.parametrize("speaker", ["[a]", "{a: 1}"])
def test_speaker_that_is_a_list_is_a_message_not_a_crash(fuzz_root: Path, speaker: str) -> None:
    """Found by this fuzz: `kb validate` (and the site build) died with a traceback on `speaker: [a]`."""
    text = REAL[0].read_text(encoding="utf-8")
    text = "\n".join(f"speaker: {speaker}" if line.startswith("speaker:") else line for line in text.splitlines())
    target = fuzz_root / "entries" / "fuzzed.yaml"
    target.write_text(text + "\n", encoding="utf-8")
    try:
        code, out, _ = run("validate", "--root", str(fuzz_root))
    finally:
        target.unlink()
    assert code == 1 and "fuzzed.yaml:" in out and "speaker" in out
