#!/usr/bin/env python3
"""A labelled set of seed pairs for near-duplicate (same story) detection, made from the dev
corpora in ../shared/corpus. Deterministic: the same corpora give the same seeds and pairs.

Stories and their versions (each version is a seed file, text or HTML, as ingestion reads it):

- AEB news pages (aeb-dev): the page as saved (HTML); the page as a crawler scrapes it (text:
  page_text.crawler_text, `get_text("\\n")` with the `<title>` line first); the story (its gold
  body) under another headline inside another AEB site's furniture, as text and as HTML;
  a truncated copy (the first 30-70% of its paragraphs) in a third site's page (HTML); a
  lightly edited copy (words changed, a sentence dropped, another headline) as plain text.
- webpages-dev pages with at least 80 words of text: the page as HTML and as scraped text.
- Reuters-21578 metals and negative stories (reuters-minerals-dev.jsonl): the story as a plain
  text seed; in another site's page with another headline (HTML); truncated (HTML, stories
  of 120 words or more); lightly edited (text). Two dev stories are true near-duplicates
  (the same Lac Minerals report filed twice, reworded); they are one story here.

Pairs labelled "same story": every pair of versions of one story. Pairs labelled distinct:
- `same-furniture`: two different stories in the same site's furniture (the wrapped copy of
  one story against the donor page itself, or against another story wrapped by that donor);
- `same-topic`: Reuters stories sharing a topic within a week of each other (Magma's copper
  price on the 7th and on the 9th of April 1987; two union stories on the same strike), each
  version against each;
- `follow-up`: a follow-up with new facts: another same-topic story's text, then the first
  story's opening paragraph as background, against the first story;
- `random`: a seeded sample of other pairs.

    .venv/bin/python eval/story_pairs.py [--out FOLDER]   # writes the seeds and pairs.json
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

from page_text import crawler_text  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SEED = 17
# The Reuters dev stories that are one story filed twice (read and labelled by hand).
REUTERS_SAME_STORY = [("1072", "1082")]
# Truncated copies are made of stories long enough to be cut (a 30-word price brief is not).
MIN_WORDS_TO_TRUNCATE = 120


@dataclass
class Doc:
    name: str  # the seed's file name: unique, and its suffix says what it holds
    story: str
    kind: str  # html, text, wrap-text, wrap-html, truncated, edited, plain, follow-up
    data: bytes


@dataclass
class Pair:
    a: str
    b: str
    same: bool
    category: str


def stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


# -- furniture donors: AEB pages whose article is located in both the text and the HTML --------


@dataclass
class Donor:
    name: str
    html: str
    gold: str  # the donor's own article text (normalised), which a wrapped copy must not keep
    before: list[str]  # scraped-text lines above the article
    after: list[str]  # and below it


def _donor(name: str, html: str, gold: str) -> Donor | None:
    gold_norm = _norm(gold)
    # the donor's furniture without its own <title> line, which names the donor's story
    lines = [line for line in crawler_text(html, with_title=False).split("\n") if line.strip()]
    inside = [
        i for i, line in enumerate(lines) if len(_norm(line)) > 30 and _norm(line) in gold_norm
    ]
    if len(inside) < 3:
        return None
    return Donor(name, html, gold_norm, lines[: inside[0]], lines[inside[-1] + 1 :])


def wrap_text(donor: Donor, headline: str, paragraphs: list[str], when: str) -> str:
    """A story inside a donor site's scraped furniture, under its own headline and date."""
    return "\n\n".join([*donor.before, headline, when, *paragraphs, *donor.after]) + "\n"


def wrap_html(donor: Donor, headline: str, paragraphs: list[str], when: str) -> str:
    """A story put into a donor page in place of the donor's article: the paragraphs that hold
    the donor's text are replaced, their common container gets the new headline and date."""
    soup = BeautifulSoup(donor.html, "lxml")
    for script in soup.find_all("script", type="application/ld+json"):
        script.decompose()
    for meta in soup.find_all("meta"):
        if meta.get("property", "").startswith(("og:", "article:")) or meta.get("name", "") in (
            "description", "title", "twitter:title", "twitter:description",
        ):  # fmt: skip
            meta.decompose()
    if soup.title:
        soup.title.string = headline
    own = [
        tag for tag in soup.find_all(["p", "li", "blockquote", "h2", "h3", "figcaption"])
        if len(_norm(tag.get_text(" "))) > 20 and _norm(tag.get_text(" ")) in donor.gold
    ]  # fmt: skip
    container = _common_ancestor(own) if len(own) > 1 else soup.body
    for tag in own:
        if tag is not container and not tag.decomposed:
            tag.decompose()
    for h1 in soup.find_all("h1"):
        h1.decompose()
    container.clear()
    heading = soup.new_tag("h1")
    heading.string = headline
    container.append(heading)
    stamp = soup.new_tag("time", datetime=when)
    stamp.string = when
    container.append(stamp)
    for paragraph in paragraphs:
        tag = soup.new_tag("p")
        tag.string = paragraph
        container.append(tag)
    return str(soup)


