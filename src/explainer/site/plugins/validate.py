"""Pelican plugin: a site with a broken content file does not build, and says which and why.

Pelican, left alone, skips a Markdown file it cannot use (no title, a date it cannot read, a
status it does not know), keeps one of two articles that share a slug, and stops with a
traceback when a file would be written outside the output folder. Any of those ships a site
that is silently missing an article. Before Pelican reads anything, this plugin checks every
Markdown article and page the way Pelican will read it, and lists every problem it finds, one
line per file, naming the file and what to change:

- the file is not UTF-8 text;
- its metadata is malformed (a line in the header that is not `Key: value`, so the lines below
  it would become article text), or a field that takes one value is given twice;
- it has no Title (articles and pages) or no Date (published articles, unless DEFAULT_DATE is
  set); a Date or Modified that is not a date; a Status Pelican does not know;
- its Slug, Save_as or URL would leave the output folder (`../`, an absolute path);
- two files would be written to the same output file (duplicate slugs), or one would replace a
  page the site itself makes (the index, the country and mineral indexes...).

With `--fatal errors` (how the project builds) the build then stops before writing anything;
without it Pelican goes on and deals with the files its own way.

What a file's check found is kept for the life of the process, keyed on the file's stamp and
the settings, so a process that builds again and again (the live preview's) only checks the
files that changed; a build from the command line also keeps it beside its read cache
(`incremental/derived.py`), for the next build in a fresh process. Whether two files collide
is worked out anew every time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from pathlib import PurePosixPath

import markdown
from pelican import signals
from pelican.contents import Article, Page
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import posixize_path

from explainer.site import pelican_seams
from explainer.site.incremental import derived, kept_between_builds
from explainer.site.incremental.session import check_cancel
from explainer.text.front_matter import META_LINE

logger = logging.getLogger(__name__)

# Fields that take one value: given twice, Pelican silently keeps one (or makes a list of them).
SINGLE_VALUED = frozenset(
    {"title", "date", "modified", "slug", "status", "save_as", "url", "lang", "summary",
     "template", "category", "author", "translation"}
)  # fmt: skip
# Metadata keys worth recognising when they turn up below a malformed header line.
KNOWN_KEYS = SINGLE_VALUED | frozenset(
    {"tags", "authors", "countries", "minerals", "organisations", "source", "keywords"}
)
_DATE_HELP = "write it as YYYY-MM-DD, optionally with a time: 2026-02-01 14:30"


class ContentError(Exception):
    """Content files are broken; each was logged with its problem (and is in `problems`, for
    the live preview's in-browser error overlay)."""

    exitcode = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True)
class Problem:
    path: str  # as the person running the build would type it
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class _Source:
    path: str
    kind: str  # "article" or "page"
    metadata: dict
    content_class: type
    save_as: str | None = None  # worked out once (_check_outputs)
    save_as_known: bool = False


# (file, kind) -> ((mtime_ns, size), settings key, (source, problems)): see the module's doc
_CHECKED: dict[tuple[str, str], tuple[tuple[int, int], str, tuple]] = kept_between_builds({})
_CHECKS_RUN = [0]  # files checked afresh by the current check_content (logged)


def _settings_key(settings: dict) -> str:
    text = repr(sorted((k, repr(v)) for k, v in settings.items() if k != "JINJA_ENVIRONMENT"))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _checked_file(
    base: str, relative: str, kind: str, content_class: type, settings: dict, key: str
) -> tuple[_Source | None, list[Problem]]:
    full_path = os.path.join(base, relative)
    try:
        stat = os.stat(full_path)
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        return _check_file(base, relative, kind, content_class, settings)
    entry = _CHECKED.get((full_path, kind))
    if entry is not None and entry[0] == stamp and entry[1] == key:
        return entry[2]

    def check() -> tuple[_Source | None, list[Problem]]:
        _CHECKS_RUN[0] += 1
        return _portable(_check_file(base, relative, kind, content_class, settings), settings)

    # Kept beside the read cache too, for the next build in a fresh process (a third of the
    # time before its generators run, at 20,000 articles).
    result = derived.get_or_make(derived.key("validate", full_path, kind, repr(stamp), key), check)
    _CHECKED[(full_path, kind)] = (stamp, key, result)
    return result


