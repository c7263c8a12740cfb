"""The build's caches are only caches: one the code cannot read (made by another version of
it, whose classes have since moved, or cut short) is dropped and the build starts afresh."""

from __future__ import annotations

import pickle
import sys
import time
import types

import pytest

from explainer.site.incremental.reading import ReadCache
from explainer.site.incremental.runner import BuildState


def _pickle_of_a_moved_class() -> bytes:
    """A pickle naming a class in a module that no longer exists (explainer.incremental
    became explainer.site.incremental)."""
    module = types.ModuleType("explainer_gone_module")

    class State:
        pass

    State.__module__ = module.__name__
    State.__qualname__ = "State"
    module.State = State
    sys.modules[module.__name__] = module
    try:
        return pickle.dumps(State())
    finally:
        del sys.modules[module.__name__]


@pytest.mark.parametrize("data", [_pickle_of_a_moved_class(), b"\x80\x05cut short", b""])
def test_an_unreadable_build_state_starts_a_fresh_build(tmp_path, data):
    path = tmp_path / "state.pickle"
    path.write_bytes(data)
    state = BuildState.load(path)
    assert isinstance(state, BuildState) and not state.files


@pytest.mark.parametrize("data", [_pickle_of_a_moved_class(), b"\x80\x05cut short"])
def test_an_unreadable_read_cache_is_empty(tmp_path, data):
    path = tmp_path / "read.pickle"
    path.write_bytes(data)
    cache = ReadCache()
    assert cache.load(path, b"key") == 0 and len(cache) == 0


def test_the_read_cache_comes_back_whole_or_one_file_at_a_time(tmp_path):
    """A full build loads every entry; a quick build of one edited article, its entry alone."""
    files = [tmp_path / f"a{n}.md" for n in range(3)]
    saved = ReadCache()
    for n, file in enumerate(files):
        file.write_text(f"text {n}", encoding="utf-8")
        saved.put(str(file), (n, n), f"<p>text {n}</p>", [("title", f"T{n}")])
    path = tmp_path / "read.pickle"
    saved.save(path, b"key")
    whole = ReadCache()
    assert whole.load(path, b"key") == 3
    assert [whole.peek(str(f)) for f in files] == [saved.peek(str(f)) for f in files]
    one = ReadCache()
    assert one.load_some(path, b"key", [str(files[1]), str(tmp_path / "gone.md")]) == 1
    assert one.paths() == [str(files[1])] and one.peek(str(files[1])) == saved.peek(str(files[1]))
    assert ReadCache().load(path, b"other code") == 0
    assert ReadCache().load_some(path, b"other code", [str(files[1])]) == 0


@pytest.mark.parametrize(
    "change", ["nothing", "edit", "delete", "add beside", "add folder", "add on top", "retained"]
)
def test_the_no_op_check_sees_any_change_to_the_output_without_walking_it(tmp_path, change):
    """The state's records of files and folders stand for a walk of output/: a file edited,
    deleted or added anywhere (a stray folder, a stray file at the top) is noticed; the
    folders the search index keeps (OUTPUT_RETENTION) are not the build's."""
    from explainer.site.incremental.runner import PageRecord

    output = tmp_path / "output"
    for rel in ["index.html", "articles/a/index.html", "articles/b/index.html", "theme/x.css"]:
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
        (output / rel).write_text(rel, encoding="utf-8")
    (output / "pagefind").mkdir()
    state = BuildState(retained=["pagefind"])
    for path in output.rglob("*"):
        if path.is_file():
            st = path.stat()
            state.files[path.relative_to(output).as_posix()] = PageRecord(
                None, st.st_size, st.st_mtime_ns
            )
    state.record_dirs(output)
    assert set(state.dirs) == {"articles", "articles/a", "articles/b", "theme"}
    if change == "edit":
        (output / "articles/a/index.html").write_text("changed!", encoding="utf-8")
    elif change == "delete":
        (output / "articles/b/index.html").unlink()
    elif change == "add beside":
        (output / "articles/a/stray.html").write_text("x", encoding="utf-8")
    elif change == "add folder":
        (output / "articles/c").mkdir()
    elif change == "add on top":
        (output / "stray.html").write_text("x", encoding="utf-8")
    elif change == "retained":
        (output / "pagefind" / "pagefind.js").write_text("x", encoding="utf-8")
    assert state.output_matches(output) == (change in ("nothing", "retained"))


def _gated_read(path: str) -> tuple[str, dict]:
    """A reader that, for the file named last, waits (up to 20 s) for a gate file to exist,
    and notes in `late` whether it had to give up waiting."""
    from pathlib import Path

    file = Path(path)
    if file.name == "last.md":
        gate = file.with_name("gate")
        for _ in range(200):
            if gate.exists():
                break
            time.sleep(0.1)
        else:
            file.with_name("late").write_text("the gate never opened", encoding="utf-8")
    if file.name == "broken.md":
        raise ValueError("unreadable")
    return f"<p>{file.read_text(encoding='utf-8')}</p>", {"title": file.stem}


