"""Broken and awkward seeds: each becomes a good article or a clear error naming the file.

One test per input the issue lists: empty, whitespace only, binary, 20 MB of text, Windows-1252
and Latin-1, UTF-8 with a BOM, CRLF line ends, no title, no date, an impossible date, a future
date, a 2,000-character title, and 10,000 seeds at once (with progress, in flat memory).
"""

from __future__ import annotations

import gc
import gzip
import os
import random
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from support.built_pages import page
from support.project import SEED, build, copy_project

from explainer import cli
from explainer.cli import main
from explainer.ingest.ingestion import ingest
from explainer.ingest.seed_file import MAX_TITLE, SeedError, read_seed

BODY = (
    "Cobalt prices rose sharply in the Democratic Republic of Congo this week, traders said, "
    "as export quotas took effect and buyers in China scrambled for supply.\n\n"
    "Refiners in Finland and Belgium said they had enough metal for the first quarter, but "
    "warned that battery makers in Germany would feel the squeeze by the summer.\n"
)


# Other stories (seeds with one body are one story, and become one article).
OTHER_BODIES = [
    "Indonesia's nickel smelters ran at full tilt in March, the mining ministry said, while "
    "ore shipments from Sulawesi were held up by heavy rain at two ports.\n",
    "Chile opened bidding for two lithium blocks in the Atacama salt flats; the state miner "
    "Codelco will hold a stake in each and bids close in October.\n",
    "A graphite anode plant in Mozambique started its second line, doubling output, and its "
    "owner signed a supply deal with a battery maker in South Korea.\n",
    "Gallium exports from China fell by half after licences were required, customs data "
    "showed, and prices in Rotterdam reached a record on thin trading.\n",
]


def seed(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / "seeds" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def ingest_one(tmp_path: Path, path: Path):
    """(report, Markdown text or None, metadata dict)"""
    report = ingest([path], tmp_path / "content")
    if not report.written:
        return report, None, {}
    text = report.written[0].read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]
    meta = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
    return report, text, meta


def assert_clean_error(tmp_path, capsys, path: Path, words: str) -> None:
    """The CLI names the file and the problem, exits 1, writes nothing, and goes on with the
    other seeds."""
    good = seed(tmp_path, "good.txt", "Cobalt quotas bite\n\nJanuary 5, 2026\n\n" + BODY)
    status = main(["ingest", str(path), str(good), "--content", str(tmp_path / "content")])
    err = capsys.readouterr().err
    assert status == 1
    line = next(line for line in err.splitlines() if path.name in line)
    assert re.search(words, line, re.IGNORECASE), line
    assert "Traceback" not in err
    assert [p.name for p in (tmp_path / "content" / "articles").iterdir()] == [
        "cobalt-quotas-bite.md"
    ]


# -- seeds that cannot be an article: a clear error -------------------------------------------
def test_empty_file(tmp_path, capsys):
    assert_clean_error(tmp_path, capsys, seed(tmp_path, "empty.txt", b""), "empty file")


@pytest.mark.parametrize("name", ["blank.txt", "blank.html", "blank.txt.gz"])
def test_whitespace_only(tmp_path, capsys, name):
    data = b" \n\t\r\n   \n" * 50
    path = seed(tmp_path, name, gzip.compress(data) if name.endswith(".gz") else data)
    assert_clean_error(tmp_path, capsys, path, r"whitespace only|not a readable|no title")


@pytest.mark.parametrize(
    "name, data",
    [
        ("nul.txt", b"\x00\x01\x02 binary \x00\xff" * 100),
        ("random.txt", bytes(random.Random(1).randrange(1, 256) for _ in range(20_000))),
        (
            "image.html",
            b"\x89PNG\r\n\x1a\n" + bytes(random.Random(2).randrange(256) for _ in range(5000)),
        ),
        ("broken.html.gz", b"\x1f\x8b\x08\x00 not really gzip"),
    ],
)
def test_binary_data(tmp_path, capsys, name, data):
    assert_clean_error(tmp_path, capsys, seed(tmp_path, name, data), r"binary|gzip|encoding")


def test_no_title(tmp_path, capsys):
    text = (
        "Cobalt prices rose sharply in the Democratic Republic of Congo this week, traders said, "
        "as export quotas took effect and buyers in China scrambled for supply of the metal.\n"
        "Refiners in Finland said they had enough metal for the first quarter of the year.\n"
    )
    assert_clean_error(tmp_path, capsys, seed(tmp_path, "untitled.txt", text), "no title")


def test_an_html_page_with_no_title(tmp_path, capsys):
    html = f"<html><body><p>{BODY}</p></body></html>"
    assert_clean_error(tmp_path, capsys, seed(tmp_path, "untitled.html", html), "no title")


