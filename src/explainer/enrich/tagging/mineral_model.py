"""The mineral decision: one logistic score over an article's evidence for a mineral.

The weights are data (mineral_model.csv), fitted by `eval/mineral_model_fit.py` on the dev
corpus with k-fold cross-validation; the threshold is the probability above which a mineral is
tagged. A mineral is tagged when the article as a whole makes it a subject or a material it
deals with: several commodity mentions, a headline, a named body, a business story's passing
"steel" staying out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from explainer.enrich.tagging.gazetteer import _rows

BIAS, THRESHOLD = "bias", "threshold"


@dataclass(frozen=True)
class MineralModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * v for name, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def accepts(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold


@cache
def load_mineral_model() -> MineralModel:
    values = {row["name"]: float(row["value"]) for row in _rows("mineral_model.csv")}
    bias = values.pop(BIAS)
    threshold = values.pop(THRESHOLD)
    return MineralModel(weights=values, bias=bias, threshold=threshold)
