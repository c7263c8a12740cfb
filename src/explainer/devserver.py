"""The live preview: serve output/, rebuild when a source changes, reload the open pages.

A small replacement for python-livereload, which drops a reload that comes within three
seconds of the previous one and misreports unchanged files on its first poll. Here every
save that produces a successful build reloads every open page, and a broken build keeps the
last good site on screen while the terminal says what broke.

Pages get one extra external script (same origin, so a strict Content-Security-Policy still
allows it) that listens on a Server-Sent Events stream and reloads the page when told to.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CLIENT_PATH = "/__livereload.js"
EVENTS_PATH = "/__livereload"
CLIENT_JS = b"""(function () {
  var first = null;
  var source = new EventSource("/__livereload");
  source.addEventListener("build", function (event) {
    if (first === null) { first = event.data; document.documentElement.dataset.livereload = "on"; }
    else if (event.data !== first) { location.reload(); }
  });
})();
"""
_INJECT = f'<script src="{CLIENT_PATH}" defer></script>'.encode()


class BuildBroadcaster:
    """Holds the id of the latest good build and wakes every open event stream on a new one."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.build_id = str(time.time_ns())
        self.closed = False

    def publish(self) -> None:
        with self._condition:
            self.build_id = str(time.time_ns())
            self._condition.notify_all()

    def wait_for_change(self, known: str, timeout: float) -> str:
        with self._condition:
            self._condition.wait_for(lambda: self.build_id != known or self.closed, timeout)
            return self.build_id

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()


class PreviewHandler(SimpleHTTPRequestHandler):
    broadcaster: BuildBroadcaster

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("EXPLAINER_HTTP_LOG"):
            super().log_message(format, *args)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == CLIENT_PATH:
            self._send_bytes(CLIENT_JS, "text/javascript; charset=utf-8")
        elif path == EVENTS_PATH:
            self._stream_events()
        else:
            self._serve_file()

    def _send_bytes(self, body: bytes, content_type: str, status=HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _serve_file(self) -> None:
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                super().do_GET()  # the base class redirects to the slash-ended URL
                return
            target = target / "index.html"
        if target.suffix != ".html" or not target.is_file():
            if not target.exists() and (Path(self.directory) / "404.html").is_file():
                self._send_html(Path(self.directory) / "404.html", HTTPStatus.NOT_FOUND)
                return
            super().do_GET()
            return
        self._send_html(target, HTTPStatus.OK)

    def _send_html(self, target: Path, status: HTTPStatus) -> None:
        body = target.read_bytes()
        marker = body.rfind(b"</body>")
        body = body[:marker] + _INJECT + body[marker:] if marker >= 0 else body + _INJECT
        self._send_bytes(body, "text/html; charset=utf-8", status)

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        known = self.broadcaster.build_id
        try:
            self.wfile.write(f"event: build\ndata: {known}\n\n".encode())
            self.wfile.flush()
            while not self.broadcaster.closed:
                current = self.broadcaster.wait_for_change(known, timeout=15)
                if current == known:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    known = current
                    self.wfile.write(f"event: build\ndata: {known}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class SourceWatcher:
    """Polls source files' mtimes and sizes; reports the paths that changed since last time."""

    def __init__(self, roots: Iterable[Path], accept: Callable[[Path], bool]) -> None:
        self.roots = [Path(r) for r in roots]
        self.accept = accept
        self.snapshot = self._scan()

    def _scan(self) -> dict[Path, tuple[int, int]]:
        found: dict[Path, tuple[int, int]] = {}
        for root in self.roots:
            if root.is_file():
                stat = root.stat()
                found[root] = (stat.st_mtime_ns, stat.st_size)
                continue
            for directory, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
                for name in files:
                    path = Path(directory, name)
                    if not self.accept(path):
                        continue
                    try:
                        stat = path.stat()
                    except FileNotFoundError:
                        continue
                    found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def changes(self) -> list[Path]:
        current = self._scan()
        changed = [p for p, stamp in current.items() if self.snapshot.get(p) != stamp]
        changed += [p for p in self.snapshot if p not in current]
        self.snapshot = current
        return sorted(changed)


def serve(
    output: Path,
    *,
    host: str,
    port: int,
    watch: Iterable[Path],
    accept: Callable[[Path], bool],
    rebuild: Callable[[list[Path]], bool],
    poll_interval: float = 0.1,
    after_reload: Callable[[], None] | None = None,
) -> None:
    """Serve `output` until interrupted; `rebuild(changed)` is True when the site changed.

    `after_reload()` runs once open pages have been told to reload (the search index is
    rebuilt from there, in the background, so it never delays the reload).
    """
    broadcaster = BuildBroadcaster()
    handler = type("Handler", (PreviewHandler,), {"broadcaster": broadcaster})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(output)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    thread.start()
    print(f"Serving {output} on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    watcher = SourceWatcher(watch, accept)
    try:
        while True:
            time.sleep(poll_interval)
            changed = watcher.changes()
            if not changed:
                continue
            # Let an editor finish writing (several files saved at once arrive together).
            time.sleep(0.02)
            changed = sorted({*changed, *watcher.changes()})
            names = ", ".join(str(p) for p in changed[:3]) + (" ..." if len(changed) > 3 else "")
            print(f"changed: {names}", flush=True)
            if rebuild(changed):
                broadcaster.publish()
                if after_reload is not None:
                    after_reload()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        broadcaster.close()
        server.shutdown()
        server.server_close()
