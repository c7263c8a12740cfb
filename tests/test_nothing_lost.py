"""Nothing a person wrote is lost: ingestion never overwrites an edit, survives a lost or broken
manifest and an interrupted run, and a failed build leaves output/ as it was."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.project import SEED, build, copy_project

from explainer.cli import main
from explainer.ingest.ingestion import MANIFEST_NAME, ingest

BODY = (
    "Cobalt prices rose sharply in the Democratic Republic of Congo this week, traders said, "
    "as export quotas took effect and buyers in China scrambled for supply.\n\n"
    "Refiners in Finland said they had enough metal for the first quarter of the year.\n"
)
PAGE = (
    "<html><head><title>Lithium tender opens | Mining Weekly</title>"
    '<meta property="article:published_time" content="2026-02-03T08:00:00Z"></head>'
    "<body><article><h1>Lithium tender opens</h1><p>Chile said on Monday it would open two "
    "lithium projects to private investors, a shift in policy.</p><p>Analysts said output "
    "could rise by a fifth by 2030.</p></article></body></html>"
)


def seeds_folder(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "page.html").write_text(PAGE, encoding="utf-8")
    (seeds / "undated.txt").write_text("Nickel rules tighten\n\n" + BODY, encoding="utf-8")
    return seeds


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_ingesting_twice_changes_no_byte_and_no_mtime(tmp_path):
    seeds, content = seeds_folder(tmp_path), tmp_path / "content"
    first = ingest([seeds], content)
    assert first.ok and len(first.written) == 3
    before = state(content)
    again = ingest([seeds], content)
    assert again.written == [] and len(again.unchanged) == 3 and again.warnings == []
    assert state(content) == before


def test_every_kind_of_edit_is_kept_until_forced(tmp_path, capsys):
    seeds, content = seeds_folder(tmp_path), tmp_path / "content"
    ingest([seeds], content)
    articles = sorted((content / "articles").iterdir())
    edits = {}
    for n, article in enumerate(articles):
        text = article.read_text(encoding="utf-8")
        edits[article] = [
            text.replace("\nSummary:", "\nSummary: My own words."),  # metadata
            text + "\nA paragraph of mine.\n",  # body
            (text + "\nMine, on Windows.\n").replace("\n", "\r\n"),  # with CRLF line ends
        ][n % 3]
        article.write_text(edits[article], encoding="utf-8", newline="")
    assert main(["ingest", str(seeds), "--content", str(content)]) == 0
    err = capsys.readouterr().err
    for article, edited in edits.items():
        assert f"{article}: edited by hand" in err
        assert article.read_bytes().decode("utf-8") == edited
    assert main(["ingest", str(seeds), "--content", str(content), "--force"]) == 0
    assert all(a.read_bytes().decode("utf-8") != e for a, e in edits.items())


def test_line_ends_alone_are_not_an_edit(tmp_path):
    """A checkout that turns LF into CRLF (git on Windows) does not make every article "edited":
    the article reads the same, so it is unchanged and left as it is."""
    seeds, content = seeds_folder(tmp_path), tmp_path / "content"
    ingest([seeds], content)
    for article in (content / "articles").iterdir():
        article.write_bytes(article.read_bytes().replace(b"\n", b"\r\n"))
    before = state(content / "articles")
    report = ingest([seeds], content)
    assert len(report.unchanged) == 3 and not report.skipped
    assert state(content / "articles") == before


@pytest.mark.slow
def test_an_edited_article_survives_builds(tmp_path):
    root = copy_project(tmp_path / "site")
    output = build(root)
    article = next((root / "content" / "articles").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nMy own ending.\n")
    build(root)
    build(root)
    assert article.read_text(encoding="utf-8").endswith("\nMy own ending.\n")
    assert "My own ending." in (output / "articles" / article.stem / "index.html").read_text()


def test_a_broken_manifest_stops_ingestion_and_writes_nothing(tmp_path, capsys):
    seeds, content = seeds_folder(tmp_path), tmp_path / "content"
    ingest([seeds], content)
    manifest = content / MANIFEST_NAME
    manifest.write_text('{"version": 1, "articles": {', encoding="utf-8")
    before = state(content)
    assert main(["ingest", str(seeds), "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert f"{manifest}: cannot be read" in err and "delete it" in err
    assert state(content) == before


def test_a_manifest_cannot_aim_ingestion_outside_the_articles(tmp_path, capsys):
    seeds, content = seeds_folder(tmp_path), tmp_path / "content"
    content.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_text("precious", encoding="utf-8")
    entry = {"file": "../victim.md", "sha256": "0" * 64}
    (content / MANIFEST_NAME).write_text(
        json.dumps({"version": 1, "articles": {SEED.name: entry}}), encoding="utf-8"
    )
    assert main(["ingest", str(seeds), "--content", str(content)]) == 1
    assert "is not a file under articles/" in capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_lost_manifest_takes_back_untouched_articles_without_duplicates(tmp_path):
    seeds, content = seeds_folder(tmp_path), tmp_path / "content"
    ingest([seeds], content)
    names = sorted(p.name for p in (content / "articles").iterdir())
    edited = content / "articles" / names[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMine.\n", encoding="utf-8")
    (content / MANIFEST_NAME).unlink()
    report = ingest([seeds], content)
    # Untouched articles are recognised as ingestion's own; the edited one is left alone and
    # its seed gets a new file beside it (a duplicate to tidy up, never a loss).
    assert len(report.unchanged) == 2
    assert edited.read_text(encoding="utf-8").endswith("\nMine.\n")
    assert sorted(p.name for p in (content / "articles").iterdir()) == sorted(
        [*names, names[0].replace(".md", "-2.md")]
    )


def test_an_interrupted_run_keeps_its_record(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    rng = random.Random(3)
    words = BODY.split()
    for n in range(30):  # thirty different stories (seeds of one story become one article)
        body = " ".join(rng.choice(words) for _ in range(60))
        (seeds / f"s{n:02d}.txt").write_text(f"Cobalt report number {n}\n\nMay 1, 2026\n\n{body}")
    content = tmp_path / "content"

    def stop_after_ten(done, total):
        if done == 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest([seeds], content, on_progress=stop_after_ten)
    manifest = json.loads((content / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len(manifest["articles"]) == 10
    report = ingest([seeds], content)
    assert len(report.unchanged) == 10 and len(report.written) == 20
    assert len(list((content / "articles").iterdir())) == 30  # no "-2" copies


def test_two_seeds_with_one_name_are_refused(tmp_path, capsys):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(
            f"Report from {folder}\n\nMay 1, 2026\n\n{BODY}"
        )
    status = main(["ingest", str(tmp_path / "a"), str(tmp_path / "b"), "--content", str(tmp_path)])
    assert status == 1
    assert "another seed named same.txt" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "articles").iterdir()] == ["report-from-a.md"]


def test_ingested_files_are_readable_by_others(tmp_path):
    seeds, content = seeds_folder(tmp_path), tmp_path / "content"
    old = os.umask(0o022)
    try:
        ingest([seeds], content)
    finally:
        os.umask(old)
    for path in (content / "articles").iterdir():
        assert path.stat().st_mode & 0o044 == 0o044, oct(path.stat().st_mode)


@pytest.mark.slow
def test_a_bad_seed_fails_the_build_and_keeps_the_output(tmp_path):
    root = copy_project(tmp_path / "site")
    output = build(root)
    before = state(output)
    (root / "seeds" / "broken.html").write_bytes(b"\x00\x01binary\x00")
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "build"], cwd=root, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "broken.html: binary data" in result.stderr
    assert state(output) == before
