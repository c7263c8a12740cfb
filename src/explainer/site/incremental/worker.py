"""The live preview's build process: stays up, keeps what it read, rebuilds on request.

    python -m explainer.site.incremental worker --root . --settings pelicanconf.py --output output

Between builds it keeps the parsed content (the read cache), the compiled templates and the
page signatures of the last build, so a save costs re-reading one file, rebuilding Pelican's
context, and rendering the pages whose inputs changed. The preview restarts it when the
project's code or settings change (Python cannot reliably reload them in place).

Protocol: one JSON object per line. Requests on stdin: {"build": [priority pages]}.
Replies on the original stdout (Python's stdout goes to stderr, so plugins that print cannot
corrupt it): {"event": "early", "pages": {path: html}, "quick": bool} when the pages open in a
browser are rendered (before the rest of the build; "quick": before it started), then
{"event": "done", "ok": true, "changed": [paths], ...} or {"event": "done", "ok": false,
"error": "..."}. Page bytes travel as base64.
output/ is committed only when the whole build succeeded.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import gc
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import types
from pathlib import Path

from jinja2 import BytecodeCache

from explainer.site import jinja_memo, pelican_seams
from explainer.site.incremental import collection, pelican_run, reading, timings
from explainer.site.incremental.article_remake import remade
from explainer.site.incremental.inputs import file_digest
from explainer.site.incremental.objects import dismantle
from explainer.site.incremental.runner import Build, BuildFailed
from explainer.site.incremental.session import (
    BuildCancelled,
    clear_cancel,
    request_cancel,
    static_ready,
)
from explainer.site.incremental.writer import render_job


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the worker's life (keyed by name and source)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def __fingerprint__(self) -> str:
        return "memory-bytecode-cache"

    def __deepcopy__(self, memo) -> MemoryBytecodeCache:
        return self  # the worker copies its settings for every build: share the cache


class Worker:
    def __init__(self, root: Path, settings_file: str, output: str, reply) -> None:
        reading.enable()
        jinja_memo.set_limit(96 * 1024 * 1024)  # cards are reused from build to build
        self.build = Build(root, Path(settings_file), Path(output))
        self.reply = reply
        self.bytecode = MemoryBytecodeCache()
        self.jinja_options: str | None = None
        self.objects: dict[str, dict] = {}  # content objects kept between builds
        # the declared input files (depends_on) the kept objects were made with, and their digests
        self.object_inputs: dict[str, bytes] = {}
        self._settings: dict | None = None
        # the open article pages' render jobs from the last build, with its context
        self.quick_jobs: dict = {}
        self.quick_reads: dict[str, tuple] = {}
        self._quick_sent: dict[str, bytes] = {}
        self._quick_readers: tuple | None = None
        # the theme's static files when the last build started: output path -> stamp
        self._theme_static: dict[str, tuple] | None = None

    def run_build(self, priority: list[str]) -> dict:
        started = time.perf_counter()
        timings.mark("worker: build requested")
        self._forget_objects_made_from_changed_inputs()
        self._quick_sent = {}
        if priority:
            self._send_quick_static()
        if self.quick_jobs:
            self._send_quick_pages(priority)
        quick_jobs: dict = {}
        succeeded = cancelled = False
        sessions = []
        contexts: list[dict] = []  # this build's shared context, once Pelican made it

        def hook(session) -> None:
            sessions.append(session)
            session.started = contexts.append
            session.priority = set(priority)
            session.on_priority = self._early
            session.objects = self.objects
            session.quick_jobs = quick_jobs

        clear_cancel()
        try:
            # Settings files are code: a change restarts the worker, so read them once.
            if self._settings is None:
                self._settings = pelican_run.load_settings(
                    self.build, bytecode_cache=self._bytecode_for
                )
                self._theme_static = self._theme_static_stamps()[1]
            settings = copy.deepcopy(self._settings)
            result = self.build.run(
                force=True, pelican_settings=settings, session_hook=hook, stamp_inputs=False
            )
            succeeded = True
        except BuildCancelled:
            cancelled = True
            return {"event": "done", "ok": False, "cancelled": True}
        except BuildFailed as error:
            if isinstance(error.__cause__, BuildCancelled):
                cancelled = True
                return {"event": "done", "ok": False, "cancelled": True}
            problems = [str(p) for p in getattr(error.__cause__, "problems", [])]  # content files
            return {"event": "done", "ok": False, "error": str(error), "problems": problems}
        except SystemExit as error:
            return {"event": "done", "ok": False, "error": f"settings: {error.code}"}
        finally:
            self._after_build(sessions, contexts, quick_jobs, succeeded, cancelled)
        # Files that are gone need not stay in memory.
        reading.CACHE.forget_except([p for p in reading.CACHE.paths() if os.path.exists(p)])
        return {
            "event": "done",
            "ok": True,
            "changed": result.changed_paths,
            "rendered": result.rendered,
            "kept": result.kept,
            "seconds": round(time.perf_counter() - started, 3),
        }

    def _after_build(
        self, sessions: list, contexts: list, quick_jobs: dict, succeeded: bool, cancelled: bool
    ) -> None:
        pelican_seams.forget_memoised_content()
        if sessions and sessions[0].input_digests:
            self.object_inputs = dict(sessions[0].input_digests)
        held = {id(job.context): job.context for job in self.quick_jobs.values()}
        held.update((id(context), context) for context in contexts)
        if succeeded:
            self._keep_quick_jobs(quick_jobs)
        elif cancelled:
            self._add_quick_jobs(quick_jobs)
        # The contexts no quick job needs now (the build before's, a failed or stopped
        # build's) are let go so that reference counting frees them at once: the worker
        # then needs no full garbage collection between saves (see main).
        kept = {id(job.context) for job in self.quick_jobs.values()}
        for key, context in held.items():
            if key not in kept:
                dismantle(context)

    def _forget_objects_made_from_changed_inputs(self) -> None:
        """A plugin may use a declared data file while content objects are made (the glossary
        links its terms in each article): when one changed, make the objects afresh."""
        if any(file_digest(path) != digest for path, digest in self.object_inputs.items()):
            self.objects.clear()
            self.object_inputs = {}

    def _bytecode_for(self, settings: dict):
        options = repr(pelican_run.jinja_options(settings))
        if options != self.jinja_options:  # new Jinja options: compile afresh
            self.bytecode, self.jinja_options = MemoryBytecodeCache(), options
        return self.bytecode

    def _keep_quick_jobs(self, jobs: dict) -> None:
        """After a successful build, keep its article pages' jobs (and their context) and
        what their sources read as; after a failed one, the last successful build's."""
        self.quick_jobs = jobs
        self.quick_reads = {}
        for relative, job in jobs.items():
            jinja_memo.remember_theme(job.template.environment)
            entry = reading.CACHE.peek(job.extra["article"].source_path)
            if entry is not None:
                self.quick_reads[relative] = entry

    def _add_quick_jobs(self, jobs: dict) -> None:
        """A build stopped by a newer save still made jobs for the pages it got to (the open
        page first, by speculation), each from its complete context: they replace the last
        successful build's for those pages. On a big site every save stops the build of the
        one before (20,000 articles: a live build takes longer than the second between
        saves), and without this the open page's quick job would stay the one from before
        its metadata changed, so no later save could take the quick path."""
        for relative, job in jobs.items():
            jinja_memo.remember_theme(job.template.environment)
            entry = reading.CACHE.peek(job.extra["article"].source_path)
            if entry is not None:
                self.quick_jobs[relative] = job
                self.quick_reads[relative] = entry

    def _send_quick_static(self) -> None:
        """Theme files (stylesheets, scripts, images) saved since the last build started go
        to the open pages at once, as the build will leave them (copied, then given to the
        `static_ready` plugins: the stylesheet minified), not after the build has collected
        every page (a minute at 20,000 articles)."""
        if self._settings is None:
            return
        files, stamps = self._theme_static_stamps()
        before, self._theme_static = self._theme_static, stamps
        if before is None:
            return
        changed = [relative for relative, stamp in stamps.items() if before.get(relative) != stamp]
        if not changed:
            return
        try:
            pages = self._static_as_built(files, changed)
        except Exception:  # the build that follows says what is wrong, and where
            return
        timings.mark("quick static files copied")
        self._early(pages, quick=True)
        self._quick_sent.update(pages)

    def _static_as_built(self, files: dict[str, str], changed: list[str]) -> dict[str, bytes]:
        with tempfile.TemporaryDirectory(prefix="explainer-static-") as scratch:
            for relative in changed:
                target = os.path.join(scratch, relative)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(files[relative], target)
            static_ready.send(types.SimpleNamespace(output_path=scratch, settings=self._settings))
            pages = {}
            for relative in changed:
                with open(os.path.join(scratch, relative), "rb") as handle:
                    pages[relative] = handle.read()
        return pages

    def _theme_static_stamps(self) -> tuple[dict[str, str], dict[str, tuple]]:
        files = pelican_seams.theme_static_files(self._settings or {})
        stamps = {}
        for relative, source in files.items():
            with contextlib.suppress(OSError):
                stamps[relative] = reading.stamp(source)
        return files, stamps

    def _send_quick_pages(self, priority: list[str]) -> None:
        """A save that changed only an open article's text (not its metadata), or the theme's
        templates, shows at once: the page is rendered again from the last build's context
        with the new text or templates, before the build starts. The build then makes the
        page as usual; should it differ (it should not), the browser gets the build's version
        too."""
        try:
            pages = self._quick_pages(priority)
        except Exception:  # a broken file: the build that follows says what is wrong, and where
            pass
            return
        if pages:
            timings.mark("quick pages rendered")
            self._early(pages, quick=True)
            self._quick_sent = pages

    def _quick_pages(self, priority: list[str]) -> dict[str, bytes]:
        pages: dict[str, bytes] = {}
        themes: dict[int, bool] = {}  # environment -> whether its templates changed
        for relative in priority:
            job = self.quick_jobs.get(relative)
            if job is None:
                continue
            env = job.template.environment
            if id(env) not in themes:
                themes[id(env)] = jinja_memo.theme_changed(env)
                if themes[id(env)]:
                    pelican_seams.forget_compiled_templates(env)
            quick = self._quick_job(job, themes[id(env)])
            if quick is not None:
                pages[relative] = render_job(quick)
        return pages

    def _quick_job(self, job, theme_changed: bool):
        """The open page's job with what changed since its build, when that is its article's
        text (not what the article is: title, tags, date...) or the theme's templates (the
        context is the same); None when neither changed or something else did."""
        import dataclasses

        article = job.extra["article"]
        source = article.source_path
        built = self.quick_reads.get(job.relative)  # what the page was built from
        try:
            now = reading.stamp(source)
        except OSError:
            return None
        if built is None or (built[0] == now and not theme_changed):
            return None
        if built[0] != now:
            latest = reading.CACHE.peek(source)
            if latest is not None and latest[0] == now:  # read already (a stopped build)
                content, packed = latest[1], latest[2]
            else:
                content, metadata = self._quick_reader(article.settings, source).read(source)
                packed = reading.pack_metadata(metadata)
                reading.CACHE.put(source, now, content, packed)  # the build reads it from here
            if packed != built[2]:
                return None  # what the article is changed: build it all
            article = remade(article, built[1], content, job.context)
        # Compiled templates are cached by name: the one loaded last is the current one.
        template = job.template.environment.get_template(job.template.name)
        return dataclasses.replace(job, template=template, extra={**job.extra, "article": article})

    def _quick_reader(self, settings: dict, source: str):
        from pelican.readers import Readers

        if self._quick_readers is None or self._quick_readers[0] is not settings:
            self._quick_readers = (settings, Readers(settings))
        return self._quick_readers[1].readers[os.path.splitext(source)[1][1:]]

    def _early(self, pages: dict[str, bytes], quick: bool = False) -> None:
        pages = {k: v for k, v in pages.items() if self._quick_sent.get(k) != v}
        if not pages:
            return
        timings.mark("early pages sent")
        self.reply(
            {
                "event": "early",
                "pages": {k: base64.b64encode(v).decode("ascii") for k, v in pages.items()},
                "quick": quick,
            }
        )


