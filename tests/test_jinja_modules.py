"""Imports `with context` are made once per set of values the imported template reads
(explainer/site/incremental/jinja_modules.py), whatever else the importer holds."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment, Template

from explainer.site.incremental import jinja_modules

MACROS = "{% macro url(path) %}{{ '../' * depth ~ path }}{% endmacro %}"
CARD = (
    "{% set _title = item.upper() %}{% import 'macros.html' as m with context %}"
    "<a href=\"{{ m.url(item) }}\">{{ _title }}</a>"
)
SHADOW = "{% set depth = 0 %}{% import 'macros.html' as m with context %}{{ m.url('x') }}"
PAGE = "{% for item in items %}{% include 'card.html' %}{% endfor %}|{% include 'shadow.html' %}"


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """Names of the templates whose module Jinja actually made."""
    names: list[str] = []
    make = Template.make_module

    def counting(self, vars=None, shared=False, locals=None):
        names.append(self.name)
        return make(self, vars, shared, locals)

    monkeypatch.setattr(Template, "make_module", counting)
    return names


def _environment() -> Environment:
    templates = {"macros.html": MACROS, "card.html": CARD, "shadow.html": SHADOW, "page": PAGE}
    env = Environment(loader=DictLoader(templates))
    jinja_modules.install(env)
    return env


def test_an_import_is_made_once_for_includes_whose_own_variables_it_does_not_read(made):
    env = _environment()
    html = env.get_template("page").render(items=["a", "b", "c"], depth=2)
    # each card sets its own _title before the import: the macros never read it
    assert html.startswith('<a href="../../a">A</a><a href="../../b">B</a><a href="../../c">C</a>')
    assert made.count("macros.html") == 2  # the cards' one, and the shadowing include's


def test_a_variable_the_imported_template_reads_is_taken_from_the_importer_when_it_sets_it(made):
    env = _environment()
    html = env.get_template("page").render(items=["a"], depth=2)
    assert html.endswith("|x")  # shadow.html sets depth = 0 before it imports the macros
    html = env.get_template("page").render(items=["a"], depth=1)
    assert html == '<a href="../a">A</a>|x'