def _common_ancestor(tags):
    paths = [list(reversed(list(t.parents))) for t in tags]
    common = None
    for level in zip(*paths, strict=False):
        if all(node is level[0] for node in level):
            common = level[0]
        else:
            break
    return common


# -- edits --------------------------------------------------------------------------------------

_FILLERS = ["also", "now", "still", "reportedly", "recently", "meanwhile"]


def truncate(paragraphs: list[str], rng: random.Random) -> list[str]:
    """The first 30-70% of the paragraphs (by words), at least one paragraph and 40 words."""
    words = sum(len(p.split()) for p in paragraphs)
    keep, total = [], 0
    goal = words * rng.uniform(0.3, 0.7)
    for paragraph in paragraphs:
        if keep and total >= 40 and total + len(paragraph.split()) > goal:
            break
        keep.append(paragraph)
        total += len(paragraph.split())
    if len(keep) == len(paragraphs) and len(paragraphs) == 1:  # one long paragraph: cut words
        cut = paragraphs[0].split()
        keep = [" ".join(cut[: max(12, int(len(cut) * rng.uniform(0.4, 0.7)))])]
    return keep


def light_edit(paragraphs: list[str], rng: random.Random) -> list[str]:
    """What a sub-editor does to wire copy: a few words swapped, dropped or added (about 4% of
    them), one sentence dropped from a story of five or more."""
    sentences = [re.split(r"(?<=[.!?])\s+", p) for p in paragraphs]
    total = sum(len(s) for s in sentences)
    if total >= 5:
        pi = rng.randrange(len(sentences))
        if len(sentences[pi]) > 1:
            del sentences[pi][rng.randrange(len(sentences[pi]))]
    out = []
    for parts in sentences:
        words = " ".join(parts).split()
        for _ in range(max(0, round(len(words) * 0.04))):
            i = rng.randrange(len(words))
            op = rng.random()
            if op < 0.4 and len(words) > 3:
                j = rng.randrange(len(words))
                words[i], words[j] = words[j], words[i]
            elif op < 0.7 and len(words) > 3:
                del words[i]
            else:
                words.insert(i, rng.choice(_FILLERS))
        if words:
            out.append(" ".join(words))
    return out or paragraphs


def other_headline(paragraphs: list[str], rng: random.Random) -> str:
    words = " ".join(paragraphs).split()
    start = rng.randrange(0, max(1, min(20, len(words) - 8)))
    return " ".join(words[start : start + rng.randint(6, 10)]).strip(".,;:\"'“”").title()


def long_date(day: datetime) -> str:
    return day.strftime("%B %-d, %Y")


# -- the corpora --------------------------------------------------------------------------------


def _aeb(docs: list[Doc], donors: list[Donor]) -> dict[str, list[str]]:
    folder = CORPUS / "aeb-dev"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    paragraphs_of: dict[str, list[str]] = {}
    for page_id in sorted(gold):
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        body = gold[page_id]["articleBody"]
        paragraphs = [" ".join(p.split()) for p in body.split("\n") if p.strip()]
        if len(" ".join(paragraphs).split()) < 40:
            continue
        story = f"aeb:{page_id[:10]}"
        paragraphs_of[story] = paragraphs
        docs.append(Doc(f"{story}-html.html", story, "html", html.encode("utf-8")))
        docs.append(Doc(f"{story}-text.txt", story, "text", crawler_text(html).encode("utf-8")))
        donor = _donor(page_id, html, body)
        if donor:
            donors.append(donor)
    return paragraphs_of


def _webpages(docs: list[Doc]) -> None:
    folder = CORPUS / "webpages-dev"
    snippets = json.loads((folder / "snippets.json").read_text(encoding="utf-8"))
    from explainer.ingest.decode import decode_html

    for page_id in sorted(snippets):
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        html = decode_html(raw)
        text = crawler_text(html)
        if len(text.split()) < 80:
            continue
        story = f"web:{page_id[:10]}"
        docs.append(Doc(f"{story}-html.html", story, "html", html.encode("utf-8")))
        docs.append(Doc(f"{story}-text.txt", story, "text", text.encode("utf-8")))


