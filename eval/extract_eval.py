#!/usr/bin/env python3
"""Extraction accuracy and speed on the dev corpora, for HTML seeds and text seeds, with baselines.

One command (`invoke eval-extract`, or `.venv/bin/python eval/extract_eval.py`) prints, for each
mode (html: the saved page; text: the page as a crawler saves its text, see page_text.py) and
each corpus (aeb: news pages with whole-body gold; webpages: pages with keep/drop snippets):

* body: the AEB metric (4-token shingles, per-page P/R averaged, F1 of the averages; aeb.py),
  or snippet precision/recall/F1 (whitespace- and case-folded substring test, as trafilatura's
  own evaluation counts them);
* title and date agreement with the page's metadata (definitions in corpora.py): title over
  every page, date (within one day) over the pages that declare a publication date;
* pages per second: `explainer extract --json` over every page of the corpus in ONE cold
  process (tags and summary included), as a user runs it.

Figures for `explainer` come in two kinds:

* in-fold: the shipped model (trained on every dev page) through the real command. These pages
  were trained on, so this is not a result, only a check that the command and the model agree;
* fold-out: 5-fold cross-validation by site (corpora.py): for each fold, everything learned is
  learned again from the other four folds' pages only, and the fold's pages are extracted with
  that model (in process, by the same code). This is the figure to judge.

Baselines are scored in the same run: trafilatura alone on the HTML (body, title, date),
htmldate alone (date), jusText untuned (English stop list, as it ships) and jusText with the
page's language stop list on the text lines, and dateparser's search_dates on the text.

    .venv/bin/python eval/extract_eval.py [--corpus aeb|webpages] [--mode html|text]
                                          [--no-baselines] [--no-cv] [--json OUT] [--misses]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "eval"))

from aeb import metrics, string_shingle_matching  # noqa: E402
from corpora import Page, date_agrees, load_pages, title_agrees  # noqa: E402

from explainer.markdown_text import markdown_to_text  # noqa: E402


# -- what a system predicts for one page ----------------------------------------------------------
class Prediction(dict):
    """{"body": plain text, "title": str, "date": date | None}"""


def _day(value) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# -- scoring --------------------------------------------------------------------------------------
def snippet_counts(page: Page, body: str) -> tuple[int, int, int]:
    """(tp, fp, fn) of a page's snippets in a body."""
    text = " ".join(body.casefold().split())
    tp = sum(" ".join(s.casefold().split()) in text for s in page.with_snippets)
    fn = len(page.with_snippets) - tp
    fp = sum(" ".join(s.casefold().split()) in text for s in page.without_snippets)
    return tp, fp, fn


def score(pages: list[Page], predicted: dict[str, Prediction]) -> dict[str, float]:
    """Body, title and date figures for the pages of ONE corpus."""
    result: dict[str, float] = {"pages": len(pages)}
    corpus = pages[0].corpus
    if corpus == "aeb":
        rows = [string_shingle_matching(p.gold_body, predicted[p.key].get("body", "")) for p in pages]
        m = metrics(rows)
        result.update(body_f1=m["f1"], body_p=m["precision"], body_r=m["recall"])
    else:
        tp = fp = fn = 0
        for page in pages:
            a, b, c = snippet_counts(page, predicted[page.key].get("body", ""))
            tp, fp, fn = tp + a, fp + b, fn + c
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result.update(body_f1=f1, body_p=precision, body_r=recall)
    titled = [p for p in pages if p.ref_titles]
    result["title"] = sum(
        title_agrees(predicted[p.key].get("title", ""), p.ref_titles) for p in titled
    ) / max(1, len(titled))
    dated = [p for p in pages if p.ref_date]
    result["date"] = sum(
        date_agrees(_day(predicted[p.key].get("date")), p.ref_date) for p in dated
    ) / max(1, len(dated))
    result["dated_pages"] = len(dated)
    # Over every page: a page that declares no date is right when none is given.
    result["date_all"] = sum(
        date_agrees(_day(predicted[p.key].get("date")), p.ref_date)
        if p.ref_date
        else predicted[p.key].get("date") is None
        for p in pages
    ) / len(pages)
    return result


