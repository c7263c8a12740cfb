"""Put back the standfirst: the lead paragraph a page shows between its headline and its text.

News and magazine pages set the lead apart (a bold teaser paragraph in the article's header),
and extractors read that styling as a teaser for another article and drop it. The page names
its own lead, though: its description (og:description / description) is that paragraph, often
word for word or cut short. When the extracted body lacks it, the page element that shows it
before the body's first paragraph becomes the body's first paragraph.

Many pages describe themselves otherwise (an SEO summary, the first sentence of the body), and
their lead, set apart the same way, is then found by where it stands: the one paragraph of
prose shown between the page's headline (the `<h1>` that shows it, not a blog's or a site's
name) and the body's first paragraph, when little else stands there (a kicker, a byline, a
date), in the article's own header or body. Captions, list items, forms, mostly-linked lines
and a box of its own beside the article (an author's bio by the portrait) are never the lead.
"""

from __future__ import annotations

import re

from lxml import html

from explainer.ingest.html_markdown import Block, MarkdownRenderer
from explainer.ingest.html_meta import PageMeta

# A description this short ("News from Berlin") could open any element; it names no lead.
_MIN_KEY_CHARACTERS = 40
_KEY_CHARACTERS = 60
# The element shown must be the lead itself, not a section that starts with it.
_MAX_GROWTH = 2.0
_MAX_EXTRA_CHARACTERS = 300
# Never the lead: scripts, and the page's own furniture around the article.
_OUTSIDE = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "nav", "aside", "footer",
        "form", "button", "select", "option", "textarea", "label", "menu", "dialog", "a",
    }
)  # fmt: skip
_MIN_BODY_PARAGRAPH = 40


def add_standfirst(tree: html.HtmlElement, blocks: list[Block], meta: PageMeta) -> list[Block]:
    """`blocks` with the page's shown standfirst first, when they lack it (else `blocks`)."""
    if not blocks:
        return blocks
    kept = _fold(" ".join(block.text for block in blocks))
    body_starts = _first_body_texts(blocks)
    key = _fold(meta.description).rstrip(".…")[:_KEY_CHARACTERS].rstrip()
    headlines = {_fold(headline) for headline in (meta.title, *meta.headlines) if headline}
    lead = None
    # Some pages describe themselves with their headline, which is not the body's, and some
    # with the body's first lines: then their lead, if any, is found by its place alone.
    if (
        len(key) >= _MIN_KEY_CHARACTERS
        and not any(headline.startswith(key) for headline in headlines)
        and key not in kept
    ):
        lead = _shown_lead(tree, key, len(_fold(meta.description)), body_starts)
    if lead is None:
        lead = _lead_after_headline(tree, body_starts, kept, meta.title, headlines)
    if lead is None:
        return blocks
    renderer = MarkdownRenderer(meta.base_url or None)
    rendered = [b for b in renderer.render(lead) if b.kind == "paragraph"]
    if len(rendered) != 1:
        return blocks
    return [*rendered, *blocks]


def _shown_lead(
    tree: html.HtmlElement, key: str, description_length: int, body_starts: set[str]
) -> html.HtmlElement | None:
    """The smallest element whose text opens with `key`, found before the body's first
    paragraph (None when the body's start is not found first, or no element fits)."""
    body = tree.find(".//body")
    if body is None or not body_starts:
        return None
    # Most pages show no such text before the body: one look at the page's text settles them.
    page_text = _fold(body.text_content())
    shown_at = page_text.find(key)
    body_at = min((page_text.find(start) for start in body_starts), default=-1)
    if shown_at < 0 or body_at < 0 or shown_at > body_at:
        return None
    limit = max(_MAX_GROWTH * description_length, description_length + _MAX_EXTRA_CHARACTERS)
    best: tuple[int, html.HtmlElement] | None = None
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        raw = element.text_content()
        opening = _opening(raw)
        if opening in body_starts:
            return best[1] if best else None
        if not opening.startswith(key):
            continue
        length = len(_fold(raw))
        # The innermost such element (it comes last, and is no longer than its parents).
        if length <= limit and (best is None or length <= best[0]) and not _outside(element, body):
            best = (length, element)
    return None


def _first_body_texts(blocks: list[Block]) -> set[str]:
    """How the body's first paragraph opens (folded), to find where the body starts."""
    for block in blocks:
        if block.kind == "paragraph" and len(block.text) >= _MIN_BODY_PARAGRAPH:
            return {_opening(block.text)}
    return set()


