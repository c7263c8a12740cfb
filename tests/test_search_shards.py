"""A large site's search index comes in shards (bounded Pagefind memory): the search page finds
the same pages as with one index, and a rebuild indexes again only the shards that changed."""

from __future__ import annotations

import json
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from explainer.site import search_index, search_view
from explainer.site.search_index import index_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".pagefind": "application/wasm",
    }

    def log_message(self, *args) -> None:
        pass


def search_urls(folder: Path, query: str) -> set[str]:
    """The result links the search page shows for `query`, served over http."""
    from playwright.sync_api import sync_playwright

    from explainer_devkit.chromium import launch

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={query}")
            page.wait_for_function(
                "() => /results? for/.test(document.querySelector('[data-search-status]')"
                ".textContent)",
                timeout=20_000,
            )
            urls = set(page.eval_on_selector_all(".search-result a", "(a) => a.map(x => x.href)"))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {url.split(":", 2)[2].split("/", 1)[1] for url in urls}


def test_sharded_index_finds_what_one_index_finds(site, tmp_path):
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    shutil.copytree(site, whole)
    shutil.copytree(site, sharded)
    one = index_site(whole, shard_pages=10_000)
    many = index_site(sharded, shard_pages=2)
    assert one.shards == 1 and many.shards >= 4
    assert many.pages == one.pages > 4
    listed = json.loads((sharded / "pagefind" / "shards.json").read_text())["shards"]
    assert len(listed) == many.shards - 1
    expected = search_urls(whole, "china")
    assert len(expected) > 2
    assert search_urls(sharded, "china") == expected


def test_a_rebuild_indexes_again_only_the_shards_whose_pages_changed(site, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(site, output)
    stamp = tmp_path / "search.stamp"
    first = index_site(output, stamp_file=stamp, shard_pages=2)
    assert first.reindexed == first.shards >= 4
    unchanged = index_site(output, stamp_file=stamp, shard_pages=2)
    assert unchanged.skipped and unchanged.pages == first.pages and unchanged.reindexed == 0
    unmarked = next(
        p for p in sorted(output.rglob("*.html")) if "data-pagefind-body" not in p.read_text()
    )
    unmarked.write_text(unmarked.read_text() + "\n")  # a page search does not index
    assert index_site(output, stamp_file=stamp, shard_pages=2).skipped
    page = next(
        p for p in sorted(output.rglob("index.html")) if "data-pagefind-body" in p.read_text()
    )
    page.write_text(page.read_text().replace("</main>", "<p>Zirconiumtestword.</p></main>", 1))
    again = index_site(output, stamp_file=stamp, shard_pages=2)
    assert again.reindexed == 1 and again.pages == first.pages
    assert not list(output.glob(".pagefind-*"))
    urls = search_urls(output, "zirconiumtestword")
    assert urls == {page.parent.relative_to(output).as_posix() + "/"}


def test_an_edit_swaps_only_its_shards_folder_and_search_still_finds_every_shard(site, tmp_path):
    """With as many shards as before, a changed shard's folder is replaced and the others'
    folders stay where they are (not copied into a new bundle: at 20,000 articles that was
    25,000 files linked and as many deleted), also when the changed shard is shard 0, the
    bundle's top folder, which holds the others."""
    output = tmp_path / "output"
    shutil.copytree(site, output)
    stamp = tmp_path / "search.stamp"
    first = index_site(output, stamp_file=stamp, shard_pages=2)
    bundle = output / "pagefind"
    expected = search_urls(output, "china")

    def entries() -> dict[int, int]:
        found = {0: bundle.stat().st_ino}
        for number in range(1, first.shards):
            found[number] = (bundle / f"shard-{number}").stat().st_ino
        return found

    before = entries()
    marked = sorted(
        p.relative_to(output).as_posix()
        for p in output.rglob("*.html")
        if "data-pagefind-body" in p.read_text()
    )
    shards = search_index._shards(marked, 2)  # which shard each page is in
    assert len(shards) == first.shards
    by_shard = {number: output / pages[0] for number, pages in enumerate(shards)}
    assert 0 in by_shard and len(by_shard) > 2
    other = next(n for n in sorted(by_shard) if n != 0)
    for number, word in ((0, "Xylotestword"), (other, "Qwertestword")):
        page = by_shard[number]
        page.write_text(page.read_text().replace("</main>", f"<p>{word}.</p></main>", 1))
    again = index_site(output, stamp_file=stamp, shard_pages=2)
    assert again.reindexed == 2 and again.pages == first.pages
    after = entries()
    assert {n for n in before if before[n] != after[n]} == {0, other}
    assert not list(output.glob(".pagefind-*"))
    assert search_urls(output, "china") == expected
    for number, word in ((0, "xylotestword"), (other, "qwertestword")):
        page = by_shard[number]
        assert search_urls(output, word) == {page.parent.relative_to(output).as_posix() + "/"}


def test_a_change_the_index_would_not_see_indexes_no_shard_again(site, tmp_path):
    """A build names the pages it changed only inside `data-pagefind-ignore` parts (a
    neighbour's link, a related list): their shards are not indexed again for them, while a
    change the index reads still is; the stamp then follows the pages as they are."""
    output = tmp_path / "output"
    shutil.copytree(site, output)
    stamp = tmp_path / "search.stamp"
    index_site(output, stamp_file=stamp, shard_pages=2)
    unseen, pages = {}, []
    for path in sorted(output.rglob("index.html")):
        html = path.read_bytes()
        if b"data-pagefind-body" not in html or len(pages) == 2:
            continue
        # a change inside an ignored part (its start tag gains an attribute)
        new = html.replace(b"data-pagefind-ignore>", b'data-pagefind-ignore title="x">', 1)
        before = search_view.unseen_change(path, new)
        if new != html and before is not None:
            unseen[path.relative_to(output).as_posix()] = before
            path.write_bytes(new)
            pages.append(path)
    assert len(pages) == 2
    again = index_site(output, stamp_file=stamp, shard_pages=2, unseen_changes=unseen)
    assert again.reindexed == 0
    assert index_site(output, stamp_file=stamp, shard_pages=2).skipped
    # JSON-LD (a topic page's list of articles) is not indexed: a word only there is not found
    html = pages[1].read_bytes()
    context = b'"@context":"https://schema.org",'
    assert context in html
    html = html.replace(context, context + b'"x":"Scriptonlytestword",', 1)
    assert search_view.unseen_change(pages[1], html)
    pages[1].write_bytes(html)
    assert index_site(output, stamp_file=stamp, shard_pages=2).reindexed >= 1
    assert search_urls(output, "scriptonlytestword") == set()
    seen = pages[0].read_bytes().replace(b"</main>", b"<p>Vanadiumtestword.</p></main>", 1)
    assert search_view.unseen_change(pages[0], seen) is None
    pages[0].write_bytes(seen)
    assert index_site(output, stamp_file=stamp, shard_pages=2).reindexed == 1
    urls = search_urls(output, "vanadiumtestword")
    assert urls == {pages[0].parent.relative_to(output).as_posix() + "/"}


def test_a_rebuild_reads_only_the_pages_that_changed(site, tmp_path, monkeypatch):
    """Which pages carry the search mark is kept with the index's stamp: a rebuild reads
    only the pages whose size or time changed (one edit at 20,000 articles would otherwise
    read every page), and a page that gains or loses the mark is noticed."""
    output = tmp_path / "output"
    shutil.copytree(site, output)
    stamp = tmp_path / "search.stamp"
    first = index_site(output, stamp_file=stamp, shard_pages=2)
    pages = sorted(output.rglob("index.html"))
    marked = next(p for p in pages if "data-pagefind-body" in p.read_text())
    unmarked = next(p for p in pages if "data-pagefind-body" not in p.read_text())
    marked.write_text(marked.read_text().replace("data-pagefind-body", "data-unmarked", 1))
    unmarked.write_text(unmarked.read_text().replace("<main", "<main data-pagefind-body", 1))
    read: list[str] = []

    def counting_open(path, *args, **kwargs):
        read.append(Path(path).relative_to(output).as_posix())
        return open(path, *args, **kwargs)

    monkeypatch.setattr(search_index, "open", counting_open, raising=False)
    again = index_site(output, stamp_file=stamp, shard_pages=2)
    assert sorted(read) == sorted(p.relative_to(output).as_posix() for p in (marked, unmarked))
    assert again.pages == first.pages  # one page left the index, one came in
    assert again.reindexed >= 1


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory) -> Path:
    """The project with 40 bench articles more, built: more article pages than topic pages."""
    from support.project import copy_project

    from explainer.site.incremental.runner import Build
    from explainer_devkit import corpus

    root = copy_project(tmp_path_factory.mktemp("many"))
    corpus.write_articles(root / "content", 40, seed=5)
    Build(root, Path("pelicanconf.py"), Path("output")).run(force=True)
    return root / "output"


