"""Tagging accuracy on Reuters-21578 wire stories, measured through `explainer extract --json`.

Each story of the corpus (default: ../shared/corpus/reuters-minerals-dev.jsonl) is written as a
text seed — title line, date line, then the dateline and the body, as the wire printed it — and
all of them go through the `explainer extract --json` command in this one process (the same code
path as the console script). The script prints, for a fixed two-way split of the stories (half
"A" to tune on, half "B" to check) and for all of them:

* minerals: recall per Reuters metal topic, overall recall, and the false-alarm rate (share of
  the stories about something else that get any mineral tag);
* countries: precision, recall and F1 of the *salient* countries against the editors' PLACES,
  and mention recall (share of PLACES that are tagged at all, salient or not);
* organisations: recall against the editors' ORGS;
* the mineral decision cross-validated (eval/mineral_model_fit.py: k folds by story, fold-out
  and in-fold figures of the learned model and of the rule score, beside the shipped weights);
* articles per second for the whole batch, gazetteers loaded inside the timed run, by the
  wall clock and per CPU second of this process (the machine may be shared: the CPU figure
  does not count time lost to other processes).

Usage: python eval/reuters_tags.py [CORPUS.jsonl] [--json] [--show-errors] [--no-cv]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "reuters-minerals-dev.jsonl"

# Reuters metal topics -> the mineral slugs of src/explainer/data/minerals.csv that count as a
# hit. The corpus has no lithium, cobalt or rare-earth codes: Reuters filed cobalt, tungsten,
# mercury, uranium and the other minor and alloying metals under "strategic-metal", so every
# slug that is not one of the other topics' metals (nor a bulk non-metal) counts for it.
_NOT_STRATEGIC = {
    "gold", "silver", "copper", "zinc", "lead", "tin", "nickel", "aluminium", "bauxite",
    "iron", "iron-ore", "steel", "coal", "coking-coal", "potash", "phosphate-rock",
    "phosphorus", "diamonds", "feldspar", "fluorspar", "barite", "helium", "graphite",
}
TOPIC_SLUGS: dict[str, set[str]] = {
    "gold": {"gold"},
    "silver": {"silver"},
    "copper": {"copper"},
    "zinc": {"zinc"},
    "lead": {"lead"},
    "tin": {"tin"},
    "nickel": {"nickel"},
    "platinum": {"platinum", "platinum-group-metals"},
    "palladium": {"palladium", "platinum-group-metals"},
    "alum": {"aluminium", "bauxite"},
    "iron-steel": {"iron", "iron-ore", "steel"},
}


def strategic_slugs() -> set[str]:
    from explainer.enrich.tagging.gazetteer import load_gazetteer

    return set(load_gazetteer().minerals) - _NOT_STRATEGIC


def topic_slugs(topic: str) -> set[str]:
    if topic == "strategic-metal":
        return strategic_slugs()
    return TOPIC_SLUGS.get(topic, {topic})


def half(story_id: int | str) -> str:
    """A fixed split of the dev stories: "A" (tune on it) or "B" (check on it)."""
    digest = hashlib.sha256(f"explainer-eval-split-v1|{story_id}".encode()).digest()
    return "A" if digest[0] % 2 == 0 else "B"


def seed_text(story: dict) -> str:
    """A story as a text seed: title line, date line, blank line, dateline + body."""
    date = datetime.fromisoformat(story["date"])
    body = story["body"].lstrip()
    dateline = story.get("dateline", "").strip()
    lead = f"{dateline} - {body}" if dateline else body
    return f"{story['title'].strip()}\n{date:%d %B %Y}\n\n{lead}\n"


def run_extract(stories: list[dict]) -> tuple[list[dict], float, float]:
    """Every story through `explainer extract --json` in this process:
    (records, wall-clock seconds, CPU seconds of this process)."""
    from explainer.cli import main

    with tempfile.TemporaryDirectory(prefix="reuters-seeds-") as folder:
        paths = []
        for story in stories:
            path = Path(folder) / f"reuters-{story['id']}.txt"
            path.write_text(seed_text(story), encoding="utf-8")
            paths.append(str(path))
        buffer = io.StringIO()
        started, cpu_started = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(buffer):
            status = main(["extract", "--json", *paths])
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    if status != 0 or len(records) != len(stories):
        failed = [r for r in records if "error" in r]
        raise SystemExit(f"extract failed on {len(failed)} stories: {failed[:3]}")
    return records, seconds, cpu_seconds


# Reuters ORGS codes (all 56 of all-orgs-strings) -> the slug of organisations.csv that
# stands for the same body. The corpus's own names for some bodies differ from what the
# stories write ("International Atomic Energy Authority"), so the label is mapped by code;
# a code missing here is looked up by its corpus name.
ORG_SLUGS = {
    "adb-africa": "african-development-bank",
    "adb-asia": "asian-development-bank",
    "aibd": "aibd",
    "aid": "usaid",
    "anrpc": "anrpc",
    "asean": "asean",
    "atpc": "atpc",
    "bis": "bank-for-international-settlements",
    "cipec": "cipec",
    "comecon": "comecon",
    "ec": "eu",
    "eca": "eca",
    "ecafe": "escap",
    "ece": "ece",
    "ecla": "eclac",
    "ecsc": "ecsc",
    "ecwa": "escwa",
    "efta": "efta",
    "eib": "eib",
    "emcf": "emcf",
    "escap": "escap",
    "euratom": "euratom",
    "fao": "fao",
    "gatt": "gatt",
    "gcc": "gcc",
    "iaea": "iaea",
    "iata": "iata",
    "icco": "icco",
    "ico-coffee": "ico-coffee",
    "ico-islam": "oic",
    "ida": "ida",
    "iea": "iea",
    "iisi": "iisi",
    "ilo": "ilo",
    "ilzsg": "ilzsg",
    "imco": "imo",
    "imf": "imf",
    "inro": "inro",
    "irsg": "irsg",
    "isa": "iso-sugar",
    "itc": "itc",
    "iwc-whale": "iwc-whale",
    "iwc-wheat": "iwc-wheat",
    "iwcc": "iwcc",
    "iws": "iws",
    "iwto": "iwto",
    "lafta": "lafta",
    "mfa": "mfa",
    "oapec": "oapec",
    "oecd": "oecd",
    "opec": "opec",
    "un": "un",
    "unctad": "unctad",
    "who": "who",
    "worldbank": "world-bank",
}


def org_display_name(code: str, name: str) -> str:
    """The name `explainer extract` prints for the body a Reuters ORGS label stands for."""
    from explainer.enrich.tagging.gazetteer import load_gazetteer, resolve_organisation

    organisations = load_gazetteer().organisations
    slug = ORG_SLUGS.get(code)
    if slug in organisations:
        return organisations[slug]
    return resolve_organisation(name) or name


@dataclass
class Scores:
    stories: int = 0
    topic_hits: Counter = field(default_factory=Counter)
    topic_salient_hits: Counter = field(default_factory=Counter)
    topic_total: Counter = field(default_factory=Counter)
    negatives: int = 0
    false_alarms: int = 0
    salient_false_alarms: int = 0
    country_tp: int = 0
    country_fp: int = 0
    country_fn: int = 0
    places: int = 0
    places_mentioned: int = 0
    orgs: int = 0
    orgs_found: int = 0
    errors: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, story: dict, record: dict) -> None:
        self.stories += 1
        self._add_minerals(story, record)
        self._add_countries(story, record)
        self._add_organisations(story, record)

    def _add_minerals(self, story: dict, record: dict) -> None:
        minerals = {m["slug"] for m in record["minerals"]}
        salient_minerals = {m["slug"] for m in record["minerals"] if m.get("salient", True)}
        if story["label"] == "negative":
            self.negatives += 1
            if minerals:
                self.false_alarms += 1
                self.errors["false alarm"].append((story["id"], sorted(minerals)))
            if salient_minerals:
                self.salient_false_alarms += 1
        for topic in story["mineral_topics"]:
            self.topic_total[topic] += 1
            if minerals & topic_slugs(topic):
                self.topic_hits[topic] += 1
            else:
                self.errors[f"missed {topic}"].append((story["id"], sorted(minerals)))
            if salient_minerals & topic_slugs(topic):
                self.topic_salient_hits[topic] += 1
            else:
                self.errors[f"not salient {topic}"].append((story["id"], sorted(minerals)))

    def _add_countries(self, story: dict, record: dict) -> None:
        places = set(story["places_iso2"])
        mentioned = {c["code"] for c in record["countries"]}
        salient = {c["code"] for c in record["countries"] if c.get("salient", True)}
        self.country_tp += len(salient & places)
        self.country_fp += len(salient - places)
        self.country_fn += len(places - salient)
        if salient - places:
            self.errors["country false positive"].append((story["id"], sorted(salient - places)))
        if places - salient:
            self.errors["country missed"].append((story["id"], sorted(places - salient)))
        self.places += len(places)
        self.places_mentioned += len(places & mentioned)
        if places - mentioned:
            self.errors["place not mentioned"].append((story["id"], sorted(places - mentioned)))

    def _add_organisations(self, story: dict, record: dict) -> None:
        found = set(record["organisations"])
        for code, name in zip(story["orgs"], story["orgs_names"], strict=False):
            self.orgs += 1
            wanted = org_display_name(code, name)
            if wanted in found:
                self.orgs_found += 1
            else:
                self.errors["org missed"].append((story["id"], code, sorted(found)))

    def report(self) -> dict:
        precision = _ratio(self.country_tp, self.country_tp + self.country_fp)
        recall = _ratio(self.country_tp, self.country_tp + self.country_fn)
        f1 = _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0
        return {
            "stories": self.stories,
            "minerals": {
                "recall": _ratio(sum(self.topic_hits.values()), sum(self.topic_total.values())),
                "recall_salient": _ratio(
                    sum(self.topic_salient_hits.values()), sum(self.topic_total.values())
                ),
                "false_alarm": _ratio(self.false_alarms, self.negatives),
                "false_alarm_salient": _ratio(self.salient_false_alarms, self.negatives),
                "per_metal": {
                    topic: {
                        "recall": _ratio(self.topic_hits[topic], total),
                        "stories": total,
                    }
                    for topic, total in sorted(self.topic_total.items())
                },
            },
            "countries": {
                "salient_precision": precision,
                "salient_recall": recall,
                "salient_f1": f1,
                "mention_recall": _ratio(self.places_mentioned, self.places),
                "places": self.places,
            },
            "organisations": {"recall": _ratio(self.orgs_found, self.orgs), "labels": self.orgs},
        }


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def evaluate(stories: list[dict], records: list[dict]) -> dict[str, Scores]:
    groups = {"A": Scores(), "B": Scores(), "all": Scores()}
    for story, record in zip(stories, records, strict=True):
        groups[half(story["id"])].add(story, record)
        groups["all"].add(story, record)
    return groups


def load_corpus(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def measure(path: Path = DEFAULT_CORPUS) -> dict:
    stories = load_corpus(path)
    records, seconds, cpu_seconds = run_extract(stories)
    groups = evaluate(stories, records)
    result = {name: scores.report() for name, scores in groups.items()}
    result["speed"] = {
        "articles": len(stories),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "articles_per_second": _ratio(len(stories), seconds),
        "articles_per_cpu_second": _ratio(len(stories), cpu_seconds),
    }
    result["_groups"] = groups
    return result


def print_report(result: dict, show_errors: bool) -> None:
    names = ["A", "B", "all"]
    print(f"{'':34}" + "".join(f"{n:>10}" for n in names))

    def row(label: str, values: list[float], fmt: str = "{:>10.3f}") -> None:
        print(f"{label:34}" + "".join(fmt.format(v) for v in values))

    row("stories", [result[n]["stories"] for n in names], "{:>10d}")
    topics = sorted({t for n in names for t in result[n]["minerals"]["per_metal"]})
    for topic in topics:
        cells = []
        for n in names:
            metal = result[n]["minerals"]["per_metal"].get(topic)
            cells.append(f"{metal['recall']:.2f} ({metal['stories']:>2})" if metal else "-")
        print(f"{'  recall ' + topic:34}" + "".join(f"{c:>10}" for c in cells))
    row("minerals recall", [result[n]["minerals"]["recall"] for n in names])
    row("  (salient minerals only)", [result[n]["minerals"]["recall_salient"] for n in names])
    row("minerals false alarm", [result[n]["minerals"]["false_alarm"] for n in names])
    row("  (salient minerals only)", [result[n]["minerals"]["false_alarm_salient"] for n in names])
    for key in ("salient_precision", "salient_recall", "salient_f1", "mention_recall"):
        row(f"countries {key.replace('_', ' ')}", [result[n]["countries"][key] for n in names])
    row("organisations recall", [result[n]["organisations"]["recall"] for n in names])
    speed = result["speed"]
    print(
        f"speed: {speed['articles']} articles in {speed['seconds']:.2f} s = "
        f"{speed['articles_per_second']:.0f} articles/second "
        f"({speed['articles_per_cpu_second']:.0f} per CPU second; one process, cold start: "
        "gazetteers loaded inside the timed run)"
    )
    if show_errors:
        for kind, items in sorted(result["_groups"]["all"].errors.items()):
            print(f"\n{kind} ({len(items)}):")
            for item in items:
                print("  ", *item)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show-errors", action="store_true", help="list every miss")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"reuters_tags: {args.corpus}: no such file", file=sys.stderr)
        return 2
    result = measure(args.corpus)  # timed first, so nothing else has warmed the caches
    if not args.no_cv:
        import mineral_model_fit

        result["mineral_cv"] = mineral_model_fit.report(mineral_model_fit.load_stories(args.corpus))
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if not k.startswith("_")}, indent=2))
    else:
        print_report(result, args.show_errors)
        if "mineral_cv" in result:
            print()
            mineral_model_fit.print_report(result["mineral_cv"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
