"""Put back the standfirst: the lead paragraph a page shows between its headline and its text.

News and magazine pages set the lead apart (a bold teaser paragraph in the article's header),
and extractors read that styling as a teaser for another article and drop it. The page names
its own lead, though: its description (og:description / description) is that paragraph, often
word for word or cut short. When the extracted body lacks it, the page element that shows it
before the body's first paragraph becomes the body's first paragraph.
"""

from __future__ import annotations

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
    description = meta.description
    key = _fold(description).rstrip(".…")[:_KEY_CHARACTERS].rstrip()
    if len(key) < _MIN_KEY_CHARACTERS or not blocks:
        return blocks
    # Some pages describe themselves with their headline, which is not the body's.
    if any(_fold(headline).startswith(key) for headline in (meta.title, *meta.headlines)):
        return blocks
    if key in _fold(" ".join(block.text for block in blocks)):
        return blocks
    lead = _shown_lead(tree, key, len(_fold(description)), _first_body_texts(blocks))
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
