"""A quick build's tag pages after articles' tags were edited (quick_build.py).

Once the edited articles are remade in the saved context, each tag's list of articles is
found again as Pelican's ArticlesGenerator finds it (every tag of every listed article, in
the order of `articles`). A tag whose list changed gets its pages made again, through the
same `generate_tags` and the same pagination as a full build (a page more or less
included), and its feeds are given the new list. The pages whose templates read the tag
lists themselves (the tags index) are rendered too. It takes the full build instead when
the set of tags would change: a tag that is new, or left without articles.
"""

from __future__ import annotations

from types import SimpleNamespace

from explainer.site import pelican_seams
from explainer.site.incremental import saved_context
from explainer.site.incremental.saved_context import PageJob, SavedContext


def tag_lists(context: dict) -> dict[str, list] | None:
    """Each tag's articles by slug, in the order Pelican first meets the tags; None if the
    tags are not the ones the saved context holds (a tag new to the site or left without
    articles adds or removes a page) or a tag would be named after another spelling."""
    lists: dict[str, list] = {}
    names: dict[str, str] = {}  # Pelican keeps the first Tag it meets for a slug
    for article in context.get("articles") or []:
        for tag in getattr(article, "tags", None) or ():
            if tag.slug not in lists:
                lists[tag.slug], names[tag.slug] = [], tag.name
            lists[tag.slug].append(article)
    saved = {tag.slug: tag.name for tag, _articles in context.get("tags") or []}
    return lists if names == saved else None


def retagged_pages(
    saved: SavedContext, settings: dict, env, staging: str
) -> tuple[dict[str, PageJob], set[str], set[str]] | None:
    """(output path -> job of every page to render again because a tag's list changed,
    the paths of the feeds to write again, the saved tag pages no longer written), with the
    context's tag lists brought up to date; None when the full build is needed."""
    context = saved.context
    lists = tag_lists(context)
    if lists is None:
        return None
    pairs = context.get("tags") or []
    changed = []
    for tag, articles in pairs:
        now = lists[tag.slug]
        if len(now) != len(articles) or any(a is not b for a, b in zip(now, articles, strict=True)):
            pelican_seams.replace_members(articles, now)
            changed.append(tag)
    if [tag.slug for tag, _articles in pairs] != list(lists):  # the tags first met in another order
        order = {slug: number for number, slug in enumerate(lists)}
        pairs.sort(key=lambda pair: order[pair[0].slug])
    elif not changed:
        return {}, set(), set()
    made = _tag_pages(saved, settings, staging, {tag: lists[tag.slug] for tag in changed})
    readers = saved_context.pages_naming(saved, env, {"tags"})
    if made is None or readers is None:
        return None
    pages, gone = made
    return {**readers, **pages}, _tag_feeds(saved, settings, changed, lists), gone


def _tag_pages(saved: SavedContext, settings: dict, staging: str, lists: dict):
    """(the pages of the tags in `lists`, made again; the saved pages of those tags no
    longer written), or None if a tag has no saved page."""
    context = saved.context
    before: dict[str, dict[str, PageJob]] = {}  # a tag's slug -> its pages
    for relative, job in saved.pages.items():
        tag = job.extra.get("tag")
        if tag is not None:
            before.setdefault(tag.slug, {})[relative] = job
    calls: list[tuple] = []
    generator = SimpleNamespace(
        get_template=lambda name: name,
        context=context,
        tags={tag: pelican_seams.Members(articles) for tag, articles in lists.items()},
        dates=context.get("dates") or [],
        articles=context.get("articles") or [],
    )
    pelican_seams.generate_tags(generator, lambda *args, **kwargs: calls.append((args, kwargs)))
    pages: dict[str, PageJob] = {}
    gone: set[str] = set()
    for (name, _template, page_context), kwargs in calls:
        tag = kwargs["tag"]
        old = before.get(tag.slug)
        if not old:
            return None
        model = next(iter(old.values()))
        url, template_name = kwargs.pop("url"), kwargs.pop("template_name")
        made = {}
        for page_name, extra in pelican_seams.pages_to_write(
            settings, name, url, template_name, None, kwargs
        ):
            relative = saved_context.page_path(staging, page_name)
            made[relative] = PageJob(
                relative, model.template, page_context, page_name, model.relative_urls,
                extra, model.localsiteurl,
            )  # fmt: skip
        gone |= old.keys() - made.keys()  # a page less: the list got shorter
        pages.update(made)
    return pages, gone


def _tag_feeds(saved: SavedContext, settings: dict, changed: list, lists: dict) -> set[str]:
    """The feeds of the tags in `changed`, given the tags' new lists."""
    paths: dict[str, list] = {}
    for setting in ("TAG_FEED_ATOM", "TAG_FEED_RSS"):
        pattern = settings.get(setting)
        if pattern:
            for tag in changed:
                paths[str(pattern).format(slug=tag.slug)] = lists[tag.slug]
    for feed in saved.feeds:
        if feed.path in paths:
            feed.elements = list(paths[feed.path])
    return set(paths)
