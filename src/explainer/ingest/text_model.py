"""Read a text seed with learned weights: which lines are the article, its headline and its date.

Small models (logistic, or boosted trees for the headline and the date), trained on the dev
corpora by eval/train_text_model.py and shipped as data/text_model.json (weights by feature name,
reviewed like code):

1. `lines`: is this line article text? (its own shape, its block's and its neighbours'; see
   text_lines.FEATURES);
2. `headline`: of the short lines, which is the headline? (repeated in the page, shaped like a
   title, followed by the article's prose, the line-model's view of it and its neighbours);
3. `context`: the line model again, now knowing its neighbours' scores and where the headline
   and the date line are;
4. `date`: of the dates the page shows, which is the publication date? (a line of its own, near
   the headline, before the prose), or none.
5. `headline_again`: the headline model once more, its candidates gathered around the body the
   context model found (placed far better than the first-pass run of likely lines); when it
   picks another line, the date and the body are read again with it.
6. `edges`: every line once more, knowing the body the context model found (in it or how far
   outside, how much of its paragraph and neighbourhood was kept, how its shape differs from
   the kept lines': text_body_edges.EDGE_FEATURES); the body is decoded again from these
   scores, keeping whole the paragraphs (blocks cut into lines at their links) that it mostly
   keeps.

The body is then the best run of article lines (the maximum-sum segment of score minus a
threshold), keeping inside it the lines that score above a lower threshold. Inference is plain
Python: a dot product per line.
"""

from __future__ import annotations

import json
import math
import operator
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import accumulate

from explainer.ingest.text_body_edges import EDGE_FEATURES, edge_rows
from explainer.ingest.text_bylines import is_byline
from explainer.ingest.text_dates import DateMention
from explainer.ingest.text_lines import FEATURES, PageLines, analyse, column, sigmoid
from explainer.ingest.text_title_echoes import TitleEchoes, held_lines, names_the_site

_MAX_HEADLINE_CHARS = 300
_MAX_HEADLINE_WORDS = 40
_CROSS_CHECK = 3
_LOOK_BEFORE_BODY, _LOOK_INTO_BODY = 300, 100
_NEARBY = 15
_AGAIN_BEFORE, _AGAIN_INTO = 60, 5


@dataclass
class Linear:
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    @classmethod
    def from_json(cls, data: dict) -> Linear:
        return cls(data["features"], data["mean"], data["scale"], data["coef"], data["intercept"])

    def to_json(self) -> dict:
        return {
            "features": self.features,
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
        }

    def __post_init__(self) -> None:
        # (x - mean) / scale . coef + b  ==  x . (coef / scale) + (b - sum(mean * coef / scale))
        self._weights = [c / s for c, s in zip(self.coef, self.scale, strict=True)]
        self._bias = self.intercept - sum(
            m * w for m, w in zip(self.mean, self._weights, strict=True)
        )

    def logit(self, row: list[float]) -> float:
        if len(row) != len(self._weights):
            raise ValueError(f"{len(row)} features for a model of {len(self._weights)}")
        return self._bias + sum(map(operator.mul, row, self._weights))


@dataclass
class Trees:
    """Gradient-boosted regression trees (log-odds), as scikit-learn fits them."""

    features: list[str]
    init: float
    rate: float
    trees: list[dict]  # {"feature": [...], "threshold": [...], "left": [...], "right": [...],
    #                     "value": [...]}; a leaf has feature -1

    @classmethod
    def from_json(cls, data: dict) -> Trees:
        return cls(data["features"], data["init"], data["rate"], data["trees"])

    def to_json(self) -> dict:
        return {
            "kind": "trees",
            "features": self.features,
            "init": round(self.init, 6),
            "rate": self.rate,
            "trees": self.trees,
        }

    def __post_init__(self) -> None:
        self._sum = _compile_trees(self.trees)

    def logit(self, row: list[float]) -> float:
        return self.init + self.rate * self._sum(row)


def _compile_trees(trees: list[dict]):
    """The trees as one Python function of nested comparisons (a hundred times faster than
    walking the node lists). The source is made from the model file's numbers only."""
    source = ["def tree_sum(x):", " t = 0.0"]

    def emit(tree: dict, node: int, depth: int) -> None:
        pad = " " * depth
        feature = int(tree["feature"][node])
        if feature < 0:
            source.append(f"{pad}t += {float(tree['value'][node])!r}")
            return
        source.append(f"{pad}if x[{feature}] <= {float(tree['threshold'][node])!r}:")
        emit(tree, int(tree["left"][node]), depth + 1)
        source.append(f"{pad}else:")
        emit(tree, int(tree["right"][node]), depth + 1)

    for tree in trees:
        emit(tree, 0, 1)
    source.append(" return t")
    namespace: dict = {}
    exec(compile("\n".join(source), "<text_model trees>", "exec"), namespace)
    return namespace["tree_sum"]


