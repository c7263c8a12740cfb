#!/usr/bin/env python3
"""Gate: every page type in a real browser (Debian's Chromium through Playwright).

For each page type at phone (390 px) and desktop (1280 px) width: no console errors or
warnings, no failed or error-status requests (a 404 page is expected only for itself), no
request to another origin, and a full-page screenshot in test-artifacts/screenshots/ for a
person to look at. At desktop width, keyboard only: the first Tab shows the skip link,
Enter moves focus to the main content, and each of the next Tabs lands on a visibly
outlined element; printed, an article keeps its text and drops the navigation. Then the
search page, typed into as a reader would, must list the seed article for "rare earths",
and work from a query in the address (?q=). The site is served with a strict
Content-Security-Policy, so anything it would block shows up as an error.

    python gates/browser.py --site BUILT_SITE [--url http://127.0.0.1:PORT/]
                            [--query Q --expect PATH] [--only TYPES]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARTIFACTS, STRICT_CSP, page_types, page_url, served, target_args

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SEED_ARTICLE = "articles/chinas-new-mining-initiative-at-g20-what-you-need-to-know/"


def visit(page, url: str, expect_status: int = 200) -> list[str]:
    problems: list[str] = []
    _watch(page, url, expect_status, problems)
    response = page.goto(url, wait_until="networkidle")
    if response is None or response.status != expect_status:
        problems.append(f"{url} answered {response.status if response else 'nothing'}")
    if expect_status == 404:  # Chromium logs the expected 404 of the page itself
        expected = ("console error: Failed to load resource: "
                    "the server responded with a status of 404")
        if expected in " ".join(problems):
            problems.remove(next(p for p in problems if p.startswith(expected)))
    return problems


def _watch(page, url: str, expect_status: int, problems: list[str]) -> None:
    """Note console errors and warnings, failed and third-party requests, HTTP errors and
    script errors of the page at `url` in `problems`."""
    origin = urlsplit(url).netloc

    def on_console(message) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type}: {message.text}")

    def on_response(response) -> None:
        if response.status >= 400 and not (
            response.url == url and response.status == expect_status
        ):
            problems.append(f"HTTP {response.status}: {response.url}")

    def on_request(request) -> None:
        host = urlsplit(request.url).netloc
        if request.url.startswith(("http://", "https://")) and host != origin:
            problems.append(f"third-party request: {request.url}")

    page.on("console", on_console)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", on_response)
    page.on("request", on_request)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))


KEYBOARD_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body"};
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(),
          text: (el.textContent || el.value || "").trim().slice(0, 40),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
          visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
}"""


def keyboard(page, tabs: int = 12) -> list[str]:
    """Tab from the top: the skip link comes first and works; every focus is visible."""
    problems: list[str] = []
    page.keyboard.press("Tab")
    first = page.evaluate(KEYBOARD_JS)
    if first.get("text") != "Skip to main content" or not first.get("visible"):
        # Pressing Enter on whatever has focus instead could leave the page.
        return [f"the first Tab does not show the skip link: {first}"]
    page.keyboard.press("Enter")
    if not page.evaluate("document.activeElement.id === 'main'"):
        problems.append("the skip link does not move focus to the main content")
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    for _ in range(tabs):
        page.keyboard.press("Tab")
        state = page.evaluate(KEYBOARD_JS)
        if state["tag"] == "body":
            break
        if not (state["outline"] and state["visible"]):
            problems.append(f"focus is not visible on {state}")
    return problems


PRINT_HIDDEN = (".site-nav", ".site-search", ".breadcrumbs", ".skip-link", ".article-nav")


def printed(page) -> list[str]:
    """In print, the article keeps its text and drops the navigation furniture."""
    page.emulate_media(media="print")
    try:
        display = "e => getComputedStyle(e).display"
        shown = [
            sel for sel in PRINT_HIDDEN
            if page.locator(sel).count() and page.locator(sel).first.evaluate(display) != "none"
        ]
        prose = page.locator("main .prose")
        text = prose.first.inner_text() if prose.count() else ""
    finally:
        page.emulate_media(media="screen")
    problems = [f"print shows {sel}" for sel in shown]
    if len(text) < 200:
        problems.append("print loses the article text")
    return problems


