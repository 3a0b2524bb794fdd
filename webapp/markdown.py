"""Markdown for user posts: CommonMark without raw HTML, then an allow-list sanitiser.

Two layers on purpose: markdown-it-py never passes raw HTML through (`html: False`) and refuses
`javascript:`-style links, and nh3 (the Ammonia sanitiser) then keeps only the tags, attributes
and URL schemes listed here — so no `<script>`, no `on*=`/`hx-*` attributes, no `style`.
"""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Headings inside a post sit below the page's own h1/h2.
HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def _shift_headings(tokens) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = HEADING_SHIFT[token.tag]


@lru_cache(maxsize=1024)
def render_markdown(source: str) -> Markup:
    """Render Markdown to HTML that is safe to put in a page."""
    tokens = _parser.parse(source or "")
    _shift_headings(tokens)
    html = _parser.renderer.render(tokens, _parser.options, {})
    cleaned = nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc", strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above


def render_markdown_block(source: str) -> Markup:
    """The `markdown` template filter: sanitised HTML inside `<div class="ugc" hx-disable>`, so htmx
    never processes user content even if an allowed tag or attribute ever meant something to it.
    (The API's `body_html` stays the bare `render_markdown` output.)"""
    return Markup('<div class="ugc" hx-disable>') + render_markdown(source) + Markup("</div>")