def _scorer(data: dict) -> Linear | Trees:
    return Trees.from_json(data) if data.get("kind") == "trees" else Linear.from_json(data)


@dataclass
class TextModel:
    lines: Linear
    headline: Linear | Trees
    context: Linear
    date: Linear | Trees
    decode: dict[str, float] = field(default_factory=dict)
    # the headline again, its candidates placed around the body the context model found
    headline_again: Linear | Trees | None = None
    # the body's edges: every line once more, knowing the body the context model found
    edges: Linear | None = None

    @classmethod
    def from_json(cls, data: dict) -> TextModel:
        again = data.get("headline_again")
        return cls(
            lines=Linear.from_json(data["lines"]),
            headline=_scorer(data["headline"]),
            context=Linear.from_json(data["context"]),
            date=_scorer(data["date"]),
            decode=dict(data["decode"]),
            headline_again=_scorer(again) if again else None,
            edges=Linear.from_json(data["edges"]) if data.get("edges") else None,
        )

    def to_json(self) -> dict:
        out = {
            "about": "Learned weights for reading text seeds; made by eval/train_text_model.py.",
            "lines": self.lines.to_json(),
            "headline": self.headline.to_json(),
            "context": self.context.to_json(),
            "date": self.date.to_json(),
            "decode": self.decode,
        }
        if self.headline_again is not None:
            out["headline_again"] = self.headline_again.to_json()
        if self.edges is not None:
            out["edges"] = self.edges.to_json()
        return out


@lru_cache(maxsize=1)
def default_model() -> TextModel:
    path = resources.files("explainer.data") / "text_model.json"
    return TextModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@dataclass
class TextReading:
    page: PageLines
    line_scores: list[float]  # stage 1 logits
    scores: list[float]  # final logits
    headline: int | None  # index of the headline line as it stands above the story
    date_line: int | None
    date: date | None
    kept: list[int]  # indexes of the body lines, in order
    # the line that gives the title, when not `headline`: the page's <title> line (0) rated
    # above every line near the story (whose heading may be an image, or a label)
    title_from: int | None = None

    @property
    def title_line(self) -> int | None:
        return self.headline if self.title_from is None else self.title_from


# -- headline -------------------------------------------------------------------------------------
HEADLINE_FEATURES = [
    "bias", "log_words", "upto3_words", "over15_words", "sentence_end", "colon_end",
    "capitalised", "all_caps", "stop_density", "digits", "separators", "furniture", "date_line",
    "link", "log_repeats", "repeated_exactly", "contained_elsewhere", "alone_in_block",
    "line_score", "next_score", "next3_score", "prev3_score", "log_lines_to_prose",
    "prose_follows_within_5", "date_within_3_after", "short_line_within_3_after", "position",
    "log_index", "first_candidate", "best_follow", "before_region", "log_to_region",
    "in_region", "after_region", "lead_overlap", "words_3_to_20", "log_longer_lines_to_region",
    "longest_near_region", "best_overlap_near_region", "long_line_within_3_after", "holds_other",
    "prev_log_words", "prev_sentence_end", "prev_title_shaped", "next_log_words",
    "next_sentence_end", "next_title_shaped", "prev_score", "next_candidate_longer",
    "date_within_3_before", "byline_within_5_after", "title_echo", "log_title_echoes",
    "echo_in_first_line", "edge_of_first_line", "holds_echo", "title_overlap", "title_coverage",
    "starts_first_line", "title_echo_above_body",
]  # fmt: skip
_NEAR_REGION = 30
_AGREES = 0.8  # share of a line's words in the first line for it to agree with the title


def is_headline_shaped(page: PageLines, index: int) -> bool:
    line = page.lines[index]
    return 1 <= line.words <= _MAX_HEADLINE_WORDS and len(line.text) <= _MAX_HEADLINE_CHARS