def search(context, base: str, query: str, expect: str, shots: Path) -> list[str]:
    problems: list[str] = []
    page = context.new_page()
    problems += visit(page, page_url(base, "search/"))
    box = page.get_by_role("searchbox", name="Search the site")
    box.click()
    page.keyboard.type(query, delay=20)
    wanted = page_url(base, expect)
    try:
        page.wait_for_selector(f".search-result a[href='{urlsplit(wanted).path}']", timeout=10_000)
    except Exception:
        shown = page.locator(".search-result a").evaluate_all("els => els.map(e => e.href)")
        status = page.locator("[data-search-status]").inner_text()
        problems.append(f"search for {query!r} did not list {expect}: {shown} ({status})")
    else:
        page.screenshot(path=str(shots / "search-results-desktop.png"), full_page=True)
        page.keyboard.press("Enter")
        page.locator(".search-result a").first.focus()
        first = page.locator(".search-result a").first
        if not first.evaluate("el => el === document.activeElement"):
            problems.append("search results cannot be reached with the keyboard")
    if f"q={query.replace(' ', '+')}" not in page.url:
        problems.append(f"the query is not kept in the address: {page.url}")
    page.close()
    # A shared link to results (?q=) shows them on arrival.
    page = context.new_page()
    problems += visit(page, page_url(base, "search/") + "?q=" + query.replace(" ", "+"))
    try:
        page.wait_for_selector(".search-result", timeout=10_000)
    except Exception:
        problems.append("a search page opened with ?q= shows no results")
    page.close()
    return problems


def not_found_page(browser, base: str) -> list[str]:
    """A missing address gets the site's own 404 page, complete with its stylesheet."""
    context = browser.new_context()
    page = context.new_page()
    found = visit(page, page_url(base, "no/such/page/"), expect_status=404)
    if not page.locator("h1", has_text="Page not found").count():
        found.append("a missing address does not show the 404 page")
    if page.evaluate("getComputedStyle(document.body).display") != "flex":
        found.append("the 404 page at a deep address lost its stylesheet")
    context.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target_args(parser)
    parser.add_argument("--query", default="rare earths")
    parser.add_argument("--expect", default=SEED_ARTICLE, help="site path search must find")
    parser.add_argument("--screenshots", type=Path, default=ARTIFACTS / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated page types")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from explainer_devkit.chromium import launch

    site = args.site.resolve()
    targets = page_types(site)
    if args.only:
        targets = {k: v for k, v in targets.items() if k in args.only.split(",")}
    if not targets:
        print(f"browser gate: no pages in {site}", file=sys.stderr)
        return 2
    # Shared with the page tests' screenshots: each file is replaced, none is removed.
    args.screenshots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with served(args, headers={"Content-Security-Policy": STRICT_CSP}) as base, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport)
                for name, path in targets.items():
                    page = context.new_page()
                    found = visit(page, page_url(base, path))
                    page.screenshot(path=str(args.screenshots / f"{name}-{width}.png"),
                                    full_page=True)
                    if width == "desktop":
                        found += keyboard(page)
                        if name == "article":
                            found += printed(page)
                    problems += [f"{name} ({width}): {p}" for p in found]
                    page.close()
                if width == "desktop" and "search" in targets:
                    problems += search(context, base, args.query, args.expect,
                                       args.screenshots)
                context.close()
            problems += [f"404 at a deep address: {p}" for p in not_found_page(browser, base)]
        finally:
            browser.close()
    for problem in problems:
        print(f"browser: {problem}")
    shots = len(targets) * len(VIEWPORTS) + ("search" in targets)
    print(f"browser gate: {len(targets)} page types x {len(VIEWPORTS)} widths, "
          f"search for {args.query!r}; {len(problems)} problems; {shots} screenshots in "
          f"{args.screenshots}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
