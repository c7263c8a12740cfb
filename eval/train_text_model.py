#!/usr/bin/env python3
"""Train the text-seed reader (src/explainer/data/text_model.json) on the dev corpora.

Labels come from the gold, never from hand rules:
* lines: on aeb-dev, a line is article text when most of its words lie in a 4-word shingle of
  the gold body (shingles run across lines, so a link cut out of a sentence counts with it); on
  webpages-dev, a line holding part of a `with` snippet is article text and one holding part of a
  `without` snippet is not (other lines are not used);
* headline: a title-shaped line is the headline when it agrees with the page's own metadata
  (corpora.title_right);
* date: a date the page shows is the publication date when it is within a day of the metadata's.

Every dev page is taken twice: as the crawler's text with its `<title>` line first (the
issue's definition: `get_text("\\n")` of the whole page) and without it (a select-all copy), in
the same fold, so the reader learns both; the synthetic seeds are made once per page.

The line model is fitted first; the headline, date and context models are fitted on line scores
cross-fitted by site (so they learn from scores like those on unseen pages); the two body
thresholds are then chosen by grid search on the training pages' body F1 (AEB) and snippet F1.
scikit-learn (a development dependency) fits the logistic models; inference needs none of it.

    .venv/bin/python eval/train_text_model.py            # train on all dev pages, write the file
    .venv/bin/python eval/train_text_model.py --check    # also 5-fold fold-out figures, per variant
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import corpora  # noqa: E402
from aeb import metrics, string_shingle_matching  # noqa: E402

from explainer.ingest.text_body_edges import EDGE_FEATURES, edge_rows  # noqa: E402
from explainer.ingest.text_lines import FEATURES, PageLines, analyse  # noqa: E402
from explainer.ingest.text_model import (  # noqa: E402
    CONTEXT_FEATURES,
    DATE_FEATURES,
    HEADLINE_FEATURES,
    SHORT_PAGE_LINES,
    Linear,
    TextModel,
    TextReading,
    Trees,
    body_exclusions,
    context_rows,
    date_rows,
    decode_body,
    headline_rows,
    line_logits,
    opens_like_a_seed,
    read_body,
    read_scored,
)
from explainer.ingest.text_seed import reading_text  # noqa: E402

MODEL_FILE = HERE.parent / "src" / "explainer" / "data" / "text_model.json"
_TOKEN = re.compile(r"\w+")
WEBPAGE_LINE_WEIGHT = 3.0  # webpages label a few lines per page; AEB labels every line
TREES, TREE_RATE, TREE_SUBSAMPLE = 150, 0.1, 0.8
TREE_BAG, TREE_SEED = 1, 0  # models averaged, the first one's seed
THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6]
INNER = [0.1, 0.2, 0.3, 0.4, 0.5]
OTHERS = [0.0, 0.5, 0.3, 0.15]  # share of the best run's sum another run needs (0: one run)
WHOLE = [0.3, 0.4, 0.5, 0.6]  # a touched block's mean p that keeps it whole (None: never)


@dataclass
class Example:
    page: corpora.Page
    lines: PageLines
    labels: list[int | None]
    titles: list[str]
    date: object


# -- labels ----------------------------------------------------------------------------------------
def line_labels(page: corpora.Page, lines: PageLines) -> list[int | None]:
    if page.body:
        return _aeb_labels(page.body, lines)
    return _snippet_labels(page.keep, page.drop, lines)


def _aeb_labels(gold: str, lines: PageLines) -> list[int | None]:
    gold_tokens = _TOKEN.findall(gold)
    shingles = {tuple(gold_tokens[i : i + 4]) for i in range(max(1, len(gold_tokens) - 3))}
    tokens: list[str] = []
    owner: list[int] = []
    for n, line in enumerate(lines.lines):
        found = _TOKEN.findall(line.text)
        tokens += found
        owner += [n] * len(found)
    inside = [False] * len(tokens)
    for i in range(max(0, len(tokens) - 3)):
        if tuple(tokens[i : i + 4]) in shingles:
            for j in range(i, i + 4):
                inside[j] = True
    counts: list[list[int]] = [[0, 0] for _ in lines.lines]
    for i, n in enumerate(owner):
        counts[n][0] += inside[i]
        counts[n][1] += 1
    return [None if total == 0 else int(hit * 2 > total) for hit, total in counts]


def _snippet_labels(keep: list[str], drop: list[str], lines: PageLines) -> list[int | None]:
    stream = ""
    starts = []
    for line in lines.lines:
        starts.append(len(stream))
        stream += corpora.fold_text(line.text) + " "
    labels: list[int | None] = [None] * len(lines.lines)

    def mark(snippet: str, value: int) -> None:
        target = corpora.fold_text(snippet)
        if not target:
            return
        at = stream.find(target)
        while at >= 0:
            end = at + len(target)
            for n, start in enumerate(starts):
                line_end = starts[n + 1] if n + 1 < len(starts) else len(stream)
                if start < end and at < line_end:
                    labels[n] = value if labels[n] in (None, value) else -1
            at = stream.find(target, at + 1)

    for snippet in keep:
        mark(snippet, 1)
    for snippet in drop:
        mark(snippet, 0)
    return [None if label == -1 else label for label in labels]


# -- fitting ---------------------------------------------------------------------------------------
def fit(rows, labels, weights, names, c=1.0, balanced=False) -> Linear:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=int)
    w = np.asarray(weights, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    mean[0], scale[0] = 0.0, 1.0  # the bias column stays as it is
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None)
    model.fit((x - mean) / scale, y, sample_weight=w)
    coef = model.coef_[0].tolist()
    return Linear(names, mean.tolist(), scale.tolist(), coef, float(model.intercept_[0]))


def fit_trees(groups: list[list[tuple[list[float], bool]]], names: list[str]) -> Trees:
    """Boosted trees on the candidates (right or not), each page weighing the same: the mean of
    TREE_BAG models fitted with seeds TREE_SEED, TREE_SEED + 1..., shipped as one model whose
    trees' leaves are divided by TREE_BAG (TREE_BAG = 1: the one model, as before). One model's
    pick moves by two or three of the 36 AEB pages with its seed alone (README)."""
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    rows, labels, weights = [], [], []
    for group in groups:
        if not any(ok for _, ok in group):
            continue
        for row, ok in group:
            rows.append(row)
            labels.append(int(ok))
            weights.append(1.0 / len(group))
    trees = []
    for seed in range(TREE_BAG):
        model = GradientBoostingClassifier(
            n_estimators=TREES,
            max_depth=3,
            learning_rate=TREE_RATE,
            subsample=TREE_SUBSAMPLE,
            random_state=TREE_SEED + seed,
        )
        model.fit(np.asarray(rows), np.asarray(labels), sample_weight=np.asarray(weights))
        trees += [_tree_json(estimator.tree_, TREE_BAG) for (estimator,) in model.estimators_]
    prior = float(np.average(labels, weights=weights))
    init = math.log(prior / (1 - prior))
    return Trees(names, init, TREE_RATE, trees)


def _tree_json(tree, share: int) -> dict:
    """One fitted regression tree as the model file holds it, its leaves divided by `share`."""
    return {
        "feature": [int(f) for f in tree.feature],
        "threshold": [round(float(t), 6) for t in tree.threshold],
        "left": [int(c) for c in tree.children_left],
        "right": [int(c) for c in tree.children_right],
        "value": [round(float(v) / share, 6) for v in tree.value[:, 0, 0]],
    }


def fit_ranker(groups: list[list[tuple[list[float], bool]]], names: list[str]) -> Linear:
    """A linear ranker: logistic regression on the differences between a right and a wrong
    candidate of the same page (each page weighs the same however many candidates it has)."""
    import numpy as np

    rows, labels, weights = [], [], []
    for group in groups:
        right = [row for row, ok in group if ok]
        wrong = [row for row, ok in group if not ok]
        if not right or not wrong:
            continue
        weight = 1.0 / (len(right) * len(wrong))
        for a in right:
            for b in wrong:
                diff = [x - y for x, y in zip(a, b, strict=True)]
                rows += [diff, [-d for d in diff]]
                labels += [1, 0]
                weights += [weight, weight]
    x = np.asarray(rows, dtype=float)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=3000, fit_intercept=False)
    model.fit(x / scale, np.asarray(labels), sample_weight=np.asarray(weights) * len(groups))
    coef = model.coef_[0].tolist()
    return Linear(names, [0.0] * len(names), scale.tolist(), coef, 0.0)


def _group_folds(examples: list[Example], k: int) -> list[list[Example]]:
    folds: list[list[Example]] = [[] for _ in range(k)]
    for ex in examples:
        folds[corpora.fold_of(ex.page.site + "|inner") % k].append(ex)
    return folds


def fit_lines(examples: list[Example]) -> Linear:
    rows, labels, weights = [], [], []
    for ex in examples:
        weight = 1.0 if ex.page.corpus == "aeb" else WEBPAGE_LINE_WEIGHT
        for row, label in zip(ex.lines.features, ex.labels, strict=True):
            if label is not None:
                rows.append(row)
                labels.append(label)
                weights.append(weight)
    return fit(rows, labels, weights, FEATURES)


def one_copy(examples: list[Example]) -> list[Example]:
    """The examples less the title copy of each page that also has its no-title copy: the body
    models learn each page once (the `<title>` line is one more line of furniture to them),
    the headline and date models learn both copies."""
    twins = {ex.page.id.removesuffix(NO_TITLE) for ex in examples if variant_of(ex) == "no-title"}
    return [ex for ex in examples if ex.page.id not in twins]


def cross_fitted_scores(examples: list[Example]) -> dict[str, list[float]]:
    """First-pass line scores of every example by a line model fitted without its (inner)
    fold, on one copy of each page."""
    scores: dict[str, list[float]] = {}
    folds = _group_folds(examples, 5)
    body = {id(ex) for ex in one_copy(examples)}
    for n, held in enumerate(folds):
        train = [ex for m, fold in enumerate(folds) if m != n for ex in fold if id(ex) in body]
        model = TextModel(fit_lines(train), *_placeholder(3))
        for ex in held:
            scores[ex.page.id] = line_logits(model, ex.lines)
    return scores


def _placeholder(count: int) -> list[Linear]:
    return [Linear(["bias"], [0.0], [1.0], [0.0], 0.0) for _ in range(count)]


def train(examples: list[Example]) -> TextModel:
    body = one_copy(examples)
    lines_model = fit_lines(body)
    scores = cross_fitted_scores(examples)
    # headline
    headline_model = fit_trees(
        [
            [
                (row, corpora.title_right(ex.lines.lines[index].text, ex.titles))
                for index, row in headline_rows(ex.lines, scores[ex.page.id])
            ]
            for ex in examples
        ],
        HEADLINE_FEATURES,
    )
    model = TextModel(lines_model, headline_model, *_placeholder(2), decode={})
    heads = {ex.page.id: _best_headline(model, ex, scores) for ex in examples}
    # date
    rows, labels = [], []
    for ex in examples:
        if ex.date is None:
            continue
        for _, mention, row in date_rows(ex.lines, scores[ex.page.id], heads[ex.page.id]):
            rows.append(row)
            labels.append(int(abs((mention.day - ex.date).days) <= 1))
    date_model = fit(rows, labels, [1.0] * len(rows), DATE_FEATURES, balanced=True)
    model.date = date_model
    date_lines = {}
    for ex in examples:
        found = date_rows(ex.lines, scores[ex.page.id], heads[ex.page.id])
        best = max(found, key=lambda r: date_model.logit(r[2])) if found else None
        date_lines[ex.page.id] = best[0] if best and date_model.logit(best[2]) > 0 else None
    # context
    labelled = {ex.page.id: _context_data(ex, scores, heads, date_lines) for ex in body}
    model.context = fit(*_stacked(labelled.values()), CONTEXT_FEATURES)
    model.decode = {"threshold": 0.5, "inner": 0.5, "date_min": 0.0, "headline_min": -99.0}
    model.decode.update(_tune_thresholds(model, body, scores, heads, date_lines))
    model.headline_again = fit_headline_again(model, examples, scores, heads, date_lines)
    fit_edges(model, body, scores, _cross_fitted_contexts(body, labelled))
    return model


def _context_data(ex: Example, scores, heads, date_lines):
    """(rows, labels, weights) of a page's labelled lines for the context model."""
    weight = 1.0 if ex.page.corpus == "aeb" else WEBPAGE_LINE_WEIGHT
    context = context_rows(ex.lines, scores[ex.page.id], heads[ex.page.id], date_lines[ex.page.id])
    chosen = [
        (row, label) for row, label in zip(context, ex.labels, strict=True) if label is not None
    ]
    return [row for row, _ in chosen], [label for _, label in chosen], [weight] * len(chosen)


