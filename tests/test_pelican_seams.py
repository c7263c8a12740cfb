"""The project's reach into Pelican's and Jinja's internals (explainer.site.pelican_seams),
checked against the installed versions: each seam against the Pelican code it mirrors."""

from __future__ import annotations

import datetime
import functools
import shutil
import types
from importlib.metadata import version
from pathlib import Path

import pytest
from jinja2 import pass_context, pass_environment
from pelican.contents import Article, Content
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.settings import read_settings
from pelican.writers import FileOverwriteFailedError, Writer

from explainer.site import pelican_seams


def test_the_installed_pelican_and_jinja_are_the_versions_the_seams_were_checked_against():
    installed = {name: ".".join(version(name).split(".")[:2]) for name in ("pelican", "jinja2")}
    assert installed == pelican_seams.CHECKED_AGAINST, (
        f"Pelican/Jinja are now {installed}; src/explainer/site/pelican_seams.py was checked "
        f"against {pelican_seams.CHECKED_AGAINST}. Compare each of its functions with the new "
        "versions' code (its docstrings name what each mirrors), then update CHECKED_AGAINST."
    )


def _settings(tmp_path: Path, **override) -> dict:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    return read_settings(
        None,
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            "SITEURL": "https://example.org",
            **override,
        },
    )


class Recording:
    """A template that records what it is rendered with."""

    name = "recording"

    def __init__(self) -> None:
        self.seen: list[dict] = []

    def render(self, localcontext: dict) -> str:
        self.seen.append(dict(localcontext))
        return f"page {len(self.seen)}"


def _comparable(localcontext: dict) -> dict:
    """Paginator objects are made afresh each time: compare what they hold."""
    out = {}
    for key, value in localcontext.items():
        if hasattr(value, "object_list") and hasattr(value, "number"):
            value = ("page", value.number, list(value.object_list), value.save_as, value.url)
        elif hasattr(value, "num_pages") and hasattr(value, "per_page"):
            value = ("paginator", value.num_pages, value.per_page, list(value.object_list))
        out[key] = value
    return out


@pytest.mark.parametrize("relative_urls", [True, False])
def test_pages_and_local_context_are_what_pelicans_writer_makes(tmp_path, relative_urls):
    settings = _settings(tmp_path, DEFAULT_PAGINATION=4)
    articles = [f"article-{n}" for n in range(10)]
    kwargs = {"articles": articles, "dates": list(reversed(articles)), "extra": "x"}

    def write(render_pages) -> list[dict]:
        context = {**settings, "localsiteurl": settings["SITEURL"], "shared": 1}
        template = Recording()
        render_pages(context, template)
        return [_comparable(seen) for seen in template.seen]

    def pelicans(context, template):
        writer = Writer(str(tmp_path / f"pelican-{relative_urls}"), settings=settings)
        writer.write_file("tags/x/index.html", template, context, relative_urls=relative_urls,
                          template_name="tag", url="tags/x/", **kwargs)  # fmt: skip

    def ours(context, template):
        for page_name, extra in pelican_seams.pages_to_write(
            settings, "tags/x/index.html", "tags/x/", "tag", None, kwargs
        ):
            local = pelican_seams.local_context(
                context, page_name, relative_urls, context.get("localsiteurl"), extra
            )
            pelican_seams.render(template, local, context)

    expected = write(pelicans)
    assert len(expected) == 3  # 10 articles, 4 a page
    assert write(ours) == expected
    files = [p["output_file"] for p in expected]
    assert files == ["tags/x/index.html", "tags/x/index2.html", "tags/x/index3.html"]
    assert [p["articles_page"][1] for p in expected] == [1, 2, 3]  # (kind, number, ...)
    siteurl = "../.." if relative_urls else "https://example.org"
    assert {p["SITEURL"] for p in expected} == {siteurl}


def test_a_template_that_is_not_paginated_is_one_page(tmp_path):
    settings = _settings(tmp_path)
    kwargs = {"article": "a"}
    assert pelican_seams.pages_to_write(settings, "a/index.html", "a/", "article", None,
                                        kwargs) == [("a/index.html", kwargs)]  # fmt: skip


