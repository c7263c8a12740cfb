"""Pelican plugin: related articles, and the topics that a topic's articles also mention.

After every generator has built its context (so articles carry their country and mineral
topics), it sets:

- `article.related`: up to `RELATED_ARTICLES_MAX` `Related(article, countries, minerals)`,
  ranked by how many countries and minerals they share with the article (more shared minerals
  first on a tie, then the closest in date). Articles sharing nothing are not related.
- `topic.co_mentions`: `{"countries": [(topic, n)], "minerals": [(topic, n)]}` — the other
  topics mentioned in that topic's articles, most often first. A country page lists its
  minerals from this.

Inputs: each article's `countries` and `minerals` only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from pelican import signals

from explainer.site.incremental import follows_lists, kept_between_builds, transparent
from explainer.site.plugin_defaults import set_defaults

DEFAULT_SETTINGS = {"RELATED_ARTICLES_MAX": 5}
KINDS = ("countries", "minerals")


@transparent  # a page showing a related article depends on that article's own fields
@dataclass(frozen=True)
class Related:
    article: object
    countries: tuple  # the topics shared with the article
    minerals: tuple

    @property
    def shared(self) -> tuple:
        return self.countries + self.minerals


def _key(topic) -> tuple[str, str]:
    return (getattr(topic, "kind", ""), getattr(topic, "code", None) or topic.slug)


def _own_topics(article) -> list[tuple[str, tuple, object]]:
    """(kind, key, topic) of each of the article's countries, then minerals, once each."""
    own: dict[tuple, tuple[str, tuple, object]] = {}
    for kind in KINDS:
        for topic in getattr(article, kind, None) or []:
            key = (kind, *_key(topic))
            own.setdefault(key, (kind, key, topic))
    return list(own.values())


def related_plan(
    articles: list, owned: list, limit: int, only: set[int] | None = None
) -> list[list[tuple[int, tuple]]]:
    """For each article (each one whose index is in `only`, when given; [] for the others),
    its related articles as (index in `articles`, indexes of the shared topics in its own
    topic list), best first.

    Every article shares a big country with a good part of the site, so comparing each
    article with each one it shares a topic with costs n² steps. Instead each topic's articles
    are a bitset (one bit per article, in date order): adding an article's topic bitsets bit
    by bit gives every other article's count of shared topics at once, and the best are
    taken from the highest counts down, nearest in date first, until there are enough.
    """
    count = len(articles)
    chrono = sorted(range(count), key=lambda i: articles[i].date)
    position = [0] * count
    for rank, i in enumerate(chrono):
        position[i] = rank
    bits: dict[tuple, int] = defaultdict(int)
    for i, own in enumerate(owned):
        for _kind, key, _topic in own:
            bits[key] |= 1 << position[i]
    plan: list[list[tuple[int, tuple]]] = []
    for i, own in enumerate(owned):
        if only is not None and i not in only:
            plan.append([])
            continue
        me = 1 << position[i]
        masks = [bits[key] & ~me for _kind, key, _topic in own]
        mineral_masks = [m for (kind, _, _t), m in zip(own, masks, strict=True)
                         if kind == "minerals"]  # fmt: skip
        chosen: list[int] = []  # positions in date order, best first
        if any(masks):
            chosen = _best(articles, chrono, position[i], masks, mineral_masks, limit)
        plan.append(
            [(chrono[p], tuple(k for k, mask in enumerate(masks) if mask >> p & 1))
             for p in chosen]
        )  # fmt: skip
    return plan


def _apply(articles: list, owned: list, plan: list, only=None) -> dict[int, list[Related]]:
    result: dict[int, list[Related]] = {}
    for i, (article, own, chosen) in enumerate(zip(articles, owned, plan, strict=True)):
        if only is not None and i not in only:
            continue
        related = []
        for other, shared in chosen:
            topics: dict[str, list] = {kind: [] for kind in KINDS}
            for k in shared:
                kind, _, topic = own[k]
                topics[kind].append(topic)
            related.append(
                Related(articles[other], tuple(topics["countries"]), tuple(topics["minerals"]))
            )
        result[id(article)] = related
    return result


