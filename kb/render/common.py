"""What every page renderer shares: the template environment, names, dates and page assembly.

Pages are Markdown files whose body is one raw HTML block: Markdown leaves raw HTML alone, so text
from an entry (escaped by Jinja) can never turn into Markdown emphasis, links or markup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import escape

from kb.load import KnowledgeBase
from kb.model import Entry, Fidelity, Person

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
FIDELITY_LABELS = {
    Fidelity.verbatim: "Verbatim",
    Fidelity.excerpt: "Excerpt",
    Fidelity.paraphrase: "Paraphrase",
}
_BLANK_LINES = re.compile(r"\n\s*\n")
# What may stay raw in a double-quoted YAML scalar: printable characters that no YAML reader refuses or reads
# as a line break. Everything else (C0 and C1 controls, DEL, NEL, U+2028/U+2029, surrogates, the BOM, U+FFFE/F)
# is written as a \uXXXX escape, which YAML reads back as the same character.
_YAML_UNSAFE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class SiteOptions:
    """What pages need to know about where the site lives."""

    repo: str = "we-dont-know-how/kb"
    site_url: str = ""
    branch: str = "main"

    def edit_url(self, entry_id: str) -> str:
        return f"https://github.com/{self.repo}/edit/{self.branch}/entries/{entry_id}.yaml"

    def page_url(self, path: str) -> str:
        """Absolute URL of a site path such as 'statements/x/' (relative when no site_url is known)."""
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else path


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("kb.render", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["date"] = display_date
    env.filters["paragraphs"] = paragraphs
    return env


def render(template: str, **values: object) -> str:
    return environment().get_template(template).render(**values)


def display_date(value: str | None) -> str:
    """'2023-05-17' to '17 May 2023', '2023-05' to 'May 2023', '2023' stays."""
    if not value:
        return ""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def paragraphs(text: str) -> list[str]:
    """A text field split at blank lines, each paragraph on one line."""
    return [" ".join(part.split()) for part in _BLANK_LINES.split(text.strip()) if part.strip()]


def year(entry: Entry) -> str:
    return entry.said[:4]


def snippet(text: str, words: int = 12) -> str:
    tokens = text.split()
    return " ".join(tokens[:words]) + ("…" if len(tokens) > words else "")


def is_quoted(entry: Entry) -> bool:
    """Only the speaker's own words go in quotation marks; a paraphrase never does."""
    return entry.fidelity is not Fidelity.paraphrase


def person(kb: KnowledgeBase, slug: str) -> Person:
    return kb.people.items[slug]


def root_of(path: str) -> str:
    """The relative prefix from a page to the site root, with directory URLs ('people/x.md' is /people/x/)."""
    parts = path.removesuffix(".md").split("/")
    depth = len(parts) - 1 if parts[-1] == "index" else len(parts)
    return "../" * depth


def _escaped(key: str, value: object) -> object:
    if key in ("title", "description"):
        return str(escape(value))
    if key == "tags":
        return [str(escape(tag)) for tag in value]  # type: ignore[union-attr]
    return value


def front_matter_value(value: object) -> str:
    """A value as YAML: JSON (which is YAML) with every character a YAML reader refuses escaped.

    `json.dumps` leaves C1 controls, DEL and U+2028 raw; PyYAML then refuses the whole front matter, and
    MkDocs silently renders the page, front matter included, as Markdown: a title such as
    `"x\x80 [a](javascript:...){: onclick=...}"` became a live link (HARDEN DEFECT-1).
    """
    return _YAML_UNSAFE.sub(lambda found: f"\\u{ord(found[0]):04x}", json.dumps(value, ensure_ascii=False))


def page(meta: dict[str, object], html: str) -> str:
    """A Markdown page: front matter (see front_matter_value) and one HTML block.

    Titles, descriptions and search tags are HTML-escaped here: MkDocs and Material put them into HTML
    (and the search index, whose titles are HTML) unescaped.
    Blank lines are removed so Markdown sees a single raw HTML block.
    """
    front = {key: _escaped(key, value) for key, value in meta.items()}
    lines = [f"{key}: {front_matter_value(value)}" for key, value in front.items()]
    body = _BLANK_LINES.sub("\n", html.strip())
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def read_page(text: str) -> tuple[dict[str, object], str]:
    """A page made by `page()` back as (front matter, HTML body), without a YAML parser: each front matter
    line is `key: <JSON>`, as `page()` writes it (a test checks the result equals PyYAML's reading)."""
    front, body = text.removeprefix("---\n").split("\n---\n\n", 1)
    meta = {}
    for line in front.split("\n"):
        key, value = line.split(": ", 1)
        meta[key] = json.loads(value)
    return meta, body