def test_a_file_written_twice_is_handled_as_pelicans_writer_does(tmp_path):
    settings = _settings(tmp_path)
    # (file, override) in order; each outcome: "ok", "skip" or "error"
    writes = [("a", False), ("a", False), ("b", False), ("b", True), ("b", False),
              ("b", True), ("c", True), ("c", False)]  # fmt: skip

    def outcomes(claim) -> list[str]:
        found = []
        for name, override in writes:
            try:
                found.append("ok" if claim(str(tmp_path / name), override) else "skip")
            except FileOverwriteFailedError:
                found.append("error")
        return found

    pelican = Writer(str(tmp_path), settings=settings)

    def pelicans(filename, override):
        with pelican._open_w(filename, "utf-8", override=override) as handle:
            return handle.name != "/dev/null"

    ours = Writer(str(tmp_path), settings=settings)
    expected = outcomes(pelicans)
    assert expected == ["ok", "error", "ok", "ok", "skip", "error", "ok", "skip"]
    assert outcomes(lambda f, o: pelican_seams.claim_output(ours, f, o)) == expected


def _generators(tmp_path: Path):
    settings = _settings(tmp_path, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=False)
    content = Path(settings["PATH"])
    (content / "one.md").write_text(
        "Title: One\nDate: 2026-01-02\n\nSee [two]({filename}/two.md).\n"
    )
    (content / "two.md").write_text("Title: Two\nDate: 2026-01-03\nStatus: hidden\n\nTwo.\n")
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text("Title: About\n\nAbout.\n")
    (content / "pages" / "draft.md").write_text("Title: Later\nStatus: draft\n\nLater.\n")
    context = {**settings, "generated_content": {}, "static_links": set(),
               "static_content": {}, "localsiteurl": settings["SITEURL"]}  # fmt: skip
    made = []
    for cls in (ArticlesGenerator, PagesGenerator):
        generator = cls(context=context, settings=settings, path=settings["PATH"],
                        theme=settings["THEME"], output_path=settings["OUTPUT_PATH"])  # fmt: skip
        generator.generate_context()
        made.append(generator)
    return made


class RecordingWriter:
    def __init__(self) -> None:
        self.writes: dict[str, dict] = {}

    def write_file(self, name, template, context, **kwargs):
        self.writes[name] = kwargs

    def write_feed(self, *args, **kwargs):
        pass


def test_content_pages_are_the_article_and_page_files_the_generators_write(tmp_path):
    for generator in _generators(tmp_path):
        writer = RecordingWriter()
        generator.generate_output(writer)
        ours = {item.save_as: extra for item, extra in pelican_seams.content_pages(generator)}
        assert ours  # hidden articles and drafts are there too
        for save_as, extra in ours.items():
            written = writer.writes[save_as]
            assert {k: written[k] for k in extra} == extra
        if isinstance(generator, ArticlesGenerator):
            assert len(ours) == 2 and all("article" in e for e in ours.values())
        else:
            assert len(ours) == 2 and all(e.keys() == {"page"} for e in ours.values())


def test_a_generators_content_cache_is_replaced_and_never_pickled(tmp_path):
    articles, _pages = _generators(tmp_path)
    store: dict = {}
    pelican_seams.replace_content_cache(articles, store)
    source = str(Path(articles.path) / "one.md")
    articles.cache_data(source, "the article")
    assert store[source][1] == "the article"
    assert articles.get_cached_data(source) == "the article"
    shutil.rmtree(tmp_path / "cache")  # what generate_context saved before the swap
    articles.save_cache()
    assert not (tmp_path / "cache").exists()


def test_raw_content_and_its_intrasite_links(tmp_path):
    settings = _settings(tmp_path)
    article = Article("<p>See <a href=\"{filename}/two.md\">two</a>.</p>",
                      metadata={"title": "One", "date": datetime.datetime(2026, 1, 2)},
                      settings=settings)  # fmt: skip
    raw = pelican_seams.raw_content(article)
    assert raw.startswith("<p>See")
    assert pelican_seams.intrasite_link_regex(article).search(raw)
    pelican_seams.set_raw_content(article, "<p>New.</p>")
    assert article.content == "<p>New.</p>"