def _best(articles, chrono, here, masks, mineral_masks, limit) -> list[int]:
    me = articles[chrono[here]]

    def distance(p: int) -> float:
        return abs((articles[chrono[p]].date - me.date).total_seconds())

    def order(p: int) -> tuple:
        # Not by title: a new title would reorder other articles' related lists.
        first = next(j for j, mask in enumerate(masks) if mask >> p & 1)
        return (first, chrono[p])

    union = 0
    for mask in masks:
        union |= mask
    totals = _planes(masks)
    minerals = _planes(mineral_masks)
    chosen: list[int] = []
    for shared in range(len(masks), 0, -1):
        with_total = _equal(totals, shared, union)
        if not with_total:
            continue
        for shared_minerals in range(min(shared, len(mineral_masks)), -1, -1):
            group = with_total & _equal(minerals, shared_minerals, union)
            if group:
                chosen += _nearest(group, here, limit - len(chosen), distance, order)
                if len(chosen) >= limit:
                    return chosen
    return chosen


def _planes(masks: list[int]) -> list[int]:
    """Bit-sliced counters: bit j of each article's count of masks it is in is planes[j]."""
    planes: list[int] = []
    for mask in masks:
        carry = mask
        for j in range(len(planes)):
            planes[j], carry = planes[j] ^ carry, planes[j] & carry
            if not carry:
                break
        if carry:
            planes.append(carry)
    return planes


def _equal(planes: list[int], value: int, universe: int) -> int:
    """The articles of `universe` whose count is exactly `value`."""
    if value >> len(planes):
        return 0
    result = universe
    for j, plane in enumerate(planes):
        result &= plane if value >> j & 1 else ~plane
        if not result:
            break
    return result


def _nearest(group: int, here: int, wanted: int, distance, order) -> list[int]:
    """The `wanted` members of `group` (a bitset of date positions) closest in date to
    `here`, ties by `order`."""
    if group.bit_count() <= wanted:
        members = []
        while group:
            low = group & -group
            members.append(low.bit_length() - 1)
            group ^= low
        return sorted(members, key=lambda p: (distance(p), order(p)))
    below = group & ((1 << here) - 1)
    above = group >> (here + 1) << (here + 1)
    taken: list[int] = []
    while len(taken) < wanted and (below or above):
        lower = below.bit_length() - 1 if below else -1
        upper = (above & -above).bit_length() - 1 if above else -1
        nearest = min(distance(p) for p in (lower, upper) if p >= 0)
        tied = []
        while lower >= 0 and distance(lower) == nearest:  # dates fall going down
            tied.append(lower)
            below ^= 1 << lower
            lower = below.bit_length() - 1 if below else -1
        while upper >= 0 and distance(upper) == nearest:  # and rise going up
            tied.append(upper)
            above ^= 1 << upper
            upper = (above & -above).bit_length() - 1 if above else -1
        taken += sorted(tied, key=order)
    return taken[:wanted]


def co_mention_plan(topics) -> list[dict[str, list[tuple[tuple, int]]]]:
    """For each topic, the other topics its articles mention (by key), most often first."""
    plan = []
    for topic in topics:
        counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
        seen: dict[tuple, object] = {}
        for article in topic.articles:
            for kind in KINDS:
                for other in getattr(article, kind, None) or []:
                    if other is topic:
                        continue
                    key = (kind, *_key(other))
                    seen[key] = other
                    counts[kind][key] += 1
        plan.append(
            {
                kind: sorted(
                    counts[kind].items(), key=lambda kv: (-kv[1], seen[kv[0]].name.casefold())
                )
                for kind in KINDS
            }
        )
    return plan


