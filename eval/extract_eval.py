#!/usr/bin/env python3
"""How well `explainer extract --json` reads saved pages and text seeds, with baselines, in one run.

For both dev corpora (../shared/corpus/aeb-dev: whole-body gold, the benchmark's metric;
webpages-dev: keep/drop snippets, trafilatura's metric) and both kinds of seed:

* HTML mode: the saved pages (.html.gz) through `explainer extract --json` in one cold process;
  baselines trafilatura alone (body, title and date from `bare_extraction`) and htmldate alone
  (date).
* Text mode, in two variants: each page made into the text a crawler saves
  (page_text.crawler_text: `get_text("\\n")` of the whole page, its `<title>` line first, the
  issue's definition: "title") and into a select-all copy (the same without the `<title>`:
  "no-title"), written to .txt files and read through `explainer extract --json` in one cold
  process each (the shipped model, trained on every dev page: in-fold); then the fold-out
  figures: 5 folds by site, each page read by a model trained only on the other four folds
  (train_text_model.py, both variants of every training page). Baselines on the "title"
  text: jusText untuned (each block a paragraph, English stop list), jusText with the stop
  list of the text's language, trafilatura on the same blocks, and for headline and date the
  first line and htmldate.

Printed per system and corpus: body F1/precision/recall (AEB metric: the body only) or snippet
precision/recall/F1 (webpages: the article as shown, its headline over its body, for systems
that find a headline; jusText's column shows the first line as a naive headline but its
snippets are scored on its body alone), title agreement and date agreement
(±1 day) with the page's own metadata (definitions in corpora.py), how many pages have a
reference, and pages per second (whole process, cold, tags and summary included for explainer):
by the wall clock and per CPU-second of the process (the machine is shared: wall-clock rates
fall with the load, CPU rates hardly do). The trafilatura baseline makes one bare_extraction per
page (body, title and date together).

    .venv/bin/python eval/extract_eval.py [--no-fold-out] [--no-baselines]
        [--text-only | --html-only] [--corpus aeb|webpages] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import corpora  # noqa: E402
from aeb import metrics, string_shingle_matching  # noqa: E402

from explainer.text.markdown_text import markdown_to_text  # noqa: E402

Prediction = dict  # {"title": str|None, "date": "YYYY-MM-DD..."|None, "text": str}


# -- systems --------------------------------------------------------------------------------------
def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(paths: list[Path], command: list[str]) -> tuple[list[Prediction], float, float]:
    started, cpu = time.perf_counter(), _child_cpu()
    result = subprocess.run(
        [*command, "extract", "--json", *(str(p) for p in paths)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    seconds, cpu = time.perf_counter() - started, _child_cpu() - cpu
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if len(records) != len(paths):
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(f"extract_eval: expected {len(paths)} records, got {len(records)}")
    out = []
    for path, record in zip(paths, records, strict=True):
        if record.get("path") != str(path):
            raise SystemExit(f"extract_eval: records out of order at {path}")
        out.append(
            {
                "title": record.get("title"),
                "date": record.get("date"),
                "text": markdown_to_text(record.get("body") or ""),
                "error": record.get("error"),
            }
        )
    return out, seconds, cpu


def trafilatura_html(pages: list[corpora.Page]) -> tuple[list[Prediction], float, float]:
    import trafilatura

    out = []
    started, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        html = page.html().decode("utf-8", "replace")
        document = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
        text = (getattr(document, "text", None) if document else None) or ""
        out.append(
            {
                "title": getattr(document, "title", None) if document else None,
                "date": getattr(document, "date", None) if document else None,
                "text": text,
            }
        )
    return out, time.perf_counter() - started, time.process_time() - cpu


def htmldate_html(pages: list[corpora.Page]) -> tuple[list[Prediction], float, float]:
    from htmldate import find_date

    out = []
    started, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        html = page.html().decode("utf-8", "replace")
        try:
            day = find_date(html, original_date=True)
        except Exception:  # a baseline's failure is its miss
            day = None
        out.append({"title": None, "date": day, "text": None})
    return out, time.perf_counter() - started, time.process_time() - cpu


def blocks_as_html(text: str) -> str:
    """A text seed's blocks (blank-line separated) as paragraphs, for HTML-only libraries."""
    import html

    paragraphs = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    return (
        "<html><body>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</body></html>"
    )