def _stacked(parts):
    rows, labels, weights = [], [], []
    for r, lab, w in parts:
        rows += r
        labels += lab
        weights += w
    return rows, labels, weights


def _cross_fitted_contexts(examples: list[Example], labelled) -> dict[str, Linear]:
    """For each page, a context model fitted without its (inner) fold: the edge stage learns
    from context scores like those on pages the context model never saw."""
    out: dict[str, Linear] = {}
    folds = _group_folds(examples, 5)
    for n, held in enumerate(folds):
        train_on = [labelled[ex.page.id] for m, fold in enumerate(folds) if m != n for ex in fold]
        model = fit(*_stacked(train_on), CONTEXT_FEATURES)
        out.update({ex.page.id: model for ex in held})
    return out


def fit_edges(model: TextModel, examples: list[Example], scores, contexts) -> None:
    """The edge stage: each page read by the model so far, on its cross-fitted first-pass
    scores and with a context model fitted without it (`contexts`), every line of the long
    pages given its edge features, fitted on the line labels; then its thresholds chosen as the
    context model's are."""
    from dataclasses import replace

    model.edges = None
    prepared, rows, labels, weights = [], [], [], []
    for ex in examples:
        if len(ex.lines.lines) <= SHORT_PAGE_LINES or opens_like_a_seed(ex.lines):
            continue
        reading = read_scored(
            replace(model, context=contexts[ex.page.id]), ex.lines, scores[ex.page.id]
        )
        if not reading.kept:
            continue
        edge = edge_rows(ex.lines, scores[ex.page.id], reading.scores, reading.kept)
        prepared.append((ex, edge, body_exclusions(ex.lines, reading.headline, reading.date_line)))
        weight = 1.0 if ex.page.corpus == "aeb" else WEBPAGE_LINE_WEIGHT
        for row, label in zip(edge, ex.labels, strict=True):
            if label is not None:
                rows.append(row)
                labels.append(label)
                weights.append(weight)
    edges = fit(rows, labels, weights, EDGE_FEATURES)
    tuned = _tune_thresholds_on(
        [(ex, [edges.logit(row) for row in edge], exclude) for ex, edge, exclude in prepared]
    )
    model.edges = edges
    model.decode.update({f"edge_{name}": value for name, value in tuned.items()})