def _apply_co_mentions(topics, plan, by_key: dict) -> None:
    for topic, mentions in zip(topics, plan, strict=True):
        topic.co_mentions = {
            kind: [(by_key.get(key) or _find(topic, key), n) for key, n in mentions[kind]]
            for kind in KINDS
        }


def _find(topic, key):
    """The topic object with `key` among those `topic`'s articles mention."""
    for article in topic.articles:
        for other in getattr(article, key[0], None) or []:
            if (key[0], *_key(other)) == key:
                return other
    raise KeyError(key)


# The last build's inputs and what was worked out from them: the live preview's worker builds
# again and again, and most saves change no article's topics or date. (The topics' article
# lists follow from the same inputs: the topics plugin makes them from the articles.)
_LAST: dict[str, object] = kept_between_builds({})


@follows_lists  # a quick build that made the topics' lists again makes these again too
def add_relations(generators) -> None:
    context = generators[0].context
    settings = generators[0].settings
    articles = list(context.get("articles", []))
    limit = int(settings.get("RELATED_ARTICLES_MAX", 5))
    owned = [_own_topics(article) for article in articles]
    topic_lists = {kind: list(context.get(kind, [])) for kind in KINDS}
    remade = getattr(generators[0], "remade", None)
    if remade is not None:  # a quick build (incremental.relisting): the lists it can change
        only = _reached(articles, owned, remade, limit)
        related = _apply(articles, owned, related_plan(articles, owned, limit, only), only)
        for i in only:
            articles[i].related = related[id(articles[i])]
        by_key = {key: topic for own in owned for _kind, key, topic in own}
        for kind in KINDS:
            _apply_co_mentions(topic_lists[kind], co_mention_plan(topic_lists[kind]), by_key)
        return
    inputs = (
        limit,
        tuple(
            (article.date, tuple((key, topic.name) for _k, key, topic in own))
            for article, own in zip(articles, owned, strict=True)
        ),
    )
    if _LAST.get("inputs") != inputs:
        _LAST.clear()
        _LAST["related"] = related_plan(articles, owned, limit)
        _LAST["co_mentions"] = {kind: co_mention_plan(topic_lists[kind]) for kind in KINDS}
        _LAST["inputs"] = inputs
    related = _apply(articles, owned, _LAST["related"])
    for article in articles:
        article.related = related[id(article)]
    by_key = {key: topic for own in owned for _kind, key, topic in own}
    for kind in KINDS:
        _apply_co_mentions(topic_lists[kind], _LAST["co_mentions"][kind], by_key)


def _reached(articles: list, owned: list, remade: set[int], limit: int) -> set[int]:
    """The indexes of the articles whose related lists can differ once the articles `remade`
    (ids) changed their topics, their lists being those made before: the remade ones, the
    ones that list one of them, and the ones one of them may now enter: sharing a topic with
    it, with a list not full or whose last one shares no more (nor more minerals) than it
    would. The others' lists hold the same articles, ranked alike."""
    edited = [i for i, article in enumerate(articles) if id(article) in remade]
    reached = set(edited)
    keys = [({key for _k, key, _t in owned[i]}) for i in edited]
    for i, article in enumerate(articles):
        if i in reached:
            continue
        old = getattr(article, "related", None) or []
        if any(id(entry.article) in remade for entry in old):
            reached.add(i)
            continue
        for own_keys in keys:
            shared = [kind for kind, key, _t in owned[i] if key in own_keys]
            if not shared:
                continue
            if len(old) < limit:
                reached.add(i)
                break
            last = old[-1]
            if (len(shared), shared.count("minerals")) >= (len(last.shared), len(last.minerals)):
                reached.add(i)
                break
    return reached


def add_default_settings(pelican) -> None:
    set_defaults(pelican.settings, DEFAULT_SETTINGS)


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.all_generators_finalized.connect(add_relations)
