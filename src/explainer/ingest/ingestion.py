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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explainer.ingest.seed_reading import SeedRead
    from explainer.ingest.story_index import StoryIndex
    from explainer.model import Article

MANIFEST_NAME = ".ingest-manifest.json"
ARTICLES_DIR = "articles"
_MAX_SLUG = 80
# Save the manifest after this many new records (or a quarter of the records, when more: each
# save writes all of them), so an interrupted run keeps what it wrote (and an article whose
# record was lost is taken back on the next run).
_SAVE_EVERY = 200
_SAVE_SHARE = 4
# A date further ahead than this is reported: usually a misread date, sometimes an embargo.
_FUTURE_SLACK_DAYS = 2
_DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")
# Bodies longer than this (about 150,000 words) are reported.
LARGE_BODY = 1_000_000
DATE_SOURCE_MTIME = "seed file modification time (the seed gives no date)"
# Marks a seed of a story that lost a seed to a split: read again on the next run.
_REREAD = "reread"


# The extractor and the tagger take a third of a second to import: they load when a seed is
# read, not whenever this module is imported (a build with no seeds never pays for them).


def render_markdown(article: Article, slug: str) -> str:
    from explainer.ingest.markdown_out import render_markdown as render

    return render(article, slug)


def is_seed_file(path: Path) -> bool:
    from explainer.ingest.seed_file import is_seed_file as is_seed

    return is_seed(path)


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
    split: list[tuple[str, Path]] = field(default_factory=list)  # (seed, article it left)

    @property
    def ok(self) -> bool:
        return not self.errors


