"""The live preview: serve output/, rebuild when a source changes, reload the open pages.

A small replacement for python-livereload, which drops a reload that comes within three
seconds of the previous one and misreports unchanged files on its first poll. Here every
save that produces a successful build reloads every open page whose file changed (all of
them when a stylesheet, script or image changed), and a broken build keeps the last good site
on screen while the terminal, and a box over the open pages, say what broke.

Pages get one extra external script (same origin, so a strict Content-Security-Policy still
allows it) that listens on a Server-Sent Events stream, telling the server which page it
shows, and reloads the page when told its file changed. The builder may publish the pages
open in a browser before the rest of the build is done: they are served from memory until a
build commits to output/ (a failed build leaves them: they show the latest save, and output/
keeps the last good site). While a change is being built, any other page a browser asks for
waits for the build to end, so every page opened after a save shows that save. Each page
carries the id of the build it was served from: a page that missed a build event between
being served and listening reloads.

Changes are noticed through inotify (watchfiles), or by polling where that is unavailable.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote

CLIENT_PATH = "/__livereload.js"
EVENTS_PATH = "/__livereload"
# The client script, a file of its own shipped with the package (see livereload.js).
CLIENT_JS = resources.files("explainer.preview").joinpath("livereload.js").read_bytes()
# How long a request waits for the build in progress before it is served what output/ holds.
PENDING_WAIT = 120.0
_log = logging.getLogger(__name__)
_http_log = logging.getLogger("explainer.preview.http")  # one line a request, at debug level


def _inject_tag(build_id: str) -> bytes:
    return f'<script src="{CLIENT_PATH}" data-build="{build_id}" defer></script>'.encode()


class BuildBroadcaster:
    """Holds the latest build event, the pages open in browsers, and the in-memory overlay."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.build_id = str(time.time_ns())
        self.message = json.dumps({"id": self.build_id, "paths": []})
        self.closed = False
        self.overlay: dict[str, bytes] = {}  # output path -> bytes newer than output/
        self._open: dict[str, int] = {}
        # Why the last build failed ({"message", "problems"}), shown over every open page
        # until a build succeeds; None when the site is up to date.
        self.error: dict | None = None
        self._pending = 0  # changes noticed and not yet built

    def change_noticed(self) -> None:
        with self._condition:
            self._pending += 1

    def changes_built(self, count: int) -> None:
        """`count` noticed changes went through a build (committed, failed or stopped)."""
        with self._condition:
            self._pending = max(0, self._pending - count)
            self._condition.notify_all()

    def wait_until_built(self, timeout: float = PENDING_WAIT) -> None:
        with self._condition:
            self._condition.wait_for(lambda: self._pending == 0 or self.closed, timeout)

    def early(self, pages: dict[str, bytes]) -> None:
        """Pages (and static files) of the build in progress: served from memory from now."""
        with self._condition:
            self.overlay.update(pages)
        self.publish(pages)

    def committed(self, changed: list[str], output: Path) -> None:
        """A build moved its files into output/: serve them from there, and tell the pages
        about every changed file but those already shown early with these very bytes."""
        with self._condition:
            shown, self.overlay = self.overlay, {}
        late = [p for p in changed if shown.get(p) is None or not _holds(output / p, shown[p])]
        if late or self.error:  # (after a failed build: its error overlay goes)
            self.publish(late)

    def publish(self, changed: Iterable[str] | None = None, error: dict | None = None) -> None:
        """Tell every open page about a new build; `changed` output paths (None: all).
        `error`: the build failed (pages show it over the last good site until one succeeds)."""
        paths: object = "*"
        if changed is not None:
            changed = list(changed)
            if all(p.endswith((".html", ".htm", ".xml", ".json", ".txt")) for p in changed):
                paths = sorted({url for p in changed for url in url_paths(p)})
        with self._condition:
            self.error = error
            self.build_id = str(time.time_ns())
            self.message = json.dumps({"id": self.build_id, "paths": paths, "error": error})
            self._condition.notify_all()

    def wait_for_change(self, known: str, timeout: float) -> tuple[str, str]:
        with self._condition:
            self._condition.wait_for(lambda: self.build_id != known or self.closed, timeout)
            return self.build_id, self.message

    def opened(self, path: str, delta: int) -> None:
        with self._condition:
            count = self._open.get(path, 0) + delta
            if count > 0:
                self._open[path] = count
            else:
                self._open.pop(path, None)

    def open_pages(self) -> set[str]:
        """Output paths of the pages open in a browser right now."""
        with self._condition:
            return {output_path(url) for url in self._open}

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def url_paths(relative: str) -> list[str]:
    """The URL paths that serve an output file: "a/index.html" -> "/a/index.html", "/a/"."""
    url = "/" + relative.lstrip("/")
    if url.endswith("/index.html"):
        return [url, url[: -len("index.html")]]
    return [url]


