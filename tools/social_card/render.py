"""Render the site's social card (Open Graph / Twitter image) from card.html with Chromium.

    .venv/bin/python tools/social_card/render.py   # writes theme/static/social-card.png

The PNG is committed; run this again after changing card.html (or the site's name).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    from playwright.sync_api import sync_playwright

    from explainer_devkit.chromium import launch

    target = ROOT / "theme" / "static" / "social-card.png"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.goto((Path(__file__).with_name("card.html")).as_uri())
        page.screenshot(path=str(target))
        browser.close()
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
