"""Locked down by default: every page carries a Content-Security-Policy that allows no inline
script and no third-party origin, the theme works under it, and it stops injected script."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support.built_pages import soup

pytestmark = pytest.mark.slow  # builds a whole site or runs a server

SELF_ONLY = {"'self'", "'none'"}
VIOLATIONS_JS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def policy(html_file: Path) -> dict[str, list[str]]:
    head = soup(html_file).head
    metas = head.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert len(metas) == 1, html_file
    # It must come before anything it governs (stylesheets, scripts).
    governed = head.find_all(["link", "script", "style", "base"])
    assert governed and all(tag.sourceline > metas[0].sourceline for tag in governed)
    directives = {}
    for part in metas[0]["content"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_every_page_allows_only_its_own_origin(site):
    pages = list(site.rglob("*.html"))
    assert pages
    for html_file in pages:
        directives = policy(html_file)
        assert directives["default-src"] == ["'self'"]
        # Pagefind's search runs WebAssembly: 'wasm-unsafe-eval' allows that, never JS eval.
        assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"]
        for name, sources in directives.items():
            allowed = SELF_ONLY | ({"data:"} if name == "img-src" else set())
            if name == "script-src":
                allowed |= {"'wasm-unsafe-eval'"}
            assert set(sources) <= allowed, (html_file, name, sources)


@pytest.fixture(scope="module")
def served_site(site):
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from explainer_devkit.chromium import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def open_page(browser, url: str):
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(VIOLATIONS_JS)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, console


@pytest.mark.browser
def test_the_theme_works_under_its_policy(served_site, browser):
    site, base = served_site
    paths = ["", "countries/", "minerals/", "countries/china/", "minerals/rare-earths/"]
    paths += [p for p in ("glossary/", "timeline/", "archives/", "tags/") if (site / p).is_dir()]
    paths += [str(next((site / "articles").iterdir()).relative_to(site)) + "/"]
    for path in paths:
        page, console = open_page(browser, f"{base}/{path}")
        assert page.evaluate("window.__violations") == [], path
        assert not [m for m in console if "Content Security Policy" in m], (path, console)
        # The stylesheet loaded and applies: its custom properties are set on :root.
        color = page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--text')"
        )
        assert color.strip(), path
        page.close()


@pytest.mark.browser
def test_the_policy_stops_script_injected_into_a_page(served_site, browser):
    site, base = served_site
    article = next((site / "articles").iterdir()) / "index.html"
    evil = article.read_text(encoding="utf-8").replace(
        "</main>",
        "<script>window.__inline = 1</script>"
        '<img src="x" onerror="window.__handler = 1" alt="">'
        '<a id="js" href="javascript:window.__url = 1">x</a>'
        '<script src="https://cdn.example/evil.js"></script></main>',
    )
    (site / "evil.html").write_text(evil, encoding="utf-8")
    try:
        page, _ = open_page(browser, f"{base}/evil.html")
        page.click("#js")
        page.wait_for_timeout(200)
        ran = page.evaluate("[window.__inline, window.__handler, window.__url]")
        assert ran == [None, None, None]
        blocked = " ".join(page.evaluate("window.__violations"))
        assert "script-src" in blocked and "cdn.example" in blocked
        page.close()
    finally:
        (site / "evil.html").unlink()


@pytest.mark.browser
def test_a_page_opened_from_disk_keeps_its_stylesheet(site, browser):
    page, _ = open_page(browser, (site / "index.html").as_uri())
    color = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--text')")
    assert color.strip()
    page.close()