@pytest.fixture
def shared_cache():
    from explainer.site.incremental import reading

    reading.CACHE.clear()
    yield reading.CACHE
    reading.CACHE.abandon()
    reading.CACHE.clear()


def test_files_read_in_the_background_are_answered_as_each_one_arrives(tmp_path, shared_cache):
    """A build from the command line makes content objects while the next files are read:
    the first file is there while the last one's reader is still waiting."""
    from explainer.site.incremental import reading

    names = [f"a{n:02}.md" for n in range(40)] + ["broken.md", "last.md"]
    paths = []
    for name in names:
        (tmp_path / name).write_text(name, encoding="utf-8")
        paths.append(str(tmp_path / name))
    assert reading.prefetch(paths, _gated_read, workers=2, background=True) == len(paths)
    assert shared_cache.get(paths[0], {}) == ("<p>a00.md</p>", {"title": "a00"})
    assert reading.CACHE.missing(paths) == []  # the rest are on their way, not read again
    (tmp_path / "gate").touch()
    assert shared_cache.get(paths[-1], {}) == ("<p>last.md</p>", {"title": "last"})
    assert not (tmp_path / "late").exists()  # nothing waited for the last file to be read
    assert shared_cache.get(str(tmp_path / "broken.md"), {}) is None  # its reader says why
    assert len(shared_cache) == len(paths) - 1


def test_a_build_that_stops_stops_reading_in_the_background(tmp_path, shared_cache):
    from explainer.site.incremental import reading

    paths = []
    for n in range(30):
        name = "last.md" if n == 0 else f"b{n:02}.md"
        (tmp_path / name).write_text(name, encoding="utf-8")
        paths.append(str(tmp_path / name))
    reading.prefetch(paths, _gated_read, workers=2, background=True)
    shared_cache.abandon()  # as the runner does when Pelican fails
    assert shared_cache.get(paths[0], {}) is None  # not waited for
    assert reading.CACHE.missing(paths[:1]) == paths[:1]


def test_values_derived_from_reads_are_made_in_the_reading_processes(tmp_path, shared_cache):
    """A plugin's per-article work on what was read (the glossary links) is done by the
    processes that read, while the build makes objects; one that fails there is made by the
    build itself, and one the last build saved is not made again."""
    import os

    from explainer.site.incremental import derived, reading

    def maker(path, content, metadata):
        def make():
            if "fails" in content:
                raise ValueError("cannot")
            return content.upper(), os.getpid()

        return [(derived.key("test", content), make)]

    derived.release()
    derived.offer([(derived.key("test", "<p>saved.md</p>"), ("SAVED", 0))])
    derived.from_reads("test", maker)
    try:
        names = [f"c{n:02}.md" for n in range(30)] + ["fails.md", "saved.md"]
        paths = []
        for name in names:
            (tmp_path / name).write_text(name, encoding="utf-8")
            paths.append(str(tmp_path / name))
        reading.prefetch(paths, _gated_read, workers=2, background=True)
        shared_cache.settle()
        made = {}
        for name in names:
            entry = derived.key("test", f"<p>{name}</p>")
            made[name] = derived.get_or_make(entry, lambda: ("HERE", os.getpid()))
    finally:
        derived.from_reads("test", None)
        derived.release()
    assert made["fails.md"] == ("HERE", os.getpid())
    assert made["saved.md"] == ("SAVED", 0)
    for name in names[:30]:
        text, pid = made[name]
        assert text == f"<P>{name.upper()}</P>" and pid != os.getpid()


def test_metadata_values_many_articles_share_are_one_object_each():
    """Tags, countries and minerals read for 20,000 articles were 160,000 objects: the read
    cache hands out one object per distinct value (per settings for tags, whose slugs the
    settings make), and a value that differs in any field is its own."""
    from pelican.urlwrappers import Tag

    from explainer.model import CountryTag
    from explainer.site.incremental.reading import pack_metadata, unpack_metadata

    settings = {"SLUG_REGEX_SUBSTITUTIONS": []}
    metadata = {
        "tags": [Tag("Batteries", settings)],
        "countries": [CountryTag("Chile", "CL", "chile"), CountryTag("Peru", "PE", "peru", 2)],
    }
    packed = pack_metadata(metadata)
    one, two = unpack_metadata(packed, settings), unpack_metadata(packed, settings)
    assert one["tags"][0] is two["tags"][0] and one["tags"][0].slug == "batteries"
    assert one["countries"][0] is two["countries"][0]
    assert one["countries"] == metadata["countries"]
    other = unpack_metadata(
        pack_metadata({"countries": [CountryTag("Peru", "PE", "peru", 3)]}), settings
    )
    assert other["countries"][0] is not one["countries"][1]
    assert other["countries"][0].mentions == 3
    assert unpack_metadata(packed, dict(settings))["tags"][0] is not one["tags"][0]