# -- systems --------------------------------------------------------------------------------------
def run_cli(pages: list[Page], mode: str, folder: Path) -> tuple[dict[str, Prediction], float]:
    """`explainer extract --json` over every page in one cold process: predictions, seconds."""
    paths = []
    for page in pages:
        if mode == "html":
            paths.append(page.path)
        else:
            path = folder / f"{page.corpus}-{page.id}.txt"
            path.write_text(page.text, encoding="utf-8")
            paths.append(path)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "explainer.cli", "extract", "--json", *map(str, paths)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    seconds = time.perf_counter() - started
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if len(records) != len(pages):
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(f"extract_eval: expected {len(pages)} records, got {len(records)}")
    predicted = {}
    for page, record in zip(pages, records, strict=True):
        predicted[page.key] = Prediction(
            body=markdown_to_text(record.get("body") or ""),
            title=record.get("title") or "",
            date=_day(record.get("date")),
            error=record.get("error", ""),
        )
    return predicted, seconds


def run_trafilatura(pages: list[Page]) -> tuple[dict[str, Prediction], float]:
    """trafilatura alone on the HTML: its text, and the title and date of its metadata."""
    import trafilatura

    predicted = {}
    started = time.perf_counter()
    for page in pages:
        document = trafilatura.bare_extraction(
            page.data.decode("utf-8", "replace") if page.corpus == "aeb" else page.data,
            include_comments=False,
            with_metadata=True,
        )
        if document is None:
            predicted[page.key] = Prediction(body="", title="", date=None)
            continue
        predicted[page.key] = Prediction(
            body=document.text or "", title=document.title or "", date=_day(document.date)
        )
    return predicted, time.perf_counter() - started


def run_htmldate(pages: list[Page]) -> tuple[dict[str, Prediction], float]:
    """htmldate alone (original date, as it recommends for publication dates)."""
    from htmldate import find_date

    predicted = {}
    started = time.perf_counter()
    for page in pages:
        try:
            found = find_date(page.data.decode("utf-8", "replace"), original_date=True)
        except Exception:
            found = None
        predicted[page.key] = Prediction(body="", title="", date=_day(found))
    return predicted, time.perf_counter() - started


def text_blocks(text: str) -> list[str]:
    """The text's blocks (blank-line separated), each block's lines joined."""
    return [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]


def run_justext(pages: list[Page], language: str | None) -> tuple[dict[str, Prediction], float]:
    """jusText on the text seed: each block as a <p>, untuned (English stop list) or with the
    stop list of the page's language (the stop list that covers most of its words)."""
    import html

    import justext

    stoplists = {}
    predicted = {}
    started = time.perf_counter()
    for page in pages:
        blocks = text_blocks(page.text)
        lang = language or _justext_language(blocks)
        if lang not in stoplists:
            stoplists[lang] = justext.get_stoplist(lang)
        markup = "<html><body>" + "".join(f"<p>{html.escape(b)}</p>" for b in blocks) + "</body></html>"
        paragraphs = justext.justext(markup.encode("utf-8"), stoplists[lang])
        body = "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)
        predicted[page.key] = Prediction(body=body, title="", date=None)
    return predicted, time.perf_counter() - started


_JUSTEXT_WORDS: dict[str, list[str]] | None = None


def _justext_language(blocks: list[str]) -> str:
    import re

    import justext

    global _JUSTEXT_WORDS
    if _JUSTEXT_WORDS is None:
        _JUSTEXT_WORDS = {}
        for name in justext.get_stoplists():
            for word in justext.get_stoplist(name):
                _JUSTEXT_WORDS.setdefault(word, []).append(name)
    counts: dict[str, int] = {}
    for word in re.findall(r"\w+", " ".join(blocks).casefold()):
        for name in _JUSTEXT_WORDS.get(word, ()):
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else "English"


