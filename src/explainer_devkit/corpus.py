"""A deterministic synthetic corpus: N articles in the project's Markdown format, or as text seeds.

Each article has ~600 words in 6-8 paragraphs and realistic metadata: a few countries and
minerals drawn from the project's gazetteers with a news-like skew (China, the United States,
Australia, Congo... appear far more often than the long tail), organisations, people and
keywords, a date between 2019 and 2026, and a summary taken from its first sentences. The same
(n, seed) always gives byte-identical files, so ours and vanilla Pelican read the same input.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from explainer.enrich.tagging.gazetteer import load_gazetteer, resolve_country

# How often news mentions a country or mineral: the head of the distribution, by weight.
_COUNTRY_WEIGHTS = {
    "CN": 40,
    "US": 22,
    "AU": 12,
    "CD": 10,
    "CL": 9,
    "ID": 9,
    "JP": 8,
    "DE": 7,
    "IN": 7,
    "CA": 7,
    "ZA": 6,
    "BR": 6,
    "GB": 6,
    "PE": 5,
    "RU": 5,
    "KR": 5,
    "FR": 4,
    "AR": 4,
    "MM": 4,
    "ZM": 4,
    "ZW": 3,
    "PH": 3,
    "VN": 3,
    "MX": 3,
    "KZ": 3,
    "BO": 3,
    "MA": 2,
    "GN": 2,
    "MG": 2,
    "NO": 2,
    "SE": 2,
    "FI": 2,
    "TR": 2,
    "SA": 2,
    "AE": 2,
    "UA": 2,
}
_MINERAL_WEIGHTS = {
    "rare-earths": 30,
    "lithium": 25,
    "cobalt": 18,
    "nickel": 16,
    "copper": 15,
    "graphite": 12,
    "gallium": 6,
    "germanium": 6,
    "manganese": 6,
    "antimony": 5,
    "tungsten": 5,
    "uranium": 5,
    "platinum-group-metals": 4,
    "aluminium": 4,
    "zinc": 3,
    "tin": 3,
    "vanadium": 3,
    "titanium": 3,
    "silicon": 3,
    "gold": 3,
    "iron-ore": 3,
}
_WORDS = [
    "supply",
    "chain",
    "market",
    "export",
    "import",
    "quota",
    "licence",
    "tariff",
    "refinery",
    "smelter",
    "mine",
    "deposit",
    "project",
    "investment",
    "government",
    "minister",
    "ministry",
    "policy",
    "strategy",
    "production",
    "capacity",
    "demand",
    "prices",
    "battery",
    "magnet",
    "vehicle",
    "electric",
    "grid",
    "defence",
    "industry",
    "partners",
    "agreement",
    "talks",
    "officials",
    "analysts",
    "report",
    "tonnes",
    "output",
    "growth",
    "processing",
    "concentrate",
    "ore",
    "reserves",
    "exploration",
    "permits",
    "companies",
    "producers",
    "buyers",
    "traders",
    "shipments",
    "port",
    "rail",
    "corridor",
    "security",
    "resilience",
    "stockpile",
    "recycling",
    "technology",
    "plant",
    "expansion",
    "financing",
    "bank",
    "fund",
    "state-owned",
    "joint",
    "venture",
    "offtake",
    "contract",
    "share",
    "global",
    "domestic",
    "regional",
    "local",
    "new",
    "recent",
    "major",
    "critical",
    "strategic",
    "key",
    "significant",
    "rising",
    "falling",
    "stable",
    "tight",
    "ample",
    "announced",
    "said",
    "expects",
    "plans",
    "warned",
    "agreed",
    "signed",
    "approved",
    "launched",
    "raised",
    "cut",
    "boosted",
    "the",
    "a",
    "of",
    "in",
    "to",
    "and",
    "for",
    "with",
    "on",
    "by",
    "from",
    "as",
    "that",
    "this",
    "its",
    "their",
    "over",
    "under",
    "between",
]
_VERBS = ("announced", "said", "plans", "warned", "agreed", "signed", "approved", "launched")
_TITLE_PATTERNS = (
    "{country} moves to secure {mineral} supply",
    "{mineral} prices rise as {country} tightens exports",
    "What {country}'s new {mineral} policy means for buyers",
    "{country} and {country2} sign {mineral} partnership",
    "Inside the race for {mineral} in {country}",
    "{organisation} talks turn to {mineral} security",
    "{country} approves new {mineral} refinery",
    "Why {mineral} matters to {country2}'s industry",
)


def _weighted(rng: random.Random, weights: dict[str, int], pool: list[str], k: int) -> list[str]:
    """k distinct picks: mostly from the weighted head, sometimes from the whole pool."""
    head, head_weights = list(weights), list(weights.values())
    picked: list[str] = []
    while len(picked) < k:
        choice = rng.choices(head, head_weights)[0] if rng.random() < 0.85 else rng.choice(pool)
        if choice not in picked:
            picked.append(choice)
    return picked


def _sentence(rng: random.Random, names: list[str]) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 22))]
    words.insert(rng.randint(0, 4), rng.choice(names))
    words.insert(rng.randint(6, len(words)), rng.choice(_VERBS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


class CorpusArticle:
    """One synthetic article: its metadata and Markdown body."""

    def __init__(self, index: int, seed: int) -> None:
        gazetteer = load_gazetteer()
        rng = random.Random(seed * 1_000_003 + index)
        countries = [
            code
            for code, entry in gazetteer.countries.items()
            if len(code) == 2 and resolve_country(entry.name) is entry
        ]
        minerals = list(gazetteer.minerals)
        codes = _weighted(rng, _COUNTRY_WEIGHTS, countries, rng.randint(1, 5))
        slugs = _weighted(
            rng,
            {k: v for k, v in _MINERAL_WEIGHTS.items() if k in gazetteer.minerals},
            minerals,
            rng.randint(1, 3),
        )
        self.countries = [gazetteer.countries[c].name for c in codes]
        self.minerals = [gazetteer.minerals[s].name for s in slugs]
        self.organisations = rng.sample(sorted(gazetteer.organisations.values()), rng.randint(0, 2))
        people = rng.sample(sorted(gazetteer.people), rng.randint(0, 2))
        keywords = rng.sample(sorted(gazetteer.keywords.values()), rng.randint(1, 3))
        self.tags = [*people, *keywords]
        self.date = date(2019, 1, 1) + timedelta(days=rng.randrange(7 * 365))
        names = [*self.countries, *self.minerals, *self.organisations] or ["Markets"]
        title = rng.choice(_TITLE_PATTERNS).format(
            country=self.countries[0],
            country2=self.countries[-1],
            mineral=self.minerals[0].lower()
            if self.minerals[0] != "Rare earths"
            else "rare earths",
            organisation=(self.organisations or ["G20"])[0],
        )
        self.title = f"{title[0].upper()}{title[1:]} ({index + 1})"
        self.slug = f"bench-{index + 1:05d}"
        paragraphs = []
        words = 0
        while words < 600:
            sentences = [_sentence(rng, names) for _ in range(rng.randint(3, 5))]
            paragraph = " ".join(sentences)
            words += len(paragraph.split())
            paragraphs.append(paragraph)
        # Some Markdown beyond paragraphs, as in real articles: a subheading, a link, emphasis.
        if len(paragraphs) > 4:
            paragraphs.insert(3, f"## {rng.choice(names)} and the {rng.choice(_WORDS)} outlook")
        cited = rng.randrange(1, len(paragraphs))
        if not paragraphs[cited].startswith("#"):
            paragraphs[cited] += (
                f" See the [full report](https://data.example.org/{index}) for *details*."
            )
        self.paragraphs = paragraphs
        first = paragraphs[0].split(". ")
        self.summary = (
            (first[0] + ". " + first[1]).rstrip(".") + "." if len(first) > 1 else first[0]
        )

    def markdown(self) -> str:
        fields = [
            ("Title", self.title),
            ("Date", self.date.isoformat()),
            ("Slug", self.slug),
            ("Summary", self.summary),
            ("Countries", ", ".join(self.countries)),
            ("Minerals", ", ".join(self.minerals)),
            ("Organisations", ", ".join(self.organisations)),
            ("Tags", ", ".join(self.tags)),
            ("Focus", ", ".join(self.focus)),
            ("Source", f"https://news.example.org/{self.slug}"),
        ]
        header = "\n".join(f"{key}: {value}".rstrip() for key, value in fields)
        return header + "\n\n" + "\n\n".join(self.paragraphs) + "\n"

    @property
    def focus(self) -> list[str]:
        """What the article is about, as ingestion writes it (`Focus:`): the countries and
        minerals its title names, else its first country and mineral."""
        title = self.title.casefold()
        named = [n for n in [*self.countries, *self.minerals] if n.casefold() in title]
        return named or [*self.countries[:1], *self.minerals[:1]]

    def seed_text(self) -> str:
        """The article as scraped text, with the furniture of the project's first seed."""
        when = self.date.strftime("%-d %b, %Y")
        return (
            f"Home  >>  News  >>  {self.title}\n{self.title}\n\n{self.title}\n\n{when}\n\n"
            + "\n\n".join(self.paragraphs)
            + "\n\nLatest News\n"
        )


def write_articles(content: Path, n: int, seed: int = 5) -> list[Path]:
    """Write n articles into content/articles/ (bench-00001.md ...); returns their paths."""
    return _write(content / "articles", n, seed, ".md", CorpusArticle.markdown)


def write_seeds(folder: Path, n: int, seed: int = 5) -> list[Path]:
    """Write n text seeds (bench-00001.txt ...) into folder; returns their paths."""
    return _write(folder, n, seed, ".txt", CorpusArticle.seed_text)


def _write(folder: Path, n: int, seed: int, suffix: str, text) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(n):
        article = CorpusArticle(index, seed)
        path = folder / f"{article.slug}{suffix}"
        path.write_text(text(article), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic benchmark corpus.")
    parser.add_argument("folder", type=Path, help="content folder (articles go to articles/)")
    parser.add_argument("-n", type=int, default=1000, help="number of articles")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--seeds", action="store_true", help="write text seeds instead")
    args = parser.parse_args(argv)
    if args.seeds:
        write_seeds(args.folder, args.n, args.seed)
    else:
        write_articles(args.folder, args.n, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
