"""The citation box on a statement page: the citation in three styles, and BibTeX and CSL-JSON to copy.

The styles switch without JavaScript: one radio button per style, then the three panels, and CSS
(site_src/assets/stylesheets/citebox.css) shows the panel of the checked one. The copy buttons need
JavaScript (site_src/assets/javascripts/citebox.js, loaded from the site itself, no inline code, so the
page's Content-Security-Policy can allow only 'self' scripts); without it they stay hidden and the text
can be selected by hand. Every piece of entry text is escaped here or by `citeproc_html`. The CSL-JSON is a
one-item list, the form Zotero, pandoc and citeproc-js all import, on one line (the box wraps it): an
indented dump goes through Python's slow encoder and adds a few hundred bytes to each of 10,000 pages.
"""

from __future__ import annotations

import json
from html import escape

from kb.export.bibtex import bibtex_entry
from kb.export.citeproc_html import STYLES, format_reference
from kb.export.csl import csl_item
from kb.load import KnowledgeBase

DOWNLOADS = (("JSON", "api/statements/{id}.json"), ("All statements (JSON)", "api/statements.json"),
             ("CSL-JSON", "api/citations.json"), ("BibTeX", "api/citations.bib"), ("CSV", "api/statements.csv"))


def _attr(text: str) -> str:
    return escape(text, quote=True)


def citation_box(kb: KnowledgeBase, entry_id: str, root: str = "../../") -> str:
    """Escaped HTML for the statement `entry_id`. `root` leads from the page to the site root (a statement
    page is statements/<id>/); the download links use it. No blank lines: the page is Markdown with one
    raw HTML block, which a blank line would end."""
    entry = kb.files[entry_id].entry  # not kb.entries, which builds the whole sorted mapping on every call
    if entry is None:
        raise KeyError(f"{entry_id} has errors and no citation")
    item = csl_item(kb, entry_id, entry)
    lines = [f'<div class="kb-cite" data-kb-cite="{_attr(entry_id)}">',
             '<fieldset class="kb-cite__styles">',
             '<legend class="kb-cite__legend">Citation style</legend>']
    for index, (key, (label, _)) in enumerate(STYLES.items()):
        checked = " checked" if index == 0 else ""
        # One box per page, so short fixed ids (they add up over 10,000 pages).
        lines += [f'<input class="kb-cite__choice kb-cite__choice--{key}" type="radio" name="kb-cite-style" '
                  f'id="kb-cite-{key}" value="{key}"{checked}>',
                  f'<label class="kb-cite__tab" for="kb-cite-{key}">{escape(label)}</label>']
    for key in STYLES:
        lines.append(f'<p class="kb-cite__text kb-cite__text--{key}" data-kb-style="{key}">'
                     f"{format_reference(item, key)}</p>")
    lines += ["</fieldset>",
              '<p class="kb-cite__copy">',
              '<button type="button" class="md-button kb-cite__button" data-kb-copy="citation">Copy citation</button>',
              '<button type="button" class="md-button kb-cite__button" data-kb-copy="bibtex">Copy BibTeX</button>',
              '<button type="button" class="md-button kb-cite__button" data-kb-copy="csl-json">Copy CSL-JSON</button>',
              '<span class="kb-cite__status" role="status" aria-live="polite"></span>',
              "</p>"]
    for kind, title, text in (("bibtex", "BibTeX", bibtex_entry(item)),
                              ("csl-json", "CSL-JSON", json.dumps([item], ensure_ascii=False))):
        body = escape(text.strip(), quote=False)  # no blank lines: JSON escapes newlines, BibTeX folds them
        lines.append(f'<details class="kb-cite__source"><summary>{title}</summary>'
                     f'<pre><code data-kb-source="{kind}">{body}</code></pre></details>')
    links = ", ".join(f'<a href="{_attr(root + path.format(id=entry_id))}">{escape(label)}</a>'
                      for label, path in DOWNLOADS)
    lines += [f'<p class="kb-cite__downloads">Download: {links}. '
              f'<a href="{_attr(root)}schema/dataset.schema.json">Dataset schema</a>.</p>', "</div>"]
    return "\n".join(lines)
