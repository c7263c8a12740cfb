"""The live preview also reloads, correctly, on a data-file, template and stylesheet change."""

from __future__ import annotations

import textwrap

import pytest
from support.project import SEED_SLUG as SLUG
from support.project import copy_project

from explainer_devkit.chromium import launch
from explainer_devkit.live_preview import running_livereload

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FACTS_PLUGIN = '''
"""A test plugin: every page's footer shows a figure read from data/facts.csv."""
import csv
from pathlib import Path

from pelican import signals

from explainer.site.incremental import depends_on


def add_facts(generators):
    path = Path(generators[0].settings["PATH"]).parent / "data" / "facts.csv"
    depends_on(path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    for generator in generators:
        generator.context["test_figures"] = ", ".join(f"{name} {value}" for name, value in rows)


def register():
    signals.all_generators_finalized.connect(add_facts)
'''


@pytest.fixture
def live_site_with_facts(tmp_path):
    root = copy_project(tmp_path / "site")
    (root / "data").mkdir()
    (root / "data" / "facts.csv").write_text("Lithium,42\n", encoding="utf-8")
    (root / "facts_plugin.py").write_text(textwrap.dedent(FACTS_PLUGIN), encoding="utf-8")
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nPLUGINS = [*PLUGINS, "facts_plugin"]\n')
    footer = root / "theme" / "templates" / "partials" / "site_footer.html"
    footer.write_text(
        footer.read_text().replace(
            '<p class="site-footer__name">',
            '<p class="facts">{{ test_figures|default("") }}</p>\n'
            '    <p class="site-footer__name">',
        )
    )
    log = tmp_path / "livereload.log"
    with running_livereload(root, log, f"/articles/{SLUG}/") as port:
        yield root, port, log


def test_data_template_and_stylesheet_changes_reload_the_open_page(live_site_with_facts):
    from playwright.sync_api import sync_playwright

    root, port, log = live_site_with_facts
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/articles/{SLUG}/")
        page.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")
        assert "Lithium 42" in page.inner_text(".site-footer")

        def shows(text: str) -> None:
            try:
                page.wait_for_function(
                    "(t) => document.body.innerText.includes(t)", arg=text, timeout=60_000
                )
            except Exception:
                pytest.fail(f"{text!r} never showed; server log:\n{log.read_text()}")

        (root / "data" / "facts.csv").write_text("Lithium,43\n", encoding="utf-8")
        shows("Lithium 43")
        footer = root / "theme" / "templates" / "partials" / "site_footer.html"
        footer.write_text(footer.read_text().replace("Built with", "Made with"))
        shows("Made with")
        css = root / "theme" / "static" / "css" / "style.css"
        css.write_text(css.read_text() + "\n.facts { letter-spacing: 3px; }\n")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.facts')).letterSpacing === '3px'",
            timeout=60_000,
        )
        # The other pages were rebuilt too: the index shows the new figure and footer.
        page.goto(f"http://127.0.0.1:{port}/")
        assert "Lithium 43" in page.inner_text(".site-footer")
        assert "Made with" in page.inner_text(".site-footer")
        browser.close()