def fit_headline_again(model, examples, scores, heads, date_lines) -> Trees:
    """The second-pass headline model: candidates placed around the body the (just fitted)
    context model finds, labelled as the first pass's are."""
    groups = []
    for ex in examples:
        _, body = read_body(
            model, ex.lines, scores[ex.page.id], heads[ex.page.id], date_lines[ex.page.id]
        )
        groups.append(
            [
                (row, corpora.title_right(ex.lines.lines[index].text, ex.titles))
                for index, row in headline_rows(ex.lines, scores[ex.page.id], body)
            ]
        )
    return fit_trees(groups, HEADLINE_FEATURES)


def _best_headline(model: TextModel, ex: Example, scores) -> int | None:
    rows = headline_rows(ex.lines, scores[ex.page.id])
    if not rows:
        return None
    return max(rows, key=lambda r: model.headline.logit(r[1]))[0]


def _tune_thresholds(model, examples, scores, heads, date_lines) -> dict[str, float]:
    prepared = []
    for ex in examples:
        head = heads[ex.page.id]
        context = context_rows(ex.lines, scores[ex.page.id], head, date_lines[ex.page.id])
        final = [model.context.logit(row) for row in context]
        exclude = body_exclusions(ex.lines, head, date_lines[ex.page.id])
        prepared.append((ex, final, exclude))
    return _tune_thresholds_on(prepared, wholes=())