def _problem(
    report: IngestReport,
    emit: Callable[[str, Path, str], None],
    kind: str,
    path: Path,
    detail: str,
) -> None:
    """An "error" or a "warning": kept in the report and told to the caller's listener."""
    (report.errors if kind == "error" else report.warnings).append((path, detail))
    emit(kind, path, detail)


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
        # Kept small in memory (a run holds one entry a seed): a story version as one compact
        # JSON string, and the story fingerprints in the story index once one is attached.
        for entry in self.entries.values():
            if isinstance(entry.get("version"), dict):
                entry["version"] = _compact(entry["version"])
        self.index: StoryIndex | None = None
        self._dirty = 0

    def attach_index(self, index: StoryIndex) -> None:
        """Move the recorded story fingerprints into `index` (binary, 256 bytes a seed instead
        of 300 characters of text); from then on the index holds them and save() writes them
        from there."""
        from explainer.ingest.story_fingerprint import Fingerprint, FingerprintError

        for key, entry in self.entries.items():
            # An entry recorded before fingerprints (or by another version) keeps its text and
            # is fingerprinted anew when its seed is next ingested.
            with contextlib.suppress(FingerprintError):
                index.add(key, Fingerprint.from_text(entry.get("fingerprint", "")))
                del entry["fingerprint"]
        self.index = index

    def version(self, seed_key: str) -> dict | None:
        """The seed's record as one of several seeds of a story, if it has one."""
        value = self.entries.get(seed_key, {}).get("version")
        return json.loads(value) if isinstance(value, str) else value

    def record(
        self,
        seed_key: str,
        relative_file: str,
        digest: str,
        fallback_date: str | None = None,
        *,
        version: dict | None = None,
    ) -> None:
        """`version`: the seed's record as one of several seeds of a story
        (explainer.ingest.story_merge). Its story fingerprint is the attached index's."""
        entry: dict = {"file": relative_file, "sha256": digest}
        if fallback_date:
            entry["fallback_date"] = fallback_date
        old = self.entries.get(seed_key)
        if old and "fingerprint" in old and seed_key not in (self.index or ()):
            entry["fingerprint"] = old["fingerprint"]
        if version:
            entry["version"] = _compact(version)
        if old != entry:
            self.entries[seed_key] = entry
            self.mark_changed()

    def mark_changed(self) -> None:
        """Note a change (saved with the next batch of changes)."""
        self._dirty += 1
        if self._dirty >= max(_SAVE_EVERY, len(self.entries) // _SAVE_SHARE):
            self.save()

    def forget(self, seed_key: str) -> None:
        """Drop a seed's record and never merge it again (it was split off its story). The
        story's other seeds are marked to be read again, so the next run writes its article
        without this one even when they are not among the seeds it is given."""
        entry = self.entries.pop(seed_key, None)
        self.split.add(seed_key)
        if entry is not None:
            for other in self.entries.values():
                if other["file"] == entry["file"]:
                    other[_REREAD] = True
        self._dirty += 1

    def save(self) -> None:
        if self._dirty:
            atomic_write_chunks(self.path, self._json_chunks())
            self._dirty = 0

    def _json_chunks(self) -> Iterator[str]:
        """The manifest as JSON, one seed a line, written as it is made: a big manifest is
        never held as one string (nor encoded by json's slow indenting encoder)."""
        yield '{\n  "version": 1,\n  "articles": {'
        for n, key in enumerate(sorted(self.entries)):
            yield f"{',' if n else ''}\n    {_compact(key)}: {self._entry_json(key)}"
        yield "\n  }"
        if self.split:
            yield f',\n  "split": {json.dumps(sorted(self.split), ensure_ascii=False)}'
        yield "\n}\n"

    def _entry_json(self, key: str) -> str:
        entry = self.entries[key]
        printed = self.index.fingerprint_text(key) if self.index is not None else None
        out = {k: v for k, v in entry.items() if k != "version"}
        if printed is not None:
            out["fingerprint"] = printed
        text = _compact(out)
        version = entry.get("version")
        if version is None:
            return text
        # Kept as compact JSON already (see __init__): written as it is.
        version = version if isinstance(version, str) else _compact(version)
        return f'{text[:-1]},"version":{version}}}'


def _compact(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


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
    atomic_write_chunks(path, (text,))


def atomic_write_chunks(path: Path, chunks: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; an article is not
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
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
    detect_stories: bool = True,
) -> IngestReport:
    """Ingest seed files into content_dir/articles.

    `complete`: `paths` hold every seed there is (the project's seeds/), so a seed in the
    manifest that is not among them was removed: its article is kept, and that is said once
    ("removed" event) before its record is dropped.

    `on_event(kind, path, detail)` reports each seed: "written", "unchanged", "skipped" (an
    article a person edited or deleted), "warning" (written, but see the detail), "merged"
    (into another seed's story), "split" (a seed its article's Split: line names, as the path)
    or "error" (the seed could not be read). `on_progress(done, total)` is called after every
    seed. `detect_stories=False`: no same-story detection (bench/ingest_scale.py's baseline).
    """
    report = IngestReport()

    def emit(kind: str, path: Path, detail: str = "") -> None:
        if on_event:
            on_event(kind, path, detail)

    try:
        manifest = Manifest(content_dir)
    except ManifestError as error:
        path = content_dir / MANIFEST_NAME
        _problem(report, emit, "error", path, str(error))
        return report
    articles_dir = content_dir / ARTICLES_DIR
    claimed: set[str] = {entry["file"] for entry in manifest.entries.values()}
    stories = _Stories(manifest, detect_stories)
    today = today or datetime.now(UTC).date()
    seeds = seed_files(paths := list(paths))
    _split_as_written(manifest, stories, content_dir, report, emit)
    seeds += _seeds_to_reread(manifest, seeds, paths, report, emit, say_missing=not complete)
    if on_progress:
        on_progress(0, len(seeds))
    try:
        for done, read in enumerate(_read_unique(seeds, stories.detect, report, emit), start=1):
            if read is not None:
                _ingest_one(
                    read, manifest, stories, articles_dir, content_dir, claimed, force, today,
                    report, emit,
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


def _read_unique(
    seeds: list[Path],
    fingerprints: bool,
    report: IngestReport,
    emit: Callable[[str, Path, str], None],
) -> Iterator[SeedRead | None]:
    """Each seed read (None for one that could not be, or whose name another seed of this run
    already has), in order."""
    if not seeds:  # a build with no seeds does not import the readers (0.8 s of a no-op build)
        return
    from explainer.ingest.seed_reading import read_seeds

    seen: dict[str, Path] = {}
    unique: list[Path] = []
    duplicates: dict[int, Path] = {}
    for position, seed_path in enumerate(seeds):
        if seed_path.name in seen:
            duplicates[position] = seed_path
        else:
            seen[seed_path.name] = seed_path
            unique.append(seed_path)
    reads = read_seeds(unique, fingerprints)
    for position, seed_path in enumerate(seeds):
        if position in duplicates:
            detail = (
                f"another seed named {seed_path.name} ({seen[seed_path.name]}) was ingested in "
                "this run; seed file names must be unique"
            )
            _problem(report, emit, "error", seed_path, detail)
            yield None
            continue
        read = next(reads)
        if read.article is None:
            _problem(report, emit, "error", seed_path, read.error)
            yield None
        else:
            yield read


def _ingest_one(
    read: SeedRead,
    manifest: Manifest,
    stories: _Stories,
    articles_dir: Path,
    content_dir: Path,
    claimed: set[str],
    force: bool,
    today: date,
    report: IngestReport,
    emit: Callable[[str, Path, str], None],
) -> None:
    seed_path, article, print_ = read.path, read.article, read.fingerprint
    key = seed_path.name
    entry = manifest.entries.get(key)
    warnings = list(article.seed.warnings)
    fallback = _date_article(article, seed_path, entry, today, warnings)
    if len(article.seed.body) > LARGE_BODY:
        warnings.append(
            f"the article is {len(article.seed.body) / 1e6:.1f} million characters, far longer "
            "than any news article; it is kept whole, but building its page is slow (split the "
            "seed if it holds several articles)"
        )
    match = None
    if entry:
        relative = _own_file(article, key, entry, manifest, stories, content_dir, claimed, emit)
    else:
        if print_ is not None and key not in manifest.split:
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
            key, seed_path, article, fallback, relative, members, match,
            manifest, content_dir, force, report, emit,
        )  # fmt: skip
    elif not _write_single(key, article, fallback, relative, entry, manifest, content_dir,
                           force, report, emit):  # fmt: skip
        return
    for warning in warnings:
        _problem(report, emit, "warning", seed_path, warning)


def _write_single(
    key: str,
    article: Article,
    fallback: str | None,
    relative: str,
    entry: dict | None,
    manifest: Manifest,
    content_dir: Path,
    force: bool,
    report: IngestReport,
    emit: Callable[[str, Path, str], None],
) -> bool:
    """Write a one-seed article unless a person changed it; whether it was written."""
    target = content_dir / relative
    text = render_markdown(article, Path(relative).stem)
    digest = sha256_text(text)
    if target.exists():
        current = target.read_text(encoding="utf-8", errors="replace")
        if current == text:
            manifest.record(key, relative, digest, fallback)
            report.unchanged.append(target)
            emit("unchanged", target)
            return False
        if not force and (entry is None or sha256_text(current) != entry["sha256"]):
            reason = "edited by hand since it was ingested; not overwriting (use --force)"
            report.skipped.append((target, reason))
            _say_once(manifest, key, entry, sha256_text(current), target, reason, emit)
            return False
    elif entry and not force:
        reason = "deleted since it was ingested; not recreating (use --force)"
        report.skipped.append((target, reason))
        _say_once(manifest, key, entry, "deleted", target, reason, emit)
        return False
    atomic_write(target, text)
    manifest.record(key, relative, digest, fallback)
    report.written.append(target)
    emit("written", target)
    return True


class _Stories:
    """Which seeds went into which article, and the fingerprints of all of them."""

    def __init__(self, manifest: Manifest, detect: bool = True) -> None:
        self.detect = detect
        self.manifest = manifest
        self._index: StoryIndex | None = None
        self.members: dict[str, list[str]] = {}
        for key, entry in manifest.entries.items():
            self.members.setdefault(entry["file"], []).append(key)

    @property
    def index(self) -> StoryIndex:
        """Made on first use: a run with no seed to read does not load numpy (0.15 s)."""
        if self._index is None:
            from explainer.ingest.story_index import StoryIndex

            self._index = StoryIndex()
            if self.detect:
                self.manifest.attach_index(self._index)
        return self._index

    def add(self, key: str, relative: str, fingerprint) -> None:
        if fingerprint is not None and self.index.add(key, fingerprint):
            self.manifest.mark_changed()
        members = self.members.setdefault(relative, [])
        if key not in members:
            members.append(key)

    def remove(self, key: str, relative: str) -> None:
        self.index.discard(key)
        if key in self.members.get(relative, []):
            self.members[relative].remove(key)


def _ingest_into_story(
    key: str,
    seed_path: Path,
    article: Article,
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
    story = _StoryArticle(content_dir, relative, members, manifest)
    story.gather(key, article)
    said = _StorySaid(seed_path, story.target, match, report, emit)
    body = story.body_to_show(key, article)
    if not story.complete or (not story.ours and not force) or body is None:
        story.record_all(key, fallback, story.written_digest or "")
        said.kept(story.reason_kept(force))
        return
    from explainer.ingest.story_merge import render_story

    text = render_story(story.versions, body, story.slug)
    if story.current == text:
        story.record_all(key, fallback, story.written_digest)
        said.unchanged()
        return
    atomic_write(story.target, text)
    story.record_all(key, fallback, sha256_text(text))
    said.written()


class _StoryArticle:
    """A story's article file and the version records of all its seeds."""

    def __init__(self, content_dir: Path, relative: str, members: list[str], manifest: Manifest):
        self.relative, self.members, self.manifest = relative, members, manifest
        self.target = content_dir / relative
        self.slug = Path(relative).stem
        exists = self.target.exists()
        self.current = self.target.read_text(encoding="utf-8", errors="replace") if exists else None
        self.written_digest = next(
            (manifest.entries[m]["sha256"] for m in members if m in manifest.entries), None
        )
        self.ours = self.current is not None and sha256_text(self.current) == self.written_digest
        self.versions: dict[str, dict] = {}
        self.complete = False

    def gather(self, key: str, article: Article) -> None:
        from explainer.ingest.story_merge import record_from_article_file, version_record

        self.versions = {key: version_record(article, render_markdown(article, self.slug), key)}
        for member in self.members:
            if member == key:
                continue
            record = self.manifest.version(member)
            if record is None and self.ours:  # the story's first seed: its article has it
                record = record_from_article_file(self.current, member)
            if record is not None:
                self.versions[member] = record
        self.complete = len(self.versions) == len(self.members)

    def body_to_show(self, key: str, article: Article) -> str | None:
        """The chosen version's body: this seed's, or the article's when it holds that one."""
        from explainer.ingest.story_merge import body_digest, choose_text, header_fields

        chosen = choose_text(self.versions)
        if chosen == key:
            return article.seed.body
        if self.ours:
            _, file_body = header_fields(self.current)
            if body_digest(file_body) == self.versions[chosen]["body_sha256"]:
                return file_body
        return None

    def record_all(self, key: str, fallback: str | None, digest: str) -> None:
        for member in self.members:
            entry = self.manifest.entries.get(member, {}) if member != key else {}
            self.manifest.record(
                member, self.relative, digest,
                fallback if member == key else entry.get("fallback_date"),
                version=self.versions.get(member),
            )  # fmt: skip

    def reason_kept(self, force: bool) -> str:
        if self.current is None and not force:
            return "deleted since it was ingested; not recreating (use --force)"
        if not self.ours and self.current is not None:
            return "edited by hand since it was ingested; not updating it (use --force)"
        return ""  # the text to show is another seed's, read when that seed is ingested


class _StorySaid:
    """What ingesting a seed into a story reports."""

    def __init__(self, seed_path: Path, target: Path, match, report: IngestReport, emit):
        self.seed_path, self.target, self.match = seed_path, target, match
        self.report, self.emit = report, emit

    def merged(self, detail: str) -> None:
        self.report.merged.append((self.seed_path, self.target))
        self.emit(
            "merged", self.seed_path,
            f"into {self.target} (same story as {self.match.key}: {self.match.score:.0%} of the "
            f"shorter text in the other){detail}",
        )  # fmt: skip

    def kept(self, reason: str) -> None:
        if self.match is not None:
            self.merged(f"; {reason}" if reason else "")
        elif reason:
            self.report.skipped.append((self.target, reason))
            self.emit("skipped", self.target, reason)

    def unchanged(self) -> None:
        self.report.unchanged.append(self.target)
        self.emit("unchanged", self.target)

    def written(self) -> None:
        if self.match is not None:
            self.merged("")
        else:
            self.report.written.append(self.target)
            self.emit("written", self.target)


def _split_as_written(
    manifest: Manifest,
    stories: _Stories,
    content_dir: Path,
    report: IngestReport,
    emit: Callable[[str, Path, str], None],
) -> None:
    """Split off the seeds that a story's article names in `Split:` lines
    (explainer.ingest.story_split), then take the lines out again when they were the only edit,
    so the article is written anew without those seeds."""
    from explainer.ingest.story_split import split_requests, without_split_lines

    for relative, members in list(stories.members.items()):
        target = content_dir / relative
        if len(members) < 2 or not target.exists():
            continue
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        names = split_requests(current)
        if not names:
            continue
        written = next(
            (manifest.entries[m]["sha256"] for m in members if m in manifest.entries), ""
        )
        for name in names:
            if name in manifest.split:  # split off already: the line stayed in an edited article
                continue
            if name not in members:
                detail = f"Split: {name} names no seed merged into this article; ignored"
                _problem(report, emit, "warning", target, detail)
                continue
            manifest.forget(name)
            stories.remove(name, relative)
            report.split.append((name, target))
            emit("split", Path(name), f"off {target} (its Split: line)")
        cleaned = without_split_lines(current)
        if sha256_text(cleaned) == written:
            atomic_write(target, cleaned)
        else:
            detail = (
                "edited by hand: the seeds its Split: line names are split off, the article is "
                "left as you wrote it (remove their Reported-By lines yourself)"
            )
            _problem(report, emit, "warning", target, detail)


def _seeds_to_reread(
    manifest: Manifest,
    seeds: list[Path],
    paths: list[Path],
    report: IngestReport,
    emit: Callable[[str, Path, str], None],
    say_missing: bool = True,
) -> list[Path]:
    """Seeds of a story that lost a seed to a split, not among the seeds of this run: found in
    the folders this run reads from, they are read again so the story's article is written
    without the seed split off (its text, when that seed's was shown, is another seed's).
    `say_missing=False`: one not found goes unreported (a complete run reports it removed)."""
    names = {seed.name for seed in seeds}
    folders = list(dict.fromkeys([p for p in paths if p.is_dir()] + [s.parent for s in seeds]))
    extra: list[Path] = []
    for key, entry in sorted(manifest.entries.items()):
        if not entry.get(_REREAD) or key in names:
            continue
        found = next((f / key for f in folders if (f / key).is_file()), None)
        if found is not None:
            extra.append(found)
            continue
        if not say_missing:
            continue
        target = Path(entry["file"])
        detail = (
            f"a seed was split off {target}, which shows {key}'s text or lists it; {key} is "
            "not among the seeds read, so the article is not written again until it is"
        )
        _problem(report, emit, "warning", target, detail)
    return extra


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
