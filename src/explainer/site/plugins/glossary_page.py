"""Pelican plugin: the glossary page, and a link from each term's first use in an article.

Inputs: the glossary file (`GLOSSARY_PATH`, relative to the content folder; default
`glossary.toml`) and each article's own HTML. Output: `GLOSSARY_SAVE_AS` (default
`glossary/index.html`), rendered with the theme's `glossary.html` and the variable `terms`.

Links are written as Pelican intra-site links (`{filename}/glossary.toml#slug`) when the article
is created, and the plugin registers the glossary under that source path, so Pelican itself
resolves them for whichever page shows the content, with relative or absolute URLs.
"""

from __future__ import annotations

import functools
import logging
import os

from pelican import signals
from pelican.contents import Article
from pelican.generators import Generator

from explainer.site import pelican_seams
from explainer.site.glossary import GlossaryError, Term, link_first_uses, load_glossary
from explainer.site.incremental import depends_on, derived
from explainer.site.incremental.inputs import file_digest
from explainer.site.plugin_defaults import set_defaults

logger = logging.getLogger(__name__)

DEFAULT_SETTINGS = {
    "GLOSSARY_PATH": "glossary.toml",
    "GLOSSARY_URL": "glossary/",
    "GLOSSARY_SAVE_AS": "glossary/index.html",
    "GLOSSARY_LINK_ARTICLES": True,
}


class GlossaryPage:
    """What `{filename}/glossary.toml` resolves to (Pelican only needs `.url`)."""

    def __init__(self, url: str, save_as: str, terms: tuple[Term, ...]) -> None:
        self.url = url
        self.save_as = save_as
        self.terms = terms


def glossary_file(settings: dict) -> str:
    return os.path.join(settings["PATH"], settings["GLOSSARY_PATH"])


def _terms(settings: dict) -> tuple[Term, ...]:
    return _glossary(settings)[0]


def _glossary(settings: dict) -> tuple[tuple[Term, ...], bytes]:
    """The glossary's terms and a digest of its file, read again only when the file changes
    (every article asks: reading and hashing it each time took 2.5 s at 20,000 articles)."""
    path = glossary_file(settings)
    try:
        status = os.stat(path)
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
    except OSError:
        stamp = None
    return _glossary_at(path, stamp)


@functools.lru_cache(maxsize=8)
def _glossary_at(path: str, _stamp: tuple[int, int, int] | None) -> tuple[tuple[Term, ...], bytes]:
    try:
        terms = load_glossary(path)
    except GlossaryError as error:
        logger.error("%s", error)
        terms = ()
    return terms, file_digest(path)


class GlossaryGenerator(Generator):
    def generate_context(self) -> None:
        self.terms = _terms(self.settings)
        self.page = None
        if self.terms and self.settings["GLOSSARY_SAVE_AS"]:
            self.page = GlossaryPage(
                self.settings["GLOSSARY_URL"], self.settings["GLOSSARY_SAVE_AS"], self.terms
            )
            source = self.settings["GLOSSARY_PATH"].replace(os.sep, "/")
            self.context["generated_content"][source] = self.page
        self.context["glossary"] = self.page

    def generate_output(self, writer) -> None:
        if self.page is None:
            return
        writer.write_file(
            self.page.save_as,
            self.get_template("glossary"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            terms=self.terms,
            page_name=self.page.url.rstrip("/"),
        )


def link_terms(content) -> None:
    """content_object_init: link glossary terms in a new article's HTML, before it is rendered."""
    if not isinstance(content, Article):
        return
    linking = _linking(content.settings, pelican_seams.raw_content(content) or "")
    if linking is None:
        return
    # The same body with the same glossary links the same way: a build in a fresh process
    # (one edit deployed from CI) takes the links from the last build, and a build that
    # reads files made them as it read this one (_links_made_while_reading).
    html, linked = derived.get_or_make(*linking)
    if linked:
        pelican_seams.set_raw_content(content, html)
        terms = _terms(content.settings)
        content.glossary_terms = [t for t in terms if t.slug in linked]


def _linking(settings: dict, raw: str):
    """(derived entry, function that links) for an article's body, or None if articles
    are not linked to the glossary."""
    if not settings.get("GLOSSARY_LINK_ARTICLES") or not settings.get("GLOSSARY_SAVE_AS"):
        return None
    terms, digest = _glossary(settings)
    source = settings["GLOSSARY_PATH"].replace(os.sep, "/")

    def link() -> tuple[str, list[str]]:
        return link_first_uses(raw, terms, lambda term: f"{{filename}}/{source}#{term.slug}")

    return derived.key("glossary-links", digest, source, raw), link


def _links_made_while_reading(settings: dict):
    """A `derived.from_reads` maker: an article's links, made in the reading processes as
    soon as it is read, not by the build's own process while it makes the objects (a cold
    build of 20,000 articles: reading and making the objects 39.1 -> 34.6 s)."""

    def maker(path: str, content: str, metadata: dict):
        linking = _linking(settings, content)
        return () if linking is None else (linking,)

    return maker


def add_default_settings(pelican) -> None:
    set_defaults(pelican.settings, DEFAULT_SETTINGS)
    derived.from_reads("glossary-links", _links_made_while_reading(pelican.settings))
    # Articles are linked to the glossary as they are made: an incremental build must know
    # they depend on the file (the live preview then makes them afresh when it changes).
    depends_on(glossary_file(pelican.settings))


def get_generators(pelican):
    return GlossaryGenerator


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.get_generators.connect(get_generators)
    signals.content_object_init.connect(link_terms)
