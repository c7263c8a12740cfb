"""The site's Markdown: CommonMark in C, reading what Python-Markdown read the way it read it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings
from support.project import REPO, build, copy_project

from explainer.site.markdown_html import needs_python_markdown, render
from explainer.text.front_matter import parse_header, split_front_matter
from explainer_devkit import corpus


def python_markdown(text: str) -> str:
    config = read_settings(str(REPO / "pelicanconf.py"))["MARKDOWN"]
    return markdown.Markdown(
        extensions=list(config["extension_configs"]), **{k: v for k, v in config.items()
                                                         if k != "extension_configs"},
        extension_configs=config["extension_configs"],
    ).convert(text)  # fmt: skip


def words(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def shape(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    return {
        "headings": [
            (h.name, h.get("id"), h.get_text()) for h in soup.find_all(re.compile("^h[1-6]$"))
        ],
        "links": [a.get("href") for a in soup.find_all("a")],
        "emphasis": [e.get_text() for e in soup.find_all(["em", "strong"])],
        "paragraphs": len(soup.find_all("p")),
        "lists": [len(x.find_all("li")) for x in soup.find_all(["ul", "ol"])],
    }


def markdown_files() -> list[Path]:
    return sorted((REPO / "content").rglob("*.md"))


@pytest.fixture(scope="module")
def corpus_texts(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("corpus")
    corpus.write_articles(folder, 60)
    files = [p for p in markdown_files() if not needs_python_markdown(p.read_text("utf-8"))]
    files += sorted(folder.rglob("*.md"))
    return [split_front_matter(p.read_text(encoding="utf-8"))[1] for p in files]


def test_articles_read_the_same_in_commonmark_as_in_python_markdown(corpus_texts):
    """Same words, headings (with the same ids), links, emphasis, paragraphs and lists, on the
    site's own Markdown and the benchmark's generated articles."""
    assert len(corpus_texts) > 50
    for text in corpus_texts:
        ours, theirs = render(text), python_markdown(text)
        assert words(ours) == words(theirs), text[:200]
        assert shape(ours) == shape(theirs), text[:200]


def test_headings_get_the_ids_python_markdowns_toc_gave_them():
    html = render(
        "## Who mines it?\n\ntext\n\n## Who mines it?\n\n### Rare-earth *oxides* & 'REO'\n"
    )
    ids = [h["id"] for h in BeautifulSoup(html, "html.parser").find_all(["h2", "h3"])]
    assert ids == ["who-mines-it", "who-mines-it_1", "rare-earth-oxides-reo"]


def test_tables_footnotes_and_smart_punctuation():
    html = render(
        'China\'s "share" -- about 70% --- of output...[^1]\n\n'
        "| Country | Share |\n|:--|--:|\n| China | 70% |\n\n[^1]: USGS, 2025.\n"
    )
    soup = BeautifulSoup(html, "html.parser")
    assert "China’s “share” – about 70% — of output…" in soup.p.get_text()
    # Alignment as attributes, not inline styles (the Content-Security-Policy blocks those).
    assert [c.get("align") for c in soup.find_all("td")] == ["left", "right"]
    assert not soup.find(style=True)
    ref = soup.find("a", href=re.compile("^#fn"))
    assert soup.find(id=ref["href"][1:]) is not None, "the footnote link has no target"


def test_escaped_seed_text_stays_text():
    """What ingestion escapes (markup characters in a seed's plain text) comes out literally."""
    from explainer.text.markdown_text import escape_markdown

    line = "# 1. *Not* a heading <b>or</b> [link](x) {: .cls} - and \\ that's_it_"
    html = render(escape_markdown(line))
    assert BeautifulSoup(html, "html.parser").get_text().strip() == line.replace("'", "’")
    assert "<b>" not in html


@pytest.mark.slow
def test_python_markdown_syntax_is_left_to_python_markdown(tmp_path: Path):
    """A file written with Python-Markdown's own extensions keeps its meaning on the site."""
    root = copy_project(tmp_path / "site")
    (root / "content" / "articles" / "extras.md").write_text(
        "Title: Extras\nDate: 2026-02-01\nSummary: A *formatted* summary.\n\n"
        "A lead paragraph.\n{: .lead-in }\n\n*[REE]: Rare earth element\n\nAn REE story.\n\n"
        "Lithium\n:   A light metal.\n",
        encoding="utf-8",
    )
    (root / "content" / "articles" / "plain.md").write_text(
        "Title: Plain\nDate: 2026-02-02\nSummary: A *formatted* summary.\nTags: one,\n    two\n\n"
        "## Where it is mined\n\nText with a footnote.[^a]\n\n[^a]: The note.\n",
        encoding="utf-8",
    )
    output = build(root)
    extras = BeautifulSoup((output / "articles" / "extras" / "index.html").read_text(), "lxml")
    assert extras.find("p", class_="lead-in") is not None
    assert extras.find("abbr", title="Rare earth element") is not None
    assert extras.find("dl") is not None
    plain = BeautifulSoup((output / "articles" / "plain" / "index.html").read_text(), "lxml")
    assert plain.find("h2", id="where-it-is-mined") is not None
    assert plain.find(id="fn-a") is not None
    assert plain.find("em", string="formatted") is not None  # the summary, formatted
    assert not needs_python_markdown("Plain text with {braces} and a: colon.\n")


@pytest.mark.parametrize(
    "text",
    [
        "## A title {: #an-id }\n",
        "A lead paragraph.\n{: .lead-in }\n",
        "An REE story.\n\n*[REE]: Rare earth element\n",
        "Lithium\n:   A light metal.\n",
        ":   A definition on the first line.\n",
        '<div markdown="1">*text*</div>\n',
        "[TOC]\n\n## One\n",
    ],
)
def test_each_python_markdown_only_syntax_is_recognised(text):
    assert needs_python_markdown(text)
    assert not needs_python_markdown(
        text.replace("{", "(")
        .replace("*[", "[")
        .replace(":", ";")
        .replace("markdown=", "data-x=")
        .replace("[TOC]", "TOC")
    )


def test_metadata_header_reads_like_python_markdowns_meta_extension():
    header = ["Title: A title", "tags: a, b", "Summary: First line", "    second line", "Tags: c"]
    assert parse_header(header) == {
        "title": ["A title"],
        "tags": ["a, b", "c"],
        "summary": ["First line", "second line"],
    }
    header, body = split_front_matter("Title: T\nDate: 2026-01-01\n\nBody *text*.\n")
    html, meta = render(body), parse_header(header)
    assert meta == {"title": ["T"], "date": ["2026-01-01"]}
    assert html.strip() == "<p>Body <em>text</em>.</p>"


def test_rendering_frees_what_commonmark_allocates():
    """cmarkgfm leaves each document's tree and HTML allocated (~30 kB for a 5 kB article);
    a process reading 20,000 articles grew by 600 MB. After a warm-up, rendering the same
    article 3,000 times must leave the process's memory where it was."""
    text = "\n\n".join(
        f"## Part {n}\n\nA *paragraph* with [a link](https://example.org/{n}) and more words "
        "about rare earths, cobalt and lithium. " * 4
        for n in range(12)
    )

    def resident_mb() -> float:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    for _ in range(200):
        render(text)
    before = resident_mb()
    for _ in range(3000):
        render(text)
    assert resident_mb() - before < 10  # 100+ MB when nothing is freed


def test_emphasis_marks_are_taken_out_of_the_text_and_lone_stars_kept():
    from explainer.text.markdown_text import markdown_to_text

    text = "**Bold**, *it*, ***both***, __under__, _one_, ~~gone~~; 2 * 3 * 4 and a ** b."
    assert markdown_to_text(text) == "Bold, it, both, under, one, gone; 2 * 3 * 4 and a ** b."
