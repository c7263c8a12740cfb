"""Pelican plugin: `sitemap.xml` and `robots.txt` for the published site.

When SITEURL is absolute (publishconf.py), the sitemap lists every HTML page of the build
(every page written through Pelican's writer, whatever generator or plugin wrote it, and any
other HTML file in the output folder, such as static copies) by its canonical address,
with `lastmod` where the page's date is known: an article's modified or publication date,
a topic page's newest article. Pages named in SITEMAP_EXCLUDE (the 404 page, the search
page) are left out. `robots.txt` allows everything and names the sitemap. A local build
(relative URLs) writes neither: both formats need absolute addresses.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from pelican import signals

from explainer.site.plugin_defaults import set_defaults
from explainer.site.plugins.redirects import redirect_pages

DEFAULT_SETTINGS = {
    "SITEMAP_SAVE_AS": "sitemap.xml",
    "ROBOTS_SAVE_AS": "robots.txt",
    "SITEMAP_EXCLUDE": ("404.html", "search/index.html"),
}

logger = logging.getLogger(__name__)

_lastmod: dict[str, datetime] = {}
# Every page the writer wrote in this build. An incremental build (explainer.site.incremental)
# leaves pages that did not change out of its staging folder, so the folder alone is not
# the site: the writer's `content_written` is sent for every page either way.
_written: set[str] = set()
_topic_dates: dict[int, tuple] = {}  # id(topic) -> (topic, its newest article's date)


def add_default_settings(pelican) -> None:
    set_defaults(pelican.settings, DEFAULT_SETTINGS)
    _lastmod.clear()
    _written.clear()
    _topic_dates.clear()


def _date(content) -> datetime | None:
    return getattr(content, "modified", None) or getattr(content, "date", None)


def _topic_newest(topic) -> datetime | None:
    """The newest date of a topic's articles, found once for all the topic's pages (a topic
    of 2,000 articles has 100 pages)."""
    hit = _topic_dates.get(id(topic))
    if hit is None or hit[0] is not topic:
        dates = [d for d in (_date(a) for a in getattr(topic, "articles", []) or []) if d]
        hit = _topic_dates[id(topic)] = (topic, max(dates) if dates else None)
    return hit[1]


def remember_page(path: str, context: dict) -> None:
    """Note each page and its date as it is written (content_written fires for every page)."""
    relative = context.get("output_file")
    if not relative:
        output = context.get("OUTPUT_PATH") or ""
        relative = os.path.relpath(path, output) if output else path
    relative = Path(relative).as_posix()
    _written.add(relative)
    dates = []
    for key in ("article", "page"):
        if context.get(key) is not None and _date(context[key]):
            dates.append(_date(context[key]))
    topic = context.get("topic")
    if topic is not None:
        newest = _topic_newest(topic)
        if newest is not None:
            dates.append(newest)
    if dates:
        _lastmod[relative] = max(dates)


def page_url(siteurl: str, relative: str) -> str:
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return f"{siteurl}/{relative}"


def sitemap_xml(siteurl: str, pages: list[str], lastmod: dict[str, datetime]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for relative in pages:
        lines.append(f"  <url><loc>{escape(page_url(siteurl, relative))}</loc>")
        if relative in lastmod:
            lines.append(f"    <lastmod>{lastmod[relative].isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def writes_sitemap(settings: dict) -> bool:
    """Whether a build with these settings writes the sitemap (an absolute SITEURL)."""
    return str(settings.get("SITEURL") or "").startswith(("http://", "https://"))


def write_files(pelican) -> None:
    settings = pelican.settings
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    if not writes_sitemap(settings):
        return
    output = Path(pelican.output_path)
    excluded = set(settings["SITEMAP_EXCLUDE"])
    on_disk = {
        path.relative_to(output).as_posix()
        for path in output.rglob("*.html")
        if not any(part.startswith(".") for part in path.relative_to(output).parts)
    }
    written = {p for p in _written if p.endswith(".html")}
    excluded |= redirect_pages()  # an old address that now points to a new one
    pages = sorted(p for p in on_disk | written if p not in excluded)
    # The home page first, then the rest in path order.
    pages.sort(key=lambda p: (p != "index.html", p))
    sitemap = settings["SITEMAP_SAVE_AS"]
    if sitemap:
        (output / sitemap).write_text(sitemap_xml(siteurl, pages, _lastmod), encoding="utf-8")
    if settings["ROBOTS_SAVE_AS"]:
        lines = ["User-agent: *", "Allow: /"]
        if sitemap:
            lines.append(f"Sitemap: {siteurl}/{sitemap}")
        (output / settings["ROBOTS_SAVE_AS"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
        warn_robots_under_subpath(siteurl, settings["ROBOTS_SAVE_AS"], sitemap)


def warn_robots_under_subpath(siteurl: str, robots: str, sitemap: str) -> str | None:
    """Crawlers read robots.txt only at a host's root: under a subpath the file is written but
    never read, so say so and what to do instead."""
    parts = urlsplit(siteurl)
    if parts.path.strip("/") == "":
        return None
    root = f"{parts.scheme}://{parts.netloc}/robots.txt"
    message = (
        f"robots.txt is written to {siteurl}/{robots}, but crawlers only read {root}; "
        + (
            f"add the line 'Sitemap: {siteurl}/{sitemap}' to {root} (or submit that sitemap "
            "in the search engines' webmaster tools)"
            if sitemap
            else f"put your rules in {root}"
        )
    )
    logger.warning(message)
    return message


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.content_written.connect(remember_page)
    signals.finalized.connect(write_files)
