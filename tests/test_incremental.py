"""Incremental builds give exactly what a clean build gives, and skip what did not change."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from slugify import slugify
from support.project import REPO, build, copy_project

from explainer.site.incremental.worker import Worker
from explainer_devkit import corpus

PLUGIN_FOLDER = REPO / "src" / "explainer" / "site" / "plugins"

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def clean_build(
    root: Path, out: str = "clean-output", settings: str = "pelicanconf.py", env: dict | None = None
) -> dict[str, bytes]:
    """A build in a fresh process with no state and no caches, into its own folder."""
    shutil.rmtree(root / out, ignore_errors=True)
    shutil.rmtree(root / ".build" / "state", ignore_errors=True)
    shutil.rmtree(root / ".build" / "jinja", ignore_errors=True)
    shutil.rmtree(root / ".build" / "read", ignore_errors=True)
    command = [sys.executable, "-m", "explainer.site.incremental", "build", "--root", str(root),
               "--settings", settings, "--output", out, "--force"]  # fmt: skip
    result = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return tree(root / out)


def diff(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    names = sorted(set(a) | set(b))
    return [n for n in names if a.get(n) != b.get(n)]


# Glossary entries the random edits add and remove: words the corpus articles use.
EXTRA_TERMS = {
    "smelter": ("Smelter", ["smelters"]),
    "offtake": ("Offtake agreement", ["offtake", "offtake agreements"]),
    "concentrate": ("Concentrate", ["concentrates"]),
    "refinery": ("Refinery", ["refineries"]),
}
FOCUS_NAMES = ["China", "Chile", "Australia", "Congo", "Lithium", "Cobalt", "Rare earths", "CN"]
INTRO_TOPICS = ["countries/china", "countries/australia", "minerals/lithium", "minerals/cobalt"]
FACT_MINERALS = ("lithium", "cobalt", "rare-earths", "graphite", "gallium", "nickel")


# Metadata lists an edit rewrites: kind -> (field, names to draw from, most names drawn).
LIST_FIELDS = {
    "tags": (
        "Tags",
        ["Batteries", "Export controls", "Supply chains", "Recycling", "Tariffs", "Xi Jinping"],
        3,
    ),
    "countries": (
        "Countries",
        ["China", "Chile", "Japan", "Australia", "Congo", "Germany", "Peru"],
        3,
    ),
    "minerals": ("Minerals", ["Lithium", "Cobalt", "Rare earths", "Copper", "Graphite"], 2),
}


class Editor:
    """Random edits of the kinds people make: add, retitle, retag, edit, redate, delete,
    rename articles, change what they are about (Focus); and the rest of the site's sources:
    the glossary, the home page's story, topic introductions, the fact files."""

    ARTICLE_KINDS = ("add", "title", "tags", "countries", "minerals", "body", "date", "delete",
                     "rename", "focus")  # fmt: skip
    SITE_KINDS = ("glossary", "home", "intro", "facts")

    def __init__(self, root: Path, rng: random.Random, next_index: int) -> None:
        self.root = root
        self.articles = root / "content" / "articles"
        self.rng = rng
        self.next_index = next_index
        self.glossary = root / "content" / "glossary.toml"
        self.glossary_base = self.glossary.read_text(encoding="utf-8")
        self.glossary_added: list[str] = []
        self.glossary_edits = 0

    def files(self) -> list[Path]:
        return sorted(self.articles.glob("*.md"))

    def _field(self, path: Path, name: str, value: str | None) -> None:
        """Set (or with None remove) one metadata field."""
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if not line.strip():
                if value is not None:
                    lines.insert(i, f"{name}: {value}")
                break
            if line.startswith(f"{name}:"):
                if value is None:
                    del lines[i]
                else:
                    lines[i] = f"{name}: {value}".rstrip()
                break
        path.write_text("\n".join(lines), encoding="utf-8")

    def edit(self) -> str:
        kinds = self.SITE_KINDS if self.rng.random() < 0.2 else self.ARTICLE_KINDS
        kind = self.rng.choice(kinds)
        if kind in self.SITE_KINDS:
            getattr(self, f"edit_{kind}")()
            return kind
        return self.edit_article(kind)

    def edit_article(self, kind: str) -> str:
        rng, files = self.rng, self.files()
        if kind == "add" or len(files) < 5:
            article = corpus.CorpusArticle(self.next_index, seed=11)
            self.next_index += 1
            (self.articles / f"{article.slug}.md").write_text(article.markdown(), encoding="utf-8")
            return "add"
        path = rng.choice(files)
        if kind == "title":
            self._field(path, "Title", f"Retitled {rng.randrange(10**6)}")
        elif kind in LIST_FIELDS:
            field, names, most = LIST_FIELDS[kind]
            self._field(path, field, ", ".join(rng.sample(names, rng.randint(0, most))))
        elif kind == "body":
            words = " and ".join(
                rng.sample(
                    [
                        "smelter",
                        "refinery",
                        "offtake",
                        "stockpile",
                        "rare earths",
                        "critical minerals",
                        "lithium",
                    ],
                    2,
                )
            )
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"\nAn added paragraph {rng.randrange(10**6)} on {words}.\n")
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
        elif kind == "focus":
            # What the article is about: In focus / Also mentioned on topic pages; no Focus
            # line means salience is worked out from the text.
            names = rng.sample(FOCUS_NAMES, rng.randint(1, 3))
            self._field(path, "Focus", None if rng.random() < 0.25 else ", ".join(names))
        return kind

    def edit_glossary(self) -> None:
        rng = self.rng
        choice = rng.random()
        missing = [slug for slug in EXTRA_TERMS if slug not in self.glossary_added]
        if choice < 0.4 and missing:
            self.glossary_added.append(rng.choice(missing))
        elif choice < 0.7 and self.glossary_added:
            self.glossary_added.remove(rng.choice(self.glossary_added))
        else:
            self.glossary_edits += 1
        text = self.glossary_base.replace(
            "Minerals and metals that an economy needs",
            f"Minerals and metals (revision {self.glossary_edits}) that an economy needs",
        )
        for slug in self.glossary_added:
            name, aliases = EXTRA_TERMS[slug]
            text += (
                f'\n[[term]]\nname = "{name}"\naliases = {aliases!r}\n'.replace("'", '"')
                + f'definition = "What a {name.lower()} is, in plain words ({slug})."\n'
            )
        self.glossary.write_text(text, encoding="utf-8")

    def edit_home(self) -> None:
        home = self.root / "content" / "home.md"
        lines = home.read_text(encoding="utf-8").split("\n")
        if self.rng.random() < 0.3:
            lines[0] = f"Title: The minerals story, take {self.rng.randrange(10**6)}"
        else:
            lines.append(f"\nA closing line {self.rng.randrange(10**6)}.")
        home.write_text("\n".join(lines), encoding="utf-8")

    def edit_intro(self) -> None:
        path = self.root / "content" / "topics" / f"{self.rng.choice(INTRO_TOPICS)}.md"
        if path.exists() and self.rng.random() < 0.3:
            path.unlink()
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Title: Intro\n\nWhy this matters, take {self.rng.randrange(10**6)}: "
            "the smelter and the stockpile.\n",
            encoding="utf-8",
        )

    def edit_facts(self) -> None:
        """A new production figure for one country and mineral (FACTS_DATA_DIR)."""
        path = self.root / "data" / "facts" / "minerals-production.csv"
        text = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        candidates = [
            i for i, row in enumerate(rows[1:], start=1)
            if row[0] in FACT_MINERALS and row[2] != "WORLD" and row[5].isdigit()
        ]  # fmt: skip
        row = rows[self.rng.choice(candidates)]
        row[5] = str(self.rng.randint(1, 400_000))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


