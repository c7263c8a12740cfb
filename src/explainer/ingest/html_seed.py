"""Saved HTML pages: decode, read the page's metadata, find the article, write it as Markdown."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from explainer.ingest.decode import SeedError, decode_html
from explainer.ingest.furniture import is_furniture, is_list_heading
from explainer.ingest.html_content import main_content
from explainer.ingest.html_markdown import Block
from explainer.ingest.html_meta import PageMeta, read_meta
from explainer.ingest.html_standfirst import add_standfirst
from explainer.ingest.html_text import page_text
from explainer.ingest.text_seed import parse_text_seed
from explainer.model import SeedArticle

# Below this, what is left of a page ("Home", "Menu") is not an article. Counted in letters and
# digits, not words: Japanese and Chinese put no spaces between words; over all the blocks
# found, since an article may be made of short lines only (a photo series' data sheet).
_MIN_ARTICLE_CHARACTERS = 20
_WORD_CHARACTER = re.compile(r"\w")
# A paragraph that is nothing but a link this short is a promo for another article.
_PROMO_MAX_WORDS = 20
_PROMO_LINK_SHARE = 0.9


def parse_html_seed(data: bytes, path: str, source: str) -> SeedArticle:
    tree = parse_html(decode_html(data))
    meta = read_meta(tree)
    if not meta.title:
        raise SeedError("no title: the page has no headline, og:title, <h1> or <title>")
    blocks = clean_blocks(main_content(tree, meta.base_url or None), meta)
    blocks = add_standfirst(tree, blocks, meta)
    if sum(len(_WORD_CHARACTER.findall(block.text)) for block in blocks) >= _MIN_ARTICLE_CHARACTERS:
        body = join_blocks(blocks)
    else:
        body = _read_as_text(tree, path, source)
    extra = {
        "author": meta.author,
        "lang": meta.lang,
        "site_name": meta.site_name,
        "url": meta.url,
    }
    return SeedArticle(
        path=path,
        title=meta.title,
        date=meta.date,
        body=body,
        source=meta.url or source,
        meta={key: value for key, value in extra.items() if value},
    )


def _read_as_text(tree: lxml_html.HtmlElement, path: str, source: str) -> str:
    """The extractors found no article: read the page's text as a text seed is read."""
    text = page_text(tree)
    try:
        seed = parse_text_seed(text, path=path, source=source)
    except SeedError:
        seed = None
    if seed is None or len(_WORD_CHARACTER.findall(seed.body)) < _MIN_ARTICLE_CHARACTERS:
        raise SeedError("no article text found in the page")
    return seed.body


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def parse_html(text: str) -> lxml_html.HtmlElement:
    """Decoded page text -> an lxml tree (its own charset declaration no longer applies)."""
    text = _XML_DECLARATION.sub("", text, count=1)
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise SeedError(f"not a readable HTML page ({error})") from error
    if tree is None:
        raise SeedError("not a readable HTML page")
    return tree


def join_blocks(blocks: list[Block]) -> str:
    """Blocks -> one Markdown body. Markdown would merge two lists that follow each other into
    one, so an empty paragraph (a no-break space) keeps them apart."""
    parts: list[str] = []
    for index, block in enumerate(blocks):
        if index and block.kind == "list" and blocks[index - 1].kind == "list":
            parts.append("&nbsp;")
        parts.append(block.markdown)
    return "\n\n".join(parts)


def clean_blocks(blocks: list[Block], meta: PageMeta) -> list[Block]:
    """Drop what the extractor let through: the headline again, furniture, promo links."""
    headlines = {_norm(h) for h in meta.headlines or (meta.title,)}
    kept: list[Block] = []
    in_related_list = False
    for block in blocks:
        if block.kind in ("paragraph", "heading") and is_list_heading(block.text):
            in_related_list = True
            continue
        if in_related_list:
            if _is_promo(block) or (block.kind == "list" and block.link_ratio >= _PROMO_LINK_SHARE):
                continue
            in_related_list = False
        if _is_headline_again(block, kept, headlines):
            continue
        if block.kind in ("paragraph", "heading") and is_furniture(block.text):
            continue
        if _is_promo(block):
            continue
        kept.append(block)
    return kept


def _is_headline_again(block: Block, kept: list[Block], headlines: set[str]) -> bool:
    """The page's headline repeated above the text (only images may come before it)."""
    if block.kind not in ("paragraph", "heading") or any(b.kind != "image" for b in kept):
        return False
    return _norm(block.text) in headlines


def _is_promo(block: Block) -> bool:
    return (
        block.kind in ("paragraph", "heading")
        and block.link_ratio >= _PROMO_LINK_SHARE
        and len(block.text.split()) <= _PROMO_MAX_WORDS
    )


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.casefold()).split())
