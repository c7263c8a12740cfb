"""Pelican plugin: `page_links(SITEURL, output_file)`, the theme's link maker.

`partials/macros.html` sets `url = page_links(SITEURL, output_file)`, so `m.url(path)` links
the page being written to an output path such as "countries/china/": under SITEURL when it
is set (relative "..", or absolute "https://example.org/sub"), else by a path relative to
the page's depth, so no link is ever root-absolute. It is a Python function rather than a
Jinja macro because the theme calls it ~70 times a page: a macro call costs ~6 µs, this
~1 µs (a fifth of a cold build's rendering time at 3,000 articles went to macro calls).
Inside a `{% memo %}` fragment, a link is written with a mark that each page showing the
fragment replaces with its own way to the site's top (explainer/site/jinja_memo.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pelican import signals


def page_links(siteurl: object, output_file: object) -> Callable[..., str]:
    """`url(path="")` for the page written to `output_file`."""
    top = _top(siteurl, output_file)

    def url(path: object = "") -> str:
        if _relocating[0]:
            return _marked(path)
        return f"{top}{path}" or "./"

    return url


def _top(siteurl: object, output_file: object) -> str:
    """What goes before an output path to link it from the page: SITEURL and a slash when
    it is set (an undefined SITEURL is falsy as well), else the way up from its folder."""
    if siteurl:
        return f"{siteurl}/"
    return "../" * (str(output_file).count("/") if output_file else 0)


# Links made while a fragment renders (`relocated`): _TOP + path, or _HERE for the site's
# top itself; `placed` puts each page's own way to the top in their place.
_TOP = "\x00\ue000"
_HERE = "\x00\ue001"
_relocating = [0]


@contextmanager
def relocated() -> Iterator[None]:
    """Links made inside are written for any page: `placed` finishes them for one."""
    _relocating[0] += 1
    try:
        yield
    finally:
        _relocating[0] -= 1


def placed(text: str, siteurl: object, output_file: object) -> str:
    """`text`, made `relocated`, with its links finished for the page written to
    `output_file` with this SITEURL: what `page_links(siteurl, output_file)` makes."""
    if _TOP not in text and _HERE not in text:
        return text
    top = _top(siteurl, output_file)
    return text.replace(_TOP, top).replace(_HERE, top or "./")


def _marked(path: object) -> str:
    path = f"{path}"
    return f"{_TOP}{path}" if path else _HERE


def add_global(generator) -> None:
    generator.env.globals["page_links"] = page_links


def register() -> None:
    signals.generator_init.connect(add_global)
