"""Fuzzing: mutated real entries never make the loader or `kb validate` raise, hang or lose a position."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.checks import run_checks
from kb.load import load
from kb.yaml_strict import YamlError, parse_bytes
from tests.conftest import FIXTURES

SEEDS = [path.read_bytes() for path in sorted([*FIXTURES.glob("valid/*.yaml"), *FIXTURES.glob("invalid/*.yaml")])]
YAML_BYTES = [b":", b"-", b"&a", b"*a", b"!!python/object:os.system", b"[", b"]", b"{", b"}", b"\n", b"  ",
              b"\t", b"\xef\xbb\xbf", b"\xff", b"\x00", b"'", b'"', b"|", b">-", b"? ", b"---", b"...", b"#",
              b"%YAML 1.1\n", b"\xe2\x80\xae", b"<<: ", b"1:2:3", b"\\u0000"]


@st.composite
def byte_mutants(draw: st.DrawFn, seeds: list[bytes], pieces: list[bytes], max_steps: int = 6) -> bytes:
    """A seed file with up to `max_steps` pieces (YAML-significant bytes or random ones) inserted, deleted or
    replaced anywhere: the shape of a typo, a bad merge or an attack."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, max_steps))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(pieces), st.binary(min_size=1, max_size=8)))
        if action == "insert":
            data[position:position] = piece
        elif action == "delete":
            del data[position:position + len(piece)]
        else:
            data[position:position + len(piece)] = piece
    return bytes(data)


def mutated_entries() -> st.SearchStrategy[bytes]:
    return byte_mutants(SEEDS, YAML_BYTES)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_entries())
def test_parser_returns_a_document_or_a_positioned_yaml_error(data: bytes) -> None:
    try:
        document = parse_bytes(data)
    except YamlError as error:
        assert error.line >= 1 and error.column >= 1 and error.message
    else:
        assert all(line >= 1 and column >= 1 for line, column in document.positions.values())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=mutated_entries())
def test_validate_never_raises_on_mutated_entries(data: bytes, tmp_path_factory) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FIXTURES / "project", root, dirs_exist_ok=True)
    (Path(root) / "entries" / "fuzzed.yaml").write_bytes(data)
    problems = run_checks(load(root))
    assert all(problem.path and problem.line >= 1 and problem.column >= 1 for problem in problems)
