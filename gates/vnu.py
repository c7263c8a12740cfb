#!/usr/bin/env python3
"""Gate: the W3C Nu HTML Checker (vnu.jar from npm `vnu-jar`, run with the system Java).

Checks every HTML page of a built site as served over HTTP, and every stylesheet the site
ships (`--also-check-css`); 0 errors or it fails. Warnings are printed, not counted.

    python gates/vnu.py --site BUILT_SITE [--url http://127.0.0.1:PORT/]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import all_pages, node_tool, page_url, run, served, target_args


def stylesheets(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.css")
        if not p.relative_to(site).as_posix().startswith("pagefind/")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target_args(parser)
    args = parser.parse_args(argv)
    java = shutil.which("java")
    if not java:
        print("vnu gate: java is missing: run scripts/setup --with-browser", file=sys.stderr)
        return 2
    jar = node_tool("vnu-jar", "build", "dist", "vnu.jar")
    site = args.site.resolve()
    pages = all_pages(site)
    sheets = stylesheets(site)
    if not pages:
        print(f"vnu gate: no HTML pages in {site}", file=sys.stderr)
        return 2
    with served(args) as base:
        urls = [page_url(base, p) for p in pages + sheets]
        result = run(
            # The checker refuses 127.0.0.1 addresses unless told to (it guards a server).
            [java, "-Xss1024k", "-Dnu.validator.servlet.allow-forbidden-hosts=true",
             "-jar", str(jar), "--format", "json", "--also-check-css", "--exit-zero-always",
             *urls],
            capture_output=True, text=True,
        )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        print(f"vnu gate: the checker gave no report:\n{result.stdout}\n{result.stderr}",
              file=sys.stderr)
        return 2
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    warnings = [m for m in messages if m.get("subType") == "warning"]
    for m in errors + warnings:
        kind = "error" if m in errors else "warning"
        where = m.get("url", "?").replace(base, "/")
        line = m.get("lastLine", "")
        print(f"vnu {kind}: {where}:{line}: {m.get('message')}")
    print(f"vnu gate: {len(pages)} pages and {len(sheets)} stylesheets checked: "
          f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
