#!/usr/bin/env python3
"""Gate: page weight and what may load. Fails when

- an article page with its stylesheets (and any script it loads) is 30 KB or more,
  uncompressed (--budget to change);
- any page loads a script that blocks rendering (a classic <script src> in the head without
  `defer`/`async`, or any inline script that runs: JSON-LD data blocks do not run);
- any page refers to a stylesheet, script, image, icon or font on another origin.

Sizes are the bytes the server sends. Prints the weight of every page type.

    python gates/weight.py --site BUILT_SITE [--url http://127.0.0.1:PORT/]
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import page_types, page_url, served, target_args

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json", "text/template"}


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return error.read()
        raise


def assets(html: bytes, url: str) -> tuple[list[str], list[str], list[str]]:
    """(stylesheets and scripts the page loads, resources on other origins, blocking scripts)."""
    soup = BeautifulSoup(html, "html.parser")
    base_tag = soup.find("base", href=True)
    base = urljoin(url, base_tag["href"]) if base_tag else url
    origin = urlsplit(url).netloc
    refs, blocking = _references(soup)
    loaded, foreign = [], []
    for counted, ref in refs:
        absolute = urljoin(base, ref)
        if absolute.startswith(("http://", "https://")) and urlsplit(absolute).netloc != origin:
            foreign.append(absolute)
        elif counted:
            loaded.append(absolute)
    return loaded, foreign, blocking


def _references(soup: BeautifulSoup) -> tuple[list[tuple[bool, str]], list[str]]:
    """Every resource the page refers to, as (counted in the page's weight, reference), and
    the scripts that block rendering."""
    refs: list[tuple[bool, str]] = []
    blocking: list[str] = []
    for link in soup.find_all("link", href=True):
        rels = set(link.get("rel") or [])
        if rels & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}:
            refs.append(("stylesheet" in rels or "modulepreload" in rels, link["href"]))
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").lower()
        if kind in DATA_SCRIPT_TYPES:
            continue
        if not script.get("src"):
            blocking.append("inline script: " + script.get_text()[:60])
            continue
        if kind != "module" and not script.has_attr("defer") and not script.has_attr("async"):
            blocking.append(f"render-blocking script: {script['src']}")
        refs.append((True, script["src"]))
    for tag in soup.find_all(["img", "source", "video", "audio", "iframe", "embed", "object"]):
        refs.extend((False, tag[attr]) for attr in ("src", "data", "poster") if tag.get(attr))
    return refs, blocking


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target_args(parser)
    parser.add_argument("--budget", type=int, default=30_000, help="bytes, article + CSS")
    args = parser.parse_args(argv)
    targets = page_types(args.site.resolve())
    if "article" not in targets:
        print("weight gate: the site has no article page", file=sys.stderr)
        return 2
    problems: list[str] = []
    with served(args) as base:
        print("| page | HTML bytes | CSS + JS bytes | total |\n| --- | --- | --- | --- |")
        for name, path in targets.items():
            url = page_url(base, path)
            html = fetch(url)
            loaded, foreign, blocking = assets(html, url)
            extra = sum(len(fetch(u)) for u in dict.fromkeys(loaded))
            total = len(html) + extra
            print(f"| {name} | {len(html)} | {extra} | {total} |")
            problems += [f"{name}: third-party resource {u}" for u in foreign]
            problems += [f"{name}: {b}" for b in blocking]
            if name == "article" and total >= args.budget:
                problems.append(f"article page with its CSS is {total} bytes "
                                f"(budget under {args.budget})")
    for problem in problems:
        print(f"weight: {problem}")
    print(f"weight gate: {len(targets)} page types; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