def headline_rows(
    page: PageLines,
    scores: list[float],
    region: list[int] | None = None,
    echoes: TitleEchoes | None = None,
) -> list[tuple[int, list[float]]]:
    """(line index, features) for every line that could be the headline, around `region` (the
    body's lines: by default the best run of the first-pass scores; on the second pass the
    body the context model found; `echoes`: the page's TitleEchoes, when the caller has them).
    Long because it is one row of features, in the order of HEADLINE_FEATURES, read more
    easily in one place."""
    lines = page.lines
    n = len(lines)
    probability = [sigmoid(s) for s in scores]
    prose = [i for i, line in enumerate(lines) if probability[i] > 0.5 and line.words >= 8]
    words = [line.words for line in lines]
    if region is None:
        region = decode_body(scores, words, 0.5, 0.5, set())
    first_body = region[0] if region else n
    last_body = region[-1] if region else n
    lead_words: set[str] = set()
    for j in region:
        if len(lead_words) > 200:
            break
        lead_words.update(t for t in lines[j].norm.split() if len(t) > 3)
    # long_lines[k]: lines of 4+ words among the first k
    long_lines = [0, *accumulate(int(w >= 4) for w in words)]
    if echoes is None:
        echoes = TitleEchoes.of(page)
    rows: list[tuple[int, list[float]]] = []
    # The headline stands before the story (rarely far after its first lines); lines further
    # away are menus, teasers and footers.
    for i in range(max(0, first_body - _LOOK_BEFORE_BODY), min(n, first_body + _LOOK_INTO_BODY)):
        if not is_headline_shaped(page, i):
            continue
        line = lines[i]
        f = page.features[i]
        after_prose = bisect_right(prose, i)
        to_prose = (prose[after_prose] - i) if after_prose < len(prose) else n
        after = range(i + 1, min(n, i + 4))
        nearby = [
            other
            for other in lines[max(0, i - _NEARBY) : i + _NEARBY]
            if other.words <= _MAX_HEADLINE_WORDS and other.norm and other.norm != line.norm
        ]
        contained = any(f" {line.norm} " in f" {other.norm} " for other in nearby)
        holds = any(other.words >= 2 and f" {other.norm} " in f" {line.norm} " for other in nearby)
        next3 = [probability[j] for j in range(i + 1, min(n, i + 4))]
        prev3 = [probability[j] for j in range(max(0, i - 3), i)]
        rows.append(
            (
                i,
                [
                    1.0,
                    f[column("log_words")],
                    f[column("upto3_words")],
                    f[column("over15_words")],
                    f[column("sentence_end")],
                    f[column("colon_end")],
                    f[column("capitalised")],
                    f[column("all_caps")],
                    f[column("stop_density")],
                    f[column("digits")],
                    f[column("separators")],
                    f[column("furniture")],
                    f[column("date_line")],
                    f[column("link")],
                    f[column("log_repeats")],
                    float(page.repeats.get(line.norm, 1) == 2),
                    float(contained),
                    f[column("alone_in_block")],
                    probability[i],
                    probability[i + 1] if i + 1 < n else 0.0,
                    sum(next3) / len(next3) if next3 else 0.0,
                    sum(prev3) / len(prev3) if prev3 else 0.0,
                    math.log1p(to_prose),
                    float(to_prose <= 5),
                    float(any(lines[j].dates for j in after)),
                    float(any(lines[j].words <= 6 for j in after)),
                    f[column("position")],
                    math.log1p(i),
                    0.0,
                    0.0,
                    float(i < first_body),
                    math.log1p(abs(first_body - i)),
                    float(first_body <= i <= last_body),
                    float(i > last_body),
                    _overlap(line.norm, lead_words),
                    float(3 <= line.words <= 20),
                    math.log1p(max(0, long_lines[min(first_body, n)] - long_lines[i + 1])),
                    0.0,
                    0.0,
                    float(any(lines[j].words >= 15 for j in after)),
                    float(holds),
                    *_neighbour_shape(page, i - 1),
                    *_neighbour_shape(page, i + 1),
                    probability[i - 1] if i >= 1 else 0.0,
                    float(
                        i + 1 < n
                        and lines[i + 1].words > line.words
                        and is_headline_shaped(page, i + 1)
                    ),
                    float(any(lines[j].dates for j in range(max(0, i - 3), i))),
                    float(any(is_byline(lines[j].text) for j in range(i + 1, min(n, i + 6)))),
                    *_echo_features(page, echoes, i),
                    *_title_agreement(echoes, line.norm, i),
                    float(echoes.starts_first_line(page, i)),
                    0.0,
                ],
            )
        )
    near = [r for r in rows if first_body - _NEAR_REGION <= r[0] <= first_body + 3]
    if near:
        longest = max(near, key=lambda r: lines[r[0]].words)
        longest[1][HEADLINE_FEATURES.index("longest_near_region")] = 1.0
        overlap = HEADLINE_FEATURES.index("lead_overlap")
        best_overlap = max(near, key=lambda r: r[1][overlap])
        best_overlap[1][HEADLINE_FEATURES.index("best_overlap_near_region")] = 1.0
    _mark_title_echo_above_body(rows, first_body)
    if rows:
        rows[0][1][HEADLINE_FEATURES.index("first_candidate")] = 1.0
        best = max(rows, key=lambda r: r[1][HEADLINE_FEATURES.index("next3_score")])
        best[1][HEADLINE_FEATURES.index("best_follow")] = 1.0
    return rows


