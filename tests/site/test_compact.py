"""Indentation between tags goes; nothing that renders or runs changes."""

from __future__ import annotations

from kb.render.compact import compact


def test_indentation_between_tags_becomes_one_line_break() -> None:
    assert compact("<div>\n      <p>a</p>\n\n    </div>") == "<div>\n<p>a</p>\n</div>"


def test_indentation_next_to_text_becomes_one_line_break() -> None:
    """As Material writes its navigation: a browser shows both as " Home " in a line of text."""
    assert compact('<span class="x">\n    \n  \n    Home\n  \n\n    \n  </span>') == '<span class="x">\nHome\n</span>'
    assert compact("<p>one\n   two</p>") == "<p>one\n   two</p>"


def test_text_spaces_and_tags_without_line_breaks_stay() -> None:
    html = '<p>two  spaces</p> <a href="x">link</a>  <b>b</b>'
    assert compact(html) == html


def test_pre_textarea_script_and_style_stay_byte_for_byte() -> None:
    kept = ("<pre><code>a\n    <span>b</span>\n  </code></pre>", "<textarea>\n  x\n</textarea>",
            "<script>if (a >\n   <b) {}</script>", "<STYLE>\n  p > \n  a {}</STYLE >",
            "<code>\n  x\n</code>", "<kbd>\n  Ctrl\n</kbd>")
    html = "\n  ".join(("<div>", *kept, "</div>"))
    compacted = compact(html)
    assert all(part in compacted for part in kept)
    assert compacted.count("\n  ") == sum(part.count("\n  ") for part in kept)


def test_attribute_values_with_line_breaks_stay() -> None:
    """Values are escaped (Jinja and Markdown write `&lt;` and `&gt;`), so no tag boundary is inside one."""
    html = '<meta content="line one\n   line two">\n   <p title="a &gt;\n  &lt;b">x</p>'
    assert compact(html) == '<meta content="line one\n   line two">\n<p title="a &gt;\n  &lt;b">x</p>'
