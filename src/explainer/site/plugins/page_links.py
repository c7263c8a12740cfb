"""Pelican plugin: `page_links(SITEURL, output_file)`, the theme's link maker.

`partials/macros.html` sets `url = page_links(SITEURL, output_file)`, so `m.url(path)` links
the page being written to an output path such as "countries/china/": under SITEURL when it
is set (relative "..", or absolute "https://example.org/sub"), else by a path relative to
the page's depth, so no link is ever root-absolute. It is a Python function rather than a
Jinja macro because the theme calls it ~70 times a page: a macro call costs ~6 µs, this
~1 µs (a fifth of a cold build's rendering time at 3,000 articles went to macro calls).
"""

from __future__ import annotations

from collections.abc import Callable

from pelican import signals


def page_links(siteurl: object, output_file: object) -> Callable[..., str]:
    """`url(path="")` for the page written to `output_file`."""
    if siteurl:  # an undefined SITEURL is falsy as well

        def url(path: object = "") -> str:
            return f"{siteurl}/{path}"

        return url
    up = "../" * (str(output_file).count("/") if output_file else 0)

    def relative_url(path: object = "") -> str:
        return f"{up}{path}" or "./"

    return relative_url


def add_global(generator) -> None:
    generator.env.globals["page_links"] = page_links


def register() -> None:
    signals.generator_init.connect(add_global)
