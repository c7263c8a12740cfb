"""Broken Markdown in content/: `invoke build` fails, naming every broken file and its problem,
and output/ keeps the last good site. Names a build cannot place give a warning, not a page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.built_pages import links_to
from support.project import build, copy_project

pytestmark = pytest.mark.slow  # builds a whole site or runs a server

GOOD = "Title: Cobalt quotas bite\nDate: 2026-02-01\n\nCongo's cobalt exports fell sharply.\n"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """A project built once; each test copies it (output/ included) and breaks the copy."""
    root = copy_project(tmp_path_factory.mktemp("good"))
    (root / "content" / "articles" / "good.md").write_text(GOOD, encoding="utf-8")
    build(root)
    return root


def fresh(built_site: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(built_site, root, symlinks=True)
    return root


def invoke(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(output)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in output.rglob("*")
        if p.is_file()
    }


BROKEN = {
    "malformed-metadata": (
        "Title: Nickel rules\nthis line is not metadata\nDate: 2026-02-02\n\nText.\n",
        r"malformed metadata: line 2 'this line is not metadata'.*Date",
    ),
    "missing-title": ("Date: 2026-02-02\n\nText without a title.\n", r"has no Title"),
    "empty-title": ("Title:\nDate: 2026-02-02\n\nText.\n", r"has no Title"),
    "impossible-date": (
        "Title: Nickel rules\nDate: 2026-02-30\n\nText.\n",
        r"Date '2026-02-30' is not a date",
    ),
    "unreadable-date": (
        "Title: Nickel rules\nDate: next Tuesday-ish\n\nText.\n",
        r"Date 'next Tuesday-ish' is not a date",
    ),
    "missing-date": ("Title: Nickel rules\n\nText.\n", r"has no Date"),
    "twice-titled": (
        "Title: Nickel rules\nDate: 2026-02-02\nTitle: Nickel rules again\n\nText.\n",
        r"Title is given 2 times \(lines 1, 3\)",
    ),
    "unknown-status": (
        "Title: Nickel rules\nDate: 2026-02-02\nStatus: publsihed\n\nText.\n",
        r"Status 'publsihed' is not one of",
    ),
    "slug-escapes": (
        "Title: Nickel rules\nDate: 2026-02-02\nSlug: ../../../../tmp/escaped\n\nText.\n",
        r"Slug '\.\./\.\./\.\./\.\./tmp/escaped' climbs out with '\.\.'",
    ),
    "save-as-escapes": (
        "Title: Nickel rules\nDate: 2026-02-02\nSave_as: ../../escaped.html\n\nText.\n",
        r"Save_as '\.\./\.\./escaped\.html' climbs out",
    ),
    "save-as-absolute": (
        "Title: Nickel rules\nDate: 2026-02-02\nSave_as: /tmp/escaped.html\n\nText.\n",
        r"Save_as '/tmp/escaped\.html' is an absolute path",
    ),
    "replaces-the-index": (
        "Title: Nickel rules\nDate: 2026-02-02\nSave_as: index.html\n\nText.\n",
        r"would replace index\.html, the site's index page",
    ),
    "empty-file": ("", r"is empty"),
    "windows-1252": (
        "Title: Caf\u00e9 owners \u201cworried\u201d\nDate: 2026-02-02\n\nText.\n".encode("cp1252"),
        r"is not UTF-8 text \(byte 0xe9 on line 1\); save it as UTF-8",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_fails_the_build_naming_it_and_output_is_kept(built_site, tmp_path, case):
    root = fresh(built_site, tmp_path)
    before = snapshot(root / "output")
    text, expected = BROKEN[case]
    path = root / "content" / "articles" / f"{case}.md"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    result = invoke(root, "build")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    line = next((ln for ln in log.splitlines() if f"content/articles/{case}.md:" in ln), "")
    assert line.startswith(f"content/articles/{case}.md: "), log
    assert re.search(expected, line), line
    assert "Traceback" not in log, log
    assert "build failed" in log
    assert snapshot(root / "output") == before
    assert not (tmp_path / "escaped.html").exists() and not Path("/tmp/escaped.html").exists()


def test_duplicate_slugs_name_both_files(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    articles = root / "content" / "articles"
    (articles / "first.md").write_text(
        "Title: Nickel rules\nDate: 2026-02-02\nSlug: nickel\n\nOne.\n", encoding="utf-8"
    )
    (articles / "second.md").write_text(
        "Title: Nickel rules again\nDate: 2026-02-03\nSlug: nickel\n\nTwo.\n", encoding="utf-8"
    )
    result = invoke(root, "build")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    for name, other in (("first", "second"), ("second", "first")):
        line = next(ln for ln in log.splitlines() if ln.startswith(f"content/articles/{name}.md"))
        assert "articles/nickel/index.html" in line and f"content/articles/{other}.md" in line


def test_a_translation_with_the_same_slug_collides_too(built_site, tmp_path):
    """Pelican would treat these as translations and write both to one file."""
    root = fresh(built_site, tmp_path)
    articles = root / "content" / "articles"
    (articles / "en.md").write_text(
        "Title: Nickel rules\nDate: 2026-02-02\nSlug: nickel\n\nOne.\n", encoding="utf-8"
    )
    (articles / "fr.md").write_text(
        "Title: R\u00e8gles du nickel\nDate: 2026-02-02\nSlug: nickel\nLang: fr\n\nUn.\n",
        encoding="utf-8",
    )
    result = invoke(root, "build")
    assert result.returncode != 0
    assert "content/articles/fr.md: would be written to articles/nickel/index.html" in (
        result.stdout + result.stderr
    )


def test_a_page_that_would_replace_a_topic_index_is_refused(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    (root / "content" / "pages" / "countries.md").write_text(
        "Title: Countries we cover\nSlug: countries\n\nText.\n", encoding="utf-8"
    )
    result = invoke(root, "build")
    assert result.returncode != 0
    assert (
        "content/pages/countries.md: would replace countries/index.html, the site's countries "
        "index" in result.stdout + result.stderr
    )


def test_every_broken_file_is_listed_in_one_run(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    articles = root / "content" / "articles"
    for case in ("missing-title", "impossible-date", "slug-escapes", "windows-1252"):
        text = BROKEN[case][0]
        target = articles / f"{case}.md"
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = invoke(root, "build")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    for case in ("missing-title", "impossible-date", "slug-escapes", "windows-1252"):
        assert f"content/articles/{case}.md: " in log
    assert "4 content files are broken" in log


def test_a_broken_page_fails_the_build_too(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    (root / "content" / "pages" / "broken.md").write_text("No metadata at all.\n")
    result = invoke(root, "build")
    assert result.returncode != 0
    assert "content/pages/broken.md: has no Title" in result.stdout + result.stderr


def test_a_draft_without_a_date_builds(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    (root / "content" / "articles" / "draft.md").write_text(
        "Title: Work in progress\nStatus: draft\n\nNot yet.\n", encoding="utf-8"
    )
    result = invoke(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "output" / "drafts" / "work-in-progress.html").exists()


def test_unknown_names_warn_and_iso_codes_resolve(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    (root / "content" / "articles" / "named.md").write_text(
        "Title: Who mines what\nDate: 2026-02-03\nCountries: Narnia, DE, fr, Atlantis\n"
        "Minerals: unobtainium, cobalt\n\nA short text.\n",
        encoding="utf-8",
    )
    result = invoke(root, "build")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "named.md: unknown countries in metadata, ignored: Narnia, Atlantis" in log
    assert "named.md: unknown minerals in metadata, ignored: unobtainium" in log
    output = root / "output"
    article = output / "articles" / "who-mines-what" / "index.html"
    for topic in ("countries/germany/", "countries/france/", "minerals/cobalt/"):
        assert links_to(output, article, topic), topic
        assert links_to(output, output / topic / "index.html", "articles/who-mines-what/")
    for missing in ("countries/narnia", "countries/atlantis", "minerals/unobtainium"):
        assert not (output / missing).exists()


def test_country_names_with_a_comma_survive_the_comma_separated_list(built_site, tmp_path):
    """ISO's "Korea, Republic of", a name like "Bonaire, Sint Eustatius and Saba", and that
    name as ingestion writes it (its comma dropped) each name one country, not two pieces
    of which one is "unknown", in the countries and in the focus."""
    root = fresh(built_site, tmp_path)
    (root / "content" / "articles" / "commas.md").write_text(
        "Title: Names with commas\nDate: 2026-02-03\n"
        "Countries: Korea, Republic of, Bonaire, Sint Eustatius and Saba, "
        "Congo, The Democratic Republic of the\n"
        "Focus: Bonaire, Sint Eustatius and Saba, Korea, Republic of\n\nA short text.\n",
        encoding="utf-8",
    )
    (root / "content" / "articles" / "ingested.md").write_text(
        "Title: As ingestion writes it\nDate: 2026-02-04\n"
        "Countries: Bonaire  Sint Eustatius and Saba, Chile\n\nA short text.\n",
        encoding="utf-8",
    )
    result = invoke(root, "build")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "unknown countries" not in log and "unknown focus" not in log, log
    output = root / "output"
    commas = output / "articles" / "names-with-commas" / "index.html"
    for topic in ("south-korea", "bonaire-sint-eustatius-and-saba", "dr-congo"):
        assert links_to(output, commas, f"countries/{topic}/"), topic
    ingested = output / "articles" / "as-ingestion-writes-it" / "index.html"
    assert links_to(output, ingested, "countries/bonaire-sint-eustatius-and-saba/")


def test_preview_fails_on_a_broken_file(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    (root / "content" / "articles" / "bad.md").write_text("Title: x\nDate: 2026-02-30\n\nx\n")
    result = invoke(root, "preview", env={"SITEURL": "https://example.org"})
    assert result.returncode != 0
    assert (
        "content/articles/bad.md: Date '2026-02-30' is not a date" in result.stderr + result.stdout
    )


def test_publish_refuses_a_failed_build(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    target = tmp_path / "live"
    target.mkdir()
    (target / "index.html").write_text("the live site")
    (root / "content" / "articles" / "bad.md").write_text("Date: 2026-02-01\n\nNo title.\n")
    env = {"SITEURL": "https://example.org", "PUBLISH_TARGET": str(target)}
    result = invoke(root, "publish", env=env)
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "publish refused" in log
    assert "content/articles/bad.md: has no Title" in log
    assert [p.name for p in target.iterdir()] == ["index.html"]
    assert (target / "index.html").read_text() == "the live site"


def test_publish_refuses_a_site_without_articles(tmp_path):
    root = copy_project(tmp_path / "site", with_content=False)
    shutil.rmtree(root / "seeds")
    target = tmp_path / "live"
    target.mkdir()
    (target / "index.html").write_text("the live site")
    env = {"SITEURL": "https://example.org", "PUBLISH_TARGET": str(target)}
    result = invoke(root, "publish", env=env)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "publish refused: the site has no articles" in log
    assert (target / "index.html").read_text() == "the live site"
    result = invoke(root, "gh-pages", env=env)
    assert result.returncode != 0 and "gh-pages refused: the site has no articles" in (
        result.stdout + result.stderr
    )


def test_publish_sends_a_good_build(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    target = tmp_path / "live"
    env = {"SITEURL": "https://example.org", "PUBLISH_TARGET": str(target)}
    result = invoke(root, "publish", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "articles" / "cobalt-quotas-bite" / "index.html").exists()


def test_a_file_name_that_looks_like_an_impossible_date_is_named(built_site, tmp_path):
    """Pelican reads dates from file names (2026-02-30-notes.md) and would stop with a
    traceback; the build names the file instead."""
    root = fresh(built_site, tmp_path)
    (root / "content" / "articles" / "2026-02-30-notes.md").write_text(GOOD, encoding="utf-8")
    result = invoke(root, "build")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert "content/articles/2026-02-30-notes.md: its file name '2026-02-30-notes.md' gives" in log


def test_a_seed_titled_like_an_impossible_date_builds(built_site, tmp_path):
    root = fresh(built_site, tmp_path)
    (root / "seeds" / "odd.txt").write_text("9999-99-99\n\nCobalt prices rose sharply.\n")
    result = invoke(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "output" / "articles" / "article-9999-99-99" / "index.html").exists()