def _tune_thresholds_on(prepared, wholes=WHOLE) -> dict[str, float | None]:
    best: dict[str, float | None] = {}
    best_value = -1.0
    for threshold in THRESHOLDS:
        for inner in INNER:
            if inner > threshold:
                continue
            for others in OTHERS:
                value = _decode_value(prepared, threshold, inner, others)
                if value > best_value:
                    best = {"threshold": threshold, "inner": inner, "others": others}
                    best_value = value
    # whole paragraphs: chosen once the run's thresholds are (a grid of all four is slow)
    best["whole"] = None
    for whole in wholes:
        value = _decode_value(prepared, best["threshold"], best["inner"], best["others"], whole)
        if value > best_value:
            best["whole"], best_value = whole, value
    return best


def _decode_value(
    prepared, threshold: float, inner: float, others: float, whole: float | None = None
) -> float:
    """Body F1 (AEB) plus snippet F1 (webpages) of the training pages under these thresholds."""
    aeb_rows, counts = [], []
    for ex, final, exclude in prepared:
        if ex.page.corpus == "synthetic":
            continue
        words = [line.words for line in ex.lines.lines]
        blocks = [line.block for line in ex.lines.lines]
        kept = decode_body(final, words, threshold, inner, exclude, others, blocks, whole)
        text = body_of(ex.lines, kept)
        if ex.page.corpus == "aeb":
            aeb_rows.append(string_shingle_matching(ex.page.body, text))
        else:
            counts.append(corpora.snippet_counts(text, ex.page.keep, ex.page.drop))
    value = 0.0
    if aeb_rows:
        value += metrics(aeb_rows)["f1"]
    if counts:
        value += corpora.snippet_scores(counts)["f1"]
    return value


