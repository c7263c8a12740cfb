#!/usr/bin/env python3
"""How far a headline taken from one of the page's own headlines can agree with the reference.

A text seed holds two of the page's headlines: the `<title>` line and the `<h1>` (as a line of
its text). The reference (`corpora.reference`) is the page's metadata (JSON-LD headline,
og:title, twitter:title), which a site's software copies from one of the two. Read from the
HTML (so with no reading error at all), this prints per dev corpus:

* how many pages have both a `<title>` and an `<h1>`, and on how many of them the two differ
  (neither agrees with the other under `corpora.title_right`);
* of those that differ, which one the reference follows (only the `<h1>`, only the `<title>`,
  both, neither);
* the agreement of three perfect readers over all pages with a reference: always the main
  `<h1>` (the `<title>` when there is none), always the `<title>` as it stands (the `<h1>`
  when there is none), and the better of the two on each page (an oracle).

    .venv/bin/python eval/headline_sources.py
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import corpora  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from explainer.ingest.decode import decode_html  # noqa: E402


def _spaced(text: str) -> str:
    return " ".join(text.split())


def page_headlines(data: bytes) -> tuple[str, list[str], str]:
    """(the `<title>`, every non-empty `<h1>`, the main `<h1>` as corpora.reference finds it)."""
    tree = lxml_html.document_fromstring(decode_html(data).encode("utf-8", "replace"))
    title = next(iter(tree.iter("title")), None)
    every = [h for h in (_spaced(h.text_content()) for h in tree.xpath("//h1")) if h]
    main = corpora.main_h1s(tree)
    title_text = _spaced(title.text_content()) if title is not None else ""
    return title_text, every, _spaced(main[0].text_content()) if main else ""


def tally(pages: list[corpora.Page]) -> tuple[Counter, Counter, int]:
    split: Counter = Counter()
    readers: Counter = Counter()
    counted = 0
    for page in pages:
        data = page.html()
        references = corpora.reference(data).titles
        if not references:
            continue
        counted += 1
        title, every, main = page_headlines(data)
        by_h1 = corpora.title_right(main or title, references)
        by_title = corpora.title_right(title or main, references)
        readers["always the <h1>"] += by_h1
        readers["always the <title>"] += by_title
        readers["the better of the two (oracle)"] += by_h1 or by_title
        if not title or not every:
            continue
        split["both"] += 1
        if any(corpora.title_right(title, [h]) for h in every):
            continue
        split["differ"] += 1
        follows_title = corpora.title_right(title, references)
        follows_h1 = any(corpora.title_right(h, references) for h in every)
        split[{(True, True): "reference: both", (True, False): "reference: <title> only",
               (False, True): "reference: <h1> only", (False, False): "reference: neither"}[
            (follows_title, follows_h1)]] += 1  # fmt: skip
    return split, readers, counted


def main() -> int:
    warnings.filterwarnings("ignore")
    for corpus in ("aeb", "webpages"):
        split, readers, counted = tally(corpora.load_pages((corpus,)))
        print(f"{corpus}: {counted} pages with a reference headline")
        print(f"  <title> and <h1> both present: {split['both']}, differ: {split['differ']}")
        for key in ("<h1> only", "<title> only", "both", "neither"):
            print(f"    reference: {key:<13} {split[f'reference: {key}']}")
        for name, right in readers.items():
            print(f"  {name:<32} {right:>4} / {counted}  {right / counted:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
