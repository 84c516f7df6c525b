"""BibTeX for BibTeX and biblatex, derived from the CSL-JSON items so both say the same thing.

Decisions:
- Keys are the entry ids (lowercase slugs: nothing to escape).
- Text stays UTF-8 (biber, biblatex and bibtexparser read it; 8-bit BibTeX users can run it through
  `iconv`); only LaTeX's special characters are escaped: & % $ # _ become \\& \\% \\$ \\# \\_, and
  \\ { } ~ ^ become \\textbackslash{}, \\textbraceleft{}, \\textbraceright{}, \\textasciitilde{},
  \\textasciicircum{}. Braces are never escaped as \\{ because BibTeX counts every brace, escaped or not;
  the forms used here keep every field balanced whatever the entry says.
- URLs go into `url` unescaped (the url package and biblatex read them verbatim) unless they contain a
  brace, backslash or space, which a valid entry URL never does; then they are escaped like text.
- Titles are wrapped in one extra pair of braces so no style lowercases a speaker's capitals.
- Types: @article (journal, magazine, newspaper), @inproceedings, @techreport, @book, and @misc for
  talks, podcasts, interviews, videos, web pages and preprints, with `howpublished` saying which;
  biblatex's `date`, `urldate` and `eventtitle` sit beside BibTeX's `year` and `month`.
- `month` is BibTeX's month macro (`may`, unbraced), which biblatex reads as well.
- `note` carries the time code or page and the words, as in the CSL-JSON, and the interviewer if any
  (BibTeX has no interviewer field; `editor` would print as "ed.").
"""

from __future__ import annotations

import re
from typing import Any

from kb.export.csl import CslItem
from kb.export.names import CslName, display

SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
           "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "&": r"\&", "%": r"\%", "$": r"\$",
           "#": r"\#", "_": r"\_"}
_SPECIAL = re.compile("|".join(re.escape(char) for char in SPECIAL))
_URL_UNSAFE = re.compile(r"[\\{}\s]")
_PLAIN_NAME = re.compile(r"[^\W\d_]+(?:[ .'\u2019-]+[^\W\d_]+)*[ .'\u2019-]*\Z")  # letters and . ' - spaces
ENTRY_TYPES = {"article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
               "paper-conference": "inproceedings", "report": "techreport", "book": "book"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def escape(text: str) -> str:
    """Text with LaTeX's special characters escaped, in one pass so no escape is escaped again."""
    return _SPECIAL.sub(lambda match: SPECIAL[match.group()], " ".join(text.split()))


def _name_part(text: str) -> str:
    """A plain part as it is; anything else braced, so readers take it whole: a part holding the word
    "and" would otherwise forge a co-author, and pandoc drops an author whose name holds "=" or markup."""
    plain = _PLAIN_NAME.match(text) and not any(word.lower() == "and" for word in text.split())
    return escape(text) if plain else "{" + escape(text) + "}"


def _name(name: CslName) -> str:
    """'van Beethoven, Jr., Ludwig'; a literal name is braced so BibTeX never splits it."""
    if "literal" in name:
        return "{" + escape(name["literal"]) + "}"
    family = " ".join(part for part in (name.get("non-dropping-particle"), name["family"]) if part)
    parts = [family, name.get("suffix"), name.get("given")]
    return ", ".join(_name_part(part) for part in parts if part)


def _iso(parts: list[int]) -> str:
    return "-".join(f"{part:02d}" if index else f"{part:04d}" for index, part in enumerate(parts))


def _fields(item: CslItem) -> dict[str, str]:
    """BibTeX field name to its already escaped value, in a reader's order."""
    fields: dict[str, str] = {"author": " and ".join(_name(name) for name in item["author"]),
                              "title": "{" + escape(item["title"]) + "}"}
    entry_type = ENTRY_TYPES.get(item["type"], "misc")
    container = item.get("container-title")
    publisher = item.get("publisher")
    if entry_type == "article" and container:
        fields["journal"] = escape(container)
    elif entry_type == "inproceedings":
        fields["booktitle"] = escape(container or item.get("event-title", ""))
    elif entry_type == "techreport" and publisher:
        fields["institution"] = escape(publisher)
    elif entry_type == "misc":
        described = [item.get("genre"), container, publisher]
        fields["howpublished"] = escape(", ".join(part for part in described if part) or "Online")
    if publisher and entry_type in ("article", "book", "inproceedings"):
        fields["publisher"] = escape(publisher)
    if "event-title" in item and entry_type != "inproceedings":
        fields["eventtitle"] = escape(item["event-title"])
    issued = item["issued"]["date-parts"][0]
    fields["year"] = str(issued[0])
    if len(issued) > 1:
        fields["month"] = MONTHS[issued[1] - 1]  # a month macro, written without braces
    fields["date"] = _iso(issued)
    if "page" in item:
        fields["pages"] = escape(item["page"])
    url = item["URL"]
    fields["url"] = escape(url) if _URL_UNSAFE.search(url) else url
    if "accessed" in item:
        fields["urldate"] = _iso(item["accessed"]["date-parts"][0])
    interviewers = [display(name) for name in item.get("interviewer", [])]
    by = f"Interviewed by {' and '.join(interviewers)}. " if interviewers else ""
    fields["note"] = escape(by + item["note"])
    return fields


def bibtex_entry(item: CslItem) -> str:
    entry_type = ENTRY_TYPES.get(item["type"], "misc")
    fields = _fields(item)
    width = max(len(name) for name in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value if name == 'month' else '{' + value + '}'}"
                       for name, value in fields.items())
    return f"@{entry_type}{{{item['id']},\n{body}\n}}\n"


def to_bibtex(items: list[CslItem]) -> str:
    """The .bib file: one entry per statement, separated by blank lines."""
    return "\n".join(bibtex_entry(item) for item in items)


def unescape(text: str) -> str:
    """The inverse of `escape` (for tests and tools reading the file back)."""
    inverse: dict[str, Any] = {value: key for key, value in SPECIAL.items()}
    pattern = re.compile("|".join(re.escape(value) for value in sorted(inverse, key=len, reverse=True)))
    return pattern.sub(lambda match: inverse[match.group()], text)