# -- seeds that are awkward but fine: a good article ------------------------------------------
def test_windows_1252_text(tmp_path):
    text = (
        "Cobalt \u201cquotas\u201d bite \u2013 again\n\nJanuary 5, 2026\n\n"
        "The Democratic Republic of Congo\u2019s cobalt exports fell \u2013 sharply \u2013 and "
        "prices rose to \u20ac30,000 a tonne, traders in Antwerp said on Monday.\n\n" + BODY
    )
    path = seed(tmp_path, "cp1252.txt", text.encode("cp1252"))
    _, markdown, meta = ingest_one(tmp_path, path)
    assert meta["Title"] == "Cobalt \u201cquotas\u201d bite \u2013 again"
    assert "Congo\u2019s cobalt exports fell \u2013 sharply" in markdown
    assert "\u20ac30,000" in markdown


def test_latin_1_text(tmp_path):
    text = (
        "Lithium in Chile\n\nMarch 2, 2026\n\n"
        "Jos\u00e9 Mar\u00eda Pe\u00f1a said lithium output in Chile rose by \u00bd in a year, "
        "\u00e0 la fa\u00e7on des ann\u00e9es fastes, and that the Atacama salt flats were "
        "\u00ab the key \u00bb.\n\n" + BODY
    )
    path = seed(tmp_path, "latin1.txt", text.encode("latin-1"))
    _, markdown, meta = ingest_one(tmp_path, path)
    assert meta["Title"] == "Lithium in Chile"
    assert "Jos\u00e9 Mar\u00eda Pe\u00f1a" in markdown and "\u00bd" in markdown
    assert "ann\u00e9es" in markdown