def _outside(element: html.HtmlElement, body: html.HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node is body:
            return False
        if isinstance(node.tag, str) and node.tag.lower() in _OUTSIDE:
            return True
    return False


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _opening(text: str) -> str:
    """_fold(text)[:_KEY_CHARACTERS] without folding all of a long text: the folded start of
    the text is the start of the folded text."""
    size = 4 * _KEY_CHARACTERS
    while True:
        folded = _fold(text[:size])
        if len(folded) > _KEY_CHARACTERS or size >= len(text):
            return folded[:_KEY_CHARACTERS]
        size *= 4


# The lead found by its place: prose (this long, a sentence, hardly linked) standing between
# the headline and the body, with no more than this much text between them in all.
_MIN_LEAD_CHARACTERS = 80
_MAX_LEAD_LINK_SHARE = 0.3
_MAX_GAP_CHARACTERS = 1500
# ...and in the article's own header or body: it shares an element this close with the
# headline or with the body's first paragraph.
_NEAR_LEVELS = 3
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)]?(?:\s|$)")
# Elements that hold other blocks: the lead is the innermost block holding its text.
_HOLDS_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "header", "main", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "ul", "ol", "dl", "li", "table", "figure",
    }
)  # fmt: skip
_LEAD_TAGS = frozenset({"p", "div", "h2", "h3", "h4", "span", "strong", "b", "em"})
# Never a lead, nor inside one: a caption, a date or address, a list or table cell, a form.
_NOT_AROUND_LEAD = frozenset({"figure", "figcaption", "caption", "time", "address", "li", "td"})
_NOT_IN_LEAD = (_OUTSIDE - {"a"}) | {"input", "iframe", "img"}  # links: by their share


def _lead_after_headline(
    tree: html.HtmlElement, body_starts: set[str], kept: str, title: str, headlines: set[str]
) -> html.HtmlElement | None:
    """The last lead-like block between the `<h1>` that shows the page's `title` (or a part of
    it) and the body's first paragraph (None: no such headline before the body, too much
    between them, or no lead)."""
    body = tree.find(".//body")
    if body is None or not body_starts:
        return None
    headline, body_start, leaves = _between_headline_and_body(body, body_starts, _fold(title))
    if headline is None or body_start is None:
        return None
    found = None
    for element, raw in leaves:
        text = _fold(raw)
        if text not in kept and text not in headlines and _is_lead_like(element, raw, text, body):
            found = element
    if found is None or not (_near(found, headline) or _near(found, body_start)):
        return None  # a box of its own beside the article (an author's bio) is no lead
    return found


def _between_headline_and_body(
    body: html.HtmlElement, body_starts: set[str], title: str
) -> tuple[html.HtmlElement | None, html.HtmlElement | None, list[tuple[html.HtmlElement, str]]]:
    """The headline `<h1>`, the body's first paragraph (None: not found within
    _MAX_GAP_CHARACTERS of the headline) and the innermost blocks between them, with their
    text."""
    headline = None
    leaves: list[tuple[html.HtmlElement, str]] = []
    gap = 0
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "h1":
            shown = _fold(element.text_content())
            # The headline, or the part of it a page shows (not a blog's or a site's name)
            if shown and shown in title:
                headline, leaves, gap = element, [], 0
            continue
        if headline is None:
            continue
        raw = element.text_content()
        if _opening(raw) in body_starts:
            return headline, element, leaves
        if _holds_blocks(element):
            continue
        gap += len(_fold(raw))
        if gap > _MAX_GAP_CHARACTERS:
            break
        leaves.append((element, raw))
    return headline, None, leaves


def _near(element: html.HtmlElement, other: html.HtmlElement) -> bool:
    """`element` sits within _NEAR_LEVELS of the element it shares with `other`."""
    around = set(other.iterancestors())
    for level, ancestor in enumerate(element.iterancestors()):
        if level >= _NEAR_LEVELS:
            return False
        if ancestor in around:
            return True
    return False


def _holds_blocks(element: html.HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and child.tag in _HOLDS_BLOCKS for child in element)


def _is_lead_like(element: html.HtmlElement, raw: str, text: str, body: html.HtmlElement) -> bool:
    if element.tag not in _LEAD_TAGS or len(text) < _MIN_LEAD_CHARACTERS:
        return False
    if not _SENTENCE_END.search(text) or _outside(element, body):
        return False
    if any(isinstance(d.tag, str) and d.tag in _NOT_IN_LEAD for d in element.iterdescendants()):
        return False
    for node in (element, *element.iterancestors()):
        if node is body:
            break
        if node.tag in _NOT_AROUND_LEAD or "caption" in f"{node.get('class')} {node.get('id')}":
            return False
    parent = element.getparent()
    if parent is not None and next(parent.iter("img"), None) is not None:
        return False  # text beside a picture is its caption
    linked = sum(len(link.text_content()) for link in element.iter("a"))
    return linked <= _MAX_LEAD_LINK_SHARE * len(raw.strip())
