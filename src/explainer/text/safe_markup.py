"""Live markup: what in a page could run script, and a check that seed-made Markdown has none.

Two views of the same danger:

- `live_markup(html)` lists what in a page (a whole built page, or an article's HTML) could run
  script or pull in another document: <script>, event-handler attributes, `javascript:` /
  `vbscript:` / `data:` URLs (also inside SVG), frames, objects, embeds, <base>, meta
  refreshes, CSS expressions. Tests run it over every built page.
- `unsafe_markup(html)` is stricter, an allowlist: only the elements and attributes Markdown
  itself produces from escaped text, links and images, and only http(s)/mailto/fragment URLs.
  Ingestion renders the Markdown it made from an HTML seed and checks it with this before
  writing it, so a gap in escaping can never become markup on the site.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree
from lxml import html as lxml_html

# Elements that run script, embed another document or change how the page loads. (Inline SVG
# and MathML are inert drawings unless they hold one of these, a handler or a script URL, which
# the scan finds inside them like anywhere else.)
ACTIVE_ELEMENTS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
        "fencedframe", "noscript", "template",
    }
)  # fmt: skip
# Attributes that hold a URL the browser may navigate to, load or submit to.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
        "codebase", "cite", "longdesc", "lowsrc", "dynsrc", "ping", "manifest", "srcset",
        "imagesrcset", "icon", "to", "from", "values", "by",  # the last four: SVG <animate>/<set>
    }
)  # fmt: skip
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "mocha:")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")
_CSS_DANGER = re.compile(r"expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:", re.I)

# What Markdown makes from escaped text, links, images, lists, tables, quotes and code (with
# Python-Markdown's extra, smarty and toc extensions), and nothing else.
SAFE_ELEMENTS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "table",
        "thead", "tbody", "tr", "th", "td", "a", "img", "em", "strong", "code", "pre", "br",
        "hr", "dl", "dt", "dd", "sup", "sub", "div", "span", "abbr", "del", "ins",
    }
)  # fmt: skip
SAFE_ATTRIBUTES = {
    "a": {"href", "title", "class", "rel", "id"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id", "class"},
    "div": {"class"},
    "code": {"class"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
_SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:")
_SAFE_IMAGE_SCHEMES = ("http:", "https:")


def url_scheme(value: str) -> str:
    """The scheme of a URL as a browser reads it ("java\\tscript:" is "javascript:"), or ""."""
    compact = _CONTROL_OR_SPACE.sub("", value).lower()
    match = re.match(r"[a-z][a-z0-9+.\-]*:", compact)
    return match.group(0) if match else ""


def _fragment(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    try:
        return lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def _document(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _name(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


# Script types a browser runs: none given, "module", or a JavaScript MIME type. Any other type
# (application/ld+json, for one) makes the element an inert data block.
_RUNNABLE_SCRIPT_TYPES = frozenset(
    {
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "application/ecmascript",
        "text/ecmascript",
        "application/x-javascript",
        "text/jscript",
        "text/livescript",
        "text/x-javascript",
        "text/x-ecmascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
    }
)


def _is_data_block(script_type: str | None) -> bool:
    if script_type is None:
        return False
    return script_type.split(";")[0].strip().lower() not in _RUNNABLE_SCRIPT_TYPES


def live_markup(html: str, *, allowed_scripts: frozenset[str] = frozenset()) -> list[str]:
    """Everything in `html` (a page or a fragment) that could run script; [] when inert.

    `allowed_scripts` names external script URLs that are expected (e.g. the theme's own).
    """
    root = _document(html) if "<html" in html[:2000].lower() else _fragment(html)
    if root is None:
        return []
    found: list[str] = []
    for element in root.iter():
        name = _name(element)
        if name:
            found.extend(_live_in_element(element, name, allowed_scripts))
    return found


def _live_in_element(element, name: str, allowed_scripts: frozenset[str]) -> list[str]:
    """What in one element (its name, its attributes) could run script."""
    if name == "script":
        if _is_data_block(element.get("type")):
            return []  # e.g. JSON-LD: a browser never runs it
        src = element.get("src")
        if src is None or src not in allowed_scripts:
            return [f"<script{' src=' + repr(src) if src else ''}>"]
        return []
    found: list[str] = []
    if name in ACTIVE_ELEMENTS:
        found.append(f"<{name}>")
    if name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
        content = element.get("content") or ""
        target = content.split("=", 1)[1] if "=" in content else ""
        if url_scheme(target.strip("'\" ")) in (*_SCRIPT_SCHEMES, "data:"):
            found.append("<meta http-equiv=refresh> to a script URL")
    for attribute, value in element.attrib.items():
        attribute = attribute.rsplit("}", 1)[-1] if "}" in attribute else attribute
        problem = _live_attribute(name, attribute.lower(), value)
        if problem:
            found.append(problem)
    return found


def _live_attribute(name: str, attribute: str, value: str) -> str | None:
    if attribute.startswith("on"):
        return f"<{name} {attribute}=...>"
    if attribute in URL_ATTRIBUTES or attribute.endswith(":href"):
        scheme = url_scheme(value)
        if scheme in _SCRIPT_SCHEMES or (scheme == "data:" and name != "img"):
            return f"<{name} {attribute}={value[:40]!r}>"
    elif attribute == "style" and _CSS_DANGER.search(value):
        return f"<{name} style={value[:40]!r}>"
    return None


def unsafe_markup(html: str) -> list[str]:
    """What in an article's HTML is not plain Markdown output (see SAFE_*); [] when all is."""
    root = _fragment(html)
    if root is None:
        return []
    found: list[str] = []
    for element in root.iter():
        if element is root:
            continue
        if not isinstance(element.tag, str):
            found.append("an HTML comment or processing instruction")
            continue
        name = _name(element)
        if name not in SAFE_ELEMENTS:
            found.append(f"<{name}>")
            continue
        allowed = SAFE_ATTRIBUTES.get(name, set())
        for attribute, value in element.attrib.items():
            if attribute not in allowed:
                found.append(f"<{name} {attribute}=...>")
            elif attribute in ("href", "src"):
                scheme = url_scheme(value)
                schemes = _SAFE_IMAGE_SCHEMES if attribute == "src" else _SAFE_LINK_SCHEMES
                if not (scheme in schemes or (attribute == "href" and value.startswith("#"))):
                    found.append(f"<{name} {attribute}={value[:40]!r}>")
    return found


# Mirrors the site's reader (explainer.site.markdown_html, MARKDOWN in pelicanconf.py): the
# Markdown a seed becomes is checked as the site will render it.
MARKDOWN_EXTENSIONS = (
    "markdown.extensions.extra",
    "markdown.extensions.smarty",
    "markdown.extensions.toc",
)


@cache
def _markdown():
    import markdown

    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html5")


def render_markdown_html(text: str) -> str:
    from explainer.site.markdown_html import needs_python_markdown, render

    if not needs_python_markdown(text):
        return render(text)
    renderer = _markdown()
    renderer.reset()
    return renderer.convert(text)
