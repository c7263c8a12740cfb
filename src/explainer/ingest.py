"""Seeds -> Markdown articles in content/articles/, never overwriting what a person edited.

Ingestion records the SHA-256 of every file it writes in content/.ingest-manifest.json. On the
next run a file whose bytes still match is regenerated; a file that differs was edited by a
person and is left alone (unless forced); a recorded file that is gone was deleted on purpose.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from explainer.extract import extract_article
from explainer.markdown_out import render_markdown
from explainer.seeds import SeedError, is_seed_file
from explainer.slugs import make_slug

MANIFEST_NAME = ".ingest-manifest.json"
ARTICLES_DIR = "articles"
_MAX_SLUG = 80


@dataclass
class IngestReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)

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


class Manifest:
    def __init__(self, content_dir: Path) -> None:
        self.path = content_dir / MANIFEST_NAME
        self.entries: dict[str, dict[str, str]] = {}
        if self.path.exists():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries = data.get("articles", {})
        self._dirty = False

    def record(self, seed_key: str, relative_file: str, digest: str) -> None:
        entry = {"file": relative_file, "sha256": digest}
        if self.entries.get(seed_key) != entry:
            self.entries[seed_key] = entry
            self._dirty = True

    def save(self) -> None:
        if self._dirty:
            payload = {"version": 1, "articles": dict(sorted(self.entries.items()))}
            atomic_write(self.path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
            self._dirty = False


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ingest(
    paths: Iterable[Path],
    content_dir: Path,
    *,
    force: bool = False,
    on_event: Callable[[str, Path, str], None] | None = None,
) -> IngestReport:
    """Ingest seed files into content_dir/articles. `on_event(kind, path, detail)` reports each."""
    report = IngestReport()
    manifest = Manifest(content_dir)
    articles_dir = content_dir / ARTICLES_DIR
    claimed: set[str] = {entry["file"] for entry in manifest.entries.values()}

    def emit(kind: str, path: Path, detail: str = "") -> None:
        if on_event:
            on_event(kind, path, detail)

    for seed_path in seed_files(paths):
        key = seed_path.name
        try:
            article = extract_article(seed_path)
        except (SeedError, OSError, UnicodeError) as error:
            report.errors.append((seed_path, str(error)))
            emit("error", seed_path, str(error))
            continue
        entry = manifest.entries.get(key)
        if entry:
            relative = entry["file"]
        else:
            relative = _free_file_name(article.seed.title, key, articles_dir, claimed)
            claimed.add(relative)
        target = content_dir / relative
        slug = Path(relative).stem
        text = render_markdown(article, slug)
        digest = sha256_text(text)

        if target.exists():
            current = target.read_text(encoding="utf-8", errors="replace")
            if current == text:
                manifest.record(key, relative, digest)
                report.unchanged.append(target)
                emit("unchanged", target)
                continue
            if not force and (entry is None or sha256_text(current) != entry["sha256"]):
                reason = "edited by hand since it was ingested; not overwriting (use --force)"
                report.skipped.append((target, reason))
                emit("skipped", target, reason)
                continue
        elif entry and not force:
            reason = "deleted since it was ingested; not recreating (use --force)"
            report.skipped.append((target, reason))
            emit("skipped", target, reason)
            continue
        atomic_write(target, text)
        manifest.record(key, relative, digest)
        report.written.append(target)
        emit("written", target)
    manifest.save()
    return report


def _free_file_name(title: str, seed_key: str, articles_dir: Path, claimed: set[str]) -> str:
    base = make_slug(title, max_length=_MAX_SLUG) or make_slug(Path(seed_key).stem)
    candidate, n = base, 2
    while (
        articles_dir / f"{candidate}.md"
    ).exists() or f"{ARTICLES_DIR}/{candidate}.md" in claimed:
        candidate, n = f"{base}-{n}", n + 1
    return f"{ARTICLES_DIR}/{candidate}.md"
