"""Search in the live preview: indexed at start, and re-indexed after each reload.

`invoke livereload` tells open pages to reload first and only then rebuilds the Pagefind
index, in the background; a word added to an article is soon found by the search page.
"""

from __future__ import annotations

import threading
import time

import pytest
from support.project import copy_project

from explainer_devkit.chromium import launch
from explainer_devkit.live_preview import running_livereload

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "chinas-new-mining-initiative-at-g20-what-you-need-to-know"


@pytest.fixture
def live_site(tmp_path):
    """`invoke livereload` on a copy of the project, until its search index is served."""
    root = copy_project(tmp_path / "site")
    log = tmp_path / "livereload.log"
    with running_livereload(root, log, "/pagefind/pagefind.js") as port:
        yield root, port, log


def search_finds(page, port: int, word: str) -> bool:
    page.goto(f"http://127.0.0.1:{port}/search/?q={word}")
    try:
        page.wait_for_selector(f".search-result a[href='/articles/{SLUG}/']", timeout=3_000)
    except Exception:
        return False
    return True


def test_live_preview_has_search_and_reindexes_after_an_edit(live_site):
    from playwright.sync_api import sync_playwright

    root, port, log = live_site
    article = root / "content" / "articles" / f"{SLUG}.md"
    word = "zirconiumtestword"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        assert search_finds(page, port, "rare+earths"), log.read_text()
        assert not search_finds(page, port, word)
        reader = browser.new_page()
        reader.goto(f"http://127.0.0.1:{port}/articles/{SLUG}/")
        reader.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")
        article.write_text(
            article.read_text(encoding="utf-8").rstrip("\n") + f"\n\nA note on {word}.\n",
            encoding="utf-8",
        )
        reader.wait_for_function(
            "(w) => document.body.innerText.includes(w)", arg=word, timeout=30_000
        )
        deadline = time.monotonic() + 30
        while not search_finds(page, port, word):
            assert time.monotonic() < deadline, f"never indexed:\n{log.read_text()}"
        browser.close()
    text = log.read_text()
    assert text.count("search index:") >= 2, text


def test_indexer_runs_again_for_a_request_made_while_it_runs(tmp_path, monkeypatch):
    from explainer.site import search_index

    calls: list[float] = []
    gate = threading.Event()

    def slow_index(output, **options):
        calls.append(time.monotonic())
        gate.wait(5)
        return search_index.SearchIndexReport(output, 0, 0.0)

    monkeypatch.setattr(search_index, "index_site", slow_index)
    indexer = search_index.SearchIndexer(tmp_path, log=lambda _: None)
    indexer.request()
    time.sleep(0.1)
    for _ in range(5):  # requests during a run make exactly one more run
        indexer.request()
    gate.set()
    assert indexer.idle.wait(10)
    assert len(calls) == 2
