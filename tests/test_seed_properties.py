"""Property-based: random and mutated seeds either become a valid article or a clean error.

Hypothesis feeds ingestion random bytes, random text seeds (any alphabet, encoding and line
ends, with dates good, impossible and future, and injection strings), random saved pages, and
the real seed mutated (bytes flipped, cut, repeated, payloads spliced in). For each, ingestion
either raises SeedError with a message, or writes Markdown that the validate plugin accepts,
that Pelican's reader reads as a valid article, and whose HTML has no live markup. A batch of
mutated seeds is then built into a whole site by Pelican with the project's plugins.
"""

from __future__ import annotations

import gzip
import json
import random
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pelican.contents import Article
from pelican.readers import Readers
from pelican.settings import read_settings
from support.built_pages import markup_not_from_the_theme
from support.project import REPO, SEED, build, copy_project
from support.xss_payloads import ALL

from explainer.ingest.extract import extract_article
from explainer.ingest.ingestion import MANIFEST_NAME, ingest
from explainer.ingest.seed_file import SeedError
from explainer.site.plugins.validate import _check_file
from explainer.text.safe_markup import live_markup

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEED_BYTES = SEED.read_bytes()
PAYLOADS = st.sampled_from(ALL)


def pelican_settings(content: Path) -> dict:
    return read_settings(
        str(REPO / "pelicanconf.py"),
        override={"PATH": str(content), "OUTPUT_PATH": str(content.parent / "output")},
    )


