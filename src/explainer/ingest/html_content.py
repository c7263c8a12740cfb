"""Find the article in a page: trafilatura first, readability when trafilatura clearly fell short.

trafilatura (with its own readability/jusText fallbacks) is the strongest open extractor on the
Article Extraction Benchmark. Its precision mode: the default mode reads more of each article
on the webpages dev corpus (precision mode drops section headings set in a <header>; those are
unwrapped first) but also more of the site's own furniture, an author's bio or a teaser, which
different stories from one site then share, so same-story detection merges them (see
_bare_extraction). Its one systematic miss is an article split over
several sibling containers (a body interrupted by ad or newsletter slots): it keeps the first
part. So when the page holds much more paragraph text than trafilatura returned, we ask
readability, whose sibling merging was built for exactly that, and take its answer only when it
*contains* trafilatura's text and adds a lot to it (a superset, not a different guess).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from copy import deepcopy

from lxml import html

# Both log every page they find hard; a seed's problems are reported by ingestion itself.
for _name in ("trafilatura", "readability", "readability.readability", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

import trafilatura  # noqa: E402
from readability import Document as ReadabilityDocument  # noqa: E402

from explainer.ingest.html_markdown import (  # noqa: E402
    HEADING_LEVELS,
    SKIPPED,
    Block,
    MarkdownRenderer,
)

# Rescue only when trafilatura kept less than this share of the page's paragraph text...
_RESCUE_BELOW_SHARE = 0.6
# ...and take readability's text only when it holds this much of trafilatura's and adds this much.
_SUPERSET_CONTAINMENT = 0.8
_SUPERSET_GROWTH = 1.5
_TOKEN = re.compile(r"\w+")


def main_content(tree: html.HtmlElement, base_url: str | None) -> list[Block]:
    """The article's blocks, in page order, before furniture filtering."""
    _unwrap_section_headers(tree)
    blocks = _trafilatura_blocks(tree, base_url)
    extracted = sum(len(b.text) for b in blocks)
    if not extracted or extracted < _RESCUE_BELOW_SHARE * _paragraph_text_mass(tree):
        rescue = _readability_blocks(tree, base_url)
        if _is_superset(rescue, blocks):
            blocks = rescue
    return add_images(tree, blocks, base_url)


_SECTION_HEADINGS = frozenset(HEADING_LEVELS) - {"h1"}


def _unwrap_section_headers(tree: html.HtmlElement) -> None:
    """A `<header>` that holds nothing but a heading below the page's own (h2-h6) heads a
    section of the article, not the site: precision mode drops every `<header>`, and with it
    such section headings. The header element goes, its heading stays."""
    for header in list(tree.iter("header")):
        children = [child for child in header if isinstance(child.tag, str)]
        if (
            children
            and all(child.tag in _SECTION_HEADINGS for child in children)
            and not (header.text or "").strip()
            and not any((child.tail or "").strip() for child in children)
        ):
            header.drop_tag()


def _trafilatura_blocks(tree: html.HtmlElement, base_url: str | None) -> list[Block]:
    try:
        document = _bare_extraction(tree)
    except Exception:  # a page trafilatura chokes on goes to readability instead of failing
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    return MarkdownRenderer(base_url).render(body)


def _bare_extraction(tree: html.HtmlElement):
    return trafilatura.bare_extraction(
        tree,  # copied by trafilatura before it prunes anything
        url=None,  # links stay as written; the renderer resolves them against the real base
        include_comments=False,
        # Precision mode: the default mode keeps more of a page's own furniture (an author's
        # bio, a teaser after the story): webpages-dev snippet F1 0.928 here against 0.933, but
        # two different stories from one site then share that furniture and read as one story
        # (same-story precision 0.990 -> 0.959, eval/duplicates.py), which merges away an article.
        favor_precision=True,
        include_tables=True,
        # Images are put back by add_images: asking trafilatura for them also brings in
        # captions, credits and slideshow text (measured: -0.01 F1 on the benchmark's dev pages).
        include_images=False,
        include_links=True,
        include_formatting=True,
        with_metadata=False,
        # Only the body element is read. With the default format ("python") bare_extraction
        # also writes that body out as Markdown text (a deep copy of it, escaped and joined:
        # 3% of its time), which nothing here reads; the element is the same either way.
        output_format="xml",
    )


def _readability_blocks(tree: html.HtmlElement, base_url: str | None) -> list[Block]:
    try:
        summary = ReadabilityDocument(deepcopy(tree)).summary(html_partial=True)
        root = html.fromstring(summary)
    except Exception:  # readability gives up on odd pages in many ways; then there is no rescue
        return []
    return MarkdownRenderer(base_url).render(root)


