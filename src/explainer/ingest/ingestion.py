"""Seeds -> Markdown articles in content/articles/, never overwriting what a person edited.

Ingestion records the SHA-256 of every file it writes in content/.ingest-manifest.json. On the
next run a file whose bytes still match is regenerated; a file that differs was edited by a
person and is left alone (unless forced); a recorded file that is gone was deleted on purpose.

A seed that gives no date is dated from its file's modification time (UTC), and that date is
recorded in the manifest so later runs, on any machine, keep it. Seeds are read one at a time
and nothing of an article is kept once it is written, so memory stays flat however many there
are; the manifest is saved as the run goes, so an interrupted run loses nothing either.

A seed that tells a story already in the site (explainer.ingest.story_fingerprint: its body's
fingerprint matches one ingested before, in this run or an earlier one) is merged into that
story's article instead of getting one of its own (explainer.ingest.story_merge says how); the
manifest records it with the article it went into, and `split_seed` takes it out again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explainer.model import Article

MANIFEST_NAME = ".ingest-manifest.json"
ARTICLES_DIR = "articles"
_MAX_SLUG = 80
# Save the manifest after this many new records, so an interrupted run keeps what it wrote.
_SAVE_EVERY = 200
# A date further ahead than this is reported: usually a misread date, sometimes an embargo.
_FUTURE_SLACK_DAYS = 2
_DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")
# Bodies longer than this (about 150,000 words) are reported.
LARGE_BODY = 1_000_000
DATE_SOURCE_MTIME = "seed file modification time (the seed gives no date)"


# The extractor and the tagger take a third of a second to import: they load when a seed is
# read, not whenever this module is imported (a build with no seeds never pays for them).


def extract_article(path: Path) -> Article:
    from explainer.ingest.extract import extract_article as extract

    return extract(path)


def render_markdown(article: Article, slug: str) -> str:
    from explainer.ingest.markdown_out import render_markdown as render

    return render(article, slug)


def is_seed_file(path: Path) -> bool:
    from explainer.ingest.seed_file import is_seed_file as is_seed

    return is_seed(path)


def fingerprint_body(body: str):
    from explainer.ingest.story_fingerprint import fingerprint_body as fingerprint

    return fingerprint(body)


def make_slug(text: str, max_length: int = 0) -> str:
    from explainer.text.slugs import make_slug as slug

    return slug(text, max_length=max_length)


@dataclass
class IngestReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[tuple[Path, str]] = field(default_factory=list)
    merged: list[tuple[Path, Path]] = field(default_factory=list)  # (seed, article it went into)

    @property
    def ok(self) -> bool:
        return not self.errors


def seed_files(paths: Iterable[Path]) -> list[Path]:
    """Seed files named directly, or found (not recursively hidden) inside named folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.iterdir())
                if p.is_file() and is_seed_file(p) and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return found


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ManifestError(Exception):
    """The manifest cannot be trusted; the message says why and how to recover."""


class Manifest:
    def __init__(self, content_dir: Path) -> None:
        self.path = content_dir / MANIFEST_NAME
        self.entries: dict[str, dict] = {}
        # Seeds split off a story (`explainer ingest --split`): never merged again.
        self.split: set[str] = set()
        if self.path.exists():
            self.entries, self.split = _read_manifest(self.path)
        self._dirty = 0

    def record(
        self,
        seed_key: str,
        relative_file: str,
        digest: str,
        fallback_date: str | None = None,
        *,
        fingerprint: str | None = None,
        version: dict | None = None,
    ) -> None:
        """`fingerprint`: the seed's story fingerprint; `version`: its record as one of several
        seeds of a story (explainer.ingest.story_merge)."""
        entry: dict = {"file": relative_file, "sha256": digest}
        if fallback_date:
            entry["fallback_date"] = fallback_date
        if fingerprint:
            entry["fingerprint"] = fingerprint
        if version:
            entry["version"] = version
        if self.entries.get(seed_key) != entry:
            self.entries[seed_key] = entry
            self._dirty += 1
            if self._dirty >= _SAVE_EVERY:
                self.save()

    def mark_changed(self) -> None:
        self._dirty += 1

    def forget(self, seed_key: str) -> None:
        """Drop a seed's record and never merge it again (it was split off its story)."""
        self.entries.pop(seed_key, None)
        self.split.add(seed_key)
        self._dirty += 1

    def save(self) -> None:
        if self._dirty:
            payload: dict = {"version": 1, "articles": dict(sorted(self.entries.items()))}
            if self.split:
                payload["split"] = sorted(self.split)
            atomic_write(self.path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
            self._dirty = 0


def _read_manifest(path: Path) -> tuple[dict[str, dict], set[str]]:
    recover = (
        "fix it, or delete it (then every existing article counts as written by hand and is "
        "never overwritten)"
    )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"cannot be read ({error}); {recover}") from error
    entries = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ManifestError(f'has no "articles" table; {recover}')
    for key, entry in entries.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("file"), str)
            and isinstance(entry.get("sha256"), str)
            and _is_article_path(entry["file"])
        ):
            raise ManifestError(f"entry for {key!r} is not a file under {ARTICLES_DIR}/; {recover}")
    split = data.get("split", [])
    if not (isinstance(split, list) and all(isinstance(name, str) for name in split)):
        raise ManifestError(f'its "split" list is not a list of seed names; {recover}')
    return entries, set(split)


