"""Bodies kept on disk while pages render (explainer.site.incremental.body_store)."""

from __future__ import annotations

import os
import pickle

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from explainer.site import pelican_seams
from explainer.site.incremental import body_store
from explainer.site.incremental.fingerprint import Fingerprinter
from explainer.site.incremental.writer import child_report, fork_worker

SETTINGS = {**DEFAULT_CONFIG, "SITEURL": "", "PATH": "content"}


def _articles(n: int) -> list[Article]:
    return [
        Article(
            f"<p>Body {i}: " + "cobalt and lithium, é ✓ " * (40 + i) + "</p>",
            metadata={"title": f"Article {i}", "slug": f"a-{i}", "summary": "<p>s</p>"},
            settings=SETTINGS,
            source_path=f"content/a-{i}.md",
        )
        for i in range(6)
    ]


def test_stored_bodies_read_back_as_the_same_text_everywhere(tmp_path):
    """Pelican's `content`, the raw body, fingerprints and a forked render process all see
    the text a stored article held; its object holds no body in memory."""
    articles, originals = _articles(6), _articles(6)
    short = Article("<p>short</p>", metadata={"title": "S", "slug": "s"}, settings=SETTINGS)
    texts = [pelican_seams.raw_content(a) for a in originals]
    digests = [Fingerprinter().of(a) for a in originals]
    assert body_store.stash([*articles, short], tmp_path) == 6
    assert list(tmp_path.iterdir()) == []  # the file is unlinked
    assert all(type(vars(a)["_content"]) is body_store.StoredBody for a in articles)
    assert vars(short)["_content"] == "<p>short</p>"
    assert [pelican_seams.raw_content(a) for a in articles] == texts
    assert [a.content for a in articles] == [a.content for a in originals]
    assert [Fingerprinter().of(a) for a in articles] == digests
    pid, pipe = fork_worker(lambda: [a.content for a in articles])
    assert child_report(pid, pipe) == ("ok", [a.content for a in originals])


def test_a_pickled_stored_body_is_its_text(tmp_path):
    """The context saved for the next build holds the bodies, not references to a file
    that is gone when the build's process ends."""
    articles = _articles(2)
    texts = [pelican_seams.raw_content(a) for a in articles]
    body_store.stash(articles, tmp_path)
    loaded = pickle.loads(pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL))
    assert [vars(a)["_content"] for a in loaded] == texts
    assert all(type(vars(a)["_content"]) is str for a in loaded)


def test_the_store_closes_its_file_when_its_bodies_are_gone(tmp_path):
    articles = _articles(3)
    body_store.stash(articles, tmp_path)
    fd = vars(articles[0])["_content"]._store.fd
    os.fstat(fd)
    del articles
    try:
        os.fstat(fd)
    except OSError:
        return
    raise AssertionError("the store's file is still open")