def justext_text(texts: list[str], language: str | None) -> tuple[list[Prediction], float, float]:
    import justext

    from explainer.ingest.languages import detect_language

    out = []
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        name = language or detect_language(text) or "English"
        paragraphs = justext.justext(blocks_as_html(text), justext.get_stoplist(name))
        kept = [p.text for p in paragraphs if not p.is_boilerplate]
        lines = [line for line in text.split("\n") if line.strip()]
        out.append(
            {
                "title": lines[0] if lines else None,  # a naive guess, for the title column
                "title_is_found": False,
                "date": None,
                "text": "\n\n".join(kept),
            }
        )
    return out, time.perf_counter() - started, time.process_time() - cpu


def trafilatura_text(texts: list[str]) -> tuple[list[Prediction], float, float]:
    import trafilatura
    from htmldate import find_date

    out = []
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        html = blocks_as_html(text)
        body = trafilatura.extract(html, include_comments=False) or ""
        try:
            day = find_date(html, original_date=True, extensive_search=True)
        except Exception:
            day = None
        out.append({"title": None, "date": day, "text": body})
    return out, time.perf_counter() - started, time.process_time() - cpu


def fold_out_text(
    pages: list[corpora.Page],
) -> dict[str, tuple[list[Prediction], list[Prediction]]]:
    """Per text variant ("title": the crawler's text with its `<title>` line; "no-title": a
    select-all copy), the (fold-out, in-fold) predictions of the text reader, trained here on
    the dev corpora, both variants of every page."""
    import train_text_model as training

    from explainer.ingest.text_seed import reading_text

    examples = training.both_variants(pages)
    extra = training.synthetic_examples(examples, training.load_references(pages))
    outside = training.fold_out_readings(examples, extra)
    model = training.train(examples + extra)
    inside = {ex.page.id: training.read_lines(model, ex.lines) for ex in examples}

    def predictions(readings, suffix: str) -> list[Prediction]:
        out = []
        for page in pages:
            reading = readings[page.id + suffix]
            lines = reading.page.lines
            out.append(
                {
                    "title": lines[reading.title_line].text
                    if reading.title_line is not None
                    else None,
                    "date": reading.date.isoformat() if reading.date else None,
                    "text": reading_text(reading),
                }
            )
        return out

    return {
        variant: (predictions(outside, suffix), predictions(inside, suffix))
        for variant, suffix in (("title", ""), ("no-title", training.NO_TITLE))
    }


# -- scoring --------------------------------------------------------------------------------------
def score(
    pages: list[corpora.Page], refs: dict[str, corpora.Reference], predicted: list[Prediction]
) -> dict[str, dict]:
    report: dict[str, dict] = {}
    for corpus in ("aeb", "webpages"):
        chosen = [(p, r) for p, r in zip(pages, predicted, strict=True) if p.corpus == corpus]
        if not chosen:
            continue
        row: dict = {"pages": len(chosen)}
        if chosen[0][1]["text"] is not None:
            if corpus == "aeb":
                row.update(metrics([string_shingle_matching(p.body, r["text"]) for p, r in chosen]))
            else:
                counts = [corpora.snippet_counts(_shown(r), p.keep, p.drop) for p, r in chosen]
                row.update(corpora.snippet_scores(counts))
        titled = [(p, r) for p, r in chosen if refs[p.id].titles]
        if any(r["title"] for _, r in chosen):
            hits = sum(corpora.title_right(r["title"], refs[p.id].titles) for p, r in titled)
            row["title"] = hits / len(titled) if titled else 0.0
            row["title_n"] = len(titled)
        dated = [(p, r) for p, r in chosen if refs[p.id].date is not None]
        if any(r["date"] for _, r in chosen):
            hits = sum(corpora.date_right(_iso(r["date"]), refs[p.id].date) for p, r in dated)
            row["date"] = hits / len(dated) if dated else 0.0
            row["date_n"] = len(dated)
        report[corpus] = row
    return report


def figures(pages: list[corpora.Page], predicted: list[Prediction]) -> dict[str, float]:
    """Body F1, title and date agreement per corpus, keyed as the tests' floors are
    (`aeb_f1`, `web_title`...), scored as the evaluation scores them."""
    refs = {page.id: corpora.reference(page.html()) for page in pages}
    out: dict[str, float] = {}
    for corpus, row in score(pages, refs, predicted).items():
        key = "aeb" if corpus == "aeb" else "web"
        for name in ("f1", "title", "date"):
            out[f"{key}_{name}"] = row[name]
    return out