def test_topic_pages_share_a_shard_so_a_tag_edit_indexes_one_shard_again(many_articles, tmp_path):
    """A tag more on any article changes the topic pages that count or list it. Pages are
    in shards by top folder (a folder larger than a shard, the articles', split by a hash
    of the path; the smaller ones together): changing every mineral page indexes one shard
    again, not one in each of the site's shards."""
    output = tmp_path / "output"
    shutil.copytree(many_articles, output)
    marked = sorted(
        p.relative_to(output).as_posix()
        for p in output.rglob("*.html")
        if "data-pagefind-body" in p.read_text()
    )
    large = [page for page in marked if page.startswith(("articles/", "countries/"))]
    minerals = [page for page in marked if page.startswith("minerals/")]
    size = len(marked) - len(large)  # the minerals, the glossary, about...: one shard
    assert len(minerals) > 8 and all(
        sum(page.startswith(folder) for page in marked) > size
        for folder in ("articles/", "countries/")
    )
    stamp = tmp_path / "search.stamp"
    first = index_site(output, stamp_file=stamp, shard_pages=size)
    assert first.shards >= 5
    for page in minerals:
        path = output / page
        path.write_text(path.read_text().replace("</main>", "<p>Tagedittestword.</p></main>", 1))
    again = index_site(output, stamp_file=stamp, shard_pages=size)
    assert again.reindexed == 1 and again.pages == first.pages
    # and one article more or less in the articles' folder leaves the others in their shards
    plan = search_index._shards(marked, size)
    fewer = search_index._shards([p for p in marked if p != large[0]], size)
    assert len(fewer) == len(plan)
    assert [set(s) - {large[0]} for s in plan] == [set(s) for s in fewer]
