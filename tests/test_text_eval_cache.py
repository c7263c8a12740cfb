"""The evaluation of the text reader (eval/corpora.py) reads the text the current code makes."""

from __future__ import annotations

import gzip
import sys

from support.project import REPO

sys.path.insert(0, str(REPO / "eval"))

import corpora


def test_the_page_texts_are_made_again_when_the_code_that_makes_them_changes(tmp_path, monkeypatch):
    code = tmp_path / "page_text.py"
    code.write_text("# version 1\n", encoding="utf-8")
    monkeypatch.setattr(corpora, "ROOT", tmp_path)
    monkeypatch.setattr(corpora, "_TEXT_CODE", (code,), raising=False)
    saved = tmp_path / "page.html.gz"
    saved.write_bytes(gzip.compress(b"<html><body><h1>Cobalt quota</h1><p>Text.</p></body></html>"))
    page = corpora.Page("p1", "aeb", "https://example.com/a", "example.com", saved)

    fresh = corpora.text_versions([page])["p1"]
    assert "Cobalt quota" in fresh
    for cached in (tmp_path / ".cache" / "page-text").rglob("*.txt"):
        cached.write_text("made by older code\n", encoding="utf-8")
    code.write_text("# version 2\n", encoding="utf-8")
    assert corpora.text_versions([page])["p1"] == fresh


def test_the_text_with_the_title_line_and_the_one_without_are_cached_apart(tmp_path, monkeypatch):
    monkeypatch.setattr(corpora, "ROOT", tmp_path)
    saved = tmp_path / "page.html.gz"
    saved.write_bytes(
        gzip.compress(
            b"<html><head><title>Cobalt quota | Site</title></head>"
            b"<body><h1>Cobalt quota</h1><p>Text.</p></body></html>"
        )
    )
    page = corpora.Page("p1", "aeb", "https://example.com/a", "example.com", saved)

    for _ in range(2):  # made, then read from the cache
        crawled = corpora.text_versions([page])["p1"]
        copied = corpora.text_versions([page], with_title=False)["p1"]
        assert crawled == "Cobalt quota | Site\n\nCobalt quota\n\nText.\n"
        assert copied == "Cobalt quota\n\nText.\n"
    assert len(list((tmp_path / ".cache" / "page-text").rglob("*.txt"))) == 2