def _portable(
    result: tuple[_Source | None, list[Problem]], settings: dict
) -> tuple[_Source | None, list[Problem]]:
    """What a check found, without the metadata (its values hold the settings): only where
    the file is written (`_check_outputs`) is needed of it later."""
    source, problems = result
    if source is None:
        return result
    _save_as(source, settings)
    return replace(source, metadata={}), problems


def check_content(generator) -> list[Problem]:
    """Every problem in the Markdown articles and pages `generator` (Pelican's) will read."""
    settings = generator.settings
    problems: list[Problem] = []
    sources: list[_Source] = []
    kinds = (
        ("article", Article, settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]),
        ("page", Page, settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"]),
    )
    markdown_suffixes = tuple(f".{ext}" for ext in MarkdownReader.file_extensions)
    key = _settings_key(settings)
    _CHECKS_RUN[0], files = 0, 0
    for kind, content_class, paths, excludes in kinds:
        for relative in sorted(generator.get_files(paths, exclude=excludes)):
            if not relative.lower().endswith(markdown_suffixes):
                continue
            files += 1
            check_cancel()  # 20,000 files take 0.4 s: the live preview's next save waits
            source, found = _checked_file(
                generator.path, relative, kind, content_class, settings, key
            )
            problems.extend(Problem(display_path(generator.path, p.path), p.message) for p in found)
            if source is not None:
                sources.append(source)
    problems.extend(_check_outputs(sources, settings, generator.path))
    logger.debug("checked %d of %d content files (the others as before)", _CHECKS_RUN[0], files)
    return sorted(problems, key=lambda p: (p.path, p.message))


def problems_in(base: str, relatives: list[str], settings: dict) -> list[Problem]:
    """The problems in these Markdown articles (paths relative to `base`, the content
    folder): a quick build of edited articles checks only them (their metadata, and so
    where they are written, is as before)."""
    problems: list[Problem] = []
    for relative in relatives:
        _source, found = _check_file(base, relative, "article", Article, settings)
        problems.extend(found)
    return problems


def _check_file(
    base: str, relative: str, kind: str, content_class: type, settings: dict
) -> tuple[_Source | None, list[Problem]]:
    relative = posixize_path(relative)
    full_path = os.path.join(base, relative)
    text, unreadable = _read_text(full_path)
    if text is None:
        return None, [Problem(relative, unreadable)]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, header_length, found, stray = _read_header(lines)
    problems = [Problem(relative, message) for message in found]
    metadata = _file_metadata(full_path, relative, meta, settings, problems)
    if metadata is None:
        return None, problems
    status = str(metadata.get("status", content_class.default_status))
    if status == "skip":
        return None, problems
    if status not in content_class.allowed_statuses:
        allowed = ", ".join(s for s in content_class.allowed_statuses)
        problems.append(Problem(relative, f"Status {status!r} is not one of {allowed}"))
    title = metadata.get("title")
    if "title" not in stray and (not isinstance(title, str) or not title.strip()):
        where = (
            "its metadata must start on the first line"
            if _metadata_below(lines, header_length)
            else "add 'Title: ...' as its first line"
        )
        problems.append(Problem(relative, f"has no Title ({where})"))
    dated = "date" in metadata or "date" in meta or "date" in stray
    if kind == "article" and not dated and status != "draft" and not settings.get("DEFAULT_DATE"):
        problems.append(
            Problem(relative, f"has no Date (add 'Date: ...' to its metadata; {_DATE_HELP})")
        )
    problems.extend(_addresses_outside(relative, metadata))
    if problems:
        return None, problems
    return _Source(relative, kind, metadata, content_class), []


def _read_text(full_path: str) -> tuple[str | None, str]:
    """The file's text, or None and what keeps it from being read as an article."""
    try:
        data = open(full_path, "rb").read()  # noqa: SIM115 - read whole, closed at once
    except OSError as error:
        return None, f"cannot be read ({error.strerror or error})"
    if b"\x00" in data:
        return None, "is binary data, not a text file"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return (
            None,
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); save it as UTF-8",
        )
    text = text.lstrip("\ufeff")
    if not text.strip():
        return None, "is empty (an article needs at least 'Title: ...', 'Date: ...' and text)"
    return text, ""


