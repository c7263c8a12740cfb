"""`{% memo %}` (explainer/site/jinja_memo.py): a fragment is rendered once, whatever the
depth of the pages that show it, with its links made for each of them; a build from the
command line keeps its fragments on disk; a site built with the memo is the site built
without it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from support.project import copy_project

from explainer.site import jinja_memo
from explainer.site.incremental.body_store import StoredBody
from explainer.site.plugins.page_links import page_links
from explainer_devkit import corpus

CARD = (
    "{% set url = page_links(SITEURL, output_file) %}"
    "{% for item in items %}{% memo 'card', item %}"
    "<a href='{{ url('articles/' ~ item ~ '/') }}'>{{ item }}</a> <a href='{{ url() }}'>top</a>"
    "{{ rendered(item) }}{% endmemo %}{% endfor %}"
)


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setattr(jinja_memo, "_CACHE", {})
    environment = Environment(
        loader=DictLoader({"card.html": CARD}), extensions=[jinja_memo.MemoExtension]
    )
    renders: Counter[str] = Counter()
    environment.globals.update(
        page_links=page_links, rendered=lambda item: renders.update([item]) or ""
    )
    environment.renders = renders
    return environment


def test_each_distinct_fragment_is_rendered_once_for_every_page(env):
    template = env.get_template("card.html")
    pages = [("", "index.html"), ("..", "a/index.html"), ("../..", "a/b/index.html")]
    for siteurl, output_file in pages * 2:
        template.render(items=["lithium", "cobalt"], SITEURL=siteurl, output_file=output_file)
    assert env.renders == Counter(lithium=1, cobalt=1)


def test_a_value_the_fragment_only_prints_is_placed_for_each_page(monkeypatch):
    monkeypatch.setattr(jinja_memo, "_CACHE", {})
    renders: list[str] = []
    environment = Environment(
        loader=DictLoader(
            {
                "list.html": "{% memo 'card', item with level=level %}"
                "{% include 'card.html' %}{% endmemo %}",
                "card.html": "{% set h = 'h' ~ level %}"
                "<{{ h }}>{{ item }}{{ rendered() }}</{{ h }}>",
            }
        ),
        extensions=[jinja_memo.MemoExtension],
        autoescape=True,
    )
    environment.globals["rendered"] = lambda: renders.append("card") or ""
    template = environment.get_template("list.html")
    shown = [template.render(item="Tin & tungsten", level=level) for level in (2, 3, "<4>")]
    assert shown == [
        "<h2>Tin &amp; tungsten</h2>",
        "<h3>Tin &amp; tungsten</h3>",
        "<h&lt;4&gt;>Tin &amp; tungsten</h&lt;4&gt;>",
    ]
    assert renders == ["card"]


def test_more_placed_values_than_marks_is_an_error_when_the_template_loads(monkeypatch):
    from jinja2 import TemplateSyntaxError

    monkeypatch.setattr(jinja_memo, "_CACHE", {})
    over = ", ".join(f"v{n}=1" for n in range(len(jinja_memo._MARKS) + 1))
    fitting = ", ".join(f"v{n}=n" for n in range(len(jinja_memo._MARKS)))
    environment = Environment(
        loader=DictLoader(
            {
                "over.html": f"{{% memo 'c', 1 with {over} %}}x{{% endmemo %}}",
                "fitting.html": f"{{% memo 'c', 1 with {fitting} %}}{{{{ v15 }}}}{{% endmemo %}}",
            }
        ),
        extensions=[jinja_memo.MemoExtension],
    )
    with pytest.raises(TemplateSyntaxError, match="at most 16 values after 'with'"):
        environment.get_template("over.html")
    assert environment.get_template("fitting.html").render(n=7) == "7"


def test_environments_alike_but_for_their_filters_addresses_share_fragments(monkeypatch):
    """Pelican gives each generator an environment with filter objects of its own (its
    date formatter): the index (articles) and the topic pages (topics) share their cards."""
    monkeypatch.setattr(jinja_memo, "_CACHE", {})
    renders: Counter[str] = Counter()

    class Formatter:
        def __call__(self, value):
            return value

    for _generator in range(2):
        environment = Environment(
            loader=DictLoader({"card.html": CARD}), extensions=[jinja_memo.MemoExtension]
        )
        environment.filters["strftime"] = Formatter()
        environment.globals.update(
            page_links=page_links, rendered=lambda item: renders.update([item]) or ""
        )
        environment.get_template("card.html").render(items=["nickel"], output_file="index.html")
    assert renders == Counter(nickel=1)


@pytest.mark.slow
def test_a_one_shot_build_keeps_fragments_on_disk_renders_each_once_and_is_the_site_without_memo(
    tmp_path, monkeypatch
):
    """A build from the command line renders each article's card once (and each topic's
    facts once), shows it as an h2 or an h3 on the index, tag and topic pages at every
    depth, keeps it on disk, and makes the site a build without the memo (every fragment
    rendered where it is shown) makes."""
    from test_incremental import tree

    from explainer.site.incremental.runner import Build

    root = copy_project(tmp_path / "site")
    corpus.write_articles(root / "content", 45, seed=11)
    real = jinja_memo.MemoExtension._render
    monkeypatch.setattr(
        jinja_memo.MemoExtension, "_render", lambda s, w, k, c, placed, caller: caller(*placed)
    )
    Build(root, Path("pelicanconf.py"), Path("without-memo"), workers=1).run(force=True)

    rendered: Counter[tuple] = Counter()
    depths: dict[tuple, set[int]] = {}

    def noting(self, where, keys, context, placed, caller):
        card = (where, jinja_memo._key(keys))
        depths.setdefault(card, set()).add(str(context.get("output_file")).count("/"))

        def counted(*marks):
            rendered[card] += 1
            return caller(*marks)

        return real(self, where, keys, context, placed, counted)

    monkeypatch.setattr(jinja_memo.MemoExtension, "_render", noting)
    monkeypatch.setattr(jinja_memo, "_CACHE", {})
    Build(root, Path("pelicanconf.py"), Path("with-memo"), workers=1).run(force=True)
    assert tree(root / "with-memo") == tree(root / "without-memo")
    assert len(rendered) >= 45 and set(rendered.values()) == {1}
    assert any("topic.html" in where for where, _key in rendered)
    assert sum(len(seen) > 1 for seen in depths.values()) >= 20  # shown at several depths
    cards = [key for where, key in rendered if "article_list" in where]
    assert len(cards) == len({key[1] for key in cards}) >= 45  # one per article
    stored = [entry[0] for entry in jinja_memo._CACHE.values()]
    assert len(stored) == len(rendered) and all(type(s) is StoredBody for s in stored)