def output_path(url: str) -> str:
    """The output file a URL path serves: "/a/" -> "a/index.html"."""
    path = unquote(url.split("?", 1)[0]).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path


class PreviewHandler(SimpleHTTPRequestHandler):
    broadcaster: BuildBroadcaster

    def log_message(self, format: str, *args) -> None:
        if _http_log.isEnabledFor(logging.DEBUG):
            _http_log.debug("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        # Pages are always fetched anew; stylesheets and images are revalidated (a cheap 304
        # when unchanged), so a reload does not download them again.
        path = self.path.split("?", 1)[0]
        static = not path.endswith(("/", ".html", ".htm")) and path != EVENTS_PATH
        self.send_header("Cache-Control", "no-cache" if static else "no-store")
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
        wanted = output_path(self.path)
        broadcaster = self.broadcaster
        if wanted.endswith((".html", ".htm")) and wanted not in broadcaster.overlay:
            # A page opened after a save shows that save. (Stylesheets and images are served
            # at once: the open pages' own must not wait, and a build that changes one
            # publishes it as soon as it is copied, which reloads the pages.)
            broadcaster.wait_until_built()
        # The id before the bytes: a page is never newer than the id it carries says.
        self._build_id = broadcaster.build_id
        overlay = broadcaster.overlay.get(wanted)
        if overlay is not None:
            if wanted.endswith((".html", ".htm")):
                self._send_bytes(self._inject(overlay), "text/html; charset=utf-8")
            else:
                self._send_bytes(overlay, self.guess_type(wanted))
            return
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
        self._send_bytes(self._inject(target.read_bytes()), "text/html; charset=utf-8", status)

    def _inject(self, body: bytes) -> bytes:
        tag = _inject_tag(self._build_id)
        marker = body.rfind(b"</body>")
        return body[:marker] + tag + body[marker:] if marker >= 0 else body + tag

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        query = parse_qs(self.path.split("?", 1)[1] if "?" in self.path else "")
        page = query.get("path", ["/"])[0]
        broadcaster = self.broadcaster
        known, message = broadcaster.build_id, broadcaster.message
        broadcaster.opened(page, +1)
        try:
            self.wfile.write(f"event: build\ndata: {message}\n\n".encode())
            self.wfile.flush()
            while not broadcaster.closed:
                current, message = broadcaster.wait_for_change(known, timeout=15)
                if current == known:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    known = current
                    self.wfile.write(f"event: build\ndata: {message}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            broadcaster.opened(page, -1)


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


CANCELLED = "cancelled"


class Builder(Protocol):
    def build(
        self,
        changed: list[Path],
        open_pages: set[str],
        early: Callable[[dict[str, bytes]], None],
    ) -> list[str] | str | None:
        """Rebuild; the output paths that changed, None when the build failed, or CANCELLED
        when `cancel()` stopped it (a newer change is waiting).

        `early(pages)` may be called with the bytes of some of `open_pages` before the build
        is complete; they are served from memory until a build commits them."""
        ...

    def cancel(self) -> None:
        """Stop the build in progress, if any (called from another thread)."""
        ...


def watch(roots: list[Path], accept: Callable[[Path], bool], poll_interval: float):
    """Yield lists of changed paths: inotify through watchfiles, else polling."""
    try:
        import watchfiles
    except ImportError:  # pragma: no cover - watchfiles comes with Pelican
        watchfiles = None
    if watchfiles is not None and not os.environ.get("EXPLAINER_PREVIEW_POLL"):
        for changes in watchfiles.watch(
            *roots,
            watch_filter=lambda _change, path: accept(Path(path)),
            step=15,
            debounce=1000,
            raise_interrupt=True,
        ):
            yield sorted({Path(path) for _change, path in changes})
        return
    watcher = SourceWatcher(roots, accept)
    while True:
        time.sleep(poll_interval)
        changed = watcher.changes()
        if changed:
            time.sleep(0.02)  # let an editor finish writing (several files saved at once)
            yield sorted({*changed, *watcher.changes()})


class ChangeQueue:
    """Changed source paths waiting to be built (or an error from the watcher), numbered in
    the order they were noticed, and how far the build in progress goes."""

    def __init__(self, broadcaster: BuildBroadcaster) -> None:
        self.broadcaster = broadcaster
        self.items: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._noticed = 0
        self._building_upto: int | None = None  # the last change the build in progress took

    def put(self, item: list[Path] | BaseException) -> bool:
        """Queue a change; True when a build in progress started before it was noticed (it
        should stop: the change is newer). A build that already took it is left alone."""
        with self._lock:
            self._noticed += 1
            if not isinstance(item, BaseException):
                self.broadcaster.change_noticed()  # pages asked for now wait for the build
            self.items.put((self._noticed, item))
            return self._building_upto is not None and self._building_upto < self._noticed

    def take(self) -> tuple[list[Path], int, int]:
        """Every change waiting (blocks until there is one): the paths, how many changes,
        and the number of the last."""
        changed: set[Path] = set()
        taken = last = 0
        while taken == 0 or not self.items.empty():
            last, item = self.items.get()
            if isinstance(item, BaseException):
                raise item
            changed |= set(item)
            taken += 1
        return sorted(changed), taken, last

    def building(self, upto: int | None) -> None:
        with self._lock:
            self._building_upto = upto


def build_next(
    changes: ChangeQueue,
    builder: Builder,
    output: Path,
    after_publish: Callable[[list[str]], None] | None = None,
) -> list[str] | str | None:
    """Build the changes waiting (blocks until there are some); returns the builder's result.

    Pages the builder publishes early are served from memory until a build commits: a
    stopped build leaves them (the newer change is queued), and so does a failed one (they
    show the latest save, output/ keeps the last good site, the terminal says what broke)."""
    broadcaster = changes.broadcaster
    changed, taken, last = changes.take()
    names = ", ".join(str(p) for p in changed[:3])
    print(f"changed: {names}{' ...' if len(changed) > 3 else ''}", flush=True)
    _log.debug("build starts %.3f", time.time())

    def early(pages: dict[str, bytes]) -> None:
        broadcaster.early(pages)
        _log.debug("early publish %.3f", time.time())

    changes.building(last)
    try:
        result = builder.build(changed, broadcaster.open_pages(), early)
    finally:
        changes.building(None)
    if isinstance(result, list):
        broadcaster.committed(result, output)
    elif result is None:  # what broke, shown over the pages until a build succeeds
        broadcaster.publish([], error=_failure(builder))
    broadcaster.changes_built(taken)
    if after_publish is not None and isinstance(result, list) and result:
        after_publish(list(result))
    return result


class PortBusy(Exception):
    """The port cannot be listened on; the message names it and what to do."""


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    broadcaster: BuildBroadcaster
    output: Path

    def handle_error(self, request, client_address) -> None:
        """A browser that stops reading (a reload while the page was being sent) is no error:
        socketserver printed a traceback for it in the preview's terminal."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            _http_log.debug("%s left before the response was sent", client_address[0])
            return
        super().handle_error(request, client_address)


def open_server(output: Path, *, host: str, port: int) -> PreviewServer:
    """Listen on host:port (not serving yet), so a busy port is known before any build."""
    broadcaster = BuildBroadcaster()
    handler = type("Handler", (PreviewHandler,), {"broadcaster": broadcaster})
    try:
        server = PreviewServer((host, port), partial(handler, directory=str(output)))
    except OverflowError as error:
        raise PortBusy(f"port {port} is not a port number (0-65535)") from error
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortBusy(
                f"port {port} is already in use (another preview?); stop that program or "
                f"choose another port: invoke livereload --port {port + 1}"
            ) from error
        if error.errno == errno.EACCES:
            raise PortBusy(
                f"port {port} needs administrator rights; choose one above 1023"
            ) from error
        raise PortBusy(f"cannot listen on {host}:{port}: {error.strerror}") from error
    server.broadcaster = broadcaster
    server.output = Path(output)
    return server


def _failure(builder: Builder) -> dict:
    """Why the builder's last build failed, for the pages' error overlay."""
    return getattr(builder, "last_error", None) or {
        "message": "the build failed (the terminal says why)",
        "problems": [],
    }


def serve(
    server: PreviewServer,
    *,
    watch_paths: Iterable[Path],
    accept: Callable[[Path], bool],
    builder: Builder,
    poll_interval: float = 0.1,
    after_publish: Callable[[list[str]], None] | None = None,
) -> None:
    """Serve `server`'s output until interrupted, rebuilding with `builder` when a watched
    file changes (`server` comes from open_server()).

    `after_publish(changed)` runs after each successful build, once the open pages have been
    told to reload: the place for slow work over the finished output/ (a search index)."""
    broadcaster = server.broadcaster
    output = server.output
    host, port = server.server_address[:2]
    if getattr(builder, "last_error", None):  # the first build failed: say so in the browser
        broadcaster.publish([], error=_failure(builder))
    thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    thread.start()
    print(f"Serving {output} on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)

    changes = ChangeQueue(broadcaster)

    def watching() -> None:
        try:
            for changed in watch([Path(p) for p in watch_paths], accept, poll_interval):
                if changes.put(changed):  # a newer change: stop the build in progress
                    builder.cancel()
        except BaseException as error:
            changes.put(error)

    threading.Thread(target=watching, name="watch", daemon=True).start()
    try:
        while True:
            build_next(changes, builder, output, after_publish)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        broadcaster.close()
        server.shutdown()
        server.server_close()