def _file_metadata(
    full_path: str,
    relative: str,
    meta: dict[str, list[str]],
    settings: dict,
    problems: list[Problem],
) -> dict | None:
    """The metadata Pelican would give the file (defaults, file name, header), each value
    that cannot be read added to `problems`; None when the file name itself is wrong."""
    reader = MarkdownReader(settings)
    process = reader.process_metadata
    metadata = pelican_seams.file_metadata_defaults(settings, full_path, relative, process)
    try:
        from_path = pelican_seams.file_name_metadata(relative, settings, process)
    except Exception as error:
        # Pelican reads a date from a file name like 2026-02-30-notes.md (FILENAME_METADATA)
        # and stops when it is not a real one.
        name = os.path.basename(relative)
        problems.append(Problem(relative, f"its file name {name!r} gives {error}; rename it"))
        return None
    metadata.update(from_path)
    for key, values in meta.items():
        value = values[0] if (len(values) == 1 or key in SINGLE_VALUED) else values
        if key in settings["FORMATTED_FIELDS"]:
            metadata[key] = "\n".join(values)
            continue
        if not DUPLICATES_DEFINITIONS_ALLOWED.get(key, True):
            value = values[0]
        try:
            metadata[key] = process(key, value)
        except Exception as error:
            label = key.capitalize()
            if key in ("date", "modified"):
                message = f"{label} {value!r} is not a date ({_DATE_HELP})"
            else:
                message = f"{label} {value!r} cannot be read: {error}"
            problems.append(Problem(relative, message))
    return pelican_seams.without_discarded(metadata)


def _addresses_outside(relative: str, metadata: dict) -> list[Problem]:
    """A Slug, Save_as or URL that would put the page outside the site."""
    problems = []
    for key, label in (("slug", "Slug"), ("save_as", "Save_as"), ("url", "URL")):
        value = metadata.get(key)
        if isinstance(value, str) and (reason := _leaves_site(value)):
            problems.append(
                Problem(relative, f"{label} {value!r} {reason}; it must stay inside the site")
            )
    return problems


def _read_header(lines: list[str]) -> tuple[dict[str, list[str]], int, list[str], set[str]]:
    """The metadata header as Python-Markdown's meta extension reads it, the number of lines it
    takes, what is wrong with it, and the keys stranded below a malformed line."""
    md = _meta_reader()
    md.reset()
    rest = md.preprocessors["meta"].run(list(lines))
    header_length = len(lines) - len(rest)
    meta = {key.lower(): values for key, values in getattr(md, "Meta", {}).items()}
    problems: list[str] = []

    seen: dict[str, list[int]] = defaultdict(list)
    for number, line in enumerate(lines[:header_length], start=1):
        match = META_LINE.match(line)
        if match:
            seen[match.group("key").lower()].append(number)
    for key, numbers in seen.items():
        if key in SINGLE_VALUED and len(numbers) > 1:
            shown = ", ".join(str(n) for n in numbers)
            problems.append(f"{key.capitalize()} is given {len(numbers)} times (lines {shown})")

    stray: list[str] = []
    if meta and rest and rest[0].strip():
        stray = _metadata_below(lines, header_length)
        if stray:
            number = header_length + 1
            problems.append(
                f"malformed metadata: line {number} {rest[0].strip()[:60]!r} is not 'Key: value', "
                f"so {', '.join(stray)} below it would be read as article text"
            )
    return meta, header_length, problems, {key.lower() for key in stray}


@cache
def _meta_reader() -> markdown.Markdown:
    return markdown.Markdown(extensions=["markdown.extensions.meta"])


def _metadata_below(lines: list[str], start: int) -> list[str]:
    """Known metadata keys in the first block of lines at or after `start`."""
    keys: list[str] = []
    block = False
    for line in lines[start:]:
        if not line.strip():
            if block:
                break
            continue
        block = True
        match = META_LINE.match(line)
        if match and match.group("key").lower() in KNOWN_KEYS:
            keys.append(match.group("key"))
    return keys


