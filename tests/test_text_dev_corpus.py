"""The dev corpora as text seeds (the text a crawler saves): floors for the shipped reader.

The pages are made into text by eval/page_text.py's crawler_text, the one function the
evaluation and the training use, both ways (with the page's `<title>` line first, as a crawler's
`get_text` gives it, and without it, as a select-all copy gives it), and read by the shipped
model (src/explainer/data/text_model.json). That model was trained on these very pages, so the
floors sit well below the fold-out figures that `invoke eval-extract` measures on pages of sites
it was not trained on (see the README's "Measuring extraction"): a floor that fails means the
reader broke, not that it got a little worse.
"""

from __future__ import annotations

import sys

import pytest
from support.project import REPO, SHARED

sys.path.insert(0, str(REPO / "eval"))

import corpora
from extract_eval import figures
from page_text import crawler_text

from explainer.ingest.text_model import read_text
from explainer.ingest.text_seed import reading_text

# Floors, well below the fold-out figures (measured: see the README).
FLOORS = {
    "aeb_f1": 0.80,
    "aeb_title": 0.45,
    "aeb_date": 0.55,
    "web_f1": 0.65,
    "web_title": 0.40,
    "web_date": 0.50,
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["title", "no-title"])
def scores(request) -> dict[str, float]:
    """The figures on the crawler's texts (the page's `<title>` line first) and on select-all
    copies (no `<title>` line)."""
    assert (SHARED / "corpus" / "aeb-dev").is_dir(), f"the dev corpora are missing: {SHARED}"
    pages = corpora.load_pages()
    texts = corpora.text_versions(pages, with_title=request.param == "title")
    predicted = []
    for page in pages:
        reading = read_text(texts[page.id])
        head = reading.headline
        predicted.append(
            {
                "title": reading.page.lines[head].text if head is not None else None,
                "date": reading.date.isoformat() if reading.date else None,
                "text": reading_text(reading),
            }
        )
    return figures(pages, predicted)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_floor(scores, name):
    assert scores[name] >= FLOORS[name], scores


PAGE = (
    b"<html><head><title>Headline | Site</title><meta name='description' content='About'>"
    b"<style>p{}</style></head><body><nav><ul><li>Home</li>"
    b"<li>News</li></ul></nav><h1>Headline</h1><p>One <a href='#'>link</a> here.</p>"
    b"<script>var x;</script><p>Two</p></body></html>"
)


def test_crawler_text_opens_with_the_title_and_puts_blocks_apart():
    # get_text("\n") on the whole page: the <title> (the only text of <head>) comes first
    assert crawler_text(PAGE) == (
        "Headline | Site\n\nHome\n\nNews\n\nHeadline\n\nOne\nlink\nhere.\n\nTwo\n"
    )


def test_a_select_all_copy_has_no_title_line():
    assert crawler_text(PAGE, with_title=False) == (
        "Home\n\nNews\n\nHeadline\n\nOne\nlink\nhere.\n\nTwo\n"
    )