def _reuters_records() -> list[dict]:
    path = CORPUS / "reuters-minerals-dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _reuters_paragraphs(body: str) -> list[str]:
    body = re.sub(r"\s*\bReuter\s*$", "", body.strip(), flags=re.IGNORECASE)
    parts = re.split(r"\n\s{3,}", body)
    return [" ".join(p.split()) for p in parts if p.strip()]


def build(rng_seed: int = SEED) -> tuple[list[Doc], list[Pair]]:
    rng = random.Random(rng_seed)
    docs: list[Doc] = []
    donors: list[Donor] = []
    paragraphs_of = _aeb(docs, donors)
    _webpages(docs)
    dated, topics = _reuters_docs(docs, paragraphs_of)
    wrapped_by = _other_versions(docs, donors, paragraphs_of, dated, rng)
    by_story: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_story[doc.story].append(doc)
    pairs: list[Pair] = []
    for _story, versions in sorted(by_story.items()):
        for a, b in combinations(versions, 2):
            pairs.append(Pair(a.name, b.name, True, f"same:{a.kind}+{b.kind}"))
    pairs += _same_furniture_pairs(donors, wrapped_by, by_story)
    reuters = sorted(s for s in by_story if s.startswith("reuters:"))
    pairs += _same_topic_pairs(reuters, by_story, topics, dated)
    pairs += _follow_ups(docs, reuters, by_story, paragraphs_of, topics, dated, rng)
    # A seeded sample of unrelated pairs.
    names = [d.name for d in docs]
    story_of = {d.name: d.story for d in docs}
    for _ in range(3000):
        a, b = rng.sample(names, 2)
        if story_of[a].split("-followup")[0] != story_of[b].split("-followup")[0]:
            pairs.append(Pair(a, b, False, "random"))
    return docs, _unique(pairs)


def _reuters_docs(
    docs: list[Doc], paragraphs_of: dict[str, list[str]]
) -> tuple[dict[str, datetime], dict[str, set[str]]]:
    """Each Reuters story as plain text (true near-duplicates share a story); returns each
    story's first day and its topics."""
    dated: dict[str, datetime] = {}
    topics: dict[str, set[str]] = {}
    same_as = {b: a for a, b in REUTERS_SAME_STORY}
    for record in _reuters_records():
        rid = str(record["id"])
        story = f"reuters:{same_as.get(rid, rid)}"
        paragraphs = _reuters_paragraphs(record["body"])
        if not paragraphs:
            continue
        day = datetime.fromisoformat(record["date"])
        dated[story] = min(day, dated.get(story, day))
        topics[story] = set(record["topics"]) | topics.get(story, set())
        text = f"{record['title'].title()}\n\n{long_date(day)}\n\n" + "\n\n".join(paragraphs)
        docs.append(Doc(f"reuters:{rid}-plain.txt", story, "plain", text.encode("utf-8")))
        paragraphs_of.setdefault(story, paragraphs)
    return dated, topics


def _other_versions(
    docs: list[Doc],
    donors: list[Donor],
    paragraphs_of: dict[str, list[str]],
    dated: dict[str, datetime],
    rng: random.Random,
) -> dict[str, list[Doc]]:
    """Every story wrapped in other sites' furniture under another headline, truncated and
    lightly edited; returns the versions each donor site wraps."""
    donor_ring = sorted(donors, key=lambda d: stable_hash(d.name))
    wrapped_by: dict[str, list[Doc]] = defaultdict(list)
    for n, story in enumerate(sorted(paragraphs_of)):
        paragraphs = paragraphs_of[story]
        when = long_date(dated.get(story, datetime(2020, 1, 1) + timedelta(days=n % 300)))
        first, second = donor_ring[n % len(donor_ring)], donor_ring[(n + 7) % len(donor_ring)]
        headline = other_headline(paragraphs, rng)
        if story.startswith("aeb:"):
            wrap = Doc(f"{story}-wrap.txt", story, "wrap-text",
                       wrap_text(first, headline, paragraphs, when).encode("utf-8"))  # fmt: skip
            docs.append(wrap)
            wrapped_by[first.name].append(wrap)
        html_doc = Doc(f"{story}-wrap.html", story, "wrap-html",
                       wrap_html(second, headline, paragraphs, when).encode("utf-8"))  # fmt: skip
        docs.append(html_doc)
        wrapped_by[second.name].append(html_doc)
        if len(" ".join(paragraphs).split()) >= MIN_WORDS_TO_TRUNCATE:
            third = donor_ring[(n + 13) % len(donor_ring)]
            short = truncate(paragraphs, rng)
            trunc = wrap_html(third, other_headline(short, rng), short, when)
            docs.append(Doc(f"{story}-trunc.html", story, "truncated", trunc.encode("utf-8")))
            wrapped_by[third.name].append(docs[-1])
        edited = light_edit(paragraphs, rng)
        text = f"{other_headline(edited, rng)}\n\n{when}\n\n" + "\n\n".join(edited) + "\n"
        docs.append(Doc(f"{story}-edit.txt", story, "edited", text.encode("utf-8")))
    return wrapped_by