def run_dateparser(pages: list[Page]) -> tuple[dict[str, Prediction], float]:
    """dateparser's search_dates on the text seed's first 3,000 characters: the first date."""
    from dateparser.search import search_dates

    predicted = {}
    started = time.perf_counter()
    for page in pages:
        try:
            found = search_dates(page.text[:3000], settings={"STRICT_PARSING": True})
        except Exception:
            found = None
        predicted[page.key] = Prediction(body="", title="", date=_day(found[0][1]) if found else None)
    return predicted, time.perf_counter() - started


# -- report ---------------------------------------------------------------------------------------
COLUMNS = ("body_f1", "body_p", "body_r", "title", "date", "date_all")


def print_header() -> None:
    print(f"{'mode':<5} {'corpus':<9} {'system':<26} {'F1':>6} {'P':>6} {'R':>6} "
          f"{'title':>6} {'date':>6} {'date*':>6} {'pages/s':>8}")  # fmt: skip


def print_row(mode: str, corpus: str, system: str, result: dict, speed: float | None,
              shown: tuple[str, ...] = COLUMNS) -> None:  # fmt: skip
    cells = [f"{result[c]:6.3f}" if c in shown and c in result else f"{'-':>6}" for c in COLUMNS]
    rate = f"{speed:8.1f}" if speed else f"{'':>8}"
    print(f"{mode:<5} {corpus:<9} {system:<26} {' '.join(cells)} {rate}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("aeb", "webpages"), action="append")
    parser.add_argument("--mode", choices=("html", "text"), action="append")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--no-cv", action="store_true", help="skip the fold-out figures")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--misses", action="store_true", help="list fold-out title/date misses")
    args = parser.parse_args(argv)
    corpora = tuple(args.corpus or ("aeb", "webpages"))
    modes = tuple(args.mode or ("html", "text"))

    pages = load_pages(corpora)
    by_corpus = {c: [p for p in pages if p.corpus == c] for c in corpora}
    report: dict[str, dict] = {}

    def record(mode, corpus, system, predicted, seconds, shown=COLUMNS):
        result = score(by_corpus[corpus], predicted)
        speed = len(by_corpus[corpus]) / seconds if seconds else None
        report[f"{mode}/{corpus}/{system}"] = {**result, "pages_per_second": speed}
        print_row(mode, corpus, system, result, speed, shown)

    print(f"{len(pages)} pages, {len({p.site for p in pages})} sites, 5 folds by site")
    print("date: within a day, over pages that declare one; date*: over all pages (no date "
          "declared and none given counts as right)")  # fmt: skip
    print_header()
    with tempfile.TemporaryDirectory() as folder:
        for mode in modes:
            for corpus in corpora:
                subset = by_corpus[corpus]
                if mode == "text":
                    for page in subset:
                        page.text  # noqa: B018 (made before the clock starts)
                predicted, seconds = run_cli(subset, mode, Path(folder))
                record(mode, corpus, "explainer (in-fold)", predicted, seconds)
                if not args.no_baselines:
                    if mode == "html":
                        predicted, seconds = run_trafilatura(subset)
                        record(mode, corpus, "trafilatura alone", predicted, seconds)
                        predicted, seconds = run_htmldate(subset)
                        record(mode, corpus, "htmldate alone", predicted, seconds, ("date", "date_all"))
                    else:
                        predicted, seconds = run_justext(subset, "English")
                        record(mode, corpus, "jusText untuned (English)", predicted, seconds,
                               ("body_f1", "body_p", "body_r"))  # fmt: skip
                        predicted, seconds = run_justext(subset, None)
                        record(mode, corpus, "jusText, page's language", predicted, seconds,
                               ("body_f1", "body_p", "body_r"))  # fmt: skip
                        predicted, seconds = run_dateparser(subset)
                        record(mode, corpus, "dateparser search_dates", predicted, seconds,
                               ("date", "date_all"))  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, sort_keys=True, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