def test_discarded_metadata_is_dropped_and_file_metadata_is_read_as_pelican_does(tmp_path):
    from pelican.readers import _DISCARD, MarkdownReader, Readers

    assert pelican_seams.without_discarded({"a": 1, "b": _DISCARD}) == {"a": 1}
    settings = _settings(tmp_path, FILENAME_METADATA=r"(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.*)",
                         DEFAULT_METADATA={"status": "draft"})  # fmt: skip
    path = Path(settings["PATH"]) / "2026-01-02-news.md"
    path.write_text("Title: News\n\nText.\n")
    process = MarkdownReader(settings).process_metadata
    ours = pelican_seams.file_metadata_defaults(settings, str(path), path.name, process)
    ours.update(pelican_seams.file_name_metadata(path.name, settings, process))
    read = Readers(settings).read_file(settings["PATH"], path.name).metadata
    assert ours["slug"] == read["slug"] == "news"
    assert ours["date"] == read["date"]
    assert ours["status"] == read["status"] == "draft"
    with pytest.raises(ValueError):
        pelican_seams.file_name_metadata("2026-02-30-x.md", settings, process)


def test_markdown_metadata_as_pelicans_markdown_reader_parses_it(tmp_path):
    from markdown import Markdown
    from pelican.readers import MarkdownReader

    settings = _settings(tmp_path)
    path = Path(settings["PATH"]) / "a.md"
    path.write_text("Title: A\nTags: x, y\nSummary: *Short*\n\nBody.\n")
    expected = MarkdownReader(settings).read(str(path))[1]
    reader = MarkdownReader(settings)
    pelican_seams.start_reading(reader, str(path))
    md = Markdown(**settings["MARKDOWN"])
    md.convert(path.read_text())
    assert pelican_seams.python_markdown_metadata(reader, md) == expected
    header = {"title": ["A"], "tags": ["x, y"], "summary": ["*Short*"]}
    ours = pelican_seams.header_metadata(reader, header, lambda text: f"<p>{text}</p>")
    assert ours["tags"] == expected["tags"] and ours["title"] == expected["title"]
    assert ours["summary"] == "<p>*Short*</p>"


def test_passes_context_tells_context_filters_from_the_others():
    @pass_context
    def reads_context(context, value):
        return value

    @pass_environment
    def reads_environment(environment, value):
        return value

    assert pelican_seams.passes_context(reads_context)
    assert not pelican_seams.passes_context(reads_environment)
    assert not pelican_seams.passes_context(len)


def test_memoised_content_is_forgotten(tmp_path):
    memo = Content.__dict__["get_content"]
    assert hasattr(memo, "cache"), "Pelican no longer memoises Content.get_content"
    memo.cache[("key",)] = "stale"
    pelican_seams.forget_memoised_content()
    assert not memo.cache


def test_body_reads_are_noted_through_pelicans_memoised_content_methods(tmp_path):
    from pelican.utils import memoized

    pelican_seams.track_body_reads()
    pelican_seams.track_body_reads()  # once is enough: not wrapped twice
    for name in ("get_content", "get_summary"):
        wrapper = Content.__dict__[name]
        assert isinstance(wrapper, pelican_seams._BodyRead)
        assert isinstance(wrapper.inner, memoized), f"Content.{name} is no longer memoised"
        assert wrapper.cache is wrapper.inner.cache  # forget_memoised_content empties it
    settings = _settings(tmp_path)
    article = Article("<p>Text.</p>", metadata={"title": "T"}, settings=settings)
    with pelican_seams.reading_bodies() as reads:
        assert article.content == "<p>Text.</p>"
    assert reads == {id(article)}
    assert article.get_content(article.get_siteurl()) == "<p>Text.</p>"


class _Item:  # like a content object: no __eq__
    pass


def test_taxonomy_lists_answer_membership_by_identity_in_constant_time():
    """Pelican's tag, category and author pages test every dated article against each list;
    the finalized generator's lists answer by identity (content objects define no equality),
    in place, and keep doing so after a round trip through pickle (the saved context)."""
    import pickle
    from types import SimpleNamespace

    one, two, other = _Item(), _Item(), _Item()
    tags = {"lithium": [one, two]}
    categories, authors = [("news", [one])], [("staff", [two])]
    generator = SimpleNamespace(tags=tags, categories=categories, authors=authors)
    pelican_seams.constant_time_membership(generator)
    assert generator.tags is tags and generator.categories is categories
    members = tags["lithium"]
    assert isinstance(members, pelican_seams.Members) and members == [one, two]
    assert one in members and two in members and other not in members
    assert one in categories[0][1] and two not in categories[0][1]
    assert two in authors[0][1]
    members.append(other)  # changed after all: its identities are taken again
    assert other in members
    copied = pickle.loads(pickle.dumps([members, one]))
    assert isinstance(copied[0], pelican_seams.Members) and copied[1] in copied[0]
    assert one not in copied[0]  # the copy holds the copies


