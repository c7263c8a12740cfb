"""The live preview's server, without a site build: what it serves, when pages wait for a
build, what it tells the open pages, and what a failed or stopped build leaves on screen.
(The HTTP server runs in this process on a free port for a few milliseconds; no worker.)"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from explainer.preview.server import (
    CANCELLED,
    BuildBroadcaster,
    ChangeQueue,
    PreviewHandler,
    build_next,
    output_path,
    url_paths,
)


@pytest.fixture
def site(tmp_path):
    output = tmp_path / "output"
    (output / "a").mkdir(parents=True)
    (output / "index.html").write_text("<html><body>home v1</body></html>", encoding="utf-8")
    (output / "a" / "index.html").write_text("<html><body>a v1</body></html>", encoding="utf-8")
    (output / "404.html").write_text("<html><body>not here</body></html>", encoding="utf-8")
    (output / "style.css").write_text("body{}", encoding="utf-8")
    broadcaster = BuildBroadcaster()
    handler = type("Handler", (PreviewHandler,), {"broadcaster": broadcaster})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(output)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield output, broadcaster, base
    broadcaster.close()
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


def test_urls_and_output_paths_map_both_ways():
    assert output_path("/") == "index.html"
    assert output_path("/a/") == "a/index.html"
    assert output_path("/a/index.html?x=1") == "a/index.html"
    assert output_path("/caf%C3%A9/") == "café/index.html"
    assert url_paths("a/index.html") == ["/a/index.html", "/a/"]
    assert url_paths("style.css") == ["/style.css"]


def test_pages_get_the_client_script_with_the_build_they_were_served_from(site):
    _output, broadcaster, base = site
    status, body, headers = get(base + "/a/")
    assert status == 200 and "a v1" in body
    assert f'data-build="{broadcaster.build_id}"' in body
    assert body.index("/__livereload.js") < body.index("</body>")
    assert headers["Cache-Control"] == "no-store"
    status, css, headers = get(base + "/style.css")
    assert css == "body{}" and headers["Cache-Control"] == "no-cache"
    status, js, _ = get(base + "/__livereload.js")
    assert status == 200 and "EventSource" in js and "data-build" in js


def test_a_missing_page_gets_the_sites_404_page(site):
    _output, _broadcaster, base = site
    status, body, _ = get(base + "/nowhere/")
    assert status == 404 and "not here" in body and "/__livereload.js" in body


def test_early_pages_are_served_from_memory_until_a_build_commits(site):
    output, broadcaster, base = site
    broadcaster.early({"a/index.html": b"<html><body>a v2</body></html>"})
    assert "a v2" in get(base + "/a/")[1]
    assert "v1" in (output / "a" / "index.html").read_text()  # output/ untouched
    (output / "a" / "index.html").write_text("<html><body>a v3</body></html>", encoding="utf-8")
    broadcaster.committed(["a/index.html"], output)
    assert "a v3" in get(base + "/a/")[1]


def test_a_page_asked_for_while_a_change_builds_waits_for_the_build(site):
    output, broadcaster, base = site
    broadcaster.change_noticed()
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(get(base + "/")[1]))
    reader.start()
    time.sleep(0.3)
    assert got == []  # still waiting: output/ holds the page from before the save
    (output / "index.html").write_text("<html><body>home v2</body></html>", encoding="utf-8")
    broadcaster.committed(["index.html"], output)
    broadcaster.changes_built(1)
    reader.join(10)
    assert got and "home v2" in got[0]


def test_stylesheets_and_early_pages_do_not_wait_for_the_build(site):
    _output, broadcaster, base = site
    broadcaster.change_noticed()
    broadcaster.early({"a/index.html": b"<html><body>a v2</body></html>"})
    started = time.perf_counter()
    assert "a v2" in get(base + "/a/")[1]
    assert get(base + "/style.css")[1] == "body{}"
    assert time.perf_counter() - started < 5  # far below the wait for a build
    broadcaster.changes_built(1)


def events(base: str, path: str, count: int) -> list[dict]:
    """The first `count` build events the page at `path` receives."""
    url = f"{base}/__livereload?path={path}"
    found = []
    with urllib.request.urlopen(url, timeout=10) as response:
        for raw in response:
            line = raw.decode("utf-8").strip()
            if line.startswith("data: "):
                found.append(json.loads(line[len("data: ") :]))
                if len(found) == count:
                    break
    return found


def test_open_pages_are_told_which_files_changed(site):
    _output, broadcaster, base = site
    result: list[list[dict]] = []
    listener = threading.Thread(target=lambda: result.append(events(base, "/a/", 2)))
    listener.start()
    for _ in range(100):
        if broadcaster.open_pages():
            break
        time.sleep(0.02)
    assert broadcaster.open_pages() == {"a/index.html"}
    broadcaster.publish(["a/index.html"])
    listener.join(10)
    first, second = result[0]
    assert first["paths"] == [] and second["paths"] == ["/a/", "/a/index.html"]
    assert second["id"] != first["id"]
    broadcaster.publish(["style.css", "a/index.html"])  # not a page: every page reloads
    assert json.loads(broadcaster.message)["paths"] == "*"


def test_commit_announces_only_files_not_already_shown_with_those_bytes(tmp_path):
    output = tmp_path
    (output / "a.html").write_bytes(b"same")
    (output / "b.html").write_bytes(b"built differently")
    (output / "c.html").write_bytes(b"only at commit")
    broadcaster = BuildBroadcaster()
    broadcaster.early({"a.html": b"same", "b.html": b"speculated"})
    broadcaster.committed(["a.html", "b.html", "c.html"], output)
    assert json.loads(broadcaster.message)["paths"] == ["/b.html", "/c.html"]
    assert broadcaster.overlay == {}


class FakeBuilder:
    def __init__(self, output: Path, outcome, pages: dict[str, bytes] | None = None):
        self.output, self.outcome, self.pages = output, outcome, pages or {}
        self.calls: list[list[Path]] = []

    def build(self, changed, open_pages, early):
        self.calls.append(changed)
        if self.pages:
            early(self.pages)
        if isinstance(self.outcome, list):
            for name in self.outcome:
                (self.output / name).write_bytes(self.pages.get(name, b"committed"))
        return self.outcome

    def cancel(self) -> None:
        pass


def test_changes_waiting_are_built_together_and_counted(tmp_path):
    broadcaster = BuildBroadcaster()
    changes = ChangeQueue(broadcaster)
    changes.put([tmp_path / "b.md"])
    changes.put([tmp_path / "a.md", tmp_path / "b.md"])
    builder = FakeBuilder(tmp_path, ["x.html"])
    published: list[list[str]] = []
    assert build_next(changes, builder, tmp_path, published.append) == ["x.html"]
    assert builder.calls == [[tmp_path / "a.md", tmp_path / "b.md"]]
    assert published == [["x.html"]]
    broadcaster.wait_until_built(timeout=0.1)  # nothing pending: returns at once
    assert broadcaster._pending == 0


def test_a_failed_build_keeps_the_last_good_output_and_its_early_pages(tmp_path):
    (tmp_path / "a.html").write_bytes(b"last good")
    broadcaster = BuildBroadcaster()
    changes = ChangeQueue(broadcaster)
    changes.put([tmp_path / "a.md"])
    builder = FakeBuilder(tmp_path, None, {"a.html": b"the latest save"})
    published: list[list[str]] = []
    assert build_next(changes, builder, tmp_path, published.append) is None
    assert (tmp_path / "a.html").read_bytes() == b"last good"
    assert broadcaster.overlay == {"a.html": b"the latest save"}  # no flash back to the old
    assert published == []  # no search index over a failed build
    assert broadcaster._pending == 0  # other pages are served (the last good site)


def test_a_stopped_build_leaves_its_early_pages_for_the_next_build(tmp_path):
    broadcaster = BuildBroadcaster()
    changes = ChangeQueue(broadcaster)
    changes.put([tmp_path / "a.md"])
    builder = FakeBuilder(tmp_path, CANCELLED, {"a.html": b"early"})
    assert build_next(changes, builder, tmp_path) == CANCELLED
    assert broadcaster.overlay == {"a.html": b"early"}
    changes.put([tmp_path / "a.md"])
    builder.outcome, builder.pages = ["a.html"], {"a.html": b"final"}
    assert build_next(changes, builder, tmp_path) == ["a.html"]
    assert broadcaster.overlay == {} and (tmp_path / "a.html").read_bytes() == b"final"


def test_a_watcher_error_stops_the_loop(tmp_path):
    changes = ChangeQueue(BuildBroadcaster())
    changes.put(KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        build_next(changes, FakeBuilder(tmp_path, []), tmp_path)


def test_only_a_change_newer_than_the_build_in_progress_stops_it(tmp_path):
    """The race behind a lost save: a change noticed, then taken by the next build before
    the watcher asked to stop 'the build in progress', must not stop the build that has it."""
    changes = ChangeQueue(BuildBroadcaster())
    assert changes.put([tmp_path / "a.md"]) is False  # nothing building
    _paths, _count, last = changes.take()
    changes.building(last)  # the build that took it starts
    assert changes.put([tmp_path / "b.md"]) is True  # newer than that build: stop it
    changes.building(None)
    _paths, _count, last = changes.take()
    changes.building(last)
    changes.building(None)
    assert changes.put([tmp_path / "c.md"]) is False


def test_a_browser_that_leaves_while_a_page_is_sent_prints_no_traceback(tmp_path, capfd):
    """A reload while the page is still being sent closes the connection under the server's
    feet: the preview's terminal shows no traceback for it, and the next request is served."""
    import socket
    import struct

    from explainer.preview.server import open_server

    output = tmp_path / "output"
    output.mkdir()
    (output / "big.html").write_text("<p>" + "x" * 16_000_000 + "</p>", encoding="utf-8")
    (output / "index.html").write_text("<p>home</p>", encoding="utf-8")
    server = open_server(output, host="127.0.0.1", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        client = socket.create_connection(("127.0.0.1", port), timeout=10)
        client.sendall(b"GET /big.html HTTP/1.1\r\nHost: x\r\n\r\n")
        assert client.recv(1024).startswith(b"HTTP/1.0 200")
        # leave with a reset, as a browser tab that reloads does
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and threading.active_count() > 2:
            time.sleep(0.05)
        status, body, _headers = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "home" in body
    finally:
        server.shutdown()
        server.server_close()
        server.broadcaster.close()
    printed = capfd.readouterr().err
    assert "Traceback" not in printed and "Error" not in printed
