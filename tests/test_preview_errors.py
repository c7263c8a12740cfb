"""The live preview and a broken file: the terminal names the file and the problem, the browser
keeps the last good site, and fixing the file brings the page back — all under the site's
Content-Security-Policy (the live-reload client is a same-origin script and event stream)."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
from support.project import copy_project

from explainer_devkit.chromium import launch
from explainer_devkit.live_preview import running_livereload

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "chinas-new-mining-initiative-at-g20-what-you-need-to-know"


def wait_for_text(log: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    pytest.fail(f"{text!r} never appeared in the preview's output:\n{log.read_text()}")


@pytest.fixture
def preview(tmp_path):
    root = copy_project(tmp_path / "site")
    log = tmp_path / "livereload.log"
    with running_livereload(root, log, f"/articles/{SLUG}/") as port:
        yield root, f"http://127.0.0.1:{port}/articles/{SLUG}/", log


def test_a_broken_file_keeps_the_last_good_site_and_says_why(preview):
    from playwright.sync_api import sync_playwright

    root, url, log = preview
    article = root / "content" / "articles" / f"{SLUG}.md"
    good = article.read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " (e) => window.__violations.push(e.violatedDirective));"
        )
        page.goto(url)
        page.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")

        broken = good.replace("Date: 2026-01-13", "Date: 2026-02-30")
        article.write_text(broken + "\nA sentence that must not show yet.\n", encoding="utf-8")
        wait_for_text(
            log, f"content/articles/{SLUG}.md: Date '2026-02-30' is not a date", timeout=60
        )
        wait_for_text(log, "build failed", timeout=30)
        page.wait_for_timeout(500)
        assert "China is making significant moves" in page.inner_text("main")
        assert "must not show yet" not in page.inner_text("main")
        with urllib.request.urlopen(url, timeout=5) as response:  # a fresh visit: last good site
            served = response.read().decode("utf-8")
        assert "China is making significant moves" in served and "must not show" not in served

        article.write_text(good + "\nFixed, and shown.\n", encoding="utf-8")
        page.wait_for_function(
            "() => document.body.innerText.includes('Fixed, and shown.')", timeout=60_000
        )
        assert page.evaluate("window.__violations") == []
        browser.close()