def test_every_read_of_a_content_object_is_noted_while_a_page_renders(tmp_path):
    settings = _settings(tmp_path)
    shown = Article("<p>A.</p>", metadata={"title": "Shown", "slug": "a"}, settings=settings)
    listed = Article("<p>B.</p>", metadata={"title": "Listed", "slug": "b"}, settings=settings)

    def headline(article):  # a filter's plain Python read counts like a template's
        return article.title

    with pelican_seams.reading_contents() as outer:
        assert [id(x) for x in [shown, listed]]  # holding an object is not reading it
        with pelican_seams.not_reading_contents():
            assert listed.slug == "b"
        assert headline(shown) == "Shown"
        with pelican_seams.reading_contents() as inner:
            assert vars(listed)
        pelican_seams.note_contents_read([12345])
    assert inner == {id(listed)}
    assert outer == {id(shown), id(listed), 12345}
    assert "__getattribute__" not in Content.__dict__  # installed only while pages render
    assert shown.title == "Shown"


def test_addresses_are_worked_out_once_while_pages_render_and_afresh_after(tmp_path):
    settings = _settings(tmp_path)
    article = Article("<p>A.</p>", metadata={"title": "T", "slug": "first"}, settings=settings)
    with pelican_seams.keeping_addresses():
        url, save_as = article.url, article.save_as
        article.slug = "second"
        assert (article.url, article.save_as) == (url, save_as)
    assert "second" in article.url and "second" in article.save_as
    assert "first" in url


class _Translatable:
    """What process_translations reads of a content object."""

    def __init__(self, slug: str, lang: str, translation: str | None = None) -> None:
        self.slug, self.lang, self.in_default_lang = slug, lang, lang == "en"
        self.metadata = {} if translation is None else {"translation": translation}
        self.source_path = f"{slug}-{lang}.md"


def _translation_items() -> list[_Translatable]:
    items = []
    for n in range(40):
        items.append(_Translatable(f"s{n % 13:02}", ["en", "fr", "de"][n % 3]))
    items += [
        _Translatable("only-fr", "fr"),
        _Translatable("marked", "en", "true"),
        _Translatable("marked", "fr"),
    ]
    items += [_Translatable("all-marked", "en", "true"), _Translatable("all-marked", "de", "yes")]
    return items


def test_translations_are_found_group_by_group_as_pelican_finds_them():
    """pelican_seams.linear_translations: the originals, the translations (both in order),
    each item's `translations`, all as Pelican's own process_translations gives them."""
    from pelican import utils

    def outcome(process, items):
        index, translations = process(items, "slug")
        return (
            [id(x) for x in index],
            [id(x) for x in translations],
            {id(x): [id(t) for t in x.translations] for x in items},
            [id(x) for x in items],
        )

    items = _translation_items()
    expected = outcome(utils.process_translations, list(items))
    grouped = functools.partial(pelican_seams._translations_by_group, utils.process_translations)
    assert outcome(grouped, list(items)) == expected
    assert grouped(list(items), None)[1] == []


def test_tag_pages_get_their_articles_in_date_order_as_pelicans_generate_tags_gives_them():
    """pelican_seams.generate_tags: each tag page's `dates` are what Pelican's own
    generate_tags gives (the tag's articles in the order of `dates`, once each, none that is
    not dated)."""
    articles = [types.SimpleNamespace(n=n) for n in range(60)]
    tags = {}

    class Tag:
        def __init__(self, name: str) -> None:
            self.save_as = self.url = self.page_name = self.slug = name

    for t in range(5):
        tag = Tag(f"t{t}")
        listed = [a for a in articles if a.n % (t + 2) == 0] + [articles[0]]  # one twice
        tags[tag] = pelican_seams.Members(listed)
    generator = types.SimpleNamespace(
        context={},
        articles=articles,
        dates=articles[::-1][:50],  # ten articles are not dated
        tags=tags,
        get_template=lambda name: name,
    )

    def written(method):
        calls = []
        method(generator, lambda *args, **kwargs: calls.append(kwargs["dates"]))
        return calls

    mine = written(pelican_seams.generate_tags)
    assert mine == written(ArticlesGenerator.generate_tags)
    assert len(mine) == 5 and all(len(dates) > 5 for dates in mine)