def _echo_features(page: PageLines, echoes: TitleEchoes, index: int) -> tuple[float, ...]:
    """(is a piece of another line anywhere, log of how many, of the first line (or the first
    line itself again, further down), starts or ends the first line, holds another line of the
    page as a piece): the page's `<title>` line and breadcrumbs repeat the headline far from
    it."""
    line = page.lines[index]
    sources = echoes.sources(page, index)
    first = index > 0 and (0 in sources or page.lines[0].norm == line.norm)
    own = echoes.pieces_of(page, index)
    holds = any(
        piece in page.repeats and 2 * len(piece.split()) >= line.words >= 2 for piece in own
    )
    return (
        float(bool(sources)),
        math.log1p(len(sources)),
        float(first),
        float(echoes.edge_of_first_line(page, index)),
        float(holds),
    )


def _title_agreement(echoes: TitleEchoes, norm: str, index: int) -> tuple[float, float]:
    """(share of the line's words that the first line (the `<title>`) holds, share of the first
    line's words the line holds): a headline agrees with the title in words even where it is no
    cut piece of it ("VW-Chef warnt..." under "VW-Chef Diess warnt... | Site")."""
    first = echoes.first_words
    own = set(norm.split())
    if index == 0 or not first or not own:
        return (0.0, 0.0)
    shared = len(own & first)
    return (shared / len(own), shared / len(first))


def _mark_title_echo_above_body(rows: list[tuple[int, list[float]]], first_body: int) -> None:
    """Of the candidates that agree with the first line (a piece of it, or most of their words
    in it), the one standing nearest above the body (else the first below): a page's title
    repeats both the headline, just above the story, and the site's name, in its masthead."""
    piece = HEADLINE_FEATURES.index("echo_in_first_line")
    overlap = HEADLINE_FEATURES.index("title_overlap")
    agreeing = [r for r in rows if r[1][piece] or r[1][overlap] >= _AGREES]
    if not agreeing:
        return
    above = [r for r in agreeing if r[0] <= first_body]
    chosen = above[-1] if above else agreeing[0]
    chosen[1][HEADLINE_FEATURES.index("title_echo_above_body")] = 1.0


def _neighbour_shape(page: PageLines, index: int) -> tuple[float, float, float]:
    """(log words, ends a sentence, is title-shaped with 3+ words) of a neighbouring line."""
    if not 0 <= index < len(page.lines):
        return (0.0, 0.0, 0.0)
    f = page.features[index]
    shaped = is_headline_shaped(page, index) and page.lines[index].words >= 3
    return (f[column("log_words")], f[column("sentence_end")], float(shaped))


def _overlap(text: str, lead: set[str]) -> float:
    tokens = [t for t in text.split() if len(t) > 3]
    return sum(t in lead for t in tokens) / len(tokens) if tokens else 0.0


def opens_like_a_seed(page: PageLines) -> bool:
    """The classic seed: the headline, then the date line (web pages never open that way): the
    rest is the article, less furniture."""
    return (
        len(page.lines) > 1
        and is_headline_shaped(page, 0)
        and bool(page.features[1][column("date_line")])
        and not page.features[0][column("date_line")]
    )


def pick_headline(model: TextModel, page: PageLines, scores: list[float]) -> int | None:
    """The headline by the first-pass model."""
    if opens_like_a_seed(page):
        return 0
    if model.headline is None:
        return None
    echoes = TitleEchoes.of(page)
    rows = headline_rows(page, scores, None, echoes)
    return _choose_headline(model, page, echoes, rows, _scored_once(model.headline))


def pick_headline_again(
    model: TextModel, page: PageLines, scores: list[float], body: list[int]
) -> tuple[int | None, int | None]:
    """Given the body found, (the headline, the line that gives the title when it is another)
    by the second-pass model. Its candidates stand around that body: it starts within a few
    lines of the headline's, and far lines are menus and teasers (measured fold-out: 60 lines
    before it and 5 into it beat the wide window). The first line is a candidate too when it is
    cut like a page title ("Headline | Site": a crawler's text opens with the `<title>`, which a
    long menu can put out of that window); when it wins, it gives the title, and the headline,
    around which the date, byline and body are found, is the best line of the window."""
    if model.headline_again is None:
        return None, None
    echoes = TitleEchoes.of(page)
    rows = headline_rows(page, scores, body, echoes)
    low, high = body[0] - _AGAIN_BEFORE, body[0] + _AGAIN_INTO
    near = [r for r in rows if low <= r[0] <= high]
    scored = _scored_once(model.headline_again)  # the two choices share the rows' scores
    if echoes.pieces_of(page, 0):
        with_title = [r for r in rows if low <= r[0] <= high or r[0] == 0]
        picked = _choose_headline(model, page, echoes, with_title or rows, scored)
        if picked != 0:
            return picked, None
        return _choose_headline(model, page, echoes, near or rows, scored), 0
    return _choose_headline(model, page, echoes, near or rows, scored), None


