#!/usr/bin/env python3
"""Gate: axe-core (npm) in Debian's Chromium: 0 violations on every page type, light and dark.

Each page type (home, article, country, mineral, both topic indexes, about, glossary,
timeline, tags, a tag, archive, search, 404) is loaded with `prefers-color-scheme: light`
and then `dark`, axe is injected through the DevTools protocol (so a strict CSP does not
block it), and the WCAG 2.0/2.1 A and AA rules plus axe's best practices run. The search
page is also checked with results shown. Any violation fails the gate.

    python gates/axe.py --site BUILT_SITE [--url http://127.0.0.1:PORT/] [--all-pages]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    ROOT,
    STRICT_CSP,
    all_pages,
    dump,
    node_tool,
    page_types,
    page_url,
    served,
    target_args,
)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def check(page, axe_source: str) -> list[dict]:
    page.evaluate(axe_source)
    result = page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => n.target.join(' '))
                                                          .slice(0, 5)}));
           }""",
        TAGS,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target_args(parser)
    parser.add_argument("--all-pages", action="store_true", help="every page, not one per type")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from explainer_devkit.chromium import launch

    axe_source = node_tool("axe-core", "axe.min.js").read_text(encoding="utf-8")
    site = args.site.resolve()
    targets = {p or "home": p for p in all_pages(site)} if args.all_pages else page_types(site)
    if not targets:
        print(f"axe gate: no pages in {site}", file=sys.stderr)
        return 2
    failures: dict[str, list] = {}
    checked = 0
    with served(args, headers={"Content-Security-Policy": STRICT_CSP}) as base, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for scheme in ("light", "dark"):
                context = browser.new_context(color_scheme=scheme, bypass_csp=False)
                page = context.new_page()
                for name, path in targets.items():
                    page.goto(page_url(base, path), wait_until="load")
                    found = check(page, axe_source)
                    checked += 1
                    if name == "search":
                        page.fill("#search-query", "rare earths")
                        page.wait_for_selector(".search-result", timeout=10_000)
                        found += check(page, axe_source)
                    if found:
                        failures[f"{name} ({scheme})"] = found
                context.close()
        finally:
            browser.close()
    for where, violations in failures.items():
        for v in violations:
            print(f"axe: {where}: {v['id']} ({v['impact']}): {v['help']} -> {v['nodes']}")
    dump(ROOT / "test-artifacts" / "axe.json", failures)
    count = sum(len(v) for v in failures.values())
    print(f"axe gate: {len(targets)} page types x light and dark = {checked} pages checked, "
          f"{count} violations")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