def _same_furniture_pairs(
    donors: list[Donor], wrapped_by: dict[str, list[Doc]], by_story: dict[str, list[Doc]]
) -> list[Pair]:
    """Different stories in one site's furniture: the donor page itself and the stories it
    wraps."""
    pairs: list[Pair] = []
    donor_story = {d.name: f"aeb:{d.name[:10]}" for d in donors}
    for donor_name, wrapped in sorted(wrapped_by.items()):
        own = [d for d in by_story[donor_story[donor_name]] if d.kind in ("html", "text")]
        for doc in wrapped:
            pairs += [
                Pair(doc.name, mine.name, False, "same-furniture")
                for mine in own
                if doc.story != mine.story
            ]
        for a, b in combinations(wrapped, 2):
            if a.story != b.story:
                pairs.append(Pair(a.name, b.name, False, "same-furniture"))
    return pairs


def _same_topic_pairs(
    reuters: list[str],
    by_story: dict[str, list[Doc]],
    topics: dict[str, set[str]],
    dated: dict[str, datetime],
) -> list[Pair]:
    """Same topic within a week (Reuters): every version against every version."""
    pairs: list[Pair] = []
    for a, b in combinations(reuters, 2):
        if not (topics[a] & topics[b] and abs((dated[a] - dated[b]).days) <= 7):
            continue
        if stable_hash(f"{a}|{b}") % 4:  # a quarter of them, or they swamp the set
            continue
        pairs += [
            Pair(x.name, y.name, False, "same-topic") for x in by_story[a] for y in by_story[b]
        ]
    return pairs


def _follow_ups(
    docs: list[Doc],
    reuters: list[str],
    by_story: dict[str, list[Doc]],
    paragraphs_of: dict[str, list[str]],
    topics: dict[str, set[str]],
    dated: dict[str, datetime],
    rng: random.Random,
) -> list[Pair]:
    """Follow-ups: a same-topic story's text with the first story's lead as background."""
    pairs: list[Pair] = []
    for n, story in enumerate(reuters):
        mates = [s for s in reuters if s != story and topics[s] & topics[story]]
        if not mates or n % 3:
            continue
        mate = mates[stable_hash(story) % len(mates)]
        new_facts = paragraphs_of[mate]
        background = paragraphs_of[story][0]
        when = long_date(dated[story] + timedelta(days=1 + n % 5))
        text = f"{other_headline(new_facts, rng)}\n\n{when}\n\n" + "\n\n".join(
            [*new_facts, f"Earlier, {background[0].lower()}{background[1:]}"]
        )
        follow = Doc(f"{story}-followup.txt", f"{story}-followup", "follow-up", text.encode())
        docs.append(follow)
        pairs += [Pair(follow.name, v.name, False, "follow-up") for v in by_story[story]]
    return pairs


def _unique(pairs: list[Pair]) -> list[Pair]:
    seen: dict[tuple[str, str], Pair] = {}
    for pair in pairs:
        seen.setdefault(tuple(sorted((pair.a, pair.b))), pair)
    return list(seen.values())


def story_of(name: str) -> str:
    """The story a seed name belongs to, for folds: follow-ups go with the story they follow."""
    return name.rsplit("-", 1)[0].split("-followup")[0]


def write(folder: Path, docs: list[Doc], pairs: list[Pair]) -> None:
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / "seeds" / safe_name(doc.name)).write_bytes(doc.data)
    payload = [[safe_name(p.a), safe_name(p.b), p.same, p.category] for p in pairs]
    (folder / "pairs.json").write_text(json.dumps(payload), encoding="utf-8")


def safe_name(name: str) -> str:
    return name.replace(":", "_")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / ".build" / "story-pairs")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    docs, pairs = build()
    write(args.out, docs, pairs)
    same = sum(p.same for p in pairs)
    print(f"{len(docs)} seeds, {len(pairs)} pairs ({same} same story, {len(pairs) - same} not)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