def check_seed(name: str, data: bytes) -> str:
    """Ingest one seed; "error" or "article" (after checking the article), never a traceback."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "seeds" / name
        path.parent.mkdir()
        path.write_bytes(data)
        try:
            extract_article(path)
        except SeedError as error:
            assert str(error).strip(), "a SeedError must say what is wrong"
            return "error"
        report = ingest([path], root / "content", today=date(2026, 6, 1))
        assert report.ok and len(report.written) == 1, report.errors
        check_article(root / "content", report.written[0])
        return "article"


def check_article(content: Path, markdown_file: Path) -> None:
    config = pelican_settings(content)
    relative = str(markdown_file.relative_to(content))
    source, problems = _check_file(str(content), relative, "article", Article, config)
    assert problems == [] and source is not None, problems
    article = Readers(config).read_file(
        base_path=str(content), path=relative, content_class=Article
    )
    assert article.is_valid()
    assert article.title.strip() and "<" not in article.title
    assert live_markup(article.content) == [], article.content[:500]
    assert live_markup(article.summary or "") == []
    assert "/" not in article.slug and ".." not in article.slug


# -- strategies --------------------------------------------------------------------------------
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=120)
WORDY_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefghij klmnop QRSTUV  .,;:'\"!?-()<>[]{}*_#&/\\`|~=+0123")),
    min_size=1,
    max_size=300,
)
DATE_LINES = st.sampled_from(
    [
        "", "January 13, 2026", "February 30, 2026", "Date: 2026-13-45", "March 3, 2031",
        "Published: 5 May 2021 10:00 GMT", "31/02/2026", "2026", "Tuesday", "9999-99-99",
        "January 1, 1700",
    ]
)  # fmt: skip
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32"])
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def text_seeds(draw) -> bytes:
    title = draw(st.one_of(WORDY_TEXT, ANY_TEXT, PAYLOADS, st.just("x" * 2000)))
    paragraphs = draw(st.lists(st.one_of(WORDY_TEXT, ANY_TEXT, PAYLOADS), min_size=0, max_size=6))
    lines = [title, "", draw(DATE_LINES), "", *[p for para in paragraphs for p in (para, "")]]
    text = draw(NEWLINES).join(lines)
    return text.encode(draw(ENCODINGS), errors="replace")


@st.composite
def mutated_seed(draw) -> bytes:
    rng = draw(st.randoms(use_true_random=False))
    data = bytearray(SEED_BYTES)
    for _ in range(draw(st.integers(1, 6))):
        mutate(rng, data)
    return bytes(data)


def mutate(rng: random.Random, data: bytearray) -> None:
    """One random change: flip bytes, cut, repeat, splice in a payload, or truncate."""
    if not data:
        data.extend(rng.choice(ALL).encode())
        return
    at = rng.randrange(len(data))
    kind = rng.randrange(6)
    if kind == 0:
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 1:
        del data[at : at + rng.randint(1, 2000)]
    elif kind == 2:
        data[at:at] = data[at : at + rng.randint(1, 500)] * rng.randint(2, 5)
    elif kind == 3:
        data[at:at] = rng.choice(ALL).encode()
    elif kind == 4:
        del data[rng.randrange(len(data)) :]
    else:
        data[at:at] = rng.choice([b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\n\n"])


TAGS = st.sampled_from(
    ["p", "div", "span", "a", "img", "h1", "h2", "ul", "li", "table", "tr", "td", "script",
     "style", "iframe", "svg", "blockquote", "pre", "code", "b", "em", "br", "nav", "article"]
)  # fmt: skip
ATTRIBUTES = st.sampled_from(
    ['href="javascript:alert(1)"', 'href="https://ok.example/x"', 'src="data:x"', 'alt="a"',
     'onclick="alert(1)"', 'class="article-body"', 'style="x:expression(1)"', "href='/rel'",
     'src="https://ok.example/i.png"', 'datetime="2026-02-30"']
)  # fmt: skip


@st.composite
def html_nodes(draw, depth: int = 0) -> str:
    tag = draw(TAGS)
    attributes = " ".join(draw(st.lists(ATTRIBUTES, max_size=2)))
    if depth > 2:
        inner = draw(st.one_of(WORDY_TEXT, PAYLOADS))
    else:
        inner = "".join(
            draw(st.lists(st.one_of(WORDY_TEXT, PAYLOADS, html_nodes(depth + 1)), max_size=4))
        )
    return f"<{tag} {attributes}>{inner}</{tag}>" if draw(st.booleans()) else f"<{tag}>{inner}"


@st.composite
def html_seeds(draw) -> bytes:
    title = draw(st.one_of(WORDY_TEXT, PAYLOADS, ANY_TEXT))
    meta = draw(
        st.sampled_from(
            ["", '<meta property="og:title" content="Og <b>title</b>">',
             '<meta property="article:published_time" content="2026-02-31">',
             '<meta charset="koi8-r">', '<link rel="canonical" href="javascript:alert(1)">',
             '<script type="application/ld+json">{"headline": "<img onerror=x>", '
             '"datePublished": "2031-01-01"}</script>']
        )
    )  # fmt: skip
    body = "".join(draw(st.lists(html_nodes(), min_size=0, max_size=5)))
    page = f"<html><head><title>{title}</title>{meta}</head><body>{body}</body></html>"
    return page.encode(draw(ENCODINGS), errors="replace")


# -- properties --------------------------------------------------------------------------------
@PROPERTY
@given(data=st.binary(max_size=3000), name=st.sampled_from(["r.txt", "r.html", "r.htm"]))
def test_random_bytes(data, name):
    event(check_seed(name, data))


@PROPERTY
@given(data=st.binary(max_size=3000), name=st.sampled_from(["r.txt.gz", "r.html.gz"]))
def test_random_gzipped_bytes(data, name):
    event(check_seed(name, gzip.compress(data, mtime=0)))


@PROPERTY
@given(data=text_seeds())
def test_random_text_seeds(data):
    event(check_seed("random.txt", data))


@PROPERTY
@given(data=mutated_seed())
def test_mutated_real_seed(data):
    event(check_seed(SEED.name, data))


@PROPERTY
@given(data=html_seeds())
def test_random_html_seeds(data):
    event(check_seed("random.html", data))


@pytest.mark.slow
def test_a_batch_of_mutated_seeds_builds_into_an_inert_site(tmp_path):
    """The same mutations, from a fixed random seed, through a whole Pelican build with the
    project's plugins: every ingested article is on the site, and the site is inert."""
    root = copy_project(tmp_path / "site")
    rng = random.Random(2026)
    for n in range(40):
        data = bytearray(SEED_BYTES)
        for _ in range(rng.randint(1, 4)):
            mutate(rng, data)
        (root / "seeds" / f"mutant-{n:02d}.txt").write_bytes(bytes(data))
    for n in range(10):
        page = f"<html><head><title>Page {n} {rng.choice(ALL)}</title></head><body>"
        page += "".join(f"<p>Paragraph {i} about cobalt. {rng.choice(ALL)}</p>" for i in range(5))
        (root / "seeds" / f"page-{n}.html").write_text(page + "</body></html>")
    readable = []
    for path in sorted((root / "seeds").iterdir()):
        try:
            extract_article(path)
            readable.append(path)
        except SeedError:
            path.unlink()  # a seed that cannot be read is reported and not built; see above
    assert len(readable) > 30
    output = build(root)
    articles = list((output / "articles").glob("*/index.html"))
    # Mutants of one seed are one story: each seed is recorded with the article it went into,
    # and every article is on the site.
    recorded = json.loads((root / "content" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert {p.name for p in readable} <= set(recorded["articles"])
    assert len(articles) == len(list((root / "content" / "articles").glob("*.md")))
    for page_file in output.rglob("*.html"):
        assert markup_not_from_the_theme(page_file) == [], page_file
