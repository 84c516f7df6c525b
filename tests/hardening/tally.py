"""Run the hardening tests and count: hostile inputs tried, refused, flagged, neutralised; known defects (strict
xfails); fuzz examples run; anything lost, executed or hung (a failing test).

    .venv/bin/python tests/hardening/tally.py            # all of tests/hardening
    .venv/bin/python tests/hardening/tally.py -m "not browser"
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
GROUPS = {
    "validator verdict per (field, payload), as expected": "test_validator_verdict",
    "site: payload shown as text": "test_value_is_shown_as_text",
    "site: payload injects nothing": "test_value_injects_nothing",
    "site: whole-site checks (no handler, no file read, no template, feed, search index)":
        ("test_no_page_runs", "test_no_file_is_read", "test_template_syntax", "test_feed_", "test_search_index"),
    "exports: JSON/CSL exact, CSV guard, BibTeX": ("test_json_", "test_csl_", "test_csv_", "test_no_csv",
                                                   "test_bibtex_", "test_pandoc_", "test_every_statement"),
    "refused: ids, slugs, file names, sizes, paths": ("test_look_alike", "test_bad_file_name", "test_a_statement_in",
                                                      "test_symlinked", "test_paths_outside", "test_field_over",
                                                      "test_ten_megabyte", "test_sparse", "test_many_files",
                                                      "test_date_in", "test_time_code_in", "test_fifo",
                                                      "test_year_zero", "test_a_readme"),
    "strict production build fails on flagged text": "test_strict_build",
    "browser (chromium)": ("test_hostile_pages_run", "test_embed_", "test_filters_from", "test_search_results"),
    "kb new: hostile page title, flags and ids": ("test_a_hostile_", "test_an_id_that"),
    "code hygiene and kb fmt on the hostile corpus": ("test_no_shell", "test_the_scan", "test_fmt_refuses"),
    "fuzz (Hypothesis, kb validate + kb fmt end to end)": ("test_cli_survives", "test_speaker_that"),
    "scanner self-tests": ("test_escaped_markup", "test_injected_markup", "test_markup_turned"),
}


def _group(name: str) -> str:
    for group, prefixes in GROUPS.items():
        if name.startswith(prefixes if isinstance(prefixes, tuple) else (prefixes,)):
            return group
    return "other"


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        result = subprocess.run([sys.executable, "-m", "pytest", "tests/hardening", "-q", "-p", "no:cacheprovider",
                                 "--hypothesis-show-statistics", f"--junitxml={report}", *argv],
                                cwd=PROJECT, capture_output=True, text=True)
        cases = ET.parse(report).getroot().iter("testcase")
        outcomes: dict[str, Counter[str]] = {}
        verdicts: Counter[str] = Counter()
        for case in cases:
            name = case.get("name", "")
            if case.find("failure") is not None or case.find("error") is not None:
                outcome = "FAILED"
            elif (skipped := case.find("skipped")) is not None:
                outcome = "known defect (xfail)" if skipped.get("type") == "pytest.xfail" else "skipped"
            else:
                outcome = "passed"
            outcomes.setdefault(_group(name), Counter())[outcome] += 1
            if name.startswith("test_validator_verdict"):
                for prop in case.iter("property"):
                    if prop.get("name") == "verdict":
                        verdicts[prop.get("value", "")] += 1
    examples = sum(int(n) for n in re.findall(r"- (\d+) passing, \d+ failing", result.stdout))
    failing = sum(int(n) for n in re.findall(r"- \d+ passing, (\d+) failing", result.stdout))
    print("hostile (field, payload) pairs through validator, site and exports:", sum(verdicts.values()))
    for verdict in ("refused", "flagged", "accepted"):
        print(f"  validator verdict {verdict}: {verdicts[verdict]}")
    print("  (flagged = a warning: CI's --strict refuses it; the non-strict build must still neutralise it)")
    for group in [*GROUPS, "other"]:
        if group in outcomes:
            counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes[group].items()))
            print(f"{group}: {counts}")
    print(f"fuzz examples run: {examples} ({failing} failing)")
    total = sum(outcomes.values(), Counter())
    print(f"total: {sum(total.values())} tests; " + ", ".join(f"{n} {o}" for o, n in sorted(total.items())))
    print(f"pytest exit code: {result.returncode}")
    if result.returncode not in (0,):
        print(result.stdout[-3000:])
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
