"""Page signatures without a site build: what a fingerprint covers (values, objects to a
depth, wrappers, bodies), templates' closures, and content objects kept between builds."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Tag

from explainer.site import pelican_seams
from explainer.site.incremental import fingerprint
from explainer.site.incremental.objects import PRISTINE, ReusingCache, clone, same


class Thing:
    def __init__(self, **attributes) -> None:
        self.__dict__.update(attributes)


def article(body: str = "<p>Body.</p>", title: str = "A title", **metadata) -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    meta = {"title": title, "date": dt.datetime(2026, 1, 2), "summary": "Short.", **metadata}
    return Article(body, metadata=meta, settings=settings, source_path="a.md", context={})


def digest(value, **options) -> bytes:
    return fingerprint.Fingerprinter(**options).of(value)


def test_values_count_by_what_they_hold():
    assert digest([1, "a", {"k": (2.5, None)}]) == digest([1, "a", {"k": (2.5, None)}])
    assert digest([1, "a", {"k": (2.5, None)}]) != digest([1, "a", {"k": (2.5, 0)}])
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest({1, 2, 3}) == digest({3, 2, 1})
    assert digest(dt.date(2026, 1, 2)) != digest(dt.date(2026, 1, 3))
    assert digest("1") != digest(1)
    assert digest(list(range(100))) != digest(list(range(99)))  # large lists, memoised path


def test_objects_count_by_their_attributes_two_steps_deep():
    def chain(leaf: str) -> Thing:
        return Thing(name="top", child=Thing(name="child", grandchild=Thing(name=leaf)))

    assert digest(Thing(a=1, b="x")) == digest(Thing(b="x", a=1))
    assert digest(Thing(a=1)) != digest(Thing(a=2))
    assert digest(Thing(child=Thing(name="x"))) != digest(Thing(child=Thing(name="y")))
    # one step further an object counts by its type only
    assert digest(chain("one")) == digest(chain("two"))


def test_a_list_of_objects_does_not_use_up_depth():
    assert digest(Thing(items=[Thing(name="a")])) != digest(Thing(items=[Thing(name="b")]))


def test_transparent_wrappers_and_self_described_objects():
    class Wrapper:
        def __init__(self, inner) -> None:
            self.inner = inner

    class Described:
        def __init__(self, state, noise) -> None:
            self.state, self.noise = state, noise

        def __fingerprint__(self):
            return self.state

    deep = Thing(child=Thing(name="leaf"))
    other = Thing(child=Thing(name="other"))
    assert digest(Wrapper(Wrapper(deep))) == digest(Wrapper(Wrapper(other)))
    fingerprint.transparent(Wrapper)
    try:
        assert digest(Wrapper(Wrapper(deep))) != digest(Wrapper(Wrapper(other)))
    finally:
        fingerprint.TRANSPARENT.discard(Wrapper)
    assert digest(Described("s", 1)) == digest(Described("s", 2))
    assert digest(Described("s", 1)) != digest(Described("t", 1))


def test_tags_count_by_name_and_slug():
    settings = copy.deepcopy(DEFAULT_CONFIG)
    assert digest(Tag("Lithium", settings)) == digest(Tag("Lithium", settings))
    assert digest(Tag("Lithium", settings)) != digest(Tag("Cobalt", settings))


def test_functions_count_by_name_not_identity():
    assert digest(Thing(f=len)) == digest(Thing(f=len))
    assert digest(Thing(f=len)) != digest(Thing(f=sorted))


def test_without_bodies_an_article_counts_by_everything_but_its_text():
    one, two = article("<p>One.</p>"), article("<p>Two.</p>")
    assert digest(one) != digest(two)
    assert digest(one, bodies=False) == digest(two, bodies=False)
    assert digest(article(title="Other"), bodies=False) != digest(one, bodies=False)
    bodiless = fingerprint.Fingerprinter(bodies=False)
    assert bodiless.of_own(one) != bodiless.of_own(two)  # a page's own article: its text counts
    # an article that holds another (related, newer/older) counts the other without its text
    holder_one, holder_two = article(), article()
    holder_one.related, holder_two.related = [one], [two]
    assert bodiless.of_own(holder_one) == fingerprint.Fingerprinter(bodies=False).of_own(
        holder_two
    )


def test_reading_bodies_notes_whose_text_a_render_read():
    from explainer.site.incremental import writer  # noqa: F401 - installs the tracking

    with_summary, without = article("<p>A.</p>"), article("<p>B.</p>")
    del without.metadata["summary"]
    env = Environment()
    with pelican_seams.reading_bodies() as reads:
        env.from_string("{{ a.title }} {{ a.summary }}").render(a=with_summary)
    assert reads == set()
    with pelican_seams.reading_bodies() as outer:
        with pelican_seams.reading_bodies() as inner:
            env.from_string("{{ a.summary }}").render(a=without)
        env.from_string("{{ a.content }}").render(a=with_summary)
    assert inner == {id(without)} and outer == {id(without), id(with_summary)}
    pelican_seams.note_body_read()  # outside any render: nothing to note, no error


def test_a_templates_closure_and_the_names_it_reads():
    env = Environment(
        loader=DictLoader(
            {
                "page.html": "{% extends 'base.html' %}{% block b %}{{ title }}{% endblock %}",
                "base.html": "{% include 'part.html' %}{% block b %}{% endblock %}",
                "part.html": "{{ SITENAME }}",
                "dynamic.html": "{% include chosen %}",
            }
        )
    )
    info = fingerprint.template_info(env, env.get_template("page.html"), {})
    assert info.names == {"title", "SITENAME"}
    dynamic = fingerprint.template_info(env, env.get_template("dynamic.html"), {})
    assert dynamic.names is None  # a name computed at run time: every variable counts
    edited = Environment(
        loader=DictLoader({**env.loader.mapping, "part.html": "{{ SITENAME }}!"})
    )
    again = fingerprint.template_info(edited, edited.get_template("page.html"), {})
    assert again.digest != info.digest


def test_a_kept_object_is_copied_for_each_build_with_lists_of_its_own():
    original = article()
    original.tags = ["a", "b"]
    original.metadata["tags"] = original.tags
    context = {"build": 1}
    copy_one = clone(original, context)
    assert copy_one.__dict__[PRISTINE] is original and copy_one._context is context
    copy_one.tags.append("c")  # a plugin changes this build's copy only
    assert original.tags == ["a", "b"]
    assert copy_one.metadata["tags"] is copy_one.tags  # aliases stay aliases
    assert copy_one.settings is original.settings  # shared, never copied


def test_same_compares_containers_by_content_and_objects_by_identity():
    thing = Thing()
    assert same([1, "a", (2,)], [1, "a", (2,)]) and same({"k": thing}, {"k": thing})
    assert not same([1], [1, 2]) and not same(Thing(), Thing()) and not same(1, 1.0)


def test_a_kept_copy_reuses_the_digests_of_what_did_not_change():
    original = article()
    first = clone(original, {})
    fp = fingerprint.Fingerprinter()
    before = fp.of(first)
    second = clone(original, {})
    assert fingerprint.Fingerprinter().of(second) == before  # same state, same digest
    third = clone(original, {})
    third.title = "Changed by a plugin"
    assert fingerprint.Fingerprinter().of(third) != before


def test_the_reusing_cache_hands_out_copies_and_keeps_originals():
    store: dict = {}
    cache = ReusingCache(store, {"build": 2})
    made = article()
    cache["a.md"] = ("stamp", made)
    assert "a.md" in cache and cache.get("missing") is None
    stamp, handed = cache.get("a.md")
    assert stamp == "stamp" and handed is not made and handed._context == {"build": 2}
    kept = store["a.md"][1]
    assert kept is not made and kept._context == {}  # no link to a build's context
    cache["b.md"] = ("stamp", None)  # nothing to keep
    assert "b.md" not in store


@pytest.mark.parametrize("bodies", [True, False])
def test_a_fingerprinter_memoises_by_identity(bodies):
    fp = fingerprint.Fingerprinter(bodies=bodies)
    value = [Thing(n=i) for i in range(20)]
    assert fp.of(value) == fp.of(value)
    value[0].n = 99  # values must not change during a build: the memo answers
    assert fp.of(value) == fingerprint.Fingerprinter(bodies=bodies).of(
        [Thing(n=i) for i in range(20)]
    )


def test_the_memo_holds_content_objects_lists_and_shared_values_not_wrappers():
    """Memory: per article, its related articles (a wrapper) were most memo entries, each
    looked up once; they are hashed when met, with the same digest, and only what they hold
    is memoised. A country or mineral record (one object per distinct value from the read
    cache, shared by the articles that name it) is memoised, and hashed once."""
    from explainer.model import CountryTag, MineralTag
    from explainer.site.plugins.related import Related

    one, two = article(title="One"), article(title="Two")
    one.countries = [CountryTag("Chile", "CL", "chile", 3)]
    one.minerals = [MineralTag("Lithium", "lithium", 2)]
    two.countries = list(one.countries)  # the same record
    one.related = [Related(two, tuple(one.countries), ())]
    listing = [one, two] * 10
    fp = fingerprint.Fingerprinter()
    first = fp.of(listing)
    kinds = {type(value).__name__ for value, _digest in fp._memo.values()}
    assert {"list", "Article"} <= kinds
    assert "Related" not in kinds
    memoised = [type(value).__name__ for value, _digest in fp._memo.values()]
    assert memoised.count("CountryTag") == 1 and memoised.count("MineralTag") == 1
    assert fp.of(listing) == first
    # hashed by value: a different country, or a related article's new title, shows
    one.countries = [CountryTag("Peru", "PE", "peru", 3)]
    assert fingerprint.Fingerprinter().of(listing) != first
    one.countries = [CountryTag("Chile", "CL", "chile", 3)]
    assert fingerprint.Fingerprinter().of(listing) == first
    one.related = [Related(article(title="Three"), tuple(one.countries), ())]
    assert fingerprint.Fingerprinter().of(listing) != first
