"""Where the story starts and ends: features for a last look at each line, knowing the body found.

The context model (text_model, stage 3) decides line by line; the body is then its best run of
likely lines. Most of what that misses lies just outside the run's ends (the last paragraphs
after a line the model doubted, a lead paragraph cut at a link) and most of what it wrongly keeps
is a teaser or a caption inside it. This stage scores every line once more, now knowing the
body the context model found: whether the line is in it, how far outside it, how much of its
block and its neighbourhood was kept, and how far the line's own shape (stop-word density,
length) is from the kept lines' (a teaser list or a footer reads differently from the story it
follows). Shape only, never words: the names in EDGE_FEATURES are the ones the model file weighs.
"""

from __future__ import annotations

import math
from bisect import bisect_left

from explainer.ingest.text_lines import PageLines, column, sigmoid

EDGE_FEATURES = [
    "bias", "context", "context_prev1", "context_next1", "context_prev2", "context_next2",
    "first_pass", "block_context", "kept", "inside_run", "log_before_run", "log_after_run",
    "log_to_kept", "kept_window5", "block_kept", "stop_density_gap", "log_words_gap",
    "log_words", "stop_density", "sentence_end", "furniture", "link", "block_sentence_ends",
    "starts_lower", "no_body",
]  # fmt: skip
_WINDOW = 5


def edge_rows(
    page: PageLines, first: list[float], context: list[float], kept: list[int]
) -> list[list[float]]:
    """One row of EDGE_FEATURES per line: the first-pass and context scores (probabilities)
    and where the line stands against the body `kept` that the context scores gave. Long because
    it is one row of features, in the order of EDGE_FEATURES, read more easily in one place."""
    lines = page.lines
    n = len(lines)
    q = [sigmoid(s) for s in context]
    kept_set = set(kept)
    start, end = (kept[0], kept[-1]) if kept else (n, -1)
    weight = [max(1, line.words) for line in lines]
    block_q: dict[int, list[float]] = {}
    kept_blocks: set[int] = set()
    for i, line in enumerate(lines):
        entry = block_q.setdefault(line.block, [0.0, 0.0])
        entry[0] += q[i] * weight[i]
        entry[1] += weight[i]
        if i in kept_set:
            kept_blocks.add(line.block)
    stop_col, words_col = column("stop_density"), column("log_words")
    body_words = sum(weight[i] for i in kept) or 1
    body_stops = sum(page.features[i][stop_col] * weight[i] for i in kept) / body_words
    body_log_words = sum(page.features[i][words_col] for i in kept) / max(1, len(kept))
    kept_flags = [float(i in kept_set) for i in range(n)]
    rows = []
    for i, line in enumerate(lines):
        f = page.features[i]
        at = bisect_left(kept, i)
        near = [abs(kept[j] - i) for j in (at - 1, at) if 0 <= j < len(kept)]
        window = kept_flags[max(0, i - _WINDOW) : i + _WINDOW + 1]
        block = block_q[line.block]
        rows.append(
            [
                1.0,
                q[i],
                q[i - 1] if i >= 1 else 0.0,
                q[i + 1] if i + 1 < n else 0.0,
                q[i - 2] if i >= 2 else 0.0,
                q[i + 2] if i + 2 < n else 0.0,
                sigmoid(first[i]),
                block[0] / block[1],
                kept_flags[i],
                float(start <= i <= end),
                math.log1p(start - i) if kept and i < start else 0.0,
                math.log1p(i - end) if kept and i > end else 0.0,
                math.log1p(min(near)) if near else math.log1p(n),
                sum(window) / len(window),
                float(line.block in kept_blocks),
                abs(f[stop_col] - body_stops) if kept else 0.0,
                abs(f[words_col] - body_log_words) if kept else 0.0,
                f[words_col],
                f[stop_col],
                f[column("sentence_end")],
                f[column("furniture")],
                f[column("link")],
                f[column("block_sentence_ends")],
                f[column("starts_lower")],
                float(not kept),
            ]
        )
    return rows
