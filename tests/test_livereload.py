"""`invoke livereload` serves the site and an edit shows in the open page without a refresh."""

from __future__ import annotations

import pytest
from support.project import copy_project

from explainer_devkit.chromium import launch
from explainer_devkit.live_preview import running_livereload

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "chinas-new-mining-initiative-at-g20-what-you-need-to-know"


@pytest.fixture
def live_site(tmp_path):
    root = copy_project(tmp_path / "site")
    log = tmp_path / "livereload.log"
    with running_livereload(root, log, f"/articles/{SLUG}/") as port:
        yield root, port, log


def test_edit_shows_in_the_open_page_without_a_manual_refresh(live_site):
    from playwright.sync_api import sync_playwright

    root, port, log = live_site
    article = root / "content" / "articles" / f"{SLUG}.md"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/articles/{SLUG}/")
        assert "China is making significant moves" in page.inner_text("main")
        # The live-reload client marks the page once its event stream is connected.
        page.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")
        text = article.read_text(encoding="utf-8")
        marker = "Edited live by the test suite."
        article.write_text(text.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
        try:
            page.wait_for_function(
                "(marker) => document.body.innerText.includes(marker)",
                arg=marker,
                timeout=30_000,
            )
        except Exception:
            pytest.fail(f"the edit never showed in the page; server log:\n{log.read_text()}")
        browser.close()


def test_a_body_edit_is_swapped_in_place_under_the_csp(live_site):
    """The page keeps its state (no reload: its JSON-LD data blocks are not scripts that
    run), shows the new text and the new JSON-LD, and the live-reload client (one
    same-origin script and a same-origin event stream) breaks no Content-Security-Policy."""
    import json

    from playwright.sync_api import sync_playwright

    root, port, log = live_site
    article = root / "content" / "articles" / f"{SLUG}.md"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page.goto(f"http://127.0.0.1:{port}/articles/{SLUG}/")
        assert page.locator("meta[http-equiv='Content-Security-Policy']").count() == 1
        page.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")
        page.evaluate("window.__kept = 'the same document'")
        marker = "Swapped in place by the test suite."
        text = article.read_text(encoding="utf-8")
        article.write_text(text.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
        page.wait_for_function(
            "(m) => document.body.innerText.includes(m)", arg=marker, timeout=30_000
        )
        assert page.evaluate("window.__kept") == "the same document", log.read_text()
        blocks = page.eval_on_selector_all(
            "script[type='application/ld+json']", "(nodes) => nodes.map(n => n.textContent)"
        )
        kinds = {json.loads(block)["@type"] for block in blocks}
        assert {"NewsArticle", "BreadcrumbList"} <= kinds
        assert page.evaluate("window.__violations") == []
        browser.close()
