#!/usr/bin/env python3
"""Gate: Lighthouse (npm `lighthouse`, Debian's Chromium): 100 in all four categories.

Every page type is audited in mobile and desktop form for performance, accessibility, best
practices and SEO. Lighthouse itself never fails on a low score: this script reads the
scores, prints the table and fails when any is under the bar (100 unless --min says
otherwise), naming the audits that cost points. Reports: test-artifacts/lighthouse/.

    python gates/lighthouse.py --site BUILT_SITE [--url http://127.0.0.1:PORT/] [--only a,b]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARTIFACTS, STRICT_CSP, node_tool, page_types, page_url, run, served, target_args

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}


def table(summary: list[dict]) -> str:
    header = "| page | form | " + " | ".join(SHORT[c] for c in CATEGORIES) + " |"
    lines = [header, "|" + " --- |" * (len(CATEGORIES) + 2)]
    for run_ in summary:
        scores = " | ".join(str(run_["scores"].get(c)) for c in CATEGORIES)
        lines.append(f"| {run_['name']} | {run_['formFactor']} | {scores} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target_args(parser)
    parser.add_argument("--min", type=int, default=100, help="the lowest passing score")
    parser.add_argument("--only", default="", help="comma-separated page types")
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "lighthouse")
    args = parser.parse_args(argv)
    node = shutil.which("node")
    if not node:
        print("lighthouse gate: node is missing: run scripts/setup --with-browser", file=sys.stderr)
        return 2
    node_tool("lighthouse", "package.json")
    targets = page_types(args.site.resolve())
    if args.only:
        targets = {k: v for k, v in targets.items() if k in args.only.split(",")}
    if not targets:
        print("lighthouse gate: no pages to audit", file=sys.stderr)
        return 2
    shutil.rmtree(args.out, ignore_errors=True)
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with served(args, headers={"Content-Security-Policy": STRICT_CSP}) as base, \
            tempfile.TemporaryDirectory() as tmp:
        job = Path(tmp) / "job.json"
        job.write_text(json.dumps({
            "urls": [[name, page_url(base, path)] for name, path in targets.items()],
            "out": str(args.out),
        }))
        result = run([node, str(Path(__file__).with_name("lighthouse.mjs")), str(job)], env=env)
    summary_file = args.out / "summary.json"
    if result.returncode != 0 or not summary_file.exists():
        print(f"lighthouse gate: Lighthouse failed (exit {result.returncode})", file=sys.stderr)
        return 2
    summary = json.loads(summary_file.read_text())
    print(table(summary))
    failed = 0
    for run_ in summary:
        low = {c: s for c, s in run_["scores"].items() if s is None or s < args.min}
        if run_["runtimeError"] or low:
            failed += 1
            print(f"lighthouse: {run_['name']} ({run_['formFactor']}) below {args.min}: {low} "
                  f"{run_['runtimeError'] or ''}")
            for audit in run_["lost"]:
                print(f"    {audit['category']}: {audit['id']} ({audit['score']}) "
                      f"{audit['title']} {audit['value']}")
    print(f"lighthouse gate: {len(targets)} page types x mobile and desktop = {len(summary)} "
          f"runs; {failed} below {args.min}; reports in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