def body_of(lines: PageLines, kept: list[int]) -> str:
    reading = TextReading(lines, [], [], None, None, None, kept)
    return reading_text(reading)


# -- cross-validation ----------------------------------------------------------------------------
def fold_out_readings(examples: list[Example], extra: list[Example] = ()) -> dict[str, TextReading]:
    """Each page read by a model trained on the other four folds (no page of its site seen)."""
    readings: dict[str, TextReading] = {}
    for fold in range(corpora.FOLDS):
        train_on = [ex for ex in [*examples, *extra] if ex.page.fold != fold]
        model = train(train_on)
        for ex in examples:
            if ex.page.fold == fold:
                readings[ex.page.id] = read_lines(model, ex.lines)
    return readings


def read_lines(model: TextModel, lines: PageLines) -> TextReading:
    """text_model.read_text on a page already analysed (features do not depend on the model)."""
    from explainer.ingest.text_model import read_analysed

    return read_analysed(lines, model)


def quick_scores(examples: list[Example], readings: dict[str, TextReading]) -> dict[str, float]:
    out: dict[str, float] = {}
    for corpus in ("aeb", "webpages"):
        chosen = [ex for ex in examples if ex.page.corpus == corpus]
        titles = [ex for ex in chosen if ex.titles]
        dated = [ex for ex in chosen if ex.date is not None]
        heads = 0
        for ex in titles:
            reading = readings[ex.page.id]
            if reading.title_line is not None:
                heads += corpora.title_right(ex.lines.lines[reading.title_line].text, ex.titles)
        days = sum(
            corpora.date_right(
                readings[ex.page.id].date.isoformat() if readings[ex.page.id].date else None,
                ex.date,
            )
            for ex in dated
        )
        out[f"{corpus}_title"] = heads / max(1, len(titles))
        out[f"{corpus}_date"] = days / max(1, len(dated))
        texts = {ex.page.id: reading_text(readings[ex.page.id]) for ex in chosen}
        if corpus == "aeb":
            rows = [string_shingle_matching(ex.page.body, texts[ex.page.id]) for ex in chosen]
            out.update({f"aeb_{k}": v for k, v in metrics(rows).items()})
        else:
            counts = [
                corpora.snippet_counts(texts[ex.page.id], ex.page.keep, ex.page.drop)
                for ex in chosen
            ]
            out.update({f"web_{k}": v for k, v in corpora.snippet_scores(counts).items()})
    return out


