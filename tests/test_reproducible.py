"""Reproducible builds: the same input gives byte-identical output, wherever and whenever it is
built — dates, ordering and generated ids come from the content, not the clock, the folder or
Python's hash seed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.project import copy_project

pytestmark = pytest.mark.slow

SAME_DAY = [
    ("Cobalt quotas bite", "cobalt"),
    ("Nickel rules tighten", "nickel"),
    ("Lithium tender opens", "lithium"),
    ("Graphite licences return", "graphite"),
]
UNDATED_SEED = "Gallium curbs widen\n\nChina widened curbs on gallium exports to Japan.\n"
PAGE = (
    "<html lang='en'><head><title>Copper strike ends | Mining Weekly</title>"
    '<meta property="article:published_time" content="2026-03-04T08:00:00+02:00"></head>'
    "<body><article><h1>Copper strike ends</h1><p>Workers at Escondida in Chile voted to end a "
    "strike on Monday.</p><h2>What next</h2><p>Output should recover within weeks.</p>"
    "<h2>What next</h2><p>Prices fell.</p></article></body></html>"
)


def article(title: str, mineral: str) -> str:
    return (
        f"Title: {title}\nDate: 2026-03-01\nTags: exports, policy, {mineral}\n\n"
        f"## Background\n\nExports of {mineral} from China, Chile and Congo shifted.[^1]\n\n"
        "## Background\n\nSame heading twice, so the ids must be told apart.\n\n"
        f"[^1]: Trade figures for {mineral}.\n"
    )


def make_site(root: Path) -> Path:
    copy_project(root)
    articles = root / "content" / "articles"
    for title, mineral in SAME_DAY:  # four articles on one day: their order needs a rule
        (articles / f"{mineral}.md").write_text(article(title, mineral), encoding="utf-8")
    (root / "seeds" / "page.html").write_text(PAGE, encoding="utf-8")
    undated = root / "seeds" / "undated.txt"
    undated.write_text(UNDATED_SEED, encoding="utf-8")
    os.utime(undated, (1_767_225_600, 1_767_225_600))  # the same input, the same file date
    return root


def build_with(root: Path, task: str, hash_seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "SITEURL": "https://example.org/sub"}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run(
        [sys.executable, "-m", "invoke", task], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = root / "output"
    files = {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    shutil.rmtree(output)
    return files


@pytest.mark.parametrize("task", ["build", "preview"])
def test_two_builds_of_the_same_input_are_byte_identical(tmp_path, task):
    first = build_with(make_site(tmp_path / "one"), task, "1")
    second = build_with(make_site(tmp_path / "elsewhere" / "two"), task, "2")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    if task == "preview":
        assert any(name.endswith(".xml") for name in first)  # feeds were compared too
    # Articles of one day are listed by slug, whatever order the files were read in.
    index = first["index.html"].decode()
    order = [index.find(f">{title}<") for title, _ in sorted(SAME_DAY, key=lambda t: t[1])]
    assert -1 not in order and order == sorted(order)


def test_a_rebuild_in_place_is_identical(tmp_path):
    root = make_site(tmp_path / "site")
    first = build_with(root, "build", "3")
    second = build_with(root, "build", "4")
    assert first == second