def with_own_fact_files(root: Path) -> None:
    """Point the site at a copy of the fact files, so a test can edit them."""
    shutil.copytree(REPO / "src" / "explainer" / "data" / "facts", root / "data" / "facts")
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nFACTS_DATA_DIR = os.path.join(ROOT, "data", "facts")\n')


def test_the_site_builds_with_every_plugin():
    """The byte-identity tests below run the project's own settings: every plugin."""
    from pelican.settings import read_settings

    plugins = set(read_settings(str(REPO / "pelicanconf.py"))["PLUGINS"])
    modules = {
        f"explainer.site.plugins.{p.stem}"
        for p in PLUGIN_FOLDER.glob("*.py")
        if p.stem != "__init__"
    }
    assert modules <= plugins, sorted(modules - plugins)


def test_random_edits_give_the_same_site_as_a_clean_build(tmp_path):
    root = copy_project(tmp_path / "site")
    with_own_fact_files(root)
    corpus.write_articles(root / "content", 40, seed=11)
    build(root)  # ingests the seed, builds once in a fresh process
    output = root / "output"
    # Every explainer page is there, so the comparisons below cover them all.
    for page in ("glossary/index.html", "timeline/index.html", "countries/index.html",
                 "minerals/index.html", "search/index.html", "404.html"):  # fmt: skip
        assert (output / page).is_file(), page
    sample = (output / "articles" / "bench-00003" / "index.html").read_text(encoding="utf-8")
    assert "Related articles" in sample and "application/ld+json" in sample
    worker = Worker(root, "pelicanconf.py", "output", reply=lambda message: None)
    first = worker.run_build([])
    assert first["ok"], first
    editor = Editor(root, random.Random(20260105), next_index=40)
    kinds: dict[str, int] = {}
    edits = 300
    for number in range(1, edits + 1):
        for _ in range(random.Random(number).randint(1, 3)):  # sometimes several files at once
            kind = editor.edit()
            kinds[kind] = kinds.get(kind, 0) + 1
        result = worker.run_build([])
        assert result["ok"], (kinds, result)
        if number % 50 == 0 or number == edits:
            differing = diff(tree(output), clean_build(root))
            assert not differing, f"after {number} edits ({kinds}), differs: {differing[:10]}"
    assert set(kinds) == {*Editor.ARTICLE_KINDS, *Editor.SITE_KINDS}, kinds


def test_publish_builds_rebuild_exactly_too(tmp_path):
    """Absolute URLs, feeds, the sitemap and robots.txt (publishconf.py): one-shot builds in
    fresh processes after edits equal a clean build."""
    root = copy_project(tmp_path / "site")
    with_own_fact_files(root)
    corpus.write_articles(root / "content", 30, seed=7)
    env = {"SITEURL": "https://example.org/sub"}
    output = build(root, "publishconf.py", env=env)
    editor = Editor(root, random.Random(7), next_index=30)
    for kind in [*Editor.SITE_KINDS, "add", "title", "delete", "focus", "countries"]:
        if kind in Editor.ARTICLE_KINDS:
            editor.edit_article(kind)
        else:
            getattr(editor, f"edit_{kind}")()
        build(root, "publishconf.py", env=env)
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") > 60 and "https://example.org/sub/glossary/" in sitemap
    assert not diff(tree(output), clean_build(root, settings="publishconf.py", env=env))


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
    conf.write_text(
        conf.read_text().replace(
            'SITENAME = "Critical Minerals Explained"', 'SITENAME = "Minerals Explained Again"'
        )
    )
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


def fresh_build(root: Path) -> dict:
    """`invoke build`'s engine in a fresh process, state and caches kept (a CI deploy)."""
    command = [sys.executable, "-m", "explainer.site.incremental", "build", "--root", str(root),
               "--settings", "pelicanconf.py", "--output", "output"]  # fmt: skip
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return tree(root / "output")


def test_random_edits_in_fresh_processes_give_the_same_site_as_a_clean_build(tmp_path):
    root = copy_project(tmp_path / "site")
    with_own_fact_files(root)
    corpus.write_articles(root / "content", 30, seed=13)
    build(root)
    editor = Editor(root, random.Random(20261205), next_index=30)
    for number in range(1, 25):
        kinds = [editor.edit() for _ in range(random.Random(number).randint(1, 2))]
        if number % 6 == 0:
            differing = diff(fresh_build(root), clean_build(root))
            assert not differing, f"after {number} edits ({kinds}), differs: {differing[:10]}"
        else:
            fresh_build(root)


def nudge_list(path: Path, field: str, rng: random.Random, others: list[Path]) -> str:
    """One name more in the article's `field` line (one another article has), or one less
    when it has several: what a person fixing an article's topics does."""
    text = path.read_text(encoding="utf-8")
    match = re.search(rf"^{field}: *(.*)$", text, re.M)
    own = [n for n in (match[1].split(", ") if match else []) if n]
    known = sorted({n for o in others for n in re.findall(rf"^{field}: *(.*)$", o.read_text(), re.M)
                    for n in n.split(", ") if n})  # fmt: skip
    more = [n for n in known if n not in own]
    if len(own) > 1 and (rng.random() < 0.4 or not more):
        own.remove(rng.choice(own))
    elif more:
        own.append(rng.choice(more))
    line = f"{field}: " + ", ".join(own)
    if match:
        path.write_text(re.sub(rf"^{field}: *.*$", line, text, count=1, flags=re.M))
    else:
        path.write_text(text.replace("\n\n", f"\n{line}\n\n", 1))
    return f"{field} of {path.stem}: {line}"


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_topic_edits_in_fresh_processes_match_a_clean_build_after_each(tmp_path, settings):
    """Edits of what articles are about (a country or mineral more or less, a Focus line)
    and of their titles, one or two per build, each built in a fresh process and compared
    with a clean build: most take the quick build, which makes the topics' lists, their
    co-mentions, the related articles and the most-covered topics again from the saved
    context."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 40, seed=21)
    env = {"SITEURL": "https://example.org/sub"}
    clean_build(root, "output", settings, env)  # the full build, which saves the context
    rng = random.Random(20261207)
    editor = Editor(root, rng, next_index=40)
    quick = 0
    for number in range(8):
        edits = []
        for _ in range(1 + number % 2):
            files = editor.files()
            path = rng.choice(files)
            kind = rng.choice(["Countries", "Countries", "Minerals", "focus", "title"])
            if kind in ("focus", "title"):
                edits.append(editor.edit_article(kind))
            else:
                edits.append(nudge_list(path, kind, rng, files))
        report = fresh_report(root, settings, env)
        quick += report["quick"]
        # A clean build of a copy: one here would drop the state the next quick build needs.
        copy = tmp_path / f"clean-{number}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".build", "output"))
        differing = diff(tree(root / "output"), clean_build(copy, settings=settings, env=env))
        assert not differing, f"after edit {number} ({edits}), differs: {differing[:10]}"
        shutil.rmtree(copy)
    # Published, a topic whose newest article changes takes the full build (the sitemap).
    assert quick >= 5 if settings == "pelicanconf.py" else quick >= 4, quick


@pytest.mark.parametrize("field", ["Title", "Countries"])
def test_an_edit_undone_in_a_later_fresh_process_is_undone_on_every_page(tmp_path, field):
    """A quick build applies every edit since the full build that saved the context: an
    article retitled (or given a country more) and then put back as it was gets the pages
    the first quick build changed (its cards, the topic pages) back too, not only its own;
    a quick build after that for another article does not render them again."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 40, seed=21)
    clean_build(root, "output")
    path = root / "content" / "articles" / "bench-00010.md"
    before = path.read_text(encoding="utf-8")
    if field == "Title":
        Editor(root, random.Random(1), 40)._field(path, "Title", "A title for a while")
    else:
        nudge_list(path, field, random.Random(3), sorted(path.parent.glob("*.md")))
    first = fresh_report(root)
    assert first["quick"] and len(first["changed_paths"]) > 2, first
    path.write_text(before, encoding="utf-8")
    undone = fresh_report(root)
    assert undone["quick"] and set(first["changed_paths"]) <= set(undone["changed_paths"])
    # Another article's text: the pages the undone edit changed twice are not rendered again.
    other = root / "content" / "articles" / "bench-00020.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    then = fresh_report(root)
    assert then["quick"] and then["rendered"] <= 2, then
    copy = tmp_path / "clean"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".build", "output"))
    assert not diff(tree(root / "output"), clean_build(copy))


