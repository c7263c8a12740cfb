"""Reading built HTML in tests."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(output: Path, url_path: str) -> BeautifulSoup:
    """The page at a site path like "countries/china/" (index.html implied)."""
    target = output / url_path
    if url_path.endswith("/") or url_path == "":
        target = target / "index.html"
    assert target.exists(), f"missing page {url_path} ({target})"
    return soup(target)


def resolve_local(output: Path, html_file: Path, href: str) -> Path | None:
    """The file a relative link from html_file points at (None for external links)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
        return None
    target = (html_file.parent / unquote(parts.path)).resolve()
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def links_to(output: Path, html_file: Path, target_url_path: str) -> bool:
    """Whether html_file has a link resolving to the page at target_url_path."""
    wanted = (output / target_url_path / "index.html").resolve()
    for anchor in soup(html_file).find_all("a", href=True):
        if resolve_local(output, html_file, anchor["href"]) == wanted:
            return True
    return False


THEME_JS = Path(__file__).resolve().parents[2] / "theme" / "static" / "js"


def markup_not_from_the_theme(html_file: Path) -> list[str]:
    """Live markup in a built page other than what the theme itself puts there.

    The theme's only runnable scripts are its own files in theme/static/js (today the search
    page's module); it also writes the search page's <noscript> note and, in local builds, the
    404 page's <base href="/"> (so the page works at any depth). Anything else is reported.
    """
    from explainer.text.safe_markup import live_markup

    html = html_file.read_text(encoding="utf-8")
    theme_files = {p.name for p in THEME_JS.glob("*.js")}
    own_scripts = frozenset(
        tag["src"]
        for tag in soup(html_file).find_all("script", src=True)
        if tag["src"].split("/")[-2:-1] == ["js"] and tag["src"].split("/")[-1] in theme_files
    )
    found = live_markup(html, allowed_scripts=own_scripts)
    theme_elements = {"search": "<noscript>", "404.html": "<base>"}
    expected = theme_elements.get(html_file.parent.name) or theme_elements.get(html_file.name)
    return [item for item in found if item != expected]
