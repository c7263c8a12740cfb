"""Pelican plugin: an article or page whose address changed keeps its old address working.

Every build remembers each article's and page's address (in `.build/addresses.json`, next to
content/). When an address changes (a new Title on an article without a Slug, an edited Slug,
ingestion following a corrected seed), the move is recorded in `content/.addresses.json`
(commit it with the content: a build anywhere, a fresh clone included, keeps the redirects;
the file is only written when an address moves, so builds that move nothing leave content/
alone), and the old address gets a small redirect page: a meta refresh, a canonical link and a
plain link to the new address, so it works without JavaScript and under the site's strict
Content-Security-Policy. Redirect pages are left out of the sitemap, the search index (they
have no `data-pagefind-body`) and the feeds (they are not articles).

An article is known by its `Source` (what ingestion writes; it stays when the file is renamed)
or else by its file. An old address that a page uses again is no longer redirected.
"""

from __future__ import annotations

import html
import json
import logging
import os
import posixpath
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

HISTORY_NAME = ".addresses.json"  # in content/: the moves (committed)
CURRENT_NAME = "addresses.json"  # in .build/: the addresses of the last build (local state)
# save_as of a redirect page -> (url, title) of the page it points to
_moves: dict[str, tuple[str, str]] = {}


def redirect_pages() -> set[str]:
    """The output paths of this build's redirect pages (the sitemap leaves them out)."""
    return set(_moves)


def moves(base: str) -> dict[str, dict]:
    """The moves recorded in content/ (old save_as -> {"url": ..., "to": identity}): the
    redirect pages a build writes."""
    moved = _read_json(Path(base) / HISTORY_NAME, "moved")
    return {save_as: move for save_as, move in moved.items() if isinstance(move, dict)}


def is_redirect_target(base: str, content) -> bool:
    """Whether a recorded move points to `content` (its redirect page shows its title)."""
    targets = {move.get("to") for move in moves(base).values()}
    source = str(content.metadata.get("source") or "").strip()
    relative = os.path.relpath(content.source_path, base).replace(os.sep, "/")
    return bool(targets & {f"source:{source}", f"file:{relative}"})


def _identity(content, base: str, sources: dict[str, int]) -> str:
    source = str(content.metadata.get("source") or "").strip()
    if source and sources.get(source) == 1:
        return f"source:{source}"
    relative = os.path.relpath(content.source_path, base).replace(os.sep, "/")
    return f"file:{relative}"


def _contents(generators) -> list:
    """Each article and page once: other generators (the timeline's) hold the same articles."""
    found: dict[int, object] = {}
    for generator in generators:
        for name in ("articles", "translations", "hidden_articles", "pages", "hidden_pages",
                     "hidden_translations"):  # fmt: skip
            for content in getattr(generator, name, None) or []:
                found.setdefault(id(content), content)
    return [
        c for c in found.values() if getattr(c, "save_as", "") and getattr(c, "source_path", "")
    ]


def _read_json(path: Path, key: str) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        logger.warning("%s cannot be read (%s); old addresses are not redirected", path, error)
        return {}
    value = data.get(key) if isinstance(data, dict) else None
    return dict(value) if isinstance(value, dict) else {}


def _write_if_changed(path: Path, data: dict) -> None:
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    try:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as error:
        logger.warning("%s could not be written (%s)", path, error)


def record_addresses(generators) -> None:
    """Compare each page's address with the last build's; remember the ones that moved."""
    _moves.clear()
    if not generators:
        return
    settings = generators[0].settings
    base = settings["PATH"]
    history_path = Path(base) / HISTORY_NAME
    current_path = Path(base).resolve().parent / ".build" / CURRENT_NAME
    history = {
        "current": _read_json(current_path, "current"),
        "moved": _read_json(history_path, "moved"),
    }
    contents = _contents(generators)
    sources: dict[str, int] = {}
    for content in contents:
        source = str(content.metadata.get("source") or "").strip()
        if source:
            sources[source] = sources.get(source, 0) + 1
    current: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for content in contents:
        identity = _identity(content, base, sources)
        current[identity] = [content.url, content.save_as]
        titles[identity] = str(getattr(content, "title", "") or "")
    moved = dict(history["moved"])
    for identity, (_url, save_as) in current.items():
        before = history["current"].get(identity)
        if isinstance(before, list) and len(before) == 2 and before[1] != save_as:
            moved[before[1]] = {"url": before[0], "to": identity}
    in_use = {save_as for _url, save_as in current.values()}
    for save_as, move in sorted(moved.items()):
        target = current.get(move.get("to", "")) if isinstance(move, dict) else None
        if target and save_as not in in_use and _inside(save_as):
            _moves[save_as] = (target[0], titles[move["to"]])
    moved = {k: v for k, v in moved.items() if k not in in_use}
    if moved != history["moved"]:
        _write_if_changed(history_path, {"version": 1, "moved": moved})
    _write_if_changed(current_path, {"version": 1, "current": current})


def _inside(save_as: str) -> bool:
    path = posixpath.normpath(save_as.replace(os.sep, "/"))
    return not (path.startswith(("../", "/")) or path == "..")


def redirect_html(title: str, href: str, lang: str, csp: str) -> str:
    href = html.escape(href, quote=True)
    csp = html.escape(csp, quote=False)
    policy = f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n' if csp else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"{policy}"
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Moved: {html.escape(title)}</title>\n"
        f'<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{href}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f"</head>\n<body>\n<main>\n<h1>This page has moved</h1>\n"
        f'<p>It is now at <a href="{href}">{html.escape(title)}</a>.</p>\n'
        f"</main>\n</body>\n</html>\n"
    )


def write_redirects(pelican) -> None:
    settings = pelican.settings
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    absolute = siteurl.startswith(("http://", "https://")) and not settings.get("RELATIVE_URLS")
    output = Path(pelican.output_path)
    for save_as, (url, title) in sorted(_moves.items()):
        if absolute:
            href = f"{siteurl}/{url}"
        else:
            here = posixpath.dirname(save_as.replace(os.sep, "/")) or "."
            href = posixpath.relpath(url or ".", here)
            href = href + "/" if url.endswith("/") and not href.endswith("/") else href
        target = output / save_as
        if target.exists():  # a page of this build: never replaced
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        page = redirect_html(
            title or settings.get("SITENAME", ""),
            href,
            settings.get("DEFAULT_LANG", "en"),
            settings.get("CONTENT_SECURITY_POLICY", ""),
        )
        target.write_text(page, encoding="utf-8")


def register() -> None:
    signals.all_generators_finalized.connect(record_addresses)
    signals.finalized.connect(write_redirects)