def fresh_report(root: Path, settings: str = "pelicanconf.py", env: dict | None = None) -> dict:
    """fresh_build's result as the build reports it (what it rendered, and how)."""
    report = root / ".build" / "last-build.json"
    command = [sys.executable, "-m", "explainer.site.incremental", "build", "--root", str(root),
               "--settings", settings, "--output", "output", "--report", str(report)]  # fmt: skip
    result = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_a_text_edit_in_a_fresh_process_renders_its_page_from_the_saved_context(tmp_path, settings):
    """One edit deployed from CI: the edited article's page (and the feeds that carry its
    text) is rendered from the context the last build saved, not from the whole site made
    again through Pelican; anything more than a change of text goes through Pelican; both
    give a clean build's bytes."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 40, seed=5)
    env = {"SITEURL": "https://example.org/sub"}
    output = build(root, settings, env=env)
    first, second = (root / "content" / "articles" / f"bench-0000{n}.md" for n in (7, 8))
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more sentence, from CI.\n")
    # Ingestion notes a person's edit of an article it made in its manifest: no build input.
    manifest = root / "content" / ".ingest-manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = fresh_report(root, settings, env)
    page = "articles/bench-00007/index.html"
    feeds = sorted(p for p in report["changed_paths"] if p.endswith(".xml"))
    assert report["quick"] and sorted(report["changed_paths"]) == sorted([page, *feeds]), report
    assert "One more sentence, from CI." in (output / page).read_text(encoding="utf-8")
    if settings == "publishconf.py":
        assert "feeds/all.atom.xml" in feeds
        assert "One more sentence, from CI." in (output / feeds[0]).read_text(encoding="utf-8")
    assert fresh_report(root, settings, env)["skipped"]  # the no-op check knows what it did
    # A new opening paragraph: the summary no longer repeats the opening, so the article's
    # own page shows it as a standfirst now; no other page shows what the body opens with.
    second_page = output / "articles/bench-00008/index.html"
    assert "standfirst" not in second_page.read_text(encoding="utf-8")
    head, _, body = second.read_text(encoding="utf-8").partition("\n\n")
    second.write_text(f"{head}\n\nA new opening paragraph, written later.\n\n{body}")
    report = fresh_report(root, settings, env)
    assert report["quick"] and "articles/bench-00008/index.html" in report["changed_paths"]
    assert report["read"] == 2, report  # both edits since the full build are applied
    assert 'class="standfirst"' in second_page.read_text(encoding="utf-8")
    # A new title shows on listings and topic pages: the pages that read the article are
    # rendered too. Each quick build starts from the last full build's context and applies
    # every edit since (both files are read): the first edit's text stays.
    _retitle(first, "Retitled:")
    report = fresh_report(root, settings, env)
    assert report["quick"] and report["read"] == 2, report
    assert "index.html" in report["changed_paths"], report
    assert "Retitled: " in (output / "index.html").read_text(encoding="utf-8")
    assert "One more sentence, from CI." in (output / page).read_text(encoding="utf-8")
    assert not diff(tree(output), clean_build(root, settings=settings, env=env))
    # A tag new to the site adds its pages: the full build makes them.
    fresh_report(root, settings, env)  # state and caches again after the clean build
    text = second.read_text(encoding="utf-8")
    second.write_text(re.sub(r"^Tags: .*$", "Tags: A tag of its own", text, flags=re.M))
    report = fresh_report(root, settings, env)
    assert not report["quick"] and report["rendered"] > 1, report
    # The quick build looked at the file first; the full build still takes every file but
    # the one edited from the read cache.
    assert report["read"] == 1, report
    assert not diff(tree(output), clean_build(root, settings=settings, env=env))


def _tags(path: Path) -> list[str]:
    return re.search(r"^Tags: (.*)$", path.read_text(encoding="utf-8"), re.M).group(1).split(", ")


def _set_tags(path: Path, tags: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^Tags: .*$", "Tags: " + ", ".join(tags), text, flags=re.M))


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_a_retag_in_a_fresh_process_renders_the_tag_pages_from_the_saved_context(
    tmp_path, settings
):
    """Tags edited to tags the site has (one edit deployed from CI): the pages that show the
    article, every page of the tags it left or joined, the tags index and those tags' feeds
    are rendered from the saved context, a tag's page more or less too (but for a published
    site: the sitemap). All give a clean build's bytes."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 60, seed=5)
    articles = sorted((root / "content" / "articles").glob("*.md"))
    for number, path in enumerate(articles):  # 42 of them on three pages of "Batteries"
        others = [t for t in _tags(path) if t != "Batteries"]
        _set_tags(path, ["Batteries"] * (number < 42) + others)
    env = {"SITEURL": "https://example.org/sub"}
    output = build(root, settings, env=env)
    batteries = output / "tags" / "batteries"
    assert len(list(batteries.rglob("index.html"))) == 3
    target = articles[20]
    before = _tags(target)
    joined = next(t for p in articles[42:] for t in _tags(p) if t not in before)
    _set_tags(target, [t for t in before if t != "Batteries"] + [joined])
    report = fresh_report(root, settings, env)
    assert report["quick"], report
    changed = set(report["changed_paths"])
    assert {f"articles/{target.stem}/index.html", "tags/index.html"} <= changed, report
    assert any(p.startswith("tags/batteries/") for p in changed), report
    joined_pages = {p for p in changed if p.startswith("tags/") and "batteries" not in p}
    assert joined_pages - {"tags/index.html"}, report
    if settings == "publishconf.py":
        # the feeds of every tag it had or has (an entry names its tags)
        assert "feeds/tags/batteries.atom.xml" in changed, report
        feeds = [p for p in changed if p.startswith("feeds/tags/")]
        assert len(feeds) == len(before) + 1, report
    assert joined in (output / f"articles/{target.stem}/index.html").read_text(encoding="utf-8")
    assert not diff(tree(output), clean_build(root, settings=settings, env=env))
    # 40 articles left: the third page goes. Built locally, the quick build deletes it (and
    # its emptied folder); published, the full build does (the sitemap lists every page).
    fresh_report(root, settings, env)  # state and caches again after the clean build
    leaving = articles[5]
    tags_before = _tags(leaving)
    _set_tags(leaving, [t for t in tags_before if t != "Batteries"] or ["Tariffs"])
    report = fresh_report(root, settings, env)
    assert report["quick"] == (settings == "pelicanconf.py"), report
    assert len(list(batteries.rglob("index.html"))) == 2
    assert not (batteries / "page" / "3").exists()
    copy = tmp_path / "clean"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".build", "output"))
    assert not diff(tree(output), clean_build(copy, settings=settings, env=env))
    # Back in "Batteries": the page comes back, from the saved context.
    _set_tags(leaving, tags_before)
    report = fresh_report(root, settings, env)
    assert report["quick"] == (settings == "pelicanconf.py"), report
    assert len(list(batteries.rglob("index.html"))) == 3
    assert not diff(tree(output), clean_build(root, settings=settings, env=env))


