"""A Pelican Writer that renders only pages whose inputs changed, on every core.

It keeps Pelican's `write_file` contract (same arguments, same pagination, same local
context, same overwrite rules, the `content_written` signal), so every generator and plugin
that writes through the writer is covered without knowing about it (feeds are written by
Pelican's own `write_feed` into staging; the commit compares them with output/):

1. For each page it computes a signature (see fingerprint.py): template sources, settings,
   code, declared data files, and the values of the variables the template reads.
2. If the last build wrote that page with the same signature and output/ still holds that
   file untouched, the page is not rendered at all ("kept").
3. Otherwise it renders, compares with the file in output/, and writes to the staging
   folder only when the bytes differ ("written"; else "same"). output/ itself is only touched
   by the runner after the whole build succeeded.

With a session that defers, pages are collected and rendered at the end of the build by
`flush()`, split over forked worker processes; the pages open in a browser (live preview)
were rendered before that by `speculate()`, right after the context was built, and are
reused when the generator asks for exactly that page. `content_written` is sent for every
page, in Pelican's order, once its file exists (for kept/same pages: the file in output/,
which holds exactly those bytes).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import pickle
import signal
import traceback
from dataclasses import dataclass
from typing import Any

from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.plugins import signals
from pelican.utils import sanitised_join
from pelican.writers import Writer

from explainer.site import output_sync, pelican_seams
from explainer.site.incremental import (
    body_store,
    collection,
    fingerprint,
    inputs,
    pelican_run,
    saved_context,
    timings,
)
from explainer.site.incremental.session import (
    BuildCancelled,
    BuildSession,
    check_cancel,
    current,
    release_kept,
)

logger = logging.getLogger(__name__)

fingerprint.transparent(PaginatorPage)
fingerprint.transparent(Paginator)
pelican_seams.track_body_reads()

# A signature's first byte says how it counts content objects other than the page's own
# article or page. Usually (READS, READ_BODIES) by their source file only, plus every
# attribute of the ones the page's last render read (it names them: 8 bytes each after the
# digest), so that retitling an article re-renders the listing page that shows it and not
# every page of every list that holds it. The render's reads of content objects are all
# noted (pelican_seams.reading_contents), whoever reads them, so a page that does not read
# an object renders the same whatever the object holds. A page that read an object the build
# does not know by its file counts every content object by all its attributes instead
# (WITH_BODIES, WITHOUT_BODIES). READ_BODIES and WITH_BODIES: with their bodies too (the
# render read another one's body: a feed-like listing); else an edit to an article's text
# re-renders its own page only.
WITH_BODIES, WITHOUT_BODIES, READ_BODIES, READS = b"B", b"N", b"S", b"R"
_DIGEST = 16  # bytes of the digest after the first byte
_OWN = ("article", "page")  # the variable holding a content page's own object


class PageRenderError(Exception):
    """A template failed while rendering one page; the message names the page."""


_ABSENT = object()


@dataclass
class Job:
    """One page to write. Its local context (a copy of the whole shared context, like
    Pelican's) is built only while the page is fingerprinted or rendered: thousands of
    copies held at once would cost more memory than everything else."""

    index: int
    relative: str
    path: str
    template: Any
    context: dict
    page_name: str
    relative_urls: bool
    extra: dict
    localsiteurl: Any

    def make_localcontext(self) -> dict:
        """What Pelican's Writer passes to the template (same keys, same values)."""
        return pelican_seams.local_context(
            self.context, self.page_name, self.relative_urls, self.localsiteurl, self.extra
        )

    def lookup(self, name: str) -> Any:
        """One variable of the local context, without building it."""
        if name in self.extra:
            return self.extra[name]
        if name == "output_file":
            return self.page_name
        if name in ("SITEURL", "localsiteurl"):
            relative_url = pelican_seams.page_siteurl(self.page_name, self.relative_urls)
            if relative_url is not None:
                return relative_url
            if name == "localsiteurl":
                return self.localsiteurl
        return self.context.get(name, _ABSENT)


class IncrementalWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.session: BuildSession | None = current()
        self.jobs: list[Job | None] = []
        self._job_index: dict[str, int] = {}
        self._output_prefix = sanitised_join(output_path, "x")[:-1]  # ".../staging/"
        # the open pages speculate() rendered: output path -> (status, signature)
        self._speculative: dict[str, tuple[str, bytes | None]] = {}
        self._reused: dict[str, Job] = {}  # jobs whose page speculate() rendered exactly
        self._fingerprinter: fingerprint.Fingerprinter | None = None
        self._bodiless: fingerprint.Fingerprinter | None = None
        # by whether they count bodies: content objects by identity, and the read ones in full
        self._identities: dict[bool, fingerprint.Fingerprinter] = {}
        # this build's content objects by source file (fingerprint.content_key), and back
        self._by_key: dict[bytes, Any] | None = None
        self._keys: dict[int, bytes] = {}
        self._templates: dict = {}
        self._global: bytes | None = None

    # --- Pelican's API ----------------------------------------------------------------

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """Pelican's, noted for the build's saved context: a feed shows its articles' text,
        so a quick build of edited articles writes the feeds that list them again."""
        session = self.session
        if session is not None and session.feed_jobs is not None and path:
            session.feed_jobs.append(
                saved_context.FeedJob(
                    list(elements), context, path, url, feed_type, override_output, feed_title
                )
            )
        try:
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        finally:
            pelican_seams.forget_memoised_content()

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if name is False or name == "" or not name:
            return

        for page_name, extra in pelican_seams.pages_to_write(
            self.settings, name, url, template_name, paginated, kwargs
        ):
            # localsiteurl as it is now: rendering the previous page may have changed it
            local = (page_name, relative_urls, extra, context.get("localsiteurl", None))
            self._add(page_name, template, local, context, override_output)

    # --- bookkeeping ------------------------------------------------------------------

    def _add(self, name, template, local, context, override) -> None:
        check_cancel()
        path = sanitised_join(self.output_path, name)
        if not pelican_seams.claim_output(self, path, override):
            return
        relative = path[len(self._output_prefix) :]
        job = Job(len(self.jobs), relative, path, template, context, *local)
        session = self.session
        if session is not None and session.quick_jobs is not None and "article" in job.extra:
            session.quick_jobs[relative] = job
        if session is not None and session.saved_jobs is not None:
            session.saved_jobs[relative] = job
        if session is not None and session.defer and relative in self._speculative:
            # speculate() rendered this page: reuse it if the generator asks for the same
            guess = self._speculative.pop(relative)
            if guess[1] and guess[1] == self._signature(job, *_mode_and_reads(guess[1])):
                self._reused[relative] = job
                self._speculative[relative] = guess
        if self.session is not None and self.session.defer:
            # A page written twice (override_output) keeps only its last version.
            previous = self._job_index.get(relative)
            if previous is not None:
                self.jobs[previous] = None
            self._job_index[relative] = job.index
            self.jobs.append(job)
        else:
            result = self._run(job)
            self._record(job, result)

    # --- rendering --------------------------------------------------------------------

    def _signature(self, job: Job, mode: bytes, reads: bytes = b"") -> bytes | None:
        """The page's signature in `mode` (see READS...), with `reads` (the content objects
        its last render read, for READS and READ_BODIES)."""
        session = self.session
        if session is None:
            return None
        self._fingerprints(job.context)
        full = self._fingerprinter
        bodies = mode in (WITH_BODIES, READ_BODIES)
        if mode in (WITH_BODIES, WITHOUT_BODIES):
            others = full if bodies else self._bodiless
        else:
            others = self._identities[bodies]
        if self._global is None:
            self._global = fingerprint.combine(
                [
                    session.code_digest,
                    full.of({k: v for k, v in self.settings.items() if k != "JINJA_ENVIRONMENT"}),
                    full.of(pelican_run.jinja_options(self.settings)),
                    *(inputs.file_digest(p) + p.encode() for p in sorted(session.extra_inputs)),
                ]
            )
        info = fingerprint.template_info(job.template.environment, job.template, self._templates)
        names = job.make_localcontext().keys() if info.names is None else info.names
        parts = [self._global, info.digest, job.relative.encode()]
        for name in sorted(names):
            value = job.lookup(name)
            if value is _ABSENT:
                continue
            if name in self.settings and self.settings[name] is value:
                continue  # part of the settings digest
            parts.append(name.encode())
            parts.append(others.of_own(value) if name in _OWN else others.of(value))
        for key in _keys_named(reads):
            content = self._by_key.get(key)
            parts.append(b"-" if content is None else others.of_read(content))
        return mode + fingerprint.combine(parts) + reads

    def _fingerprints(self, context: dict) -> None:
        """This build's fingerprinters, and its content objects by source file (made once)."""
        if self._fingerprinter is not None:
            return
        links = self._link_state(context)
        self._fingerprinter = fingerprint.Fingerprinter(links)
        self._bodiless = fingerprint.Fingerprinter(links, bodies=False)
        self._identities = {
            bodies: fingerprint.Fingerprinter(links, bodies=bodies, identities=True)
            for bodies in (False, True)
        }
        fingerprint.set_shared(self._fingerprinter)
        self._by_key = fingerprint.contents_by_key(context)
        self._keys = {id(content): key for key, content in self._by_key.items()}

    def _mode(self, job: Job, bodies: bool, read: set[int]) -> tuple[bytes, bytes]:
        """How the page's signature counts content objects, after a render that read the
        objects `read` (ids) and, if `bodies`, another one's body."""
        reads = _named_reads(read, self._keys)
        if reads is None:  # an object not this build's for its file (or made from no file)
            return (WITH_BODIES if bodies else WITHOUT_BODIES), b""
        return (READ_BODIES if bodies else READS), reads

    @staticmethod
    def _link_state(context: dict):
        def state() -> bytes:
            h = fingerprint.Fingerprinter()
            items = []
            for key in ("generated_content", "static_content"):
                for path, content in sorted((context.get(key) or {}).items()):
                    url = getattr(content, "url", None) if content is not None else None
                    items.append(f"{key}\0{path}\0{url}".encode())
            return h.of(tuple(items))

        return state

    def _run(self, job: Job) -> tuple[str, bytes | None]:
        """Render one page unless it is unchanged; returns (status, signature)."""
        record = self.session.previous_is_intact(job.relative) if self.session else None
        if record is not None and record.signature == self._signature(
            job, *_mode_and_reads(record.signature)
        ):
            return "kept", record.signature
        data, bodies, read = render_job_noting_reads(job)
        if self.session is not None:
            self._fingerprints(job.context)
        return self._store(job.relative, job.path, data), self._signature(
            job, *self._mode(job, bodies, read)
        )

    def _store(self, relative: str, path: str, data: bytes) -> str:
        """Write `data` to staging unless output/ already holds exactly these bytes."""
        session = self.session
        if (
            session is not None
            and session.output_dir != session.staging_dir
            and output_sync.holds(session.output_dir / relative, data)
        ):
            return "same"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        logger.info('Writing "%s"', path)
        return "written"

    def _record(self, job: Job, result: tuple[str, bytes | None]) -> None:
        status, signature = result
        session = self.session
        if session is not None:
            session.pages[job.relative] = (status, signature)
            session.stats[status] = session.stats.get(status, 0) + 1
        if signals.content_written.receivers:
            signals.content_written.send(
                self._visible_path(job, status), context=job.make_localcontext()
            )

    def _visible_path(self, job: Job, status: str) -> str:
        session = self.session
        if status == "written" or session is None:
            return job.path
        return str(session.output_dir / job.relative)

    # --- the pages open in a browser, before the generators write anything ------------

    def speculate(self, generators) -> None:
        """Render the open article/page pages as Pelican's generators are about to (same
        template, same variables), right after the context is built: a browser gets the page
        before thousands of other pages are collected. When the generator then writes that
        page, the result is reused only if its signature is the same; otherwise the page is
        rendered again, so the output is exactly what the generator asked for."""

        session = self.session
        if session is None or not session.defer or not session.priority:
            return
        wanted = " ".join(session.priority)
        # Computing every article's save_as costs more than the page: look first at the
        # items whose slug is in an open page's path, then (if that found nothing) at all.
        self._speculate(generators, lambda item: getattr(item, "slug", None) in wanted)
        if not self._speculative:
            self._speculate(generators, lambda item: True)

    def _speculate(self, generators, candidate) -> None:
        session = self.session
        for generator in generators:
            for item, extra in pelican_seams.content_pages(generator):
                if not candidate(item):
                    continue
                save_as = item.save_as
                if not save_as:
                    continue
                path = sanitised_join(self.output_path, save_as)
                relative = path[len(self._output_prefix) :]
                if relative not in session.priority or relative in self._speculative:
                    continue
                check_cancel()
                job = Job(
                    -1,
                    relative,
                    path,
                    generator.get_template(item.template),
                    generator.context,
                    save_as,
                    generator.settings["RELATIVE_URLS"],
                    extra,
                    generator.context.get("localsiteurl", None),
                )
                if session.quick_jobs is not None and "article" in extra:
                    # the context is complete: a newer save that stops this build may start
                    # from this page (worker.py keeps a stopped build's jobs)
                    session.quick_jobs[relative] = job
                result = self._speculative[relative] = self._run(job)
                if result[0] == "written" and session.on_priority:
                    session.on_priority({relative: self._current_bytes(job, "written")})

    # --- deferred, parallel rendering --------------------------------------------------

    def flush(self) -> None:
        """Render the collected pages: priority pages first, then the rest on every core."""
        jobs = [job for job in self.jobs if job is not None]
        self.jobs, self._job_index = [], {}
        if not jobs:
            return
        session = self.session
        if session is not None and session.one_shot:
            release_kept()
            generated = jobs[0].context.get("generated_content") or {}
            moved = body_store.stash(generated.values(), session.staging_dir)
            timings.mark(f"{moved} bodies stored on disk")
        self._publish_static_early()
        results: dict[int, tuple[str, bytes | None]] = {}
        for job in jobs:
            if self._reused.get(job.relative) is job:  # an open page, rendered by speculate()
                results[job.index] = self._speculative[job.relative]
        rest = [j for j in jobs if j.index not in results]
        self._prepare(rest)
        workers = min(session.workers if session else 1, max(1, len(rest) // 32))
        with pelican_seams.keeping_addresses(), collection.resumed():
            if workers > 1:
                results.update(self._run_forked(rest, workers))
            else:
                for job in rest:
                    check_cancel()
                    results[job.index] = self._run(job)
        counts: dict[str, int] = {}
        for status, _signature in results.values():
            counts[status] = counts.get(status, 0) + 1
        timings.mark(f"pages: {counts}")
        for count, job in enumerate(jobs):
            if count % 1000 == 0:
                check_cancel()  # the sitemap's handler sees every page: 0.8 s at 20,000
            self._record(job, results[job.index])

    def _prepare(self, jobs: list[Job]) -> None:
        """Load every template and its includes before forking, so no worker compiles them,
        and find the content objects by file once."""
        for template in {id(j.template): j.template for j in jobs}.values():
            fingerprint.template_info(template.environment, template, self._templates)
        if self.session is not None and jobs:
            self._fingerprints(jobs[0].context)
            # A page's signature hashes the content objects its render read, by their
            # attributes. Hashed here, before the render processes fork, each object is hashed
            # once, not in every process that reads it, and no process copies the memory pages
            # of every attribute it walks (peak of a cold 5,000-article build: 256 -> 235 MB)
            read = self._identities[False]
            for content in self._by_key.values():
                read.of_read(content)

    def _publish_static_early(self) -> None:
        """Stylesheets, scripts and images already copied to staging (StaticGenerator runs
        before the pages are rendered) go to the open pages before the pages are done."""
        session = self.session
        if session is None or not session.on_priority or not session.priority:
            return
        changed: dict[str, bytes] = {}
        for directory, _dirs, files in os.walk(self.output_path):
            for name in files:
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, self.output_path).replace(os.sep, "/")
                if name.startswith(".") or relative in self._job_index or relative in self._reused:
                    continue
                with open(path, "rb") as handle:
                    data = handle.read()
                if not output_sync.holds(session.output_dir / relative, data):
                    changed[relative] = data
        if changed:
            session.on_priority(changed)

    def _current_bytes(self, job: Job, status: str) -> bytes:
        path = job.path if status == "written" else self.session.output_dir / job.relative
        with open(path, "rb") as handle:
            return handle.read()

    def _run_forked(self, jobs: list[Job], workers: int) -> dict[int, tuple[str, bytes | None]]:
        chunks = Chunks(jobs)
        # Objects that exist now are left out of every process's garbage collections until
        # the children are done, so no process copies the memory pages they share just to
        # scan them (the parent's first full collection did: 16 MB at 5,000 articles).
        # What the build freed before rendering (the read cache, the readers' garbage) stays in
        # the C heap and would count in the parent and its children: 959 -> 863 MB at the
        # peak of a cold 20,000-article build (bench/README.md)
        _return_free_memory()
        gc.freeze()
        try:
            children = [self._fork(chunks) for _ in range(workers - 1)]
            results: dict[int, tuple[str, bytes | None]] = {}
            error: str | None = None
            try:
                for job in chunks.taken():
                    check_cancel()
                    results[job.index] = self._run(job)
            except PageRenderError as failure:
                error = str(failure)
            except BuildCancelled:
                stop_workers(children)
                raise
            for child in children:
                kind, value = child_report(*child)
                if kind == "ok":
                    results.update(value)
                elif error is None:
                    error = value
        finally:
            gc.unfreeze()
        if error is not None:
            raise PageRenderError(error)
        return results

    def _fork(self, chunks: Chunks) -> tuple[int, int]:
        """A child process that renders the chunks it takes and reports on a pipe: (pid, read
        end)."""
        return fork_worker(lambda: {job.index: self._run(job) for job in chunks.taken()})


def fork_worker(work) -> tuple[int, int]:
    """A child process that runs `work()` and sends ("ok", its result) or ("error",
    message) on a pipe: (its pid, the read end; child_report reads it). The child never
    returns into the caller's code: it exits without cleanup, whatever happens."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            signal.signal(signal.SIGUSR1, signal.SIG_DFL)
            os.close(read_end)
            try:
                payload = pickle.dumps(("ok", work()))
                status = 0
            except BaseException as error:  # report any failure to the parent
                payload = pickle.dumps(("error", _describe(error)))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def stop_workers(children: list[tuple[int, int]]) -> None:
    """Kill fork_worker children whose reports are no longer wanted, and reap them."""
    for pid, read_end in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        os.close(read_end)
        os.waitpid(pid, 0)


def child_report(pid: int, read_end: int) -> tuple[str, Any]:
    """What a fork_worker child sent: ("ok", results) or ("error", message)."""
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        return pickle.loads(data)
    except Exception:
        return "error", "a render worker died without a report"


def render_job(job: Job) -> bytes:
    """The page's bytes, as Pelican's Writer would render it."""
    try:
        return pelican_seams.render(job.template, job.make_localcontext(), job.context).encode(
            "utf-8"
        )
    except Exception as error:
        raise PageRenderError(
            f"{job.relative}: template {job.template.name} failed: {type(error).__name__}: {error}"
        ) from error
    finally:
        # Pelican memoises every body (and summary) with its links made for each page depth,
        # for the life of the process: a second copy of every body. Pages rarely share one.
        pelican_seams.forget_memoised_content()


def render_job_noting_bodies(job: Job) -> tuple[bytes, bool]:
    """The page's bytes, and whether it read the body of a content object other than its
    own (an article's `content`, or a summary made from it)."""
    data, bodies, _read = render_job_noting_reads(job)
    return data, bodies


def render_job_noting_reads(job: Job) -> tuple[bytes, bool, set[int]]:
    """The page's bytes, whether it read the body of a content object other than its own,
    and the ids of the content objects other than its own it read anything of."""
    with pelican_seams.reading_bodies() as bodies, pelican_seams.reading_contents() as read:
        data = render_job(job)
    own = next((job.extra[name] for name in _OWN if name in job.extra), None)
    bodies.discard(id(own))
    read.discard(id(own))
    return data, bool(bodies), read


def _named_reads(read: set[int], keys: dict[int, bytes]) -> bytes | None:
    """The content objects `read` (ids) as a signature names them (their keys, sorted);
    None if one of them is not in `keys` (id -> key)."""
    names = set()
    for object_id in read:
        key = keys.get(object_id)
        if key is None:
            return None
        names.add(key)
    return b"".join(sorted(names))


def unchecked_signature(bodies: bool, read: set[int], keys: dict[int, bytes]) -> bytes | None:
    """The signature of a page rendered without the whole site's context (quick_build.py):
    what it read, named as a full build names it, after a digest no build computes. The
    next full build renders the page again; a quick build still knows what the page shows.
    None if it read an object not in `keys` (id -> key)."""
    reads = _named_reads(read, keys)
    if reads is None:
        return None
    return (READ_BODIES if bodies else READS) + bytes(_DIGEST) + reads


def read_keys(signature: bytes | None) -> set[bytes] | None:
    """The content objects (keys) that the page's last render read, other than its own;
    None when its signature does not say."""
    mode, reads = _mode_and_reads(signature)
    if mode not in (READS, READ_BODIES):
        return None
    return set(_keys_named(reads))


def _keys_named(reads: bytes) -> list[bytes]:
    """The content keys a signature's reads name (8 bytes each)."""
    return [reads[start : start + 8] for start in range(0, len(reads), 8)]


def _mode_and_reads(signature: bytes | None) -> tuple[bytes, bytes]:
    """A signature's mode and the reads it names."""
    signature = signature or WITHOUT_BODIES
    return signature[:1], signature[1 + _DIGEST :]


def reads_other_bodies(signature: bytes | None) -> bool:
    """Whether the page's last render read the body of a content object not its own."""
    return (signature or b"")[:1] in (WITH_BODIES, READ_BODIES)


class Chunks:
    """Consecutive chunks of a list of jobs, each taken by whichever render process asks
    first (the count is in memory the forked processes share): every process keeps busy
    until the last chunk, whatever its pages cost."""

    SIZE = 16

    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self._next = multiprocessing.Value("q", 0)

    def taken(self):
        """The jobs of each chunk this process takes, until none is left."""
        while True:
            with self._next.get_lock():
                start = self._next.value
                self._next.value = start + self.SIZE
            if start >= len(self.jobs):
                return
            yield from self.jobs[start : start + self.SIZE]


def _describe(error: BaseException) -> str:
    if isinstance(error, PageRenderError):
        return str(error)
    return "".join(traceback.format_exception_only(type(error), error)).strip()


def _return_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim; elsewhere
    nothing)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def get_writer(pelican) -> type[Writer]:
    return IncrementalWriter


__all__ = ["IncrementalWriter", "PageRenderError", "get_writer"]
