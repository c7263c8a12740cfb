"""The redirects plugin's memory of addresses, on Pelican-shaped objects (fast)."""

from __future__ import annotations

from types import SimpleNamespace

from explainer.site.plugins import redirects


def _article(content_dir, name: str, slug: str):
    return SimpleNamespace(
        metadata={"source": "bolivia.txt"},
        source_path=str(content_dir / "articles" / name),
        save_as=f"articles/{slug}/index.html",
        url=f"articles/{slug}/",
        title=slug,
    )


def test_an_article_that_two_generators_hold_is_still_known_by_its_source(tmp_path):
    # The timeline's generator holds the same articles as Pelican's: counting each article once
    # keeps its Source unique, so a renamed file is the same article and its old address redirects.
    content = tmp_path / "content"
    content.mkdir()
    settings = {"PATH": str(content)}
    old = _article(content, "skip-to-main-content.md", "skip-to-main-content")
    redirects.record_addresses([
        SimpleNamespace(settings=settings, articles=[old]),
        SimpleNamespace(settings=settings, articles=[old]),
    ])  # fmt: skip
    assert redirects.redirect_pages() == set()
    new = _article(content, "bolivia-opens-lithium-tender.md", "bolivia-opens-lithium-tender")
    redirects.record_addresses([
        SimpleNamespace(settings=settings, articles=[new]),
        SimpleNamespace(settings=settings, articles=[new]),
    ])  # fmt: skip
    assert redirects.redirect_pages() == {"articles/skip-to-main-content/index.html"}
    assert (content / redirects.HISTORY_NAME).is_file()