def test_a_country_more_renders_the_pages_that_read_its_topics_lists_not_every_page(tmp_path):
    """An article's page shows its countries' names and addresses, not what each country
    lists: a country added to one article renders the pages that read the topics' lists
    (the countries' pages, their index with its counts) and the pages that show the article
    or a related list that changed, not the page of every article that names a country whose
    list grew (each page was rendered again before). A clean build gives the same bytes."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 40, seed=5)
    output = build(root)
    articles = sorted((root / "content" / "articles").glob("*.md"))
    countries = {p: re.search(r"^Countries: (.*)$", p.read_text(), re.M)[1] for p in articles}
    target = articles[10]
    own = countries[target].split(", ")
    more = next(c for p in articles for c in countries[p].split(", ") if c not in own)
    text = target.read_text(encoding="utf-8")
    line = f"Countries: {countries[target]}"
    target.write_text(text.replace(line, f"{line}, {more}"), encoding="utf-8")
    report = fresh_report(root)
    pages = [name for name in tree(output) if name.endswith(".html")]
    assert report["quick"] and 0 < report["rendered"] < len(pages) / 3, report
    assert "countries/index.html" in report["changed_paths"], report
    assert f"articles/{target.stem}/index.html" in report["changed_paths"], report
    assert f"countries/{slugify(more)}/index.html" in report["changed_paths"], report
    assert not diff(tree(output), clean_build(root))


def test_a_build_in_a_fresh_process_checks_only_the_content_files_that_changed(tmp_path):
    """The content checks (validate) of the last build are kept beside its read cache: a
    build in a fresh process checks the files changed since, and still finds their errors."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 12, seed=3)
    build(root)
    article = root / "content" / "articles" / "bench-00003.md"
    # a tag new to the site: a page more (the full build)
    text = article.read_text()
    article.write_text(re.sub(r"^Tags: .*$", "Tags: A tag of its own", text, flags=re.M))
    command = [sys.executable, "-m", "explainer.site.incremental", "build", "--root", str(root),
               "--settings", "pelicanconf.py", "--output", "output"]  # fmt: skip
    env = {**os.environ, "EXPLAINER_LOG": "debug"}
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"checked 1 of 1[2-9] content files", result.stderr), result.stderr[-3000:]
    article.write_text(article.read_text(encoding="utf-8").replace("Date: ", "Date: not ", 1))
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "bench-00003.md" in result.stdout + result.stderr
    assert re.search(r"checked 1 of 1[2-9] content files", result.stderr)


def test_a_body_edit_renders_only_the_pages_that_show_the_body(tmp_path):
    """Listings count other articles without their text until a listing shows it: then a
    body edit reaches the listing too, in a fresh process as in the live worker."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 40, seed=5)
    output = build(root)
    target = root / "content" / "articles" / "bench-00007.md"
    target.write_text(target.read_text() + "\nOne more sentence.\n")
    worker = Worker(root, "pelicanconf.py", "output", reply=lambda message: None)
    result = worker.run_build([])
    assert result["ok"] and result["rendered"] == 1, result
    # A card that shows the opening of the text: every listing with the article depends on it.
    card = root / "theme" / "templates" / "partials" / "article_card.html"
    opening = "{{ article.summary }} {{ article.content|striptags|truncate(60) }}"
    card.write_text(card.read_text().replace("{{ article.summary }}", opening))
    assert worker.run_build([])["ok"]
    body = target.read_text(encoding="utf-8")
    head, _, text = body.partition("\n\n")
    target.write_text(head + "\n\nOpening words changed. " + text, encoding="utf-8")
    result = worker.run_build([])
    assert result["ok"] and result["rendered"] > 1, result
    assert not diff(tree(output), clean_build(root))
    target.write_text(head + "\n\nOpening words changed twice. " + text, encoding="utf-8")
    site = fresh_build(root)
    assert not diff(site, clean_build(root))
    listings = [
        name
        for name, data in site.items()
        if name.endswith(".html")
        and not name.startswith("articles/")
        and b"Opening words changed twice" in data
    ]
    assert listings  # fmt: skip


def _retitle(path: Path, marker: str) -> None:
    """Put `marker` at the start of an article's title."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Title: ", f"Title: {marker} ", 1), encoding="utf-8")