def _leaves_site(value: str) -> str:
    """Why a slug or output path would point outside the site, or ""."""
    text = value.strip()
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text) and not re.match(r"[A-Za-z]:[\\/]", text):
        return "is a URL with a scheme"
    if text.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", text):
        return "is an absolute path"
    if ".." in PurePosixPath(text.replace("\\", "/")).parts:
        return "climbs out with '..'"
    return ""


def _check_outputs(sources: list[_Source], settings: dict, base: str) -> list[Problem]:
    """Two files that would be written to one output file, or onto a page the site makes."""
    output = os.path.abspath(settings["OUTPUT_PATH"])
    written: dict[str, list[_Source]] = defaultdict(list)
    problems: list[Problem] = []
    for source in sources:
        save_as = _save_as(source, settings)
        if not save_as:
            continue
        target = os.path.normpath(os.path.join(output, save_as))
        if os.path.commonpath([output, target]) != output:
            message = f"would be written outside the output folder ({save_as})"
            problems.append(Problem(display_path(base, source.path), message))
            continue
        written[target[len(output) + 1 :] if target != output else "."].append(source)
    reserved = _site_pages(settings)
    for target, found in sorted(written.items()):
        if len(found) == 1 and target not in reserved:
            continue
        paths = [display_path(base, source.path) for source in found]
        if len(paths) > 1:
            for path in paths:
                others = ", ".join(p for p in paths if p != path)
                problems.append(
                    Problem(
                        path,
                        f"would be written to {target}, as would {others} "
                        "(the same slug?); give one of them another Slug",
                    )
                )
        if target in reserved:
            for path in paths:
                problems.append(
                    Problem(path, f"would replace {target}, the site's {reserved[target]}")
                )
    return problems


def _save_as(source: _Source, settings: dict) -> str:
    """Where Pelican would write the file (worked out once per source)."""
    if not source.save_as_known:
        with signals.content_object_init.muted():
            content = source.content_class(
                content="",
                metadata=dict(source.metadata),
                settings=settings,
                source_path=os.path.join(settings["PATH"], source.path),
                context={},
            )
        source.save_as, source.save_as_known = content.save_as, True
    return source.save_as


def _site_pages(settings: dict) -> dict[str, str]:
    """Output files the site makes itself, and what they are."""
    pages: dict[str, str] = {}
    for name in settings.get("DIRECT_TEMPLATES", ()):
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if save_as:
            pages[os.path.normpath(save_as)] = f"{name} page"
    for key, label in (
        ("COUNTRIES_SAVE_AS", "countries index"),
        ("MINERALS_SAVE_AS", "minerals index"),
    ):
        if settings.get(key):
            pages[os.path.normpath(settings[key])] = label
    return pages


def report(problems: list[Problem]) -> None:
    """Log every problem as an error; with fatal errors, stop the build once all are listed."""
    if not problems:
        return
    fatal = False
    for problem in problems:
        try:
            logger.error("%s: %s", problem.path, problem.message)
        except RuntimeError:  # Pelican's --fatal errors raises after logging; list them all first
            fatal = True
    if not fatal:
        return
    files = len({p.path for p in problems})
    summary = (
        f"{files} content file{'s are' if files > 1 else ' is'} broken (listed above); "
        "nothing was built"
    )
    if _running_pelican_command():
        # Pelican's command line would print a traceback under the message; the list above is
        # the whole story.
        logger.critical("%s", summary)
        raise SystemExit(ContentError.exitcode)
    raise ContentError(summary, problems)


def display_path(content_path: str, relative: str) -> str:
    """A content file as the person running the build would type it (content/articles/x.md)."""
    full = os.path.join(content_path, relative)
    try:
        shown = os.path.relpath(full)
    except ValueError:
        return full
    return full if shown.startswith("..") else shown


def _running_pelican_command() -> bool:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", "") == "pelican.__main__" or (
        os.path.basename(sys.argv[0] if sys.argv else "") == "pelican"
    )


def validate(generator) -> None:
    report(check_content(generator))


def register() -> None:
    signals.article_generator_init.connect(validate)
