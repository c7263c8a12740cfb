"""`m.url(path)` in the theme: the page_links plugin's link maker."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment
from support.project import REPO

from explainer.site.plugins.page_links import page_links


@pytest.mark.parametrize(
    ("siteurl", "output_file", "path", "expected"),
    [
        ("", "index.html", "", "./"),
        ("", "index.html", "countries/", "countries/"),
        ("", "countries/china/index.html", "minerals/", "../../minerals/"),
        ("", "countries/china/index.html", "", "../../"),
        ("..", "articles/x/index.html", "tags/", "../tags/"),
        ("https://example.org/sub", "a/b/index.html", "feeds/all.atom.xml",
         "https://example.org/sub/feeds/all.atom.xml"),
    ],
)  # fmt: skip
def test_the_theme_links_each_page_to_an_output_path(siteurl, output_file, path, expected):
    theme = REPO / "theme" / "templates"
    env = Environment(
        loader=DictLoader(
            {
                "macros.html": (theme / "partials" / "macros.html").read_text(encoding="utf-8"),
                "page": "{% import 'macros.html' as m with context %}{{ m.url(path) }}",
            }
        )
    )
    env.globals["page_links"] = page_links
    page = env.get_template("page")
    assert page.render(SITEURL=siteurl, output_file=output_file, path=path) == expected