def test_a_retitle_renders_only_the_pages_that_show_the_article(tmp_path):
    """Listings count the articles they do not show by their file only: a new title reaches
    every page that shows the article (its cards, its neighbours' links, a Python filter that
    reads it: any reader counts) and no other page is rendered again."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 70, seed=5)
    conf = root / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + '\nJINJA_FILTERS = {"shouted": lambda article: article.title.upper()}\n',
        encoding="utf-8",
    )
    index = root / "theme" / "templates" / "index.html"
    oldest_line = '<p class="oldest">{{ articles|last|shouted }}</p>\n'
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("{% endblock %}\n", oldest_line + "{% endblock %}\n"))
    output = build(root)
    listings = sorted(p.relative_to(output).as_posix() for p in output.glob("page/*/index.html"))
    assert len(listings) >= 3
    worker = Worker(root, "pelicanconf.py", "output", reply=lambda message: None)
    articles = root / "content" / "articles"
    by_title = {re.search(r"^Title: (.*)$", p.read_text(), re.M).group(1).upper(): p
                for p in articles.glob("*.md")}  # fmt: skip
    shown = (output / "index.html").read_text(encoding="utf-8")
    oldest = by_title[re.search(r'<p class="oldest">(.*?)</p>', shown).group(1)]
    on_page_3 = (output / "page" / "3" / "index.html").read_text(encoding="utf-8")
    middle = articles / (re.search(r"articles/(bench-\d+)/", on_page_3).group(1) + ".md")
    assert middle != oldest
    for number, target in enumerate((middle, oldest)):
        marker = f"Retitled{number}"
        _retitle(target, marker)
        result = worker.run_build([])
        assert result["ok"], result
        pages = [c for c in result["changed"] if c.endswith(".html")]
        assert result["rendered"] == len(pages), result  # no page rendered again for nothing
        shout = marker.upper().encode()
        showing = {name for name, data in tree(output).items()
                   if name.endswith(".html") and shout in data.upper()}  # fmt: skip
        assert set(pages) == showing
        if target == middle:
            assert 0 < len(set(listings) & showing) < len(listings)
        else:  # every listing shows the oldest article's title through the filter
            assert set(listings) <= showing
    assert not diff(tree(output), clean_build(root))


def test_a_quick_build_shared_among_render_processes_matches_a_clean_build(tmp_path, monkeypatch):
    """A quick build with many pages to render splits them among forked processes (at least
    MIN_SHARE pages each: lowered here, so that a small site forks); the site is the one a
    clean build makes, for a retitle and for a country more."""
    from explainer.site.incremental import quick_build, writer
    from explainer.site.incremental.runner import Build

    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 60, seed=13)
    Build(root, Path("pelicanconf.py"), Path("output"), workers=2).run(force=True)
    monkeypatch.setattr(quick_build, "MIN_SHARE", 4)
    forks: list[int] = []
    fork = writer.fork_worker

    def counting(work):
        forks.append(1)
        return fork(work)

    monkeypatch.setattr(writer, "fork_worker", counting)
    articles = sorted((root / "content" / "articles").glob("*.md"))
    _retitle(articles[20], "Retitled")
    retitled = Build(root, Path("pelicanconf.py"), Path("output"), workers=2).run()
    text = articles[30].read_text(encoding="utf-8")
    articles[30].write_text(re.sub(r"^(Countries: .*)$", r"\1, Morocco", text, count=1, flags=re.M))
    recountried = Build(root, Path("pelicanconf.py"), Path("output"), workers=2).run()
    assert retitled.quick and recountried.quick and len(forks) == 2
    assert retitled.rendered >= 8 and recountried.rendered >= 8
    assert not diff(tree(root / "output"), clean_build(root))


def test_retitles_deployed_in_fresh_processes_render_only_the_pages_that_show_them(tmp_path):
    """A retitle deployed from CI (a fresh process; the last build's state and context
    kept): the pages and feeds that show the article are rendered from the saved context,
    and no other; the next retitle starts from the same context and keeps the first; a clean
    build gives the same bytes."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 70, seed=5)
    env = {"SITEURL": "https://example.org/sub"}
    output = build(root, "publishconf.py", env=env)
    articles = sorted((root / "content" / "articles").glob("*.md"))
    for number, target in enumerate((articles[10], articles[40])):
        marker = f"Retitled{number}"
        _retitle(target, marker)
        report = fresh_report(root, "publishconf.py", env)
        assert report["quick"], report
        if number == 0:  # later, the first retitle's pages are rendered again, the same
            assert report["rendered"] == len(report["changed_paths"]), report
        showing = {name for name, data in tree(output).items()
                   if name.endswith((".html", ".xml")) and marker.encode() in data}  # fmt: skip
        assert set(report["changed_paths"]) == showing, report
        assert any(name.endswith(".xml") for name in showing)
        assert len([n for n in showing if n.endswith(".html")]) > 3
        # Its neighbours' links and related lists are no text the search index reads: only
        # the article's own page is indexed again.
        own = f"articles/{target.stem}/index.html"
        indexed = {n for n in showing if b"data-pagefind-body" in (output / n).read_bytes()}
        neutral = set(report["search_neutral"])
        assert len(indexed) > 2 and neutral & indexed == indexed - {own}, report
    assert not diff(tree(output), clean_build(root, settings="publishconf.py", env=env))


def test_a_fresh_process_takes_a_new_summary_quickly_and_a_moved_address_in_full(tmp_path):
    """A new summary shows on the article's cards: the quick build renders the pages that
    read it. A new title that moves the article (no Slug: the address follows the title)
    changes other pages' links and leaves a redirect: the full build makes it."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 40, seed=5)
    articles = root / "content" / "articles"
    unslugged = articles / "bench-00012.md"
    unslugged.write_text(re.sub(r"^Slug: .*\n", "", unslugged.read_text(), flags=re.M))
    output = build(root)
    target = articles / "bench-00020.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r"^Summary: ", "Summary: Newly summarised. ", text, flags=re.M))
    report = fresh_report(root)
    showing = {name for name, data in tree(output).items()
               if name.endswith(".html") and b"Newly summarised." in data}  # fmt: skip
    assert report["quick"] and set(report["changed_paths"]) == showing, report
    assert "index.html" in showing or any(n.startswith("page/") for n in showing)
    _retitle(unslugged, "Moved")
    report = fresh_report(root)
    assert not report["quick"], report
    assert any(name.endswith(".html") and b"This page has moved" in data
               for name, data in tree(output).items())  # fmt: skip
    assert not diff(tree(output), clean_build(root))


def test_nothing_changed_skips_pelican_entirely(tmp_path):
    root = copy_project(tmp_path / "site")
    build(root)
    result = subprocess.run(
        [sys.executable, "-m", "explainer.site.incremental", "build", "--root", str(root)],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "nothing changed" in result.stdout
    # ...but a touched output file is noticed and put right.
    index = root / "output" / "index.html"
    good = index.read_bytes()
    index.write_bytes(b"broken")
    os.utime(index)
    build(root)
    assert index.read_bytes() == good


_OUTPUT_STAMPS_SCRIPT = """
import json, sys
from pathlib import Path
from explainer.site.build import Project, run_pelican
from explainer.site.incremental import inputs
from explainer.site.search_index import OUTPUT_NAMES, index_site

project = Project(Path(sys.argv[1]))
found = []
for _ in range(2):
    result = run_pelican(project, in_process=True)
    walked = inputs.tree_stamps(project.output, skip_hidden=False, skip_top=OUTPUT_NAMES)
    report = index_site(
        project.output, stamp_file=Path(sys.argv[2]), site_files=result.output_files
    )
    found.append({
        "build skipped": result.skipped,
        "stamps as walked": {r: [s, m] for r, s, m in walked} == {
            r: list(v) for r, v in result.output_files.items()
        },
        "index skipped": report.skipped,
    })