def test_a_source_files_relative_path_is_worked_out_once_and_as_pelican_does(tmp_path, monkeypatch):
    import os

    settings = _settings(tmp_path)
    base = settings["PATH"]
    source = os.path.join(base, "articles", "one.md")
    article = Article("<p>A.</p>", metadata={"title": "T"}, settings=settings, source_path=source)
    original = Content.get_relative_source_path
    unwrapped = getattr(original, "__wrapped__", original)
    expected = {
        None: unwrapped(article),
        source: unwrapped(article, source),
        "images/a.png": unwrapped(article, "images/a.png"),
        os.path.join(base, "..", "elsewhere.md"): unwrapped(
            article, os.path.join(base, "..", "elsewhere.md")
        ),
    }
    assert expected[None] == "articles/one.md" and expected["images/a.png"] == "images/a.png"
    pelican_seams.memoised_source_paths()
    pelican_seams._SOURCE_PATHS.clear()  # the article's own init may have filled it already
    calls = []
    relpath = os.path.relpath
    monkeypatch.setattr(os.path, "relpath", lambda *a: calls.append(a) or relpath(*a))
    for _ in range(3):
        for argument, answer in expected.items():
            assert article.get_relative_source_path(argument) == answer
    # worked out once for each absolute path (the relative one every time, as its answer
    # depends on the working folder)
    assert len(calls) == 3 + 2 and Content.get_relative_source_path.__wrapped__ is unwrapped


def test_the_relative_path_memo_starts_again_past_its_bound(tmp_path, monkeypatch):
    """The live preview's worker sees files come and go: the memo of relative paths is
    emptied when it reaches its bound instead of growing for the life of the process."""
    import os

    settings = _settings(tmp_path)
    pelican_seams.memoised_source_paths()
    monkeypatch.setattr(pelican_seams, "SOURCE_PATHS_MOST", 3)
    pelican_seams._SOURCE_PATHS.clear()
    sizes = []
    for number in range(10):
        source = os.path.join(settings["PATH"], "articles", f"a{number}.md")
        article = Article(
            "<p>A.</p>", metadata={"title": "T"}, settings=settings, source_path=source
        )
        assert article.get_relative_source_path() == f"articles/a{number}.md"
        sizes.append(len(pelican_seams._SOURCE_PATHS))
    assert max(sizes) == 3 and 0 < sizes[-1] <= 3


def test_a_newer_save_stops_the_content_check_between_two_files(tmp_path):
    """The live preview stops a build when a newer save arrives; the content check of every
    file (0.4 s at 20,000 articles) stops at the next file, so the save waits no longer."""
    from explainer.site.incremental.session import (
        BuildCancelled,
        clear_cancel,
        request_cancel,
    )
    from explainer.site.plugins import validate

    settings = _settings(tmp_path)
    content = Path(settings["PATH"])
    for number in range(3):
        (content / f"a{number}.md").write_text(
            f"Title: A{number}\nDate: 2026-01-0{number + 1}\n\nText.\n", encoding="utf-8"
        )
    checked = []
    generator = types.SimpleNamespace(
        settings=settings,
        path=str(content),
        get_files=lambda paths, exclude=(): sorted(p.name for p in content.glob("*.md")),
    )
    original = validate._checked_file

    def noting(base, relative, *args):
        checked.append(relative)
        if len(checked) == 2:
            request_cancel()
        return original(base, relative, *args)

    try:
        validate._checked_file = noting
        with pytest.raises(BuildCancelled):
            validate.check_content(generator)
        assert checked == ["a0.md", "a1.md"]
    finally:
        validate._checked_file = original
        clear_cancel()
    assert validate.check_content(generator) == []