def test_utf8_with_bom_and_crlf_line_ends(tmp_path):
    text = "Cobalt quotas bite\r\n\r\nJanuary 5, 2026\r\n\r\n" + BODY.replace("\n", "\r\n")
    path = seed(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    _, markdown, meta = ingest_one(tmp_path, path)
    assert meta["Title"] == "Cobalt quotas bite" and meta["Date"] == "2026-01-05"
    assert "\ufeff" not in markdown and "\r" not in markdown
    assert markdown.split("\n\n")[-2].startswith("Cobalt prices rose")


def test_crlf_html_page_with_a_bom(tmp_path):
    html = (
        "<html><head><title>Cobalt quotas bite</title></head><body><article>"
        f"<h1>Cobalt quotas bite</h1><p>{BODY}</p></article></body></html>"
    ).replace("\n", "\r\n")
    path = seed(tmp_path, "bom.html", b"\xef\xbb\xbf" + html.encode("utf-8"))
    _, markdown, meta = ingest_one(tmp_path, path)
    assert meta["Title"] == "Cobalt quotas bite"
    assert "\r" not in markdown and "\ufeff" not in markdown


def test_no_date_is_dated_from_the_file_and_says_so(tmp_path, capsys):
    path = seed(tmp_path, "undated.txt", "Cobalt quotas bite\n\n" + BODY)
    stamp = datetime(2026, 2, 14, 23, 30, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    assert main(["ingest", str(path), "--content", str(tmp_path / "content")]) == 0
    err = capsys.readouterr().err
    assert "undated.txt" in err and "no date" in err and "2026-02-14" in err
    article = tmp_path / "content" / "articles" / "cobalt-quotas-bite.md"
    text = article.read_text(encoding="utf-8")
    assert "\nDate: 2026-02-14\n" in text
    assert "\nDate-Source: seed file modification time" in text
    # The date is pinned: a fresh checkout (new mtimes) ingests to the same bytes.
    os.utime(path, None)
    report = ingest([path], tmp_path / "content")
    assert report.unchanged == [article] and not report.warnings
    assert article.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "line", ["February 30, 2026", "Date: 2026-13-45", "31/02/2026", "Published: 32 January 2026"]
)
def test_an_impossible_date_is_reported_and_not_taken_for_the_title(tmp_path, line):
    path = seed(tmp_path, "baddate.txt", f"Cobalt quotas bite\n\n{line}\n\n{BODY}")
    stamp = datetime(2026, 3, 1, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    report, markdown, meta = ingest_one(tmp_path, path)
    assert meta["Title"] == "Cobalt quotas bite"
    assert meta["Date"] == "2026-03-01"
    messages = " ".join(m for _, m in report.warnings)
    assert "not a real date" in messages or "no date" in messages
    assert line not in markdown.split("\n\n", 1)[1]


def test_an_unparseable_html_date_falls_back(tmp_path):
    html = (
        '<html><head><title>Cobalt quotas bite</title><meta property="article:published_time" '
        'content="2026-02-31T25:61:00Z"></head><body><article><h1>Cobalt quotas bite</h1>'
        f"<p>{BODY}</p></article></body></html>"
    )
    path = seed(tmp_path, "baddate.html", html)
    report, _, meta = ingest_one(tmp_path, path)
    assert meta["Date-Source"].startswith("seed file modification time")
    assert any("no date" in m for _, m in report.warnings)


def test_a_future_date_is_kept_and_reported(tmp_path):
    path = seed(tmp_path, "future.txt", f"Cobalt quotas bite\n\nMarch 3, 2031\n\n{BODY}")
    report = ingest([path], tmp_path / "content", today=date(2026, 1, 1))
    text = report.written[0].read_text(encoding="utf-8")
    assert "\nDate: 2031-03-03\n" in text
    assert any("2031-03-03 is in the future" in m for _, m in report.warnings)


def test_a_2000_character_title(tmp_path):
    words = "Cobalt quotas bite as Congo tightens exports and refiners look elsewhere"
    long_title = " ".join([words] * 30)[:2000].rstrip()
    assert len(long_title) >= 1990
    path = seed(tmp_path, "long.txt", f"{long_title}\n\nJanuary 5, 2026\n\n{BODY}")
    report, markdown, meta = ingest_one(tmp_path, path)
    assert len(meta["Title"]) <= MAX_TITLE and meta["Title"].endswith("\u2026")
    assert long_title.startswith(meta["Title"][:-1].rstrip())
    assert len(meta["Slug"]) <= 80 and report.written[0].name == meta["Slug"] + ".md"
    body = markdown.split("\n\n", 1)[1]
    assert long_title in body  # nothing lost: the whole line opens the article
    assert any("shortened" in m for _, m in report.warnings)


def test_a_2000_character_html_title(tmp_path):
    long_title = ("Lithium tender opens " * 100)[:2000]
    html = (
        f"<html><head><title>{long_title}</title></head><body><article><h1>{long_title}</h1>"
        f"<p>{BODY}</p></article></body></html>"
    )
    article = read_seed(seed(tmp_path, "long.html", html))
    assert len(article.title) <= MAX_TITLE
    assert article.warnings


@pytest.mark.slow
def test_a_20_mb_text_seed(tmp_path):
    paragraphs = SEED.read_text(encoding="utf-8").split("\n\n")
    paragraphs = [p.strip() for p in paragraphs if len(p) > 200]
    chunks, size, n = ["Huge report on critical minerals\n\nJanuary 5, 2026\n"], 0, 0
    while size < 20_000_000:
        chunk = f"{paragraphs[n % len(paragraphs)]} (part {n})"
        chunks.append(chunk)
        size += len(chunk) + 2
        n += 1
    path = seed(tmp_path, "huge.txt", "\n\n".join(chunks) + "\n")
    assert path.stat().st_size > 20_000_000
    report, markdown, meta = ingest_one(tmp_path, path)
    assert report.ok and meta["Title"] == "Huge report on critical minerals"
    assert meta["Date"] == "2026-01-05" and meta["Countries"] and meta["Summary"]
    assert f"(part {n - 1})" in markdown and len(markdown) > 20_000_000
    assert any("million characters" in m for _, m in report.warnings)


@pytest.mark.slow
def test_awkward_seeds_build_into_the_site(tmp_path):
    root = copy_project(tmp_path / "site")
    seeds = root / "seeds"
    (seeds / "cp1252.txt").write_bytes(
        ("Cobalt \u201cquotas\u201d bite\n\nJanuary 5, 2026\n\n" + BODY).encode("cp1252")
    )
    (seeds / "bom-crlf.txt").write_bytes(
        b"\xef\xbb\xbf" + ("Nickel rules\r\n\r\nJanuary 6, 2026\r\n\r\n" + OTHER_BODIES[0]).encode()
    )
    (seeds / "undated.txt").write_text("Lithium tender opens\n\n" + OTHER_BODIES[1])
    (seeds / "future.txt").write_text(f"Gallium curbs\n\nMarch 3, 2031\n\n{OTHER_BODIES[3]}")
    long_title = ("Graphite export licences " * 100)[:2000]
    (seeds / "long.txt").write_text(f"{long_title}\n\nJanuary 7, 2026\n\n{OTHER_BODIES[2]}")
    output = build(root)
    titles = [a.get_text() for a in page(output, "").select(".card__title a")]
    assert "Gallium curbs" in titles  # a future date is published as given
    assert "Cobalt \u201cquotas\u201d bite" in titles and "Nickel rules" in titles
    assert "Lithium tender opens" in titles
    assert any(t.startswith("Graphite export licences") and t.endswith("\u2026") for t in titles)


# -- 10,000 seeds at once ---------------------------------------------------------------------
def many_seeds(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(8)
    words = [w for w in SEED.read_text(encoding="utf-8").split() if ">" not in w]
    for n in range(count):
        title = " ".join(rng.choice(words) for _ in range(7)).replace(".", "")
        paragraphs = [" ".join(rng.choice(words) for _ in range(40)) + "." for _ in range(2)]
        text = f"Report {n}: {title}\n\nJanuary {1 + n % 28}, 2026\n\n" + "\n\n".join(paragraphs)
        (folder / f"seed-{n:05d}.txt").write_text(text + "\n", encoding="utf-8")


def test_ingestion_shows_progress(tmp_path, capsys):
    many_seeds(tmp_path / "seeds", 12)
    (tmp_path / "seeds" / "seed-00005.txt").write_bytes(b"")
    assert main(["ingest", str(tmp_path / "seeds"), "--content", str(tmp_path / "c")]) == 1
    out, err = capsys.readouterr()
    assert re.search(r"^\[ 1/12\]\s+written", out, re.MULTILINE)
    assert re.search(r"^\[12/12\]\s+written", out, re.MULTILINE)
    assert re.search(r"^\[ 6/12\] explainer ingest: .*seed-00005.txt: empty file$", err, re.M)


def resident_memory() -> int:
    gc.collect()
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow
def test_10000_seeds_at_once_with_progress_and_flat_memory(tmp_path, capsys, monkeypatch):
    count = 10_000
    many_seeds(tmp_path / "seeds", count)
    samples: dict[int, int] = {}
    update = cli.Progress.update

    def sampling_update(self, done: int, total: int) -> None:
        if done in (1_000, count):
            samples[done] = resident_memory()
        update(self, done, total)

    monkeypatch.setattr(cli.Progress, "update", sampling_update)
    args = ["ingest", str(tmp_path / "seeds"), "--content", str(tmp_path / "c")]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert re.search(rf"^\[    1/{count}\]\s+written", out, re.MULTILINE)
    assert re.search(rf"^\[{count}/{count}\]\s+written", out, re.MULTILINE)
    assert len(list((tmp_path / "c" / "articles").iterdir())) == count
    # A run keeps each seed's manifest record and its place in the report (measured: about
    # 1.4 kB a seed); an article kept by mistake (its text, Markdown and tags) adds 3 kB more
    # even for seeds this small (measured: 4.5 kB a seed in all).
    growth = samples[count] - samples[1_000]
    assert growth < 2_500 * (count - 1_000), f"memory grew {growth / (count - 1_000):.0f} B/seed"
    # Running it again changes nothing.
    assert main([*args, "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert len(list((tmp_path / "c" / "articles").iterdir())) == count


def test_a_seed_that_cannot_be_read_at_all_is_named(tmp_path, capsys):
    link = tmp_path / "seeds" / "gone.txt"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(tmp_path / "nowhere.txt")
    assert_clean_error(tmp_path, capsys, link, "no such file")


def test_read_seed_never_raises_anything_but_seed_error_on_these(tmp_path):
    for name, data in [("a.txt", b"\xff\xfe\x00"), ("b.html", b"<"), ("c.htm", b"<html></html>")]:
        with pytest.raises(SeedError):
            read_seed(seed(tmp_path, name, data))


def test_an_unexpected_failure_is_named_and_the_rest_go_on(tmp_path, capsys, monkeypatch):
    """A bug met on one seed is reported against that seed, never as a traceback that stops
    the others (the property tests make sure read_seed itself only raises SeedError)."""
    import explainer.ingest.seed_reading

    real = explainer.ingest.seed_reading.extract_article

    def flaky(path):
        if Path(path).name == "bad.txt":
            raise ValueError("something nobody expected")
        return real(path)

    monkeypatch.setattr(explainer.ingest.seed_reading, "extract_article", flaky)
    monkeypatch.setattr("explainer.cli.extract_article", flaky)
    bad = seed(tmp_path, "bad.txt", "Cobalt quotas bite\n\nJanuary 5, 2026\n\n" + BODY)
    assert_clean_error(tmp_path, capsys, bad, "ValueError: something nobody expected")
    good = tmp_path / "seeds" / "good.txt"
    assert main(["extract", "--json", str(bad), str(good)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert '"error": "ValueError: something nobody expected"' in out[0]
    assert '"title": "Cobalt quotas bite"' in out[1]
