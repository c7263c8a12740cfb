"""What the search index reads of a page: a change only inside `data-pagefind-ignore` parts
or inside scripts and styles is one the index would not see; anything else, or markup whose
ignored parts' ends are not certain, counts as a change."""

from __future__ import annotations

from explainer.site.search_view import search_view, unseen_change

PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body>"
    "<main data-pagefind-body><h1>{title}</h1><p>{body}</p>"
    "<nav class='article-nav' data-pagefind-ignore><nav>Older</nav><a href='../x/'>{nav}</a></nav>"
    "<aside data-pagefind-ignore='all'>Related: <div><div>{related}</div></div></aside>"
    "</main></body></html>"
)


def page(title="Lithium deal", body="A body.", nav="Cobalt talks", related="Nickel news"):
    return PAGE.format(title=title, body=body, nav=nav, related=related).encode()


def test_a_change_inside_ignored_parts_is_not_seen_and_any_other_is():
    base = search_view(page())
    assert base is not None and b"Cobalt talks" not in base and b"Nickel news" not in base
    assert search_view(page(nav="Retitled: Cobalt talks", related="Retitled")) == base
    assert search_view(page(title="Retitled: Lithium deal")) != base
    assert search_view(page(body="Another body.")) != base


def test_an_ignored_part_that_holds_what_pagefind_still_reads_stays_in():
    for inner in ('<span data-pagefind-meta="date">2026</span>', '<img src="a.png" alt="">',
                  "<h1>Title</h1>", '<b data-pagefind-filter="country">Chile</b>'):  # fmt: skip
        html = f"<main data-pagefind-body><div data-pagefind-ignore>{inner}</div>x</main>"
        assert search_view(html.encode()) == html.encode()


def test_markup_whose_ignored_ends_are_uncertain_gives_no_view():
    assert search_view(b"<main><p data-pagefind-ignore>implied end<div>text</div></main>") is None
    assert search_view(b"<main><div data-pagefind-ignore>never closed</main>") is None
    assert search_view(b"<script>never closed") is None


def test_raw_text_and_comments_are_not_markup():
    html = (
        b"<main><div data-pagefind-ignore><script>'</div>'</script>inside</div>"
        b"<!-- <div data-pagefind-ignore> --><script>'<div data-pagefind-ignore>'</script>"
        b"after</main>"
    )
    assert search_view(html) == (
        b"<main><!-- <div data-pagefind-ignore> --><script></script>after</main>"
    )


def test_what_scripts_and_styles_hold_is_not_seen_but_their_tags_are():
    html = b'<head><script type="application/ld+json">{"name": "%s"}</script></head><main>x</main>'
    assert search_view(html % b"Old title") == search_view(html % b"New title")
    moved = html.replace(b"<script ", b'<script data-pagefind-meta="x" ')
    assert search_view(moved % b"Old title") != search_view(html % b"Old title")


def test_unseen_change_gives_the_stamp_the_page_had(tmp_path):
    target = tmp_path / "index.html"
    target.write_bytes(page())
    st = target.stat()
    assert unseen_change(target, page(nav="Renamed")) == (st.st_size, st.st_mtime_ns)
    assert unseen_change(target, page(body="New words.")) is None
    assert unseen_change(tmp_path / "missing.html", page()) is None
    other = tmp_path / "feed.xml"
    other.write_bytes(page())
    assert unseen_change(other, page(nav="Renamed")) is None