def _scored_once(scorer: Linear | Trees) -> Callable[[int, list[float]], float]:
    """A candidate row's score by `scorer`, computed once per line."""
    memo: dict[int, float] = {}

    def score(index: int, row: list[float]) -> float:
        if index not in memo:
            memo[index] = scorer.logit(row)
        return memo[index]

    return score


def _choose_headline(
    model: TextModel,
    page: PageLines,
    echoes: TitleEchoes,
    rows: list[tuple[int, list[float]]],
    score_of: Callable[[int, list[float]], float],
) -> int | None:
    """Of the candidate `rows`, the likeliest, or the line it stands for."""
    if not rows:
        return None
    scored = {index: score_of(index, row) for index, row in rows}
    score, index = max((value, index) for index, value in scored.items())
    if score < model.decode.get("headline_min", -99.0):
        return None
    # "Headline | Site" (the page's <title>) over the "Headline" line it holds: the line held
    held = held_lines(page, echoes, index, list(scored))
    if held:
        # of its pieces, the one standing nearest above the body (the masthead's name is
        # further up), then the likelier
        above = HEADLINE_FEATURES.index("title_echo_above_body")
        features = dict(rows)
        index = max(held, key=lambda j: (features[j][above], scored[j], j))
    elif names_the_site(page, echoes, index):
        index = 0  # the title line, whose headline no other line repeats (headline_text cuts it)
    return not_a_breadcrumb(page, index, echoes)


def not_a_breadcrumb(page: PageLines, index: int, echoes: TitleEchoes) -> int:
    """A line that holds a title-shaped line just below it ("Home > Markets > Headline" over
    "Headline") is a breadcrumb or a "Section | Headline" line: the line it holds is the
    headline, unless it is the site's name under the page's title ("Headline | Site" over the
    masthead's "Site")."""
    line = page.lines[index]
    for other in range(index + 1, min(len(page.lines), index + 1 + _CROSS_CHECK)):
        held = page.lines[other]
        if (
            held.words >= 2
            and held.norm != line.norm
            and is_headline_shaped(page, other)
            and f" {held.norm} " in f" {line.norm} "
            and not (index == 0 and names_the_site(page, echoes, other))
        ):
            return other
    return index


# -- context (stage 2) ----------------------------------------------------------------------------
CONTEXT_FEATURES = [
    "bias", "own", "prev1", "next1", "prev2", "next2", "window5", "block_mean", "after_headline",
    "is_headline", "same_as_headline", "log_after_headline", "log_before_headline",
    "after_date_line", "is_date_line", "log_words", "stop_density", "sentence_end", "furniture",
    "link", "prose_above", "prose_below",
]  # fmt: skip


def context_rows(
    page: PageLines, scores: list[float], headline: int | None, date_line: int | None
) -> list[list[float]]:
    lines = page.lines
    n = len(lines)
    probability = [sigmoid(s) for s in scores]
    # prose words above and below each line (shares of the page's likely article text)
    prose_words = [line.words if probability[i] > 0.5 else 0 for i, line in enumerate(lines)]
    total = sum(prose_words) or 1
    above = 0
    block_sum: dict[int, list[float]] = {}
    for i, line in enumerate(lines):
        block_sum.setdefault(line.block, []).append(probability[i])
    head_norm = lines[headline].norm if headline is not None else None
    rows = []
    for i, line in enumerate(lines):
        f = page.features[i]
        window = probability[max(0, i - 5) : i + 6]
        block = block_sum[line.block]
        rows.append(
            [
                1.0,
                probability[i],
                probability[i - 1] if i >= 1 else 0.0,
                probability[i + 1] if i + 1 < n else 0.0,
                probability[i - 2] if i >= 2 else 0.0,
                probability[i + 2] if i + 2 < n else 0.0,
                sum(window) / len(window),
                sum(block) / len(block),
                float(headline is not None and i > headline),
                float(i == headline),
                float(head_norm is not None and line.norm == head_norm),
                math.log1p(i - headline) if headline is not None and i > headline else 0.0,
                math.log1p(headline - i) if headline is not None and i < headline else 0.0,
                float(date_line is not None and i > date_line),
                float(i == date_line),
                f[column("log_words")],
                f[column("stop_density")],
                f[column("sentence_end")],
                f[column("furniture")],
                f[column("link")],
                above / total,
                (total - above - prose_words[i]) / total,
            ]
        )
        above += prose_words[i]
    return rows


# -- date -----------------------------------------------------------------------------------------
DATE_FEATURES = [
    "bias", "date_line", "log_words", "line_score", "after_headline", "log_after_headline",
    "log_before_headline", "first_after_headline", "rank_after_headline", "has_day", "numeric",
    "log_candidates", "log_same_date", "latest", "earliest", "modal_year", "in_prose_block",
    "share_of_line", "no_headline", "position",
]  # fmt: skip


