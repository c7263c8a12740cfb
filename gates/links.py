#!/usr/bin/env python3
"""Gate: linkchecker (PyPI `LinkChecker`) over a served site: 0 broken links or anchors.

Crawls from the site's address (and its sitemap.xml, when it has one), checks every link
and `#anchor` (AnchorCheck plugin), and with `--check-extern` also checks links that leave
the start address — so a root-absolute link that escapes a subpath deployment is fetched
and caught. Addresses on other hosts are
not fetched (there is no network here, and the gate is about this site). The server sends a
`LinkChecker` header, which lets linkchecker go past its default 10 requests per second.

    python gates/links.py --site BUILT_SITE [--url http://127.0.0.1:PORT/sub/]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, run, served, target_args

CONFIG = """[checking]
maxrequestspersecond=200
threads=4
timeout=20

[filtering]
checkextern=1
ignore=
  ^https?://(?!127\\.0\\.0\\.1[:/])
  ^mailto:

[output]
status=0
warnings=1

[AnchorCheck]
"""
SUMMARY = re.compile(r"(\d+) links? in (\d+) URLs? checked\. (\d+) warnings? found\. "
                     r"(\d+) errors? found")


def linkchecker() -> str:
    binary = Path(sys.executable).parent / "linkchecker"
    if binary.exists():
        return str(binary)
    candidate = ROOT / ".venv" / "bin" / "linkchecker"
    if candidate.exists():
        return str(candidate)
    raise SystemExit("links gate: linkchecker is missing: run scripts/setup")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target_args(parser)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "linkcheckerrc"
        config.write_text(CONFIG, encoding="utf-8")
        with served(args, headers={"LinkChecker": "explainer-gates"}) as base:
            # The sitemap too, when there is one: linkchecker checks every address in it.
            starts = [base] + ([base + "sitemap.xml"] if (args.site / "sitemap.xml").is_file()
                               else [])
            result = run(
                [linkchecker(), "--config", str(config), "--check-extern", "--no-robots",
                 *starts],
                capture_output=True, text=True,
            )
    output = result.stdout + result.stderr
    match = SUMMARY.search(output)
    if not match:
        print(output)
        print("links gate: linkchecker gave no summary", file=sys.stderr)
        return 2
    links, urls, warnings, errors = map(int, match.groups())
    # linkchecker calls a missing #anchor a warning; here it is a broken link.
    anchors = len(re.findall(r"^Warning\s+\S+\s+Anchor `", output, re.M))
    errors += anchors
    if errors or result.returncode not in (0, 1):
        print(output)
    elif warnings:
        print("\n".join(line for line in output.splitlines() if "Warning" in line))
    print(f"links gate: {base}: {links} links in {urls} URLs checked, "
          f"{errors} broken ({anchors} of them missing anchors), {warnings - anchors} warnings")
    if urls < 2:
        print("links gate: almost nothing was crawled; is the site served?", file=sys.stderr)
        return 1
    return 1 if errors or result.returncode > 1 else 0


if __name__ == "__main__":
    sys.exit(main())