def _is_article_path(relative: str) -> bool:
    """Manifest paths stay inside content/articles/: a hand-edited manifest cannot aim
    ingestion at any other file."""
    path = PurePosixPath(relative)
    return (
        not path.is_absolute()
        and "\\" not in relative
        and ".." not in path.parts
        and len(path.parts) == 2
        and path.parts[0] == ARTICLES_DIR
        and path.suffix == ".md"
    )


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; an article is not
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def ingest(
    paths: Iterable[Path],
    content_dir: Path,
    *,
    force: bool = False,
    on_event: Callable[[str, Path, str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
    complete: bool = False,
) -> IngestReport:
    """Ingest seed files into content_dir/articles.

    `complete`: `paths` hold every seed there is (the project's seeds/), so a seed in the
    manifest that is not among them was removed: its article is kept, and that is said once
    ("removed" event) before its record is dropped.

    `on_event(kind, path, detail)` reports each seed: "written", "unchanged", "skipped" (an
    article a person edited or deleted), "warning" (written, but see the detail) or "error"
    (the seed could not be read). `on_progress(done, total)` is called after every seed.
    """
    report = IngestReport()

    def emit(kind: str, path: Path, detail: str = "") -> None:
        if on_event:
            on_event(kind, path, detail)

    try:
        manifest = Manifest(content_dir)
    except ManifestError as error:
        path = content_dir / MANIFEST_NAME
        report.errors.append((path, str(error)))
        emit("error", path, str(error))
        return report
    articles_dir = content_dir / ARTICLES_DIR
    claimed: set[str] = {entry["file"] for entry in manifest.entries.values()}
    seen: dict[str, str] = {}
    stories = _Stories(manifest)
    today = today or datetime.now(UTC).date()
    seeds = seed_files(paths)
    if on_progress:
        on_progress(0, len(seeds))
    try:
        for done, seed_path in enumerate(seeds, start=1):
            _ingest_one(
                seed_path, manifest, stories, articles_dir, content_dir, claimed, seen, force,
                today, report, emit,
            )  # fmt: skip
            if on_progress:
                on_progress(done, len(seeds))
        if complete:
            _report_removed_seeds(manifest, {p.name for p in seeds}, content_dir, emit)
    finally:
        manifest.save()
    return report


def _report_removed_seeds(
    manifest: Manifest, present: set[str], content_dir: Path, emit: Callable[[str, Path, str], None]
) -> None:
    """Say what became of the article of each seed that was removed, then forget the seed (so
    it is said once). The article stays: it may be all that is left of the seed's text."""
    gone = sorted(key for key in manifest.entries if key not in present)
    for key in gone:
        entry = manifest.entries.pop(key)
        manifest.mark_changed()
        article = content_dir / entry["file"]
        if not article.exists():
            continue  # the article was deleted too: nothing is left to say
        others = sorted(k for k, e in manifest.entries.items() if e["file"] == entry["file"])
        if others:
            detail = (
                f"its seed {key} was removed; the article stays, with the other seeds of its "
                f"story ({', '.join(others)})"
            )
        else:
            detail = (
                f"its seed {key} was removed; the article stays on the site and is now yours "
                "(ingestion no longer updates it): delete it to take its page down"
            )
        emit("removed", article, detail)


def _ingest_one(
    seed_path: Path,
    manifest: Manifest,
    stories: _Stories,
    articles_dir: Path,
    content_dir: Path,
    claimed: set[str],
    seen: dict[str, str],
    force: bool,
    today: date,
    report: IngestReport,
    emit: Callable[[str, Path, str], None],
) -> None:
    key = seed_path.name
    if key in seen:
        detail = (
            f"another seed named {key} ({seen[key]}) was ingested in this run; "
            "seed file names must be unique"
        )
        report.errors.append((seed_path, detail))
        emit("error", seed_path, detail)
        return
    seen[key] = str(seed_path)
    from explainer.ingest.seed_file import SeedError

    try:
        article = extract_article(seed_path)
    except (SeedError, OSError, UnicodeError) as error:
        report.errors.append((seed_path, describe_error(error)))
        emit("error", seed_path, describe_error(error))
        return
    except Exception as error:  # a bug, but one seed must not stop the others
        detail = f"could not be read: {type(error).__name__}: {error} (a bug in explainer)"
        report.errors.append((seed_path, detail))
        emit("error", seed_path, detail)
        return
    entry = manifest.entries.get(key)
    warnings = list(article.seed.warnings)
    fallback = _date_article(article, seed_path, entry, today, warnings)
    if len(article.seed.body) > LARGE_BODY:
        warnings.append(
            f"the article is {len(article.seed.body) / 1e6:.1f} million characters, far longer "
            "than any news article; it is kept whole, but building its page is slow (split the "
            "seed if it holds several articles)"
        )
    print_ = fingerprint_body(article.seed.body)
    match = None
    if entry:
        relative = _own_file(article, key, entry, manifest, stories, content_dir, claimed, emit)
    else:
        if key not in manifest.split:
            match = stories.index.best_match(print_)
        if match:
            relative = manifest.entries[match.key]["file"]
        else:
            relative = _free_file_name(
                article.seed.title, key, articles_dir, claimed,
                is_ours=lambda path: _holds(path, render_markdown(article, path.stem)),
            )  # fmt: skip
            claimed.add(relative)
    stories.add(key, relative, print_)
    members = stories.members[relative]
    if len(members) > 1:
        _ingest_into_story(
            key, seed_path, article, print_.to_text(), fallback, relative, members, match,
            manifest, content_dir, force, report, emit,
        )  # fmt: skip
        for warning in warnings:
            report.warnings.append((seed_path, warning))
            emit("warning", seed_path, warning)
        return
    target = content_dir / relative
    slug = Path(relative).stem
    text = render_markdown(article, slug)
    digest = sha256_text(text)
    fingerprint = print_.to_text()

    if target.exists():
        current = target.read_text(encoding="utf-8", errors="replace")
        if current == text:
            manifest.record(key, relative, digest, fallback, fingerprint=fingerprint)
            report.unchanged.append(target)
            emit("unchanged", target)
            return
        if not force and (entry is None or sha256_text(current) != entry["sha256"]):
            reason = "edited by hand since it was ingested; not overwriting (use --force)"
            report.skipped.append((target, reason))
            _say_once(manifest, key, entry, sha256_text(current), target, reason, emit)
            return
    elif entry and not force:
        reason = "deleted since it was ingested; not recreating (use --force)"
        report.skipped.append((target, reason))
        _say_once(manifest, key, entry, "deleted", target, reason, emit)
        return
    atomic_write(target, text)
    manifest.record(key, relative, digest, fallback, fingerprint=fingerprint)
    report.written.append(target)
    emit("written", target)
    for warning in warnings:
        report.warnings.append((seed_path, warning))
        emit("warning", seed_path, warning)


class _Stories:
    """Which seeds went into which article, and the fingerprints of all of them."""

    def __init__(self, manifest: Manifest) -> None:
        from explainer.ingest.story_fingerprint import Fingerprint, FingerprintError
        from explainer.ingest.story_index import StoryIndex

        self.index = StoryIndex()
        self.members: dict[str, list[str]] = {}
        for key, entry in manifest.entries.items():
            self.members.setdefault(entry["file"], []).append(key)
            # An entry recorded before fingerprints (or by another version) is fingerprinted
            # anew when its seed is next ingested.
            with contextlib.suppress(FingerprintError):
                self.index.add(key, Fingerprint.from_text(entry.get("fingerprint", "")))

    def add(self, key: str, relative: str, fingerprint) -> None:
        self.index.add(key, fingerprint)
        members = self.members.setdefault(relative, [])
        if key not in members:
            members.append(key)


def _ingest_into_story(
    key: str,
    seed_path: Path,
    article: Article,
    fingerprint: str,
    fallback: str | None,
    relative: str,
    members: list[str],
    match,
    manifest: Manifest,
    content_dir: Path,
    force: bool,
    report: IngestReport,
    emit: Callable[[str, Path, str], None],
) -> None:
    """Ingest a seed of a story that has several: record its version, then write the story's
    article again from all of them (unless a person edited or deleted it)."""
    from explainer.ingest.story_merge import (
        body_digest,
        choose_text,
        header_fields,
        record_from_article_file,
        render_story,
        version_record,
    )

    target = content_dir / relative
    slug = Path(relative).stem
    current = target.read_text(encoding="utf-8", errors="replace") if target.exists() else None
    written_digest = next(
        (manifest.entries[m]["sha256"] for m in members if m in manifest.entries), None
    )
    ours = current is not None and sha256_text(current) == written_digest
    version = version_record(article, render_markdown(article, slug), key)
    versions: dict[str, dict] = {key: version}
    for member in members:
        if member == key:
            continue
        record = manifest.entries[member].get("version")
        if record is None and ours:  # the story's first seed: its article holds its record
            record = record_from_article_file(current, member)
        if record is not None:
            versions[member] = record

    def record_all(digest: str) -> None:
        for member in members:
            entry = manifest.entries.get(member, {}) if member != key else {}
            manifest.record(
                member, relative, digest,
                fallback if member == key else entry.get("fallback_date"),
                fingerprint=fingerprint if member == key else entry.get("fingerprint"),
                version=versions.get(member),
            )  # fmt: skip

    def merged(detail: str) -> None:
        if match is not None:
            report.merged.append((seed_path, target))
            emit(
                "merged", seed_path,
                f"into {target} (same story as {match.key}: {match.score:.0%} of the shorter "
                f"text in the other){detail}",
            )  # fmt: skip

    complete = len(versions) == len(members)
    chosen = choose_text(versions)
    body = None
    if chosen == key:
        body = article.seed.body
    elif ours:
        _, file_body = header_fields(current)
        if body_digest(file_body) == versions[chosen]["body_sha256"]:
            body = file_body
    if not complete or (not ours and not force) or body is None:
        record_all(written_digest or "")
        if current is None and not force:
            reason = "deleted since it was ingested; not recreating (use --force)"
        elif not ours and current is not None:
            reason = "edited by hand since it was ingested; not updating it (use --force)"
        else:  # the text to show is another seed's, read when that seed is ingested
            reason = ""
        if match is not None:
            merged(f"; {reason}" if reason else "")
        elif reason:
            report.skipped.append((target, reason))
            emit("skipped", target, reason)
        return
    text = render_story(versions, body, slug)
    if current == text:
        record_all(written_digest)
        report.unchanged.append(target)
        emit("unchanged", target)
        return
    atomic_write(target, text)
    record_all(sha256_text(text))
    if match is not None:
        merged("")
    else:
        report.written.append(target)
        emit("written", target)


def split_seed(content_dir: Path, seed_name: str) -> str:
    """Take a seed out of the story it was merged into; returns the article it leaves. The next
    `ingest` gives it an article of its own and writes the story's article again without it.
    Raises ManifestError when the seed is not part of a story of several seeds."""
    manifest = Manifest(content_dir)
    entry = manifest.entries.get(seed_name)
    if entry is None:
        raise ManifestError(f"{seed_name} has not been ingested (no record in {MANIFEST_NAME})")
    members = [k for k, e in manifest.entries.items() if e["file"] == entry["file"]]
    if len(members) < 2:
        raise ManifestError(
            f"{seed_name} is not merged with another seed: {entry['file']} is its own"
        )
    manifest.forget(seed_name)
    manifest.save()
    return entry["file"]


def _date_article(
    article: Article, seed_path: Path, entry: dict | None, today: date, warnings: list[str]
) -> str | None:
    """Give a dateless seed its stated fallback date; report one in the future. Returns the
    fallback date used (to record in the manifest), or None when the seed has its own."""
    seed = article.seed
    if seed.date is not None:
        day = seed.date.date() if isinstance(seed.date, datetime) else seed.date
        if (day - today).days > _FUTURE_SLACK_DAYS:
            warnings.append(f"date {day.isoformat()} is in the future; kept as the seed gives it")
        return None
    pinned = (entry or {}).get("fallback_date")
    try:
        day = date.fromisoformat(pinned) if pinned else None
    except ValueError:
        day = None
    if day is None:
        day = datetime.fromtimestamp(seed_path.stat().st_mtime, UTC).date()
    seed.date = day
    seed.meta["date_source"] = DATE_SOURCE_MTIME
    warnings.append(
        f"no date in the seed; dated {day.isoformat()} from the file's modification time "
        "(set Date: in the article to correct it)"
    )
    return day.isoformat()


def describe_error(error: Exception) -> str:
    """The message for a seed that cannot be read, without Python's decoration."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _say_once(
    manifest: Manifest,
    key: str,
    entry: dict | None,
    state: str,
    target: Path,
    reason: str,
    emit: Callable[[str, Path, str], None],
) -> None:
    """Report a kept article once per change, not on every run: the manifest remembers the
    state of the article (its hash, or "deleted") that was last reported."""
    if entry is None:  # an article ingestion never wrote: nothing to remember it by
        emit("skipped", target, reason)
        return
    if entry.get("reported") == state:
        emit("kept", target, reason)  # said before; only a verbose listing shows it again
        return
    manifest.entries[key] = {**entry, "reported": state}
    manifest.mark_changed()
    emit("skipped", target, reason)


def _own_file(
    article: Article,
    key: str,
    entry: dict,
    manifest: Manifest,
    stories: _Stories,
    content_dir: Path,
    claimed: set[str],
    emit: Callable[[str, Path, str], None],
) -> str:
    """The article file of a seed ingested before: renamed to follow its title while the seed
    has the article to itself and nobody edited it (a story's file stays)."""
    relative = entry["file"]
    if stories.members.get(relative, []) not in ([], [key]):
        return relative
    articles_dir = content_dir / ARTICLES_DIR
    followed = _follow_title(article, key, entry, articles_dir, content_dir, claimed, emit)
    if followed != relative:
        manifest.mark_changed()
        stories.members.pop(relative, None)
    return followed


def _follow_title(
    article: Article,
    key: str,
    entry: dict,
    articles_dir: Path,
    content_dir: Path,
    claimed: set[str],
    emit: Callable[[str, Path, str], None],
) -> str:
    """The file (and slug) of a seed's own article, renamed to follow the seed's title while
    nobody has edited the article (a first wrong guess, "skip-to-main-content", corrected by a
    fixed seed). The old address keeps working: the build remembers it and writes a redirect
    (explainer.site.plugins.redirects)."""
    relative = entry["file"]
    old = content_dir / relative
    base = make_slug(article.seed.title, max_length=_MAX_SLUG)
    stem = Path(relative).stem
    if not base or stem == base or re.fullmatch(rf"{re.escape(base)}-\d+", stem):
        return relative
    try:
        edited = sha256_text(old.read_text(encoding="utf-8")) != entry["sha256"]
    except (OSError, UnicodeDecodeError):
        return relative  # deleted (or unreadable): left as the person made it
    if edited:
        return relative
    claimed.discard(relative)
    new = _free_file_name(
        article.seed.title, key, articles_dir, claimed, is_ours=lambda path: path == old
    )
    claimed.add(new)
    if new == relative:
        return relative
    text = render_markdown(article, Path(new).stem)
    atomic_write(content_dir / new, text)
    old.unlink()
    entry["file"] = new
    entry["sha256"] = sha256_text(text)
    detail = f"renamed from {old.name}: the title changed (the old address redirects)"
    emit("renamed", content_dir / new, detail)
    return new


def _free_file_name(
    title: str,
    seed_key: str,
    articles_dir: Path,
    claimed: set[str],
    is_ours: Callable[[Path], bool] = lambda path: False,
) -> str:
    """A file name for a new article: its title's slug, numbered if taken. A file that already
    holds exactly what this seed makes (its manifest record was lost) is taken back."""
    base = make_slug(title, max_length=_MAX_SLUG) or make_slug(Path(seed_key).stem) or "article"
    if _DATE_PREFIX.match(base):
        # Pelican reads a date from a file name that starts like one (FILENAME_METADATA) and
        # stops the build when it is not a real date ("9999-99-99"): keep those out of names.
        base = f"article-{base}"
    candidate, n = base, 2
    while True:
        relative = f"{ARTICLES_DIR}/{candidate}.md"
        path = articles_dir / f"{candidate}.md"
        if relative not in claimed and (not path.exists() or is_ours(path)):
            return relative
        candidate, n = f"{base}-{n}", n + 1


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False
