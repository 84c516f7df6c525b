"""The Content-Security-Policy of a built page: only the site's own scripts, styles and images.

Material writes a few small inline scripts into every page; their sha256 hashes are computed from the
finished HTML *without the page's content* (the only part entry text reaches) and named in the policy,
so the theme's scripts run and a script that got into the content would not. The policy is a
`<meta http-equiv>` (a static host may not let us set headers) whose content is a placeholder in the
template until the page is finished.
"""

from __future__ import annotations

import base64
import hashlib
import re

from kb.render.statement import EMBED_HOSTS

PLACEHOLDER = "kb-csp-placeholder"
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
_INLINE_STYLE = re.compile(r"<style[^>]*>(?P<body>.*?)</style>", re.DOTALL)
_DATA_BLOCK = re.compile(r"""\btype=["']?application/(?:ld\+)?json""")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """Hashes of the inline scripts (JSON data blocks do not run and need none) and inline styles."""
    scripts = [_hash(match["body"]) for match in _INLINE_SCRIPT.finditer(html)
               if not _DATA_BLOCK.search(match["attrs"])]
    styles = [_hash(match["body"]) for match in _INLINE_STYLE.finditer(html)]
    return list(dict.fromkeys(scripts)), list(dict.fromkeys(styles))


def policy(html: str, content: str = "", *, allow_inline_scripts: bool = False) -> str:
    """The policy for one page. `allow_inline_scripts` is for `mkdocs serve`, whose live reload is inline."""
    scripts, styles = inline_hashes(html.replace(content, "") if content else html)
    script_src = ["'self'", "'unsafe-inline'"] if allow_inline_scripts else ["'self'", *scripts]
    directives = {
        "default-src": ["'none'"],
        "script-src": script_src,
        "style-src": ["'self'", *styles],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-src": list(EMBED_HOSTS),
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def apply(html: str, content: str = "", *, allow_inline_scripts: bool = False) -> str:
    """The page with its policy filled in (unchanged when the template has no placeholder)."""
    if PLACEHOLDER not in html:
        return html
    return html.replace(PLACEHOLDER, policy(html, content, allow_inline_scripts=allow_inline_scripts), 1)