class IdleCollection:
    """Garbage collection in the worker, only while it waits for a save.

    Builds run with collection off but for rendering (collection.collect_while_rendering):
    what a build makes mostly lives until the next build, which lets it go with `dismantle`
    so that reference counting frees it. Once a build is done and no save came, what
    survives is frozen (kept out of later collections; this costs nothing). What neither
    frees (each build's Jinja environments and the render contexts that still point at its
    context: ~4,000 objects at 1,000 articles, ~43,000 at 20,000, 1-2% of what is alive)
    waits for a full collection every `BUILDS` builds, and only after a further `PAUSE`
    seconds without a save: it walks every object (2-3 s at 20,000 articles), and a save
    that arrives meanwhile waits for it. (Counting the frozen objects to see how much
    garbage is left walks them too: 0.25 s.)"""

    BUILDS = 20
    PAUSE = 2.0

    def __init__(self) -> None:
        self.builds = 0  # builds since the last full collection
        self.full = 0  # how many ran

    def idle(self, requests: Requests, builds: int) -> None:
        """`builds`: how many ran since the last call."""
        gc.freeze()
        self.builds += builds
        if self.builds >= self.BUILDS and not requests.wait(self.PAUSE):
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.builds = 0
            self.full += 1
            timings.mark("garbage collected")


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m explainer.site.incremental worker")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    args = parser.parse_args(argv)

    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def reply(message: dict) -> None:
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    # The preview sends SIGUSR1 when a newer change arrives: the build in progress stops.
    signal.signal(signal.SIGUSR1, lambda _signum, _frame: request_cancel())
    worker = Worker(args.root, args.settings, args.output, reply)
    requests = Requests(sys.stdin.fileno())
    gc.disable()  # no collection pauses while building (IdleCollection), but for rendering
    collection.collect_while_rendering()
    idle = IdleCollection()
    request: list[str] | None = []  # the first build, right away
    builds = 0
    while request is not None:
        reply(worker.run_build(request))
        builds += 1
        if not requests.wait(0.3):
            idle.idle(requests, builds)
            builds = 0
        request = requests.next()
    return 0


class Requests:
    """Build requests, one JSON object a line, read from a pipe without Python's buffering
    (so `wait()` can tell whether one is already there)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.closed = False

    def wait(self, timeout: float) -> bool:
        """True when a request (or the end of input) is ready within `timeout` seconds."""
        import select

        if b"\n" in self.buffer or self.closed:
            return True
        return bool(select.select([self.fd], [], [], timeout)[0])

    def next(self) -> list[str] | None:
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                if line.strip():
                    message = json.loads(line)
                    if "build" in message:
                        return list(message["build"])
            if self.closed:
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                self.closed = True
            self.buffer += chunk