# -- data ------------------------------------------------------------------------------------------
# A page's text without its <title> line (as a select-all copy gives it) is a page of its own
# for training and scoring, under the page's id and this suffix, in the page's fold.
NO_TITLE = "~no-title"


def examples_for(pages: list[corpora.Page], with_title: bool = True) -> list[Example]:
    """The pages as crawler texts, with their `<title>` line (the issue's definition) or
    without it (ids suffixed NO_TITLE)."""
    texts = corpora.text_versions(pages, with_title=with_title)
    references = load_references(pages)
    examples = []
    for page in pages:
        lines = analyse(texts[page.id])
        ref = references[page.id]
        own = page if with_title else replace(page, id=page.id + NO_TITLE)
        examples.append(Example(own, lines, line_labels(own, lines), ref.titles, ref.date))
    return examples


def both_variants(pages: list[corpora.Page]) -> list[Example]:
    """Every page twice: with its `<title>` line and without it, so the reader learns both the
    crawler's text and the select-all copy."""
    return examples_for(pages, with_title=True) + examples_for(pages, with_title=False)


def variant_of(example: Example) -> str:
    return "no-title" if example.page.id.endswith(NO_TITLE) else "title"


_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%Y-%m-%d", "Published %d %b %Y", "%d.%m.%Y")


def synthetic_examples(examples: list[Example], references) -> list[Example]:
    """Seeds laid out the simple ways people also give them, made from the gold:
    * a clean article (headline, a date line, the paragraphs) from every aeb-dev page, in that
      page's fold;
    * the same article in a short page: some of that page's own non-article lines (menus,
      notices) before the headline, half the time a breadcrumb path of them ending in the
      headline, a line or two of them between headline and date, and some after the story
      (teasers, footers), so the model also knows pages with little furniture;
    * a wire story as Reuters sends it (headline, a date-time line, hard-wrapped paragraphs with
      indented first lines, the sign-off "Reuter", which is not the story), folds by story."""
    import hashlib
    import random

    made = []
    for real in examples:
        if real.page.corpus != "aeb" or variant_of(real) != "no-title":
            continue  # (one clean article per page: from the text without the <title> line)
        page = replace(real.page, id=real.page.id.removesuffix(NO_TITLE))
        ref = references[page.id]
        if not ref.titles or ref.date is None:
            continue
        pick = int(hashlib.sha256(page.id.encode()).hexdigest(), 16)
        rng = random.Random(pick)
        stamp = ref.date.strftime(_DATE_FORMATS[pick % len(_DATE_FORMATS)])
        title = ref.titles[0]
        body = page.body.replace("\n", "\n\n")
        junk = [
            line.text
            for line, label in zip(real.lines.lines, real.labels, strict=True)
            if label == 0 and line.norm and line.norm not in corpora._norm(title)
        ]
        half = len(junk) // 2
        top, bottom = junk[:half], junk[half:]
        layouts = {
            "clean": f"{title}\n\n{stamp}\n\n{body}\n",
            "short": "\n".join(
                [
                    *rng.sample(top, min(len(top), rng.randint(0, 12))),
                    *_breadcrumb(rng, top, title),
                    title,
                    *rng.sample(top, min(len(top), rng.randint(0, 2))),
                    stamp,
                    "",
                    body,
                    "",
                    *rng.sample(bottom, min(len(bottom), rng.randint(0, 12))),
                ]
            ),
        }
        for name, text in layouts.items():
            fake = corpora.Page(f"{name}-{page.id}", "synthetic", page.url, page.site, page.path,
                                body=page.body)  # fmt: skip
            lines = analyse(text)
            made.append(Example(fake, lines, line_labels(fake, lines), [title], ref.date))
    return made + _wire_examples()