print(json.dumps(found))
"""


def test_the_search_index_takes_the_builds_stamps_of_the_output(tmp_path):
    """`invoke build` hands the build's own stamps of output/ to the search index, so that a
    no-op does not walk 29,000 output files twice at 20,000 articles: after a real build and
    after a no-op one they are exactly what a walk of output/ finds."""
    root = copy_project(tmp_path / "site")
    build(root)
    (root / "content" / "articles" / "note.md").write_text(
        "Title: A note\nDate: 2026-01-02\n\nCobalt from Congo.\n", encoding="utf-8"
    )
    found = subprocess.run(
        [sys.executable, "-c", _OUTPUT_STAMPS_SCRIPT, str(root), str(tmp_path / "stamp")],
        cwd=root, check=True, capture_output=True, text=True,
    )  # fmt: skip
    first, again = json.loads(found.stdout.splitlines()[-1])
    assert first == {"build skipped": False, "stamps as walked": True, "index skipped": False}
    assert again == {"build skipped": True, "stamps as walked": True, "index skipped": True}


def _worker_with_an_open_article(tmp_path: Path):
    """A live-preview worker over a 30-article site after one build with an article open:
    (root, worker, its messages, the open page, the article's source)."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 30, seed=3)
    build(root)
    messages: list[dict] = []
    worker = Worker(root, "pelicanconf.py", "output", reply=messages.append)
    page = "articles/bench-00004/index.html"
    assert worker.run_build([page])["ok"]
    return root, worker, messages, page, root / "content" / "articles" / "bench-00004.md"


def _retitle_and_stop_once_the_open_page_went_out(
    worker: Worker, monkeypatch, source: Path, page: str, title: str
) -> None:
    """A save gives the open article a new title; the next save arrives as soon as the
    open page went out, and that build stops there."""
    from explainer.site.incremental.session import request_cancel

    lines = source.read_text(encoding="utf-8").split("\n")
    lines[0] = f"Title: {title}"
    source.write_text("\n".join(lines), encoding="utf-8")
    send = worker._early

    def send_then_stop(pages, quick=False):
        send(pages, quick)
        request_cancel()

    monkeypatch.setattr(worker, "_early", send_then_stop)
    assert worker.run_build([page]).get("cancelled")
    monkeypatch.undo()


def _quick_page_of_next_build(worker: Worker, messages: list[dict], page: str) -> bytes:
    """The open page as the next build sends it before it runs (it must)."""
    import base64

    messages.clear()
    assert worker.run_build([page])["ok"]
    early = [m for m in messages if m.get("event") == "early" and page in m["pages"]]
    assert early and early[0]["quick"], messages
    return base64.b64decode(early[0]["pages"][page])


def test_a_text_only_save_of_an_open_article_is_shown_before_the_build(tmp_path):
    """The live preview's quick page: a save that changes only an open article's text is
    rendered from the last build's context before the build runs, and is exactly the page
    the build then commits; a save that changes its metadata waits for the build."""
    import base64

    root, worker, messages, page, source = _worker_with_an_open_article(tmp_path)
    rng = random.Random(7)
    quick = 0
    for number in range(12):
        messages.clear()
        text = source.read_text(encoding="utf-8")
        retitle = number % 4 == 3
        if retitle:
            lines = text.split("\n")
            lines[0] = f"Title: Retitled {number}"
            text = "\n".join(lines)
        words = " ".join(
            rng.sample(
                [
                    "smelter",
                    "refinery",
                    "lithium",
                    "China",
                    "rare earths",
                    "*emphasis*",
                    "[a link](https://example.org/)",
                ],
                3,
            )
        )
        source.write_text(f"{text}\n\nSaved {number}: {words}.\n", encoding="utf-8")
        result = worker.run_build([page])
        assert result["ok"], result
        committed = (root / "output" / page).read_bytes()
        assert f"Saved {number}:".encode() in committed
        early = [m for m in messages if m.get("event") == "early" and page in m["pages"]]
        assert early, messages
        first = base64.b64decode(early[0]["pages"][page])
        # Whatever went to the browser first is the page the build committed.
        assert first == committed
        assert early[0]["quick"] is not retitle
        if not retitle:
            quick += 1
            assert len(early) == 1  # the build's own early page was the same: not sent again
    assert quick == 9
    assert not diff(tree(root / "output"), clean_build(root))


def test_a_template_edit_is_shown_on_the_open_article_before_the_build(tmp_path):
    """The quick page for the theme: a save of a template (the page's own, or a partial it
    includes) re-renders the open article from the last build's context before the build
    runs, and that is exactly the page the build then commits."""
    import base64

    root, worker, messages, page, _source = _worker_with_an_open_article(tmp_path)
    templates = root / "theme" / "templates"
    edits = [
        ("partials/site_footer.html", '<footer class="site-footer">'),
        ("article.html", '<article class="article">'),
        ("partials/site_footer.html", '<footer class="site-footer">'),
    ]
    for number, (name, element) in enumerate(edits):
        messages.clear()
        template = templates / name
        marker = f"<p>Template edit {number}</p>"
        text = template.read_text(encoding="utf-8")
        assert element in text
        template.write_text(text.replace(element, element + marker, 1), encoding="utf-8")
        result = worker.run_build([page])
        assert result["ok"], result
        committed = (root / "output" / page).read_bytes()
        assert marker.encode() in committed
        early = [m for m in messages if m.get("event") == "early" and page in m["pages"]]
        assert early and early[0]["quick"], messages
        assert base64.b64decode(early[0]["pages"][page]) == committed
    assert not diff(tree(root / "output"), clean_build(root))


def test_a_stylesheet_edit_goes_to_the_open_page_before_the_build(tmp_path):
    """A save of the theme's stylesheet is sent to the open pages before the build runs (not
    after it has collected every page), exactly as the build then leaves it in output/:
    copied and minified."""
    import base64

    root, worker, messages, page, _source = _worker_with_an_open_article(tmp_path)
    stylesheet = root / "theme" / "static" / "css" / "style.css"
    for number in range(2):
        messages.clear()
        with stylesheet.open("a", encoding="utf-8") as out:
            out.write(f"\n/* a comment */\n.quick-{number} {{\n  color: inherit;\n}}\n")
        result = worker.run_build([page])
        assert result["ok"], result
        committed = (root / "output" / "theme" / "css" / "style.css").read_bytes()
        assert f".quick-{number}{{color: inherit}}".encode() in committed
        assert b"a comment" not in committed
        early = [m for m in messages if m.get("event") == "early"]
        assert early and early[0]["quick"], messages
        assert list(early[0]["pages"]) == ["theme/css/style.css"]
        assert base64.b64decode(early[0]["pages"]["theme/css/style.css"]) == committed
        # the build's own early copy was the same bytes: not sent again
        assert sum("theme/css/style.css" in m["pages"] for m in early) == 1


def test_a_one_file_plugin_counts_as_code_without_its_folder(tmp_path, monkeypatch):
    """A plugin beside pelicanconf.py is one file: the project folder (output/ and all) is not
    read as its code, so a build never reads output/ while the search index is swapped there."""
    import importlib

    from explainer.site.incremental import inputs

    (tmp_path / "one_file_plugin.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "index.html").write_text("<p>built</p>", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("one_file_plugin")
    try:
        dirs = inputs.code_dirs_for(["one_file_plugin", "explainer"])
        assert str(tmp_path / "one_file_plugin.py") in dirs
        assert str(tmp_path) not in dirs
        before = inputs.code_digest(dirs)
        (tmp_path / "output" / "index.html").write_text("<p>rebuilt</p>", encoding="utf-8")
        assert inputs.code_digest(dirs) == before
        (tmp_path / "one_file_plugin.py").write_text("VALUE = 2\n", encoding="utf-8")
        assert inputs.code_digest(dirs) != before
    finally:
        sys.modules.pop("one_file_plugin", None)


def test_one_render_process_builds_the_same_site_as_several(tmp_path):
    """EXPLAINER_BUILD_WORKERS=1, the low-memory choice, changes nothing in the output."""
    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 90, seed=5)  # enough pages to split them
    several = clean_build(root, env={"EXPLAINER_BUILD_WORKERS": "2"})
    one = clean_build(root, env={"EXPLAINER_BUILD_WORKERS": "1"})
    assert len(one) > 200
    assert not diff(one, several)


def test_render_processes_follow_the_environment(monkeypatch, capsys):
    from explainer.site.incremental.runner import render_workers

    monkeypatch.setenv("EXPLAINER_BUILD_WORKERS", "1")
    assert render_workers() == 1
    monkeypatch.setenv("EXPLAINER_BUILD_WORKERS", "3")
    assert render_workers() == 3
    monkeypatch.setenv("EXPLAINER_BUILD_WORKERS", "lots")
    assert render_workers() == len(os.sched_getaffinity(0))
    assert "EXPLAINER_BUILD_WORKERS='lots': not a number" in capsys.readouterr().err


def test_a_build_stopped_by_a_newer_save_still_arms_the_quick_page(tmp_path, monkeypatch):
    """On a big site every save stops the live build of the one before. A stopped build's
    open page (made from its complete context) serves the next text-only save, even when the
    stopped build was the one that brought a new title: the page shows the new title and the
    new text before the build runs, and is what the build then commits."""
    root, worker, messages, page, source = _worker_with_an_open_article(tmp_path)
    _retitle_and_stop_once_the_open_page_went_out(
        worker, monkeypatch, source, page, "Retitled and stopped"
    )
    source.write_text(source.read_text(encoding="utf-8") + "\n\nSaved after the stop.\n")
    shown = _quick_page_of_next_build(worker, messages, page)
    assert b"Retitled and stopped" in shown and b"Saved after the stop." in shown
    assert shown == (root / "output" / page).read_bytes()


def test_the_worker_frees_the_build_before_without_a_garbage_collection(tmp_path, monkeypatch):
    """The live preview's worker builds with garbage collection off. The content objects
    and topics of the build before (which refer to each other: newer and older article,
    related articles, a topic's articles) are freed by reference counting once a newer
    build replaces them, whether it succeeds or is stopped by a newer save: a full
    collection at 20,000 articles takes 2-3.5 s, and a save arriving then waits for it.
    The open page's quick render still works from the build kept."""
    import gc
    import weakref

    from explainer.site.plugins.topics import Topic

    _root, worker, messages, page, source = _worker_with_an_open_article(tmp_path)

    def built_objects() -> list:
        context = next(iter(worker.quick_jobs.values())).context
        found = [*context["articles"], *context["countries"], *context["minerals"]]
        assert len(found) > 40 and any(isinstance(o, Topic) for o in found)
        return [weakref.ref(o) for o in found]

    def held(refs: list) -> list:
        # An object a page's render still refers to (Jinja's render contexts are cyclic)
        # holds nothing of its own any more: what it held is freed.
        return [ref() for ref in refs if ref() is not None and vars(ref())]

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        before = built_objects()
        source.write_text(source.read_text(encoding="utf-8") + "\n\nA second save.\n")
        assert worker.run_build([page])["ok"]
        assert held(before) == []
        # a build stopped by a newer save is freed too, once a build replaces it
        before = built_objects()
        _retitle_and_stop_once_the_open_page_went_out(worker, monkeypatch, source, page, "Retitled")
        stopped = built_objects()
        source.write_text(source.read_text(encoding="utf-8") + "\n\nA third save.\n")
        messages.clear()
        assert worker.run_build([page])["ok"]
        assert held(before + stopped) == []
        assert any(m.get("quick") for m in messages if m.get("event") == "early")
    finally:
        if was_enabled:
            gc.enable()


class _Requests:
    def __init__(self, waiting: bool) -> None:
        self.waiting = waiting
        self.waits: list[float] = []

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        return self.waiting


def test_the_idle_worker_collects_in_full_only_now_and_then_and_after_a_pause(monkeypatch):
    """Between saves the worker freezes what its builds left (free) and collects in full
    only every `BUILDS` builds, and only when no save came during a further pause: a save
    arriving during a full collection (3 s at 20,000 articles) waits for it."""
    import gc

    from explainer.site.incremental.worker import IdleCollection

    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    collection = IdleCollection()
    busy, idle = _Requests(waiting=True), _Requests(waiting=False)
    collection.idle(idle, 1)  # the first build
    collection.idle(idle, IdleCollection.BUILDS - 2)
    assert calls == ["freeze", "freeze"] and idle.waits == []
    collection.idle(busy, 1)  # due, but a save came during the pause
    assert "collect" not in calls and busy.waits == [IdleCollection.PAUSE]
    calls.clear()
    collection.idle(idle, 1)
    assert calls == ["freeze", "unfreeze", "collect", "freeze"] and collection.full == 1
    collection.idle(idle, IdleCollection.BUILDS - 1)
    assert calls.count("collect") == 1


def test_a_process_that_keeps_collection_off_collects_while_pages_render(monkeypatch):
    """The live preview's worker builds with collection off, but pages render with it on,
    over what they make only (what was alive is frozen first): a page's render contexts are
    cyclic, and at 20,000 articles a first build left 890,000 objects of them (41,000 now)
    for a full collection a save would wait for. A build from the command line is as before."""
    import gc

    from explainer.site.incremental import collection

    monkeypatch.setattr(collection, "_WHILE_RENDERING", [False])
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with collection.paused(), collection.resumed():
            assert not gc.isenabled()  # a process that keeps collection off, not asking
        collection.collect_while_rendering()
        alive = gc.get_freeze_count()
        with collection.paused():
            with collection.resumed():
                assert gc.isenabled()
                assert gc.get_freeze_count() > alive
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def test_a_newer_save_may_stop_a_build_until_its_commit_moves_a_file(tmp_path, monkeypatch):
    """The commit looks for what output/ holds that the build did not make before it moves
    anything, so a newer save in the live preview stops the build there too, with output/
    as it was; the next build removes the article's page and its emptied folders (and no
    folder it did not empty)."""
    from explainer.site.incremental.runner import Build
    from explainer.site.incremental.session import BuildCancelled, clear_cancel, request_cancel

    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 12, seed=4)
    settings = Path("pelicanconf.py")
    Build(root, settings, Path("output"), workers=1).run(force=True)
    kept_empty = root / "output" / "a-folder-someone-made"
    kept_empty.mkdir()
    before = tree(root / "output")
    (root / "content" / "articles" / "bench-00003.md").unlink()
    moved = Build._to_move

    def then_a_save(self, session, result):
        found = moved(self, session, result)
        request_cancel()
        return found

    monkeypatch.setattr(Build, "_to_move", then_a_save)
    try:
        with pytest.raises(BuildCancelled):
            Build(root, settings, Path("output"), workers=1).run(force=True)
    finally:
        clear_cancel()
    monkeypatch.undo()
    assert tree(root / "output") == before
    result = Build(root, settings, Path("output"), workers=1).run(force=True)
    assert "articles/bench-00003/index.html" in result.changed_paths
    assert not (root / "output" / "articles" / "bench-00003").exists()
    assert kept_empty.is_dir()


