#!/usr/bin/env python3
"""Write src/explainer/data/month_names.csv: month names in the languages news pages use.

The names come from the Unicode CLDR (through Babel, a development dependency): for each language,
the wide and abbreviated names, in both the "format" form ("19 listopada 2019") and the stand-alone
form ("listopad"), case-folded and without a final dot. One row per name: the name, the month it
means, and the languages that use it (a few names mean different months in different languages,
e.g. Croatian "listopad" is October and Czech "listopad" November; the text's language decides).

    .venv/bin/python tools/dates/build_month_names.py
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

from babel.dates import get_month_names

OUT = Path(__file__).resolve().parents[2] / "src" / "explainer" / "data" / "month_names.csv"
LANGUAGES = [
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "pl",
    "cs",
    "sk",
    "sl",
    "hr",
    "bs",
    "sr_Latn",
    "sq",
    "hu",
    "ro",
    "bg",
    "ru",
    "uk",
    "be",
    "mk",
    "el",
    "tr",
    "sv",
    "da",
    "nb",
    "nn",
    "is",
    "fi",
    "et",
    "lv",
    "lt",
    "ga",
    "cy",
    "ca",
    "eu",
    "gl",
    "af",
    "id",
    "ms",
    "vi",
    "tl",
    "sw",
    "az",
    "uz",
    "kk",
]


def fold(name: str) -> str:
    return unicodedata.normalize("NFC", name.casefold()).rstrip(".").strip()


def main() -> None:
    meanings: dict[tuple[str, int], set[str]] = defaultdict(set)
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names = get_month_names(width, context=context, locale=language)
                for month, name in names.items():
                    name = fold(name)
                    if len(name) >= 3 and not any(ch.isdigit() for ch in name):
                        meanings[(name, month)].add(language.split("_")[0])
    # English short forms that CLDR leaves out
    for name, month in (("sept", 9), ("june", 6), ("july", 7)):
        meanings[(name, month)].add("en")
    rows = sorted(
        (name, month, " ".join(sorted(langs))) for (name, month), langs in meanings.items()
    )
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "month", "languages"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} names")


if __name__ == "__main__":
    main()
