"""Seeds read on several cores give the same content folder, byte for byte, as seeds read one
after another: the same articles, the same merges, the same errors in the same order."""

from __future__ import annotations

import random

from support.project import SEED

from explainer.ingest.ingestion import ingest
from explainer.ingest.seed_reading import PARALLEL_FROM, _workers


def _seeds(folder, count: int = 24) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(3)
    words = [w for w in SEED.read_text(encoding="utf-8").split() if ">" not in w]
    stories = []
    for n in range(count):
        title = " ".join(rng.choice(words) for _ in range(6)).replace(".", "")
        if n % 4 == 3:  # another outlet's headline over an earlier story
            body = stories[rng.randrange(len(stories))]
        else:
            body = [" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(5)]
            stories.append(body)
        text = f"{title}\n\nJanuary {n % 27 + 1}, 2026\n\n" + "\n\n".join(body) + "\n"
        (folder / f"seed-{n:02}.txt").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")


def _tree(content) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes() for p in content.rglob("*") if p.is_file()}


def test_seeds_read_on_two_cores_make_the_same_articles(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    _seeds(seeds)
    reports, trees = [], []
    for workers in ("1", "2"):
        monkeypatch.setenv("EXPLAINER_INGEST_WORKERS", workers)
        assert _workers(3) == int(workers)
        content = tmp_path / f"content-{workers}"
        events: list[tuple[str, str, str]] = []

        def note(kind, path, detail, events=events, content=content):
            where = str(content)
            events.append((kind, str(path).replace(where, "C"), detail.replace(where, "C")))

        reports.append(ingest([seeds], content, on_event=note))
        trees.append((_tree(content), events))
    (one, one_events), (two, two_events) = trees
    assert one_events == two_events
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert reports[1].merged and len(reports[1].errors) == 1  # empty.txt, named
    assert [(s.name, a.name) for s, a in reports[0].merged] == [
        (s.name, a.name) for s, a in reports[1].merged
    ]


def test_few_seeds_are_read_in_this_process(monkeypatch):
    monkeypatch.delenv("EXPLAINER_INGEST_WORKERS", raising=False)
    assert _workers(PARALLEL_FROM - 1) == 1