def _paragraph_text_mass(tree: html.HtmlElement) -> int:
    """Characters of prose the page holds in <p> elements (long, not mostly links)."""
    total = 0
    for paragraph in tree.iter("p"):
        text = paragraph.text_content()
        length = len(text.strip())
        if length < 80:
            continue
        linked = sum(len(a.text_content()) for a in paragraph.iter("a"))
        if linked < 0.3 * length:
            total += length
    return total


def _is_superset(candidate: list[Block], base: list[Block]) -> bool:
    if not candidate:
        return False
    base_shingles = _shingles(" ".join(b.text for b in base))
    candidate_shingles = _shingles(" ".join(b.text for b in candidate))
    if not base_shingles:
        return sum(candidate_shingles.values()) > 0
    held = sum((base_shingles & candidate_shingles).values())
    contained = held / sum(base_shingles.values())
    growth = sum(candidate_shingles.values()) / sum(base_shingles.values())
    return contained >= _SUPERSET_CONTAINMENT and growth >= _SUPERSET_GROWTH


def _shingles(text: str, size: int = 4) -> Counter:
    tokens = _TOKEN.findall(text.casefold())
    return Counter(tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))


# -- images ---------------------------------------------------------------------------------------
_IMAGE_SOURCES = ("src", "data-src", "data-lazy-src", "data-original", "data-url")
_NOT_CONTENT_IMAGE = re.compile(
    r"\b(?:logo|banner|icon|avatar|spacer|pixel|placeholder|sprite|badge|button)s?\b", re.IGNORECASE
)
_MIN_MATCHED_TEXT = 40


def add_images(tree: html.HtmlElement, blocks: list[Block], base_url: str | None) -> list[Block]:
    """Put back the article's own images (with alt text) where they stand among its paragraphs.

    The article container is the smallest element holding every page paragraph that the
    extractor kept; images inside it, up to its last kept paragraph, are the article's.
    """
    matched = _matched_paragraphs(tree, blocks)
    if len(matched) < 2:
        return blocks
    container = _common_ancestor([element for element, _ in matched])
    if container is None:
        return blocks
    position = {element: n for n, element in enumerate(container.iter())}
    anchors = sorted((position[element], index) for element, index in matched)
    inserts: dict[int, list[Block]] = {}
    renderer = MarkdownRenderer(base_url)
    for image in container.iter("img"):
        where = position[image]
        if where > anchors[-1][0] or _in_skipped(image, container):
            continue
        rendered = _image_block(renderer, image)
        if rendered is not None:
            before = next(index for pos, index in anchors if pos > where)
            inserts.setdefault(before, []).append(rendered)
    if not inserts:
        return blocks
    result: list[Block] = []
    for index, block in enumerate(blocks):
        result.extend(inserts.get(index, ()))
        result.append(block)
    return result


def _matched_paragraphs(
    tree: html.HtmlElement, blocks: list[Block]
) -> list[tuple[html.HtmlElement, int]]:
    """The page's <p> elements whose text is a kept paragraph, with that paragraph's index."""
    wanted: dict[str, int] = {}
    for index, block in enumerate(blocks):
        if block.kind == "paragraph" and len(block.text) >= _MIN_MATCHED_TEXT:
            wanted.setdefault(_key(block.text), index)
    if not wanted:
        return []
    matched = []
    for paragraph in tree.iter("p"):
        index = wanted.get(_key(paragraph.text_content()))
        if index is not None:
            matched.append((paragraph, index))
    return matched


def _image_block(renderer: MarkdownRenderer, image: html.HtmlElement) -> Block | None:
    """An article image with its alt text, as a block (None: no alt text, or no usable source)."""
    alt = " ".join((image.get("alt") or "").split())
    if not alt or _NOT_CONTENT_IMAGE.search(alt):
        return None
    source = next((image.get(a) for a in _IMAGE_SOURCES if _is_http_like(image.get(a))), None)
    if source is None:
        return None
    return renderer.image_block(source, alt)


def _key(text: str) -> str:
    return " ".join(text.split())[:200]


def _common_ancestor(elements: list[html.HtmlElement]) -> html.HtmlElement | None:
    path = list(elements[0].iterancestors())
    ancestors = set(path)
    for element in elements[1:]:
        ancestors &= set(element.iterancestors())
    return next((a for a in path if a in ancestors), None)


def _in_skipped(element: html.HtmlElement, container: html.HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is container:
            return False
        if isinstance(ancestor.tag, str) and ancestor.tag.lower() in SKIPPED:
            return True
    return False


def _is_http_like(value: str | None) -> bool:
    return bool(value) and not value.strip().lower().startswith(("data:", "javascript:", "blob:"))