def _shown(prediction: Prediction) -> str:
    """The article as a reader sees it: its headline over its body (systems that find one)."""
    title = prediction.get("title") if prediction.get("title_is_found", True) else None
    return f"{title}\n\n{prediction['text']}" if title else prediction["text"]


def _iso(value) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def _fmt(value, width=6) -> str:
    return f"{value:{width}.3f}" if isinstance(value, float) else f"{'-':>{width}}"


def run_text(
    pages: list[corpora.Page], texts: dict[str, str], command: list[str]
) -> tuple[list[Prediction], float, float]:
    """The text versions written to .txt files and read by `explainer extract --json`."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for page in pages:
            path = Path(folder) / page.corpus / f"{page.id[:32]}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(texts[page.id], encoding="utf-8")
            paths.append(path)
        return run_cli(paths, command)


def print_table(results: list[tuple[str, str, str, dict, float | None]]) -> None:
    print(
        f"{'mode':<5} {'system':<31} {'figures':<9} {'corpus':<9} {'F1':>6} {'P':>6} {'R':>6} "
        f"{'title':>6} {'date':>6} {'pages/s':>8} {'/cpu-s':>8}"
    )
    for mode, system, split, report, speed in results:
        for corpus, row in report.items():
            rate = f"{speed[0]:8.1f} {speed[1]:8.1f}" if speed else f"{'-':>8} {'-':>8}"
            print(
                f"{mode:<5} {system:<31} {split:<9} {corpus:<9} {_fmt(row.get('f1'))} "
                f"{_fmt(row.get('precision'))} {_fmt(row.get('recall'))} "
                f"{_fmt(row.get('title'))} {_fmt(row.get('date'))} {rate}"
            )


def _text_rows(pages, command, add, *, fold_out: bool, baselines: bool) -> None:
    """Text mode: the crawler's text (with the <title> line: the issue's definition) and a
    select-all copy (without it), the fold-out figures and the text baselines."""
    for variant, with_title in (("title", True), ("no-title", False)):
        texts = corpora.text_versions(pages, with_title=with_title)
        add("text", f"explainer shipped [{variant}]", "in-fold", *run_text(pages, texts, command))
    if fold_out:
        for variant, (outside, inside) in fold_out_text(pages).items():
            add("text", f"explainer retrained [{variant}]", "fold-out", outside)
            add("text", f"explainer retrained [{variant}]", "in-fold", inside)
    if baselines:
        texts = corpora.text_versions(pages)
        ordered = [texts[p.id] for p in pages]
        add("text", "jusText untuned (English)", "untuned", *justext_text(ordered, "English"))
        add("text", "jusText (text's language)", "untuned", *justext_text(ordered, None))
        add("text", "trafilatura+htmldate on text", "untuned", *trafilatura_text(ordered))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-fold-out", action="store_true", help="skip the 5-fold training")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--text-only", action="store_true", help="skip the HTML mode")
    parser.add_argument("--html-only", action="store_true", help="skip the text mode")
    parser.add_argument("--corpus", choices=("aeb", "webpages"), help="one corpus only")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")

    pages = corpora.load_pages((args.corpus,) if args.corpus else ("aeb", "webpages"))
    refs = {page.id: corpora.reference(page.html()) for page in pages}
    command = [sys.executable, "-m", "explainer.cli"]
    results: list[tuple[str, str, str, dict, float | None]] = []

    def add(mode, system, split, predicted, seconds=None, cpu=None):
        speed = (len(pages) / seconds, len(pages) / cpu) if seconds and cpu else None
        results.append((mode, system, split, score(pages, refs, predicted), speed))

    if not args.text_only:
        add("html", "explainer", "untrained", *run_cli([p.path for p in pages], command))
        if not args.no_baselines:
            add("html", "trafilatura alone", "untuned", *trafilatura_html(pages))
            add("html", "htmldate alone", "untuned", *htmldate_html(pages))
    if not args.html_only:
        _text_rows(
            pages, command, add, fold_out=not args.no_fold_out, baselines=not args.no_baselines
        )
    print_table(results)
    if args.json:
        dump = [
            {"mode": m, "system": s, "figures": f, "speed": v, "scores": r}
            for m, s, f, r, v in results
        ]
        args.json.write_text(json.dumps(dump, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