def date_rows(
    page: PageLines, scores: list[float], headline: int | None
) -> list[tuple[int, DateMention, list[float]]]:
    # a month without a day ("March 2026") is never taken for the publication date
    found = [(i, m) for i, line in enumerate(page.lines) for m in line.dates if m.has_day]
    if not found:
        return []
    days = [m.day for _, m in found]
    counts: dict[date, int] = {}
    for day in days:
        counts[day] = counts.get(day, 0) + 1
    years: dict[int, int] = {}
    for day in days:
        years[day.year] = years.get(day.year, 0) + 1
    modal_year = max(years, key=years.get)
    latest, earliest = max(days), min(days)
    rows = []
    after_rank = 0
    for i, mention in found:
        line = page.lines[i]
        f = page.features[i]
        after = headline is not None and i >= headline
        if after:
            after_rank += 1
        rows.append(
            (
                i,
                mention,
                [
                    1.0,
                    f[column("date_line")],
                    f[column("log_words")],
                    sigmoid(scores[i]),
                    float(after),
                    math.log1p(i - headline) if after else 0.0,
                    math.log1p(headline - i) if headline is not None and not after else 0.0,
                    float(after and after_rank == 1),
                    math.log1p(after_rank) if after else 0.0,
                    float(mention.has_day),
                    float(mention.numeric),
                    math.log(len(found)),
                    math.log(counts[mention.day]),
                    float(mention.day == latest),
                    float(mention.day == earliest),
                    float(mention.day.year == modal_year),
                    f[column("block_log_words")],
                    (mention.end - mention.start) / max(1, len(line.text)),
                    float(headline is None),
                    f[column("position")],
                ],
            )
        )
    return rows


def pick_date(
    model: TextModel, page: PageLines, scores: list[float], headline: int | None
) -> tuple[int | None, date | None]:
    rows = date_rows(page, scores, headline)
    if not rows:
        return None, None
    index, mention, row = max(rows, key=lambda r: model.date.logit(r[2]))
    if model.date.logit(row) < model.decode.get("date_min", 0.0):
        return None, None
    return index, mention.day


# -- the whole reading ----------------------------------------------------------------------------
def line_logits(model: TextModel, page: PageLines) -> list[float]:
    return [model.lines.logit(row) for row in page.features]


def decode_body(
    scores: list[float],
    words: list[int],
    threshold: float,
    inner: float,
    exclude: set[int],
    others: float = 0.0,
    blocks: list[int] | None = None,
    whole: float | None = None,
) -> list[int]:
    """The best run of article lines: maximum-sum segment of (p - threshold) weighted by words,
    then, inside it, the lines with p above `inner`. With `others` > 0, the next best runs
    before and after it whose sums reach that share of the best one's are kept too (a story
    cut in two by an advertisement, a gallery or a newsletter box). Given the lines' `blocks`
    and a `whole` share, a block (a paragraph cut into lines at its links) that has a line kept
    and whose word-weighted mean p passes `whole` is kept whole: its link-text lines score low
    on their own, and dropping one cuts the sentence it stands in."""
    gains = [
        (sigmoid(s) - threshold) * math.sqrt(max(1, w)) for s, w in zip(scores, words, strict=True)
    ]
    best_sum, first, last = _best_segment(gains, 0, len(gains))
    runs = [(first, last)]
    if others > 0 and best_sum > 0:
        pending = [(0, first), (last + 1, len(gains))]
        while pending:
            lo, hi = pending.pop()
            total, a, b = _best_segment(gains, lo, hi)
            if total > 0 and total >= others * best_sum:
                runs.append((a, b))
                pending += [(lo, a), (b + 1, hi)]
    kept = [
        i
        for a, b in sorted(runs)
        for i in range(a, b + 1)
        if i not in exclude and sigmoid(scores[i]) > inner
    ]
    if blocks is None or whole is None or not kept:
        return kept
    return _whole_blocks(scores, words, kept, exclude, blocks, whole)


def _whole_blocks(
    scores: list[float],
    words: list[int],
    kept: list[int],
    exclude: set[int],
    blocks: list[int],
    whole: float,
) -> list[int]:
    """`kept` plus the other lines of each block it touches whose word-weighted mean p passes
    `whole`."""
    mass: dict[int, list[float]] = {}
    for i, block in enumerate(blocks):
        entry = mass.setdefault(block, [0.0, 0.0])
        weight = max(1, words[i])
        entry[0] += sigmoid(scores[i]) * weight
        entry[1] += weight
    touched = {blocks[i] for i in kept}
    filled = {b for b in touched if mass[b][0] > whole * mass[b][1]}
    if not filled:
        return kept
    chosen = set(kept)
    chosen.update(i for i, block in enumerate(blocks) if block in filled and i not in exclude)
    return sorted(chosen)


