"""KnowledgeBase -> site pages ({path: text}), independent of MkDocs.

The MkDocs plugin only hands these pages over; another Material-compatible engine could take them as
they are. Every value from an entry reaches the output through an autoescaping Jinja template.
"""

from kb.render.pages import SiteOptions, render_pages

__all__ = ["SiteOptions", "render_pages"]
