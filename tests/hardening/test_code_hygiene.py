"""Defences that were 'code review' become tests: no shell, no eval, no unsafe YAML anywhere in kb/, and
`kb fmt` (which writes files) survives the hostile corpus the validator refuses."""

from __future__ import annotations

import ast
import shutil
import time
from pathlib import Path

import pytest

from kb.fmt import same_meaning
from kb.yaml_strict import YamlError, parse_bytes
from tests.conftest import FIXTURES, PROJECT

SOURCES = sorted((PROJECT / "kb").rglob("*.py"))
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_ATTRIBUTES = {("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"), ("pickle", "loads"),
                        ("pickle", "load"), ("marshal", "loads"), ("yaml", "load"), ("yaml", "unsafe_load"),
                        ("yaml", "full_load"), ("yaml", "load_all"), ("subprocess", "getoutput"),
                        ("subprocess", "getstatusoutput")}
SUBPROCESS_CALLS = {"run", "call", "check_call", "check_output", "Popen"}


def _imports_pyyaml(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.Import) and any(alias.name == "yaml" for alias in node.names)
               for node in ast.walk(tree))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.relative_to(PROJECT).as_posix())
def test_no_shell_no_eval_no_unsafe_loader(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pyyaml = _imports_pyyaml(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in FORBIDDEN_CALLS:
            found.append(f"{function.id}() at line {node.lineno}")
        if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
            pair = (function.value.id, function.attr)
            if pair in FORBIDDEN_ATTRIBUTES and (pair[0] != "yaml" or pyyaml):
                found.append(f"{'.'.join(pair)}() at line {node.lineno}")
            if function.value.id == "subprocess" and function.attr in SUBPROCESS_CALLS and node.args \
                    and not isinstance(node.args[0], ast.List | ast.Tuple | ast.Name):
                found.append(f"subprocess.{function.attr} with a string command at line {node.lineno}")
        for keyword in node.keywords:
            safe = isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            if keyword.arg == "shell" and not safe:
                found.append(f"shell= at line {node.lineno}")
    assert found == [], "; ".join(found)


def test_the_scan_sees_what_it_forbids(tmp_path: Path) -> None:
    """The check above can fail: a file with each forbidden call is caught."""
    source = tmp_path / "bad.py"
    source.write_text("import os, subprocess, yaml\nos.system('x')\nsubprocess.run('ls', shell=True)\n"
                      "yaml.load(s)\neval('1')\n", encoding="utf-8")
    with pytest.raises(AssertionError) as caught:
        test_no_shell_no_eval_no_unsafe_loader(source)
    assert all(word in str(caught.value) for word in ("os.system", "shell=", "yaml.load", "eval"))


HOSTILE = sorted((FIXTURES / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("case", HOSTILE, ids=lambda path: path.name)
def test_fmt_refuses_or_keeps_the_meaning_of_every_hostile_fixture(project: Path, run_kb, case: Path) -> None:
    """Alias bombs, unsafe tags, deep nesting, bad bytes: `kb fmt` writes nothing it could not read strictly."""
    target = project / "entries" / case.name
    shutil.copyfile(case, target)
    before = target.read_bytes()
    started = time.monotonic()
    code, out, err = run_kb("fmt", "--root", str(project), str(target))
    assert time.monotonic() - started < 10
    assert code in (0, 1) and "Traceback" not in out + err
    after = target.read_bytes()
    if after != before:
        assert same_meaning(parse_bytes(after).value, parse_bytes(before).value)
    else:
        try:
            parse_bytes(before)
        except YamlError:
            assert code == 1 and case.name in out
