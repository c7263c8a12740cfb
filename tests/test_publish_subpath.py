"""The published build (publishconf.py) under a subpath: no link escapes it; feeds exist."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from support.built_pages import soup
from support.project import build, copy_project

SITEURL = "https://example.org/explainer/sub"


def page_url(output: Path, html_file: Path) -> str:
    relative = html_file.relative_to(output).as_posix()
    return f"{SITEURL}/{relative}"


@pytest.mark.slow
def test_publish_build_stays_under_the_subpath(tmp_path):
    root = copy_project(tmp_path / "site")
    output = build(root, "publishconf.py", env={"SITEURL": SITEURL})
    checked = 0
    for html_file in output.rglob("*.html"):
        for tag in soup(html_file).find_all(["a", "link", "img", "script", "form"]):
            ref = tag.get("href") or tag.get("src") or tag.get("action")
            if not ref or ref.startswith(("#", "mailto:")):
                continue
            absolute = urljoin(page_url(output, html_file), ref)
            if urlsplit(absolute).netloc != "example.org":
                continue  # an external link (e.g. a source URL)
            assert absolute.startswith(SITEURL + "/"), f"{html_file}: {ref} -> {absolute}"
            checked += 1
    assert checked > 50
    assert (output / "feeds" / "all.atom.xml").exists()
    assert (output / "feeds" / "countries" / "china.atom.xml").exists()
    feed = (output / "feeds" / "countries" / "china.atom.xml").read_text(encoding="utf-8")
    assert f"{SITEURL}/articles/chinas-new-mining-initiative" in feed


def test_publishconf_needs_siteurl(tmp_path):
    import subprocess
    import sys

    root = copy_project(tmp_path / "site")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import publishconf"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "SITEURL" in (result.stderr + result.stdout)
