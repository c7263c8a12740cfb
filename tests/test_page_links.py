"""`m.url(path)` in the theme: the page_links plugin's link maker."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment
from support.project import REPO

from explainer.site.plugins.page_links import page_links

CASES = [
        ("", "index.html", "", "./"),
        ("", "index.html", "countries/", "countries/"),
        ("", "countries/china/index.html", "minerals/", "../../minerals/"),
        ("", "countries/china/index.html", "", "../../"),
        ("..", "articles/x/index.html", "tags/", "../tags/"),
        ("https://example.org/sub", "a/b/index.html", "feeds/all.atom.xml",
         "https://example.org/sub/feeds/all.atom.xml"),
]  # fmt: skip


def theme_env(page: str, **options) -> Environment:
    theme = REPO / "theme" / "templates"
    env = Environment(
        loader=DictLoader(
            {
                "macros.html": (theme / "partials" / "macros.html").read_text(encoding="utf-8"),
                "page": "{% import 'macros.html' as m with context %}" + page,
            }
        ),
        **options,
    )
    env.globals["page_links"] = page_links
    return env


@pytest.mark.parametrize(("siteurl", "output_file", "path", "expected"), CASES)
def test_the_theme_links_each_page_to_an_output_path(siteurl, output_file, path, expected):
    page = theme_env("{{ m.url(path) }}").get_template("page")
    assert page.render(SITEURL=siteurl, output_file=output_file, path=path) == expected


@pytest.mark.parametrize(("siteurl", "output_file", "path", "expected"), CASES)
def test_a_memo_fragment_rendered_for_another_page_links_as_this_page_would(
    siteurl, output_file, path, expected, monkeypatch
):
    """A `{% memo %}` fragment is rendered once, for the first page that shows it; each
    page gets it with the links it would make itself (explainer/site/jinja_memo.py)."""
    from explainer.site import jinja_memo

    monkeypatch.setattr(jinja_memo, "_CACHE", {})
    renders: list[str] = []
    env = theme_env(
        "{% memo 'link', path %}<a href='{{ m.url(path) }}'>{{ rendered(path) }}</a>{% endmemo %}",
        extensions=[jinja_memo.MemoExtension],
    )
    env.globals["rendered"] = lambda path: renders.append(path) or ""
    page = env.get_template("page")
    page.render(SITEURL="../../..", output_file="a/b/c/index.html", path=path)
    html = page.render(SITEURL=siteurl, output_file=output_file, path=path)
    assert html == f"<a href='{expected}'></a>" and renders == [path]
