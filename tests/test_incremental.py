"""Incremental builds give exactly what a clean build gives, and skip what did not change."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, build, copy_project

sys.path.insert(0, str(REPO / "bench"))
import corpus

from explainer.incremental.worker import Worker

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def clean_build(root: Path, out: str = "clean-output") -> dict[str, bytes]:
    """A build in a fresh process with no state and no caches, into its own folder."""
    shutil.rmtree(root / out, ignore_errors=True)
    shutil.rmtree(root / ".build" / "state", ignore_errors=True)
    shutil.rmtree(root / ".build" / "jinja", ignore_errors=True)
    shutil.rmtree(root / ".build" / "read", ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "explainer.incremental", "build", "--root", str(root),
         "--output", out, "--force"],
        cwd=root, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return tree(root / out)


def diff(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    names = sorted(set(a) | set(b))
    return [n for n in names if a.get(n) != b.get(n)]


class Editor:
    """Random edits of the kinds people make: add, retitle, retag, edit, redate, delete, rename."""

    def __init__(self, articles: Path, rng: random.Random, next_index: int) -> None:
        self.articles = articles
        self.rng = rng
        self.next_index = next_index

    def files(self) -> list[Path]:
        return sorted(self.articles.glob("*.md"))

    def _field(self, path: Path, name: str, value: str) -> None:
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if not line.strip():
                lines.insert(i, f"{name}: {value}")
                break
            if line.startswith(f"{name}:"):
                lines[i] = f"{name}: {value}".rstrip()
                break
        path.write_text("\n".join(lines), encoding="utf-8")

    def edit(self) -> str:
        rng, files = self.rng, self.files()
        kind = rng.choice(
            ["add", "title", "tags", "countries", "minerals", "body", "date", "delete", "rename"]
        )
        if kind == "add" or len(files) < 5:
            article = corpus.CorpusArticle(self.next_index, seed=11)
            self.next_index += 1
            (self.articles / f"{article.slug}.md").write_text(article.markdown(), encoding="utf-8")
            return "add"
        path = rng.choice(files)
        if kind == "title":
            self._field(path, "Title", f"Retitled {rng.randrange(10**6)}")
        elif kind == "tags":
            self._field(path, "Tags", ", ".join(rng.sample(["Batteries", "Export controls",
                        "Supply chains", "Recycling", "Tariffs", "Xi Jinping"], rng.randint(0, 3))))
        elif kind == "countries":
            self._field(path, "Countries", ", ".join(rng.sample(["China", "Chile", "Japan",
                        "Australia", "Congo", "Germany", "Peru"], rng.randint(0, 3))))
        elif kind == "minerals":
            self._field(path, "Minerals", ", ".join(rng.sample(["Lithium", "Cobalt",
                        "Rare earths", "Copper", "Graphite"], rng.randint(0, 2))))
        elif kind == "body":
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"\nAn added paragraph {rng.randrange(10**6)}.\n")
        elif kind == "date":
            day = f"20{rng.randint(19, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            self._field(path, "Date", day)
        elif kind == "delete":
            path.unlink()
        elif kind == "rename":
            target = path.with_name(f"renamed-{rng.randrange(10**6)}.md")
            path.rename(target)
            if rng.random() < 0.5:
                self._field(target, "Slug", target.stem)
        return kind


def test_random_edits_give_the_same_site_as_a_clean_build(tmp_path):
    root = copy_project(tmp_path / "site")
    articles = root / "content" / "articles"
    corpus.write_articles(root / "content", 40, seed=11)
    build(root)  # ingests the seed, builds once in a fresh process
    worker = Worker(root, "pelicanconf.py", "output", reply=lambda message: None)
    first = worker.run_build([])
    assert first["ok"], first
    editor = Editor(articles, random.Random(20260105), next_index=40)
    kinds: dict[str, int] = {}
    edits = 300
    for number in range(1, edits + 1):
        for _ in range(random.Random(number).randint(1, 3)):  # sometimes several files at once
            kind = editor.edit()
            kinds[kind] = kinds.get(kind, 0) + 1
        result = worker.run_build([])
        assert result["ok"], result
        if number % 50 == 0 or number == edits:
            differing = diff(tree(root / "output"), clean_build(root))
            assert not differing, f"after {number} edits ({kinds}), differs: {differing[:10]}"
    assert set(kinds) >= {"add", "title", "tags", "body", "delete", "rename"}


def test_theme_and_settings_changes_rebuild_exactly(tmp_path):
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 25, seed=3)
    output = build(root)
    # A template edit reaches every page that uses it; a stylesheet edit is copied.
    footer = root / "theme" / "templates" / "partials" / "site_footer.html"
    footer.write_text(footer.read_text().replace("Built with", "Made with"))
    css = root / "theme" / "static" / "css" / "style.css"
    css.write_text(css.read_text() + "\n.changed { color: inherit; }\n")
    build(root)
    assert b"Made with" in (output / "index.html").read_bytes()
    assert not diff(tree(output), clean_build(root))
    # A settings change (the site's name) reaches every page.
    conf = root / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('SITENAME = "Critical Minerals Explained"',
                                             'SITENAME = "Minerals Explained Again"'))
    build(root)
    assert b"Minerals Explained Again" in (output / "about" / "index.html").read_bytes()
    assert not diff(tree(output), clean_build(root))


def test_an_edit_renders_few_pages_and_rewrites_only_changed_files(tmp_path):
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 60, seed=5)
    output = build(root)
    stamps = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    target = root / "content" / "articles" / "bench-00007.md"
    target.write_text(target.read_text() + "\nOne more sentence.\n")
    worker = Worker(root, "pelicanconf.py", "output", reply=lambda message: None)
    result = worker.run_build([])
    assert result["ok"]
    assert result["changed"] == ["articles/bench-00007/index.html"]
    after = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    touched = {p for p in after if after[p] != stamps.get(p)}
    assert touched == {output / "articles" / "bench-00007" / "index.html"}
    # Nothing changed: the next build renders nothing.
    again = worker.run_build([])
    assert again["ok"] and again["rendered"] == 0 and again["changed"] == []


def test_nothing_changed_skips_pelican_entirely(tmp_path):
    root = copy_project(tmp_path / "site")
    build(root)
    result = subprocess.run(
        [sys.executable, "-m", "explainer.incremental", "build", "--root", str(root)],
        cwd=root, check=True, capture_output=True, text=True,
    )
    assert "nothing changed" in result.stdout
    # ...but a touched output file is noticed and put right.
    index = root / "output" / "index.html"
    good = index.read_bytes()
    index.write_bytes(b"broken")
    os.utime(index)
    build(root)
    assert index.read_bytes() == good
