"""Ingestion writes one Markdown article per seed and never loses a person's edits."""

from __future__ import annotations

import shutil

from support.project import SEED

from explainer.cli import main
from explainer.ingest.ingestion import MANIFEST_NAME, ingest

SLUG = "chinas-new-mining-initiative-at-g20-what-you-need-to-know"


def setup(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    return seeds, tmp_path / "content"


def test_seed_becomes_a_markdown_article_with_pelican_metadata(tmp_path):
    seeds, content = setup(tmp_path)
    report = ingest([seeds], content)
    assert report.ok and len(report.written) == 1
    article = content / "articles" / f"{SLUG}.md"
    header, body = article.read_text(encoding="utf-8").split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
    assert meta["Title"] == "China's New Mining Initiative at G20: What You Need to Know"
    assert meta["Date"] == "2026-01-13"
    assert meta["Slug"] == SLUG
    assert meta["Source"] == SEED.name
    assert "Rare earths" in meta["Minerals"]
    assert {"G20", "UNIDO"} <= set(meta["Organisations"].split(", "))
    assert {"Li Qiang", "Xi Jinping", "Donald Trump"} <= set(meta["Tags"].split(", "))
    assert set(meta["Countries"].split(", ")) == {
        "China",
        "South Africa",
        "Cambodia",
        "Nigeria",
        "Myanmar",
        "Zimbabwe",
        "Germany",
        "Japan",
        "France",
        "United Kingdom",
        "Ireland",
        "United States",
    }
    assert 0 < len(meta["Summary"]) <= 320
    assert body.startswith("China is making significant moves")
    # salience survives the Markdown round trip: what the article is about
    assert meta["Focus"].split(", ") == ["China", "Rare earths"]


def test_running_twice_changes_nothing(tmp_path):
    seeds, content = setup(tmp_path)
    ingest([seeds], content)
    article = content / "articles" / f"{SLUG}.md"
    before = (article.read_bytes(), article.stat().st_mtime_ns)
    manifest = (content / MANIFEST_NAME).stat().st_mtime_ns
    report = ingest([seeds], content)
    assert report.written == [] and len(report.unchanged) == 1
    assert (article.read_bytes(), article.stat().st_mtime_ns) == before
    assert (content / MANIFEST_NAME).stat().st_mtime_ns == manifest


def test_an_edited_article_is_never_overwritten_unless_forced(tmp_path, capsys):
    seeds, content = setup(tmp_path)
    ingest([seeds], content)
    article = content / "articles" / f"{SLUG}.md"
    edited = article.read_text(encoding="utf-8").replace("Summary:", "Summary: Edited by hand.")
    article.write_text(edited, encoding="utf-8")
    assert main(["ingest", str(seeds), "--content", str(content)]) == 0
    assert "edited by hand" in capsys.readouterr().err
    assert article.read_text(encoding="utf-8") == edited
    assert main(["ingest", str(seeds), "--content", str(content), "--force"]) == 0
    assert article.read_text(encoding="utf-8") != edited


def test_a_deleted_article_is_not_recreated(tmp_path):
    seeds, content = setup(tmp_path)
    ingest([seeds], content)
    article = content / "articles" / f"{SLUG}.md"
    article.unlink()
    report = ingest([seeds], content)
    assert not article.exists() and report.skipped


def test_a_hand_written_file_with_the_same_slug_is_kept(tmp_path):
    seeds, content = setup(tmp_path)
    mine = content / "articles" / f"{SLUG}.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("Title: Mine\nDate: 2026-01-01\n\nMy own text.\n", encoding="utf-8")
    report = ingest([seeds], content)
    assert mine.read_text(encoding="utf-8").startswith("Title: Mine")
    assert report.written == [content / "articles" / f"{SLUG}-2.md"]


def test_a_bad_seed_is_named_and_the_others_still_ingest(tmp_path, capsys):
    seeds, content = setup(tmp_path)
    (seeds / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00")
    status = main(["ingest", str(seeds), "--content", str(content)])
    err = capsys.readouterr().err
    assert status == 1
    assert "broken.txt" in err and "binary" in err
    assert (content / "articles" / f"{SLUG}.md").exists()
