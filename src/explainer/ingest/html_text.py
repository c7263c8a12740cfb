"""A saved page as plain text, one block per paragraph: for reading it like a text seed.

When neither trafilatura nor readability finds an article in a page, the page's text (scripts,
styles and the head dropped, a blank line between blocks) goes through the text-seed reader,
which finds the run of prose the same way it does in a page saved as text.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import html

_DROPPED = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
# Elements that start a block of their own (HTML's block-level elements, line breaks and
# form controls): the evaluation's crawler text (eval/page_text.py) splits pages by the same.
BLOCK_ELEMENTS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "option",
        "button",
        "select",
        "textarea",
    ]
)


def page_text(tree: html.HtmlElement) -> str:
    body = tree.find(".//body")
    root = deepcopy(body if body is not None else tree)
    for element in list(root.iter(*_DROPPED)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCK_ELEMENTS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    blocks = [" ".join(block.split()) for block in root.text_content().split("\n\n")]
    return "\n\n".join(block for block in blocks if block) + "\n"
