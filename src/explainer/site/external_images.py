"""Images from other sites, which the site's Content-Security-Policy does not let a browser
load: each becomes a link to the image, labelled with its alt text, instead of a broken-image
icon. An `img-src` that allows them (`https:`, `*`, or the image's origin) keeps them as images.

Why not allow them by default: an image loaded from another site tells that site who reads
which article, when, and from where (the reader's IP address, browser and the page as
referrer), and it can change or vanish after publication. A link loads nothing until the
reader asks for it.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def allowed_image_sources(csp: str) -> list[str]:
    """The sources an `img-src` directive (or `default-src` without one) allows."""
    directives = {}
    for part in (csp or "").split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    if not csp:
        return ["*"]
    return directives.get("img-src", directives.get("default-src", ["*"]))


def allows(sources: list[str], url: str) -> bool:
    parts = urlsplit(url if not url.startswith("//") else f"https:{url}")
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    for source in sources:
        source = source.lower().rstrip("/")
        if source in ("*", f"{parts.scheme}:") or source == origin:
            return True
        if source.startswith("*.") and parts.netloc.lower().endswith(source[1:]):
            return True
        if "://*." in source and origin.endswith(source.split("://*.", 1)[1]):
            return True
    return False


def is_external(src: str) -> bool:
    return src.lower().startswith(("http://", "https://", "//"))


def external_images_as_links(markup: str, csp: str) -> str:
    """`markup` with every image the policy blocks replaced by a link to it."""
    if "<img" not in markup.lower():
        return markup
    sources = allowed_image_sources(csp)

    def replace(match: re.Match[str]) -> str:
        attributes = {
            m.group(1).lower(): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR.finditer(match.group(0))
        }
        src = attributes.get("src", "")
        if not is_external(src) or allows(sources, src):
            return match.group(0)
        alt = " ".join(attributes.get("alt", "").split())
        label = f"Image: {alt}" if alt else f"Image from {urlsplit(src).netloc or 'another site'}"
        return (
            f'<a class="external-image" href="{html.escape(src, quote=True)}" '
            f'rel="noopener nofollow">{html.escape(label, quote=False)}</a>'
        )

    return _IMG.sub(replace, markup)
