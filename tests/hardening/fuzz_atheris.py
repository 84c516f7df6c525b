"""Coverage-guided fuzzing of `kb validate` with atheris (libFuzzer), seeded with the real entries.

Not collected by pytest (the name does not start with test_). Run it for a while, for example:

    .venv/bin/pip install atheris
    .venv/bin/python tests/hardening/fuzz_atheris.py -max_total_time=180 -print_final_stats=1 /tmp/kb-corpus

Each input is written as one entry of a small project (the real registries and one real entry) and checked
by `kb validate` in this process. Any exception is a crash libFuzzer reports with the input that caused it;
an exit code outside 0, 1 or 2, or a traceback in the output, is turned into one.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["kb"]):
    import kb.checks
    import kb.commands.validate
    import kb.load
    import kb.yaml_strict  # noqa: F401 - imported here so that their code is instrumented
    from kb.cli import main

PROJECT = Path(__file__).resolve().parents[2]
ROOT = Path(tempfile.mkdtemp(prefix="kb-atheris-"))
TARGET = ROOT / "entries" / "fuzzed.yaml"


def _project() -> None:
    (ROOT / "entries").mkdir()
    for name in ("_people.yaml", "_topics.yaml"):
        shutil.copy(PROJECT / "entries" / name, ROOT / "entries" / name)


def _seed_corpus(corpus: Path) -> None:
    """The real entries and the test corpus are the starting points libFuzzer mutates."""
    corpus.mkdir(parents=True, exist_ok=True)
    sources = [*sorted((PROJECT / "entries").glob("[!_]*.yaml")), *sorted((PROJECT / "tests/fixtures").rglob("*.yaml"))]
    for index, path in enumerate(sources):
        shutil.copy(path, corpus / f"seed-{index:03d}.yaml")


def test_one_input(data: bytes) -> None:
    TARGET.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", "--strict", "--root", str(ROOT)])
    if code not in (0, 1, 2) or "Traceback" in out.getvalue() + err.getvalue():
        raise RuntimeError(f"kb validate ended with {code}: {err.getvalue()[-2000:]}")


if __name__ == "__main__":
    _project()
    corpora = [Path(arg) for arg in sys.argv[1:] if not arg.startswith("-")]
    for corpus in corpora:
        _seed_corpus(corpus)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