def _best_segment(gains: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    """(sum, first, last) of the maximum-sum run of gains[lo:hi] (last < first: none)."""
    best_sum, best = 0.0, (lo, lo - 1)
    running, start = 0.0, lo
    for i in range(lo, hi):
        if running <= 0:
            running, start = 0.0, i
        running += gains[i]
        if running > best_sum:
            best_sum, best = running, (start, i)
    return best_sum, best[0], best[1]


def read_text(
    text: str, model: TextModel | None = None, max_lines: int | None = None
) -> TextReading:
    return read_analysed(analyse(text, max_lines=max_lines), model)


def read_analysed(page: PageLines, model: TextModel | None = None) -> TextReading:
    model = model or default_model()
    if len(page.lines) <= TINY_PAGE_LINES:
        return _read_tiny(page)
    return read_scored(model, page, line_logits(model, page))


def read_scored(model: TextModel, page: PageLines, first: list[float]) -> TextReading:
    """The reading of a page of more than TINY_PAGE_LINES lines, given its first-pass scores."""
    headline = pick_headline(model, page, first)
    date_line, day = pick_date(model, page, first, headline)
    if len(page.lines) <= SHORT_PAGE_LINES or opens_like_a_seed(page):
        # the model's headline and date; the body the simple way (see _read_tiny)
        exclude = body_exclusions(page, headline, date_line)
        if headline is not None:
            exclude |= set(range(headline))
        kept = _fallback_body(page, headline, exclude)
        return TextReading(page, first, first, headline, date_line, day, kept)
    scores, kept = read_body(model, page, first, headline, date_line)
    title_from = None
    if model.headline_again is not None and kept:
        # The body the context model finds is placed far better than the first-pass run the
        # headline's candidates were gathered around: look for the headline again near it.
        again, title_from = pick_headline_again(model, page, first, kept)
        if again is not None and again != headline:
            headline = again
            date_line, day = pick_date(model, page, first, headline)
            scores, kept = read_body(model, page, first, headline, date_line)
    if model.edges is not None and kept:
        scores, kept = read_edges(model, page, first, scores, kept, headline, date_line)
    return TextReading(page, first, scores, headline, date_line, day, kept, title_from)


def read_edges(
    model: TextModel,
    page: PageLines,
    first: list[float],
    context: list[float],
    kept: list[int],
    headline: int | None,
    date_line: int | None,
) -> tuple[list[float], list[int]]:
    """(edge-model scores, body lines): every line scored once more knowing the body found,
    then the best run again with the edge stage's own thresholds."""
    assert model.edges is not None
    scores = [model.edges.logit(row) for row in edge_rows(page, first, context, kept)]
    found = decode_body(
        scores,
        [line.words for line in page.lines],
        model.decode.get("edge_threshold", 0.5),
        model.decode.get("edge_inner", 0.5),
        body_exclusions(page, headline, date_line),
        model.decode.get("edge_others", 0.0),
        [line.block for line in page.lines],
        model.decode.get("edge_whole"),
    )
    return (scores, found) if found else (context, kept)


def read_body(
    model: TextModel,
    page: PageLines,
    first: list[float],
    headline: int | None,
    date_line: int | None,
) -> tuple[list[float], list[int]]:
    """(context-model scores, body lines) given the headline and the date line."""
    scores = [model.context.logit(row) for row in context_rows(page, first, headline, date_line)]
    exclude = body_exclusions(page, headline, date_line)
    kept = decode_body(
        scores,
        [line.words for line in page.lines],
        model.decode.get("threshold", 0.5),
        model.decode.get("inner", 0.5),
        exclude,
        model.decode.get("others", 0.0),
        [line.block for line in page.lines],
        model.decode.get("whole"),
    )
    if not kept:
        kept = _fallback_body(page, headline, exclude)
    return scores, kept


def body_exclusions(page: PageLines, headline: int | None, date_line: int | None) -> set[int]:
    """Lines that are never body: the headline (and the same line wherever it is repeated) and
    the date line. Lines above the headline are left to the context model, which knows where
    the headline is: a hard cut there costs the whole story whenever the headline is wrong."""
    exclude = {date_line} if date_line is not None else set()
    if headline is not None:
        head = page.lines[headline].norm
        exclude |= {i for i, line in enumerate(page.lines) if line.norm == head}
    return exclude


# A seed this short (a headline, a date line, a few paragraphs, a little furniture) gives the
# statistics too little to go on: it is read the simple way, with the furniture rules.
TINY_PAGE_LINES = 10
# Up to this many lines, the model still finds headline and date, but the body is read the
# simple way too.
SHORT_PAGE_LINES = 25


def _read_tiny(page: PageLines) -> TextReading:
    """The first title-shaped line that is not a date, not furniture and not a breadcrumb
    holding a line just below it is the headline; the first date line near it the date; the
    body is what follows, less furniture lines (and the rest of a furniture sentence they cut),
    in paragraphs that read as prose."""
    lines = page.lines
    headline = None
    for i, line in enumerate(lines):
        if i == 0 and line.last_in_block and not _SENTENCE_END.search(line.text):
            headline = i  # a long line standing alone: read_seed shortens it for the title
            break
        if not is_headline_shaped(page, i) or page.features[i][column("date_line")]:
            continue
        if _is_furniture_line(line.text):
            continue
        below = lines[i + 1 : i + 1 + _CROSS_CHECK]
        if any(o.norm and o.norm != line.norm and f" {o.norm} " in f" {line.norm} " for o in below):
            continue
        if _SENTENCE_END.search(line.text) and line.words > 25:
            break  # a paragraph, not a headline
        if (
            not _SENTENCE_END.search(line.text)
            or i + 1 >= len(lines)
            or not lines[i + 1].text[:1].islower()
        ):
            headline = i
        break
    date_line, day = None, None
    start = headline + 1 if headline is not None else 0
    for i in range(max(0, start - 3), len(lines)):
        days = [m.day for m in lines[i].dates if m.has_day]
        if i != headline and page.features[i][column("date_line")] and days:
            date_line, day = i, days[0]
            break
    zeros = [0.0] * len(lines)
    exclude = body_exclusions(page, headline, date_line) | set(range(start))
    return TextReading(page, zeros, zeros, headline, date_line, day,
                       _fallback_body(page, headline, exclude))  # fmt: skip


def _is_furniture_line(text: str) -> bool:
    from explainer.ingest.furniture import furniture_kind, is_list_heading

    # A hard-wrapped line of a paragraph ("share.", "by Citicorp.") starts in lower case.
    if not text or text[0].islower():
        return False
    return is_list_heading(text) or furniture_kind(text) is not None


def _fallback_body(page: PageLines, headline: int | None, exclude: set[int]) -> list[int]:
    """The lines after the headline that are not furniture, less the short lines that trail the
    story. A furniture line that stops mid-sentence takes the
    lower-case lines that carry its sentence on; a "Related" heading takes the headlines
    listed under it."""
    start = headline + 1 if headline is not None else 0
    from explainer.ingest.furniture import is_list_heading

    candidates: list[int] = []
    runs_on = False
    list_block = None  # the block of a "Related" heading: its headlines go with it
    for i in range(start, len(page.lines)):
        text = page.lines[i].text
        if is_list_heading(text):
            list_block = page.lines[i].block
            continue
        if page.lines[i].block == list_block and not _SENTENCE_END.search(text):
            continue
        if runs_on and text[:1].islower():
            runs_on = not _SENTENCE_END.search(text)
            continue
        runs_on = False
        if i in exclude:
            continue
        if _is_furniture_line(text):
            runs_on = not _SENTENCE_END.search(text) and page.lines[i].words > 3
            continue
        candidates.append(i)
    return _without_trailing_lines(page, candidates)


def _without_trailing_lines(page: PageLines, candidates: list[int]) -> list[int]:
    """The candidate lines as paragraphs, less what trails the story ("Latest News", "Contact
    us"): short paragraphs at the end that are no sentence."""
    paragraphs: list[list[int]] = []
    run: list[int] = []
    for n, i in enumerate(candidates):
        run.append(i)
        following = candidates[n + 1] if n + 1 < len(candidates) else None
        if following is not None and _continues(page, run[-1], following):
            continue
        paragraphs.append(run)
        run = []
    while paragraphs:
        text = " ".join(page.lines[j].text for j in paragraphs[-1])
        if _SENTENCE_END.search(text) or sum(page.lines[j].words for j in paragraphs[-1]) > 6:
            break
        paragraphs.pop()
    return [i for paragraph in paragraphs for i in paragraph]


_SENTENCE_END = re.compile(r"""[.!?…。！？]["”’'»)\]]*$""")


def _continues(page: PageLines, previous: int, following: int) -> bool:
    a, b = page.lines[previous], page.lines[following]
    if a.block != b.block or b.indented:
        return False
    return not _SENTENCE_END.search(a.text) or b.text[:1].islower()


def check_features() -> None:
    """The model file must weigh exactly the features the code computes."""
    model = default_model()
    assert model.lines.features == FEATURES
    assert model.headline.features == HEADLINE_FEATURES
    assert model.context.features == CONTEXT_FEATURES
    assert model.date.features == DATE_FEATURES
    assert model.headline_again is None or model.headline_again.features == HEADLINE_FEATURES
    assert model.edges is None or model.edges.features == EDGE_FEATURES
