"""Pelican plugin: name the files in content/ that the build will not use, and where they belong.

Every Markdown file under content/ is read (an article, a page, a topic introduction), and so
are the static folders, the glossary and the home page's introduction. Anything else there (a
scraped `.txt`, a saved `.html` page, a stray download) would be silently ignored by Pelican;
instead it is named in one warning that says where it belongs: raw articles go in `seeds/`,
which ingestion turns into Markdown in `content/articles/`.

The warning is said once per change, not on every build: the list last said is kept in
`.build/unused-content.json` (next to content/), and a build says it again only when the list
changed (a file added or removed).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

# Extensions of raw articles, which ingestion reads from seeds/.
SEED_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".gz")
STATE_NAME = "unused-content.json"


def unused_files(settings: dict, reader_extensions) -> list[str]:
    """Files under the content folder (relative, "/"-separated) that no reader or plugin uses."""
    content = settings["PATH"]
    extensions = {f".{ext.lower()}" for ext in reader_extensions}
    static = {os.path.normpath(p) for p in settings.get("STATIC_PATHS", [])}
    known = {
        os.path.normpath(p)
        for p in (
            settings.get("GLOSSARY_PATH") or "glossary.toml",
            settings.get("HOME_INTRO_PATH") or "home.md",
        )
    }
    found = []
    for directory, dirs, files in os.walk(content):
        relative_dir = os.path.relpath(directory, content)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and os.path.normpath(os.path.join(relative_dir, d)) not in static
        )
        for name in sorted(files):
            relative = os.path.normpath(os.path.join(relative_dir, name))
            if name.startswith(".") or relative in static or relative in known:
                continue
            if os.path.splitext(name)[1].lower() in extensions:
                continue
            found.append(relative.replace(os.sep, "/"))
    return sorted(found)


def warning(content_folder: str, files: list[str]) -> str:
    shown = [f"{content_folder.rstrip('/')}/{f}" for f in files]
    listed = ", ".join(shown[:8]) + (f" and {len(shown) - 8} more" if len(shown) > 8 else "")
    raw = any(f.lower().endswith(SEED_SUFFIXES) for f in files)
    where = (
        "raw articles (scraped text, saved web pages) belong in seeds/, which `invoke build` "
        "ingests into content/articles/; "
        if raw
        else ""
    )
    return (
        f"not used by the build: {listed}. Articles in content/ are Markdown (.md); {where}"
        "images and downloads belong in content/images/ or content/extra/"
    )


def _content_folder(settings: dict) -> str:
    try:
        shown = os.path.relpath(settings["PATH"])
    except ValueError:
        return settings["PATH"]
    return settings["PATH"] if shown.startswith("..") else shown


def _state_file(settings: dict) -> Path:
    return Path(settings["PATH"]).resolve().parent / ".build" / STATE_NAME


def name_unused_files(generator) -> None:
    files = unused_files(generator.settings, generator.readers.extensions)
    state = _state_file(generator.settings)
    try:
        said = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        said = None
    if files == said:
        return
    if files:
        logger.warning("%s", warning(_content_folder(generator.settings), files))
    try:
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps(files) + "\n", encoding="utf-8")
    except OSError:  # said again next time: better than never
        pass


def register() -> None:
    signals.article_generator_init.connect(name_unused_files)