def test_a_template_saved_while_a_build_commits_is_shown_before_the_next_build(
    tmp_path, monkeypatch
):
    """A save of a template that stops the build in progress (here as it commits) takes the
    quick path in the next one: the open page is rendered with the new template before the
    build runs. The templates a build's pages may show are the ones as it started."""
    from explainer.site.incremental.runner import Build
    from explainer.site.incremental.session import request_cancel

    root, worker, messages, page, source = _worker_with_an_open_article(tmp_path)
    footer = root / "theme" / "templates" / "partials" / "site_footer.html"
    source.write_text(source.read_text(encoding="utf-8") + "\n\nSaved first.\n")
    moved = Build._to_move

    def then_a_template_save(self, session, result):
        found = moved(self, session, result)
        credit = '<p class="site-footer__credit">'
        footer.write_text(footer.read_text().replace(credit, f"{credit}New footer "))
        request_cancel()
        return found

    monkeypatch.setattr(Build, "_to_move", then_a_template_save)
    assert worker.run_build([page]).get("cancelled")
    monkeypatch.undo()
    shown = _quick_page_of_next_build(worker, messages, page)
    assert b"New footer" in shown and b"Saved first." in shown
    assert shown == (root / "output" / page).read_bytes()


def test_a_one_shot_build_renders_without_the_caches_only_a_later_build_would_use(tmp_path):
    """Memory: what plugins keep for the next build in the same process (the live preview's
    worker) is emptied before a one-shot build renders, and Pelican's memo of every body
    (with its links made for each page depth) does not outlive the page that read it; the
    worker keeps its caches between builds."""
    from pelican.contents import Content

    from explainer.site.incremental.runner import Build
    from explainer.site.plugins import related, validate

    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 40, seed=3)
    worker = Worker(root, "pelicanconf.py", "output", reply=lambda message: None)
    worker.run_build([])
    assert validate._CHECKED and related._LAST  # kept for the worker's next build
    result = Build(root, Path("pelicanconf.py"), Path("one-shot"), workers=1).run(force=True)
    assert result.rendered > 100
    assert not validate._CHECKED and not related._LAST
    assert not Content.get_content.cache and not Content.get_summary.cache
    assert tree(root / "one-shot") == tree(root / "output")


