"""kb.render on its own (no MkDocs): the pages it returns and their front matter."""

from __future__ import annotations

from pathlib import Path

import yaml

from kb.load import load
from kb.render import SiteOptions, render_pages

FIXTURES = Path(__file__).parent / "fixtures"


def pages() -> dict[str, str]:
    return render_pages(load(FIXTURES), SiteOptions(site_url="https://example.org/kb/"))


def front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_one_page_per_statement_person_and_topic_plus_the_sections() -> None:
    assert set(pages()) == {
        "index.md", "statements/index.md", "people/index.md", "topics/index.md", "timeline.md", "feed.xml",
        *(f"statements/{name}.md" for name in ("example-talk", "example-essay", "example-article",
                                               "example-podcast", "hostile-markup")),
        *(f"people/{name}.md" for name in ("ada-example", "bob-example", "mallory-example", "example-lab")),
        *(f"topics/{name}.md" for name in ("emergence", "prompting", "interpretability")),
    }


def test_front_matter_is_yaml_with_escaped_titles_and_search_settings() -> None:
    rendered = pages()
    hostile = front_matter(rendered["statements/hostile-markup.md"])
    assert hostile["title"].startswith("Mallory &lt;b&gt;Bold&lt;/b&gt; [pwned](https://evil.example.com/name): “")
    assert hostile["search"] == {"boost": 4}
    assert hostile["tags"] == ["Prompting"]
    home = front_matter(rendered["index.md"])
    assert home["template"] == "home.html"
    assert front_matter(rendered["statements/index.md"])["search"] == {"exclude": True}


def test_page_bodies_are_single_html_blocks_markdown_cannot_touch() -> None:
    for path, text in pages().items():
        if not path.endswith(".md"):
            continue
        body = text.split("---\n", 2)[2].strip()
        assert body.startswith("<") and body.endswith(">"), path
        assert "\n\n" not in body, path  # a blank line would end the raw HTML block
        assert "<script" not in body and "<b>" not in body, path
