"""Values derived from inputs, kept for the next build in a fresh process (derived.py)."""

from __future__ import annotations

from explainer.site.incremental import derived


def test_a_value_is_made_once_saved_with_its_owner_and_only_if_used(tmp_path):
    path = tmp_path / "read" / "state.derived"
    made: list[str] = []

    def make(text: str):
        return lambda: made.append(text) or text.upper()

    one, two = derived.key("links", b"glossary-1", "body one"), derived.key("links", "body two")
    assert derived.key("a", "bc") != derived.key("ab", "c")  # parts cannot run together
    derived.load(path, b"code-and-settings")  # nothing saved yet
    assert derived.get_or_make(one, make("body one")) == "BODY ONE"
    assert derived.get_or_make(one, make("again")) == "BODY ONE" and made == ["body one"]
    derived.get_or_make(two, make("body two"))
    derived.save(path, b"code-and-settings")
    # the next build in a fresh process: what the last one made, if the same code made it
    assert derived._store == {}  # saved, and freed
    derived.load(path, b"code-and-settings")  # the same process: not loaded again
    assert derived._store == {}
    derived._loaded = None
    derived.load(path, b"code-and-settings")
    assert derived.get_or_make(one, make("not again")) == "BODY ONE" and len(made) == 2
    derived.save(path, b"code-and-settings")  # `two` was not used by this build: dropped
    derived._loaded = None
    derived.load(path, b"code-and-settings")
    assert one in derived._store and two not in derived._store
    derived.release()
    assert derived._store == {}
    derived._loaded = None
    derived.load(path, b"other code")  # made by other code or settings: not used
    assert derived._store == {}
    derived._loaded = None
