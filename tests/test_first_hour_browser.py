"""A new user's first hour in the browser (issue 14), through `invoke livereload` in Chromium:
the preview follows an article to its new address, shows a broken file over the page until it
is fixed, never shows a broken-image icon, and search quotes the article's text, not its chips.
"""

from __future__ import annotations

import re

import pytest
from support.project import SEED_SLUG, copy_project
from support.seed_pages import article_html
from support.seed_pages import page as saved_page

from explainer_devkit.chromium import launch
from explainer_devkit.live_preview import running_livereload

pytestmark = [pytest.mark.browser, pytest.mark.slow]

IMAGE = "https://images.example.com/kolwezi.jpg"
ALT = "Miners at a cobalt pit in Kolwezi"
HTML_SLUG = "chile-opens-lithium-to-private-miners"
HAND = (
    "Title: Zambia copper output rises\nDate: 2026-03-01\n\n"
    "Zambia produced more copper in 2025, the mines ministry said on Monday.\n"
)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """`invoke livereload` on a project with a saved page (an external image) among its seeds
    and a hand-written article at the top of content/, until search is served."""
    from playwright.sync_api import sync_playwright

    base = tmp_path_factory.mktemp("first-hour-live")
    root = copy_project(base / "site")
    figure = (
        f'<figure><img src="{IMAGE}" alt="{ALT}"><figcaption>Kolwezi</figcaption></figure>\n'
        "<p>Officials said the rules would be published before the end of the year in the "
        "official gazette, and that the first licences would follow soon after.</p>"
    )
    (root / "seeds" / "chile.html").write_text(
        saved_page(body=article_html(extra=figure)), encoding="utf-8"
    )
    (root / "content" / "zambia.md").write_text(HAND, encoding="utf-8")
    log = base / "livereload.log"
    with running_livereload(root, log, "/pagefind/pagefind.js") as port, sync_playwright() as pw:
        browser = launch(pw)
        yield root, f"http://127.0.0.1:{port}", log, browser
        browser.close()


def watched_page(browser):
    """A new page that records failed requests and console errors."""
    page = browser.new_page()
    page.problems = []
    page.on("requestfailed", lambda r: page.problems.append(f"failed {r.url}"))
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    return page


def connected(page) -> None:
    page.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")


def test_an_external_image_is_a_link_with_its_alt_text_not_a_broken_icon(live):
    _root, base, _log, browser = live
    page = watched_page(browser)
    page.goto(f"{base}/articles/{HTML_SLUG}/", wait_until="networkidle")
    assert page.locator(f"img[src='{IMAGE}']").count() == 0
    link = page.locator(f"a.external-image[href='{IMAGE}']")
    assert link.count() == 1 and ALT in link.inner_text()
    broken = page.evaluate(
        "() => [...document.images].filter(i => i.complete && i.naturalWidth === 0)"
        ".map(i => i.src)"
    )
    assert broken == [] and page.problems == [], page.problems
    page.close()


def test_search_quotes_the_articles_text_and_keeps_chips_as_metadata(live):
    root, base, _log, browser = live
    page = watched_page(browser)
    page.goto(f"{base}/search/")
    found = page.evaluate(
        """async () => {
            const pagefind = await import('/pagefind/pagefind.js');
            const search = await pagefind.search('Japan');
            const results = await Promise.all(search.results.map(r => r.data()));
            return {results: results.map(r => ({url: r.url, excerpt: r.excerpt, meta: r.meta}))};
        }"""
    )
    article = next(r for r in found["results"] if r["url"] == f"/articles/{SEED_SLUG}/")
    excerpt = re.sub(r"<[^>]+>", "", article["excerpt"])
    assert "Japan" in excerpt
    assert "Tags" not in excerpt and "Xi Jinping." not in excerpt and "🇯🇵" not in excerpt
    text = (root / "content" / "articles" / f"{SEED_SLUG}.md").read_text(encoding="utf-8")
    body = " ".join(text.split("\n\n", 1)[1].split())
    assert " ".join(excerpt.split())[:40] in body.replace("“", '"').replace("”", '"') or (
        " ".join(excerpt.split())[:40] in body
    )
    assert "Japan" in article["meta"]["countries"].split("; ")
    assert article["meta"]["minerals"] == "Rare earths"
    page.close()


def test_a_broken_file_shows_over_the_page_until_it_is_fixed(live):
    root, base, log, browser = live
    article = root / "content" / "articles" / f"{SEED_SLUG}.md"
    good = article.read_text(encoding="utf-8")
    page = watched_page(browser)
    page.goto(f"{base}/articles/{SEED_SLUG}/")
    connected(page)
    article.write_text(good.replace("Date: 2026-01-13", "Date: 2026-02-30"), encoding="utf-8")
    try:
        overlay = page.wait_for_selector("#livereload-build-error", timeout=60_000)
        shown = overlay.inner_text()
        assert f"content/articles/{SEED_SLUG}.md" in shown
        assert "Date '2026-02-30' is not a date" in shown
        # The last good page is still there under it.
        assert "China is making significant moves" in page.inner_text("main")
    finally:
        article.write_text(good, encoding="utf-8")
    page.wait_for_selector("#livereload-build-error", state="detached", timeout=60_000)
    assert "no quick page" not in log.read_text()
    page.close()


def test_the_preview_follows_an_open_article_to_its_new_address(live):
    root, base, log, browser = live
    article = root / "content" / "zambia.md"
    page = watched_page(browser)
    page.goto(f"{base}/articles/zambia-copper-output-rises/")
    connected(page)
    article.write_text(HAND.replace("rises", "climbs"), encoding="utf-8")
    try:
        page.wait_for_url(f"{base}/articles/zambia-copper-output-climbs/", timeout=60_000)
    except Exception:
        pytest.fail(f"the page stayed at {page.url}; log:\n{log.read_text()}")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Zambia copper output climbs"
    assert "Page not found" not in page.inner_text("body")
    page.close()
