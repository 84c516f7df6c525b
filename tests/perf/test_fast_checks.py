"""The rules made fast for 10,000 entries find exactly what the plain versions found.

Near-duplicates are found by prefix filtering; the reference here compares every pair. Character
findings take an ASCII fast path; the reference looks at every character.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from pathlib import Path, PurePosixPath

import pytest

from kb.checks import characters, duplicates, files
from kb.checks.characters import BIDI_CONTROLS, INVISIBLE, findings
from kb.checks.context import Context
from kb.checks.dates import later
from kb.load import EntryFile, KnowledgeBase, Registry
from kb.model import parse_partial_date
from kb.yaml_strict import Document, YamlError, parse_text


def _pairwise(sets: list[set[str]], common: int) -> list[tuple[int, int, float]]:
    """The original rule: shared shingles (ignoring those held by more than `common`) over the union."""
    holders: dict[str, int] = {}
    for shingle_set in sets:
        for shingle in shingle_set:
            holders[shingle] = holders.get(shingle, 0) + 1
    found = []
    for number, first in enumerate(sets):
        for other in range(number):
            shared = sum(holders[shingle] <= common for shingle in first & sets[other])
            similarity = shared / len(first | sets[other]) if first | sets[other] else 0
            if shared and similarity >= duplicates.NEAR:
                found.append((number, other, round(similarity, 6)))
    return found


class _Entry:
    def __init__(self, number: int) -> None:
        self.path = f"entries/e{number}.yaml"
        self.document = None


@pytest.mark.parametrize("seed", range(30))
def test_near_duplicates_match_the_pairwise_comparison(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    common = rng.choice([3, 5, 50])
    monkeypatch.setattr(duplicates, "COMMON", common)
    vocabulary = [f"w{number}" for number in range(rng.choice([6, 12, 40]))]
    bases = [[rng.choice(vocabulary) for _ in range(rng.randint(1, 14))] for _ in range(5)]
    statements = []
    for _ in range(rng.randint(2, 40)):
        tokens = list(rng.choice(bases))
        for index in range(len(tokens)):
            if rng.random() < rng.choice([0.0, 0.1, 0.3]):
                tokens[index] = rng.choice(vocabulary)
        statements.append(tokens)
    sets = [duplicates.shingles(tokens) for tokens in statements]
    files = [_Entry(number) for number in range(len(sets))]
    keys = [(" ".join(tokens), f"https://example.org/{number}") for number, tokens in enumerate(statements)]
    found = [(int(problem.path[9:-5]), problem.message) for problem in duplicates._near_duplicates(files, keys, sets)]
    expected = [(number, f"this statement is {similarity:.0%} like the one in {files[other].path}")
                for number, other, similarity in _pairwise(sets, common)]
    assert found == expected


def _reference_findings(text: str, is_name: bool) -> list[str]:
    """The character rule before its fast path: every character looked at."""
    found = []
    bidi = sorted({f"U+{ord(char):04X}" for char in text if char in BIDI_CONTROLS})
    if bidi:
        found.append(f"bidirectional control characters ({', '.join(bidi)}) can make text read differently "
                     "from how it is stored")
    invisible = sorted({f"U+{ord(char):04X}" for char in text if char in INVISIBLE})
    if invisible:
        found.append(f"invisible characters ({', '.join(invisible)})")
    other = sorted({f"U+{ord(char):04X}" for char in text
                    if unicodedata.category(char) in ("Cc", "Co", "Cs", "Cn") and char not in "\n\t\r"})
    if other:
        found.append(f"control or unassigned characters ({', '.join(other)})")
    if is_name:
        mixed = [word for word in text.split() if len(characters._scripts(word)) > 1]
        if mixed:
            found.append(f"letters from more than one script in one word ({', '.join(mixed[:3])}), "
                         "which is how look-alike names are made")
    return found


ALPHABET = "ab Z9\n\t\r\x00\x1f\x7f\x85é\u0430\u202e\u200b\u00ad\ue000\U000e0001\u0378 -"


@pytest.mark.parametrize("seed", range(200))
def test_character_findings_match_the_full_scan(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))
    for is_name in (False, True):
        assert findings(text, is_name) == _reference_findings(text, is_name), repr(text)


def test_validate_warns_about_a_near_duplicate(project: Path, run_kb) -> None:
    talk = (project / "entries" / "example-talk.yaml").read_text(encoding="utf-8")
    near = talk.replace("We really have no intuition as to what's going on here.",
                        "We really have no intuition as to what's going on in here.")
    near = near.replace("watch?v=AAAAAAAAAAA", "watch?v=BBBBBBBBBBB")  # 8 of 11 word 4-grams shared
    (project / "entries" / "example-talk-again.yaml").write_text(near, encoding="utf-8")
    code, out, _ = run_kb("validate", "--root", str(project))
    assert code == 0
    assert ("entries/example-talk.yaml:2:12: warning near-duplicate: this statement is 73% like the one in "
            "entries/example-talk-again.yaml") in out, out


@pytest.mark.parametrize("seed", range(20))
def test_dates_compared_as_text_order_as_their_numbers(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        year, month, day = rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28)
        value = f"{year:04d}-{month:02d}-{day:02d}"[:rng.choice([4, 7, 10])]
        than = dt.date(rng.choice([year, rng.randint(1, 9999)]), rng.choice([month, rng.randint(1, 12)]),
                       rng.choice([day, rng.randint(1, 28)])).isoformat()
        parts = parse_partial_date(value)
        assert later(value, than) is (parts > parse_partial_date(than)[:len(parts)]), (value, than)


def _character_problems(document: Document) -> list[str]:
    kb = KnowledgeBase(root=Path("."), files={"x": EntryFile(id="x", path="entries/x.yaml", document=document)},
                       people=Registry(path="p"), topics=Registry(path="t"), problems=[])
    return [problem.message for problem in characters.check_characters(kb, Context(dt.date(2026, 1, 1)))]


YAML_ALPHABET = ["a", " ", "\n", "\t", ": ", "- ", "'", '"', "\\", "u202e", "x07", "N", "é", "\u200b", "#", "k"]


@pytest.mark.parametrize("seed", range(300))
def test_a_clean_document_holds_nothing_the_character_rule_would_flag(seed: int) -> None:
    rng = random.Random(seed)
    text = "k: " + "".join(rng.choice(YAML_ALPHABET) for _ in range(rng.randint(0, 20)))
    try:
        document = parse_text(text)
    except YamlError:
        return
    if document.clean:
        document.clean = False  # walk it as if it were not marked
        assert _character_problems(document) == [], repr(text)


def test_an_escape_in_ascii_text_is_not_clean_and_is_flagged() -> None:
    document = parse_text('name: "Ann\\u202eB"\n')
    assert not document.clean
    assert _character_problems(document) == [
        "name: bidirectional control characters (U+202E) can make text read differently from how it is stored"]
    assert parse_text("name: Ann B\n").clean


@pytest.mark.parametrize("seed", range(20))
def test_the_file_name_suffix_is_the_one_pathlib_gives(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        name = "".join(rng.choice("a.Yy_ä") for _ in range(rng.randint(0, 7)))
        path = f"entries/{name}"
        assert files._suffix(path) == PurePosixPath(path).suffix, path