def _wire_examples() -> list[Example]:
    """Each Reuters dev story as the wire sends it, its sign-off left out of the gold."""
    from datetime import datetime

    made = []
    wire = corpora.CORPUS_DIR / "reuters-minerals-dev.jsonl"
    for row in map(json.loads, wire.read_text(encoding="utf-8").splitlines()):
        body = row["body"].rstrip()
        story = re.sub(r"\s*\bReuter\s*$", "", body, flags=re.IGNORECASE)
        text = f"{row['title']}\n{row['date_raw']}\n{body}\n"
        fake = corpora.Page(f"wire-{row['id']}", "synthetic", "", f"wire-{row['id']}",
                            wire, body=story)  # fmt: skip
        lines = analyse(text)
        day = datetime.fromisoformat(row["date"]).date()
        made.append(Example(fake, lines, line_labels(fake, lines), [row["title"]], day))
    return made


_CRUMB_SEPARATORS = (" > ", " >> ", " » ", " / ", " › ", "  >>  ")


def _breadcrumb(rng, junk: list[str], title: str) -> list[str]:
    """Half the short pages open with a breadcrumb ending in the headline, some repeat it."""
    crumbs = [j for j in junk if len(j.split()) <= 3]
    if not crumbs or rng.random() < 0.5:
        return []
    path = rng.sample(crumbs, min(len(crumbs), rng.randint(1, 3)))
    line = rng.choice(_CRUMB_SEPARATORS).join([*path, title])
    return [line, *([title] if rng.random() < 0.5 else []), *rng.sample(junk, min(len(junk), 1))]


def load_references(pages: list[corpora.Page]) -> dict[str, corpora.Reference]:
    return {page.id: corpora.reference(page.html()) for page in pages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--check", action="store_true", help="print fold-out and in-fold scores")
    args = parser.parse_args(argv)
    import warnings

    warnings.filterwarnings("ignore")
    pages = corpora.load_pages()
    examples = both_variants(pages)
    extra = synthetic_examples(examples, load_references(pages))
    labelled = Counter(label for ex in examples for label in ex.labels)
    print(f"train: {len(examples)} pages, line labels {dict(labelled)}", file=sys.stderr)
    model = train(examples + extra)
    if not args.no_write:
        args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    _print_weights(model)
    if args.check:
        inside = {ex.page.id: read_lines(model, ex.lines) for ex in examples}
        outside = fold_out_readings(examples, extra)
        for name, readings in (("in-fold", inside), ("fold-out", outside)):
            for variant in ("title", "no-title"):
                chosen = [ex for ex in examples if variant_of(ex) == variant]
                scores = quick_scores(chosen, readings)
                shown = " ".join(f"{k} {v:.3f}" for k, v in scores.items())
                print(f"{name:>9} {variant:>8}: {shown}")
    return 0


def _print_weights(model: TextModel) -> None:
    for name in ("lines", "headline", "context", "date"):
        linear = getattr(model, name)
        if isinstance(linear, Trees):
            print(f"{name:>8}: {len(linear.trees)} trees", file=sys.stderr)
            continue
        strongest = sorted(
            zip(linear.features, linear.coef, strict=True), key=lambda p: -abs(p[1])
        )[:8]
        shown = ", ".join(f"{f} {w:+.2f}" for f, w in strongest)
        print(f"{name:>8}: {shown}", file=sys.stderr)
    print(f"  decode: {model.decode}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