_HELD_SCRIPT = """
import gc, json, sys
from pathlib import Path
from pelican.contents import Article
from explainer.site.build import Project, run_pelican

result = run_pelican(Project(Path(sys.argv[1])), in_process=True)
gc.collect()
alive = sum(1 for o in gc.get_objects() if isinstance(o, Article))
print(json.dumps({"rendered": result.rendered, "articles alive": alive}))
"""


def test_the_build_gives_back_what_it_held_before_the_search_index_runs(tmp_path):
    """`invoke build` builds in its own process, then runs Pagefind beside it: the content
    objects (and the caches that keep them) are gone once the build returns."""
    root = copy_project(tmp_path / "site")
    found = subprocess.run(
        [sys.executable, "-c", _HELD_SCRIPT, str(root)],
        cwd=root, check=True, capture_output=True, text=True,
    )  # fmt: skip
    report = json.loads(found.stdout.splitlines()[-1])
    assert report["rendered"] > 0
    assert report["articles alive"] == 0


def test_a_one_shot_build_renders_article_bodies_from_disk_not_from_memory(tmp_path, monkeypatch):
    """Memory: while a one-shot build renders, no article holds its body in memory (each
    is read back from disk by the page that shows it: body_store.py); the pages are those
    of a build that keeps every body (the live preview's worker), and the context saved for
    a quick build holds the bodies themselves."""
    import pickle

    from explainer.site.incremental import writer
    from explainer.site.incremental.runner import Build

    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 30, seed=5)
    worker = Worker(root, "pelicanconf.py", "output", reply=lambda message: None)
    worker.run_build([])
    held: list[type] = []
    run = writer.IncrementalWriter._run

    def noting(self, job):
        article = job.extra.get("article")
        if article is not None:
            held.append(type(vars(article)["_content"]))
        return run(self, job)

    monkeypatch.setattr(writer.IncrementalWriter, "_run", noting)
    result = Build(root, Path("pelicanconf.py"), Path("one-shot"), workers=1).run(force=True)
    assert result.rendered > 60 and len(held) >= 30
    assert str not in held
    assert tree(root / "one-shot") == tree(root / "output")
    saved_file = max((root / ".build").rglob("*.context"), key=lambda p: p.stat().st_mtime_ns)
    saved = pickle.loads(saved_file.read_bytes())
    bodies = [vars(a)["_content"] for a in saved.context["articles"]]
    assert len(bodies) >= 30 and all(type(b) is str and "<p>" in b for b in bodies)


def test_render_processes_find_the_content_objects_hashed_and_out_of_garbage_collection(
    tmp_path, monkeypatch
):
    """Memory: every content object is hashed by its attributes once, before the render
    processes fork, so none of them walks (and copies) every article's attributes again; and
    what existed at the fork stays out of every process's garbage collections while they
    render, so a collection does not copy the pages the processes share."""
    import gc

    from explainer.site.incremental import fingerprint, writer
    from explainer.site.incremental.runner import Build

    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 80, seed=7)
    hashed = tmp_path / "hashed.txt"
    content_class = fingerprint._content_class()
    compute = fingerprint.Fingerprinter._compute

    def noting(self, value, level, full=False):
        if full and isinstance(value, content_class):
            with hashed.open("a") as handle:
                handle.write(f"{os.getpid()}\n")
        return compute(self, value, level, full)

    frozen: list[bool] = []
    run = writer.IncrementalWriter._run

    def checking(self, job):
        frozen.append(gc.get_freeze_count() > 0)
        return run(self, job)

    monkeypatch.setattr(fingerprint.Fingerprinter, "_compute", noting)
    monkeypatch.setattr(writer.IncrementalWriter, "_run", checking)
    result = Build(root, Path("pelicanconf.py"), Path("output"), workers=2).run(force=True)
    assert result.rendered > 150
    pids = hashed.read_text().split()
    assert len(pids) >= 80 and set(pids) == {str(os.getpid())}
    assert frozen and all(frozen)
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_collects_garbage_while_reading_and_rendering_but_not_in_between(
    tmp_path, monkeypatch, workers
):
    """Time: once every file is read, what the build makes lives to its end, and garbage
    collections would walk it again and again while plugins finish the articles and the
    context is saved; they are held off then (collection.py). The files are read, and the
    pages rendered (by every process), with collections running: both make cyclic garbage.
    Collection is on again after the build."""
    import gc

    from pelican import signals

    from explainer.site.incremental import saved_context, writer
    from explainer.site.incremental.runner import Build

    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 40, seed=11)
    seen: dict[str, set] = {"read": set(), "finalized": set(), "saved": set(), "committed": set()}
    rendering = tmp_path / "rendering.txt"
    run, save, commit = writer.IncrementalWriter._run, saved_context.save, Build._commit

    def render_noting(self, job):
        with rendering.open("a") as handle:
            handle.write(f"{os.getpid()} {gc.isenabled()}\n")
        return run(self, job)

    def save_noting(path, saved):
        seen["saved"].add(gc.isenabled())
        return save(path, saved)

    def commit_noting(self, session, retained):
        seen["committed"].add(gc.isenabled())
        return commit(self, session, retained)

    def read(generator):
        seen["read"].add(gc.isenabled())

    def finalized(generators):
        seen["finalized"].add(gc.isenabled())

    monkeypatch.setattr(writer.IncrementalWriter, "_run", render_noting)
    monkeypatch.setattr(saved_context, "save", save_noting)
    monkeypatch.setattr(Build, "_commit", commit_noting)
    signals.article_generator_finalized.connect(read)
    signals.all_generators_finalized.connect(finalized)
    try:
        assert gc.isenabled()
        result = Build(root, Path("pelicanconf.py"), Path("output"), workers=workers).run()
    finally:
        signals.article_generator_finalized.disconnect(read)
        signals.all_generators_finalized.disconnect(finalized)
    assert result.rendered > 80
    rendered = [line.split() for line in rendering.read_text().splitlines()]
    assert {enabled for _pid, enabled in rendered} == {"True"}
    assert len({pid for pid, _enabled in rendered}) == workers
    assert seen == {"read": {True}, "finalized": {False}, "saved": {False}, "committed": {False}}
    assert gc.isenabled()


def test_a_first_build_moves_its_staged_folders_whole_and_matches_a_commit_file_by_file(
    tmp_path,
):
    """A first build (no output/, staging made by this build) moves each staged folder to
    output/ in one rename; the site is the one a commit file by file gives (output/ removed
    and built again from the kept staging folders), with no stray file or empty folder."""
    from explainer.site.incremental.runner import Build

    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 20, seed=9)
    first = Build(root, Path("pelicanconf.py"), Path("output"), workers=1).run(force=True)
    assert first.added > 40 and first.changed == first.removed == 0
    moved = tree(root / "output")
    folders = [d for d, dirs, files in os.walk(root / "output") if not dirs and not files]
    assert folders == []
    assert ".dirty" not in {p.name for p in (root / "output").iterdir()}
    shutil.rmtree(root / "output")
    again = Build(root, Path("pelicanconf.py"), Path("output"), workers=1).run(force=True)
    assert again.added == first.added
    assert tree(root / "output") == moved
