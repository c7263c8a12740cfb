"""Tags of articles in French, Spanish, Portuguese and German: precision and recall per language.

Every article of eval/multilingual/articles.json (written for this project, with the countries
and minerals a careful reader would tag) goes through `explainer.enrich.enrich`, the code path
that ingestion and the build share, with no language given: the language is detected from the
text. Printed per language and per split (`tuned`: looked at while the data files were made;
`aside`: never looked at while tuning): micro precision and recall of the countries (every
country tagged, salient or not) and of the minerals, whether the language was detected right,
and whether the summary is a sentence of the article's own text.

Usage: python eval/multilingual_tags.py [--json] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "eval" / "multilingual" / "articles.json"
LANGUAGES = ("fr", "es", "pt", "de")


def load_articles(path: Path = ARTICLES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def measure(articles: list[dict]) -> dict:
    from explainer.enrich.enrichment import enrich

    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors = []
    for article in articles:
        found = enrich(article["title"], article["body"])
        countries = {c.code for c in found.tags.countries}
        minerals = {m.slug for m in found.tags.minerals}
        for split in (article["split"], "all"):
            tally = counts[(article["lang"], split)]
            for kind, got, want in (
                ("countries", countries, set(article["countries"])),
                ("minerals", minerals, set(article["minerals"])),
            ):
                tally[f"{kind}_tp"] += len(got & want)
                tally[f"{kind}_fp"] += len(got - want)
                tally[f"{kind}_fn"] += len(want - got)
            tally["articles"] += 1
            tally["lang_right"] += (found.lang or "").split("-")[0] == article["lang"]
            tally["summary_in_text"] += bool(found.summary) and found.summary in article["body"]
        if countries != set(article["countries"]) or minerals != set(article["minerals"]):
            errors.append(
                {
                    "id": article["id"],
                    "countries": {
                        "extra": sorted(countries - set(article["countries"])),
                        "missed": sorted(set(article["countries"]) - countries),
                    },
                    "minerals": {
                        "extra": sorted(minerals - set(article["minerals"])),
                        "missed": sorted(set(article["minerals"]) - minerals),
                    },
                }
            )
    result: dict = {"groups": {}, "errors": errors}
    for (lang, split), tally in sorted(counts.items()):
        group = {"articles": tally["articles"]}
        for kind in ("countries", "minerals"):
            tp, fp, fn = (tally[f"{kind}_{x}"] for x in ("tp", "fp", "fn"))
            group[kind] = {
                "precision": tp / (tp + fp) if tp + fp else 1.0,
                "recall": tp / (tp + fn) if tp + fn else 1.0,
            }
        group["language_detected"] = tally["lang_right"] / tally["articles"]
        group["summary_in_own_text"] = tally["summary_in_text"] / tally["articles"]
        result["groups"][f"{lang}/{split}"] = group
    return result


def print_report(result: dict, show_errors: bool) -> None:
    header = f"{'':12}{'n':>4}{'countries P':>13}{'R':>7}{'minerals P':>12}{'R':>7}"
    print(header + f"{'lang ok':>9}{'summary':>9}")
    for name, group in result["groups"].items():
        c, m = group["countries"], group["minerals"]
        print(
            f"{name:12}{group['articles']:>4}{c['precision']:>13.3f}{c['recall']:>7.3f}"
            f"{m['precision']:>12.3f}{m['recall']:>7.3f}{group['language_detected']:>9.2f}"
            f"{group['summary_in_own_text']:>9.2f}"
        )
    if show_errors:
        for error in result["errors"]:
            print(error)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    result = measure(load_articles())
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result, args.show_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
