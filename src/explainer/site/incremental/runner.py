"""One build: skip it when nothing changed, else run Pelican into staging and commit.

    python -m explainer.site.incremental build --root . --settings pelicanconf.py [--output output]

1. No-op check, before Pelican is even imported: if every input stamp (see inputs.py) and
   every file in output/ is as the last successful build left them, stop here.
2. Otherwise run Pelican (the project's settings and plugins, our writer, parallel reading)
   with OUTPUT_PATH set to a fresh staging folder; pages whose signature did not change are
   not rendered, and rendered pages equal to output/ are not written.
3. Only when Pelican succeeded: move the changed files into output/, delete the files the
   build no longer makes, and record the new state. A failure leaves output/ and the state
   as they were. Names in the OUTPUT_RETENTION setting (top-level entries of output/, such as
   the search index that is built after the site) are neither the build's to delete nor part
   of the no-op check.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from explainer.site import output_sync, search_view
from explainer.site.incremental import collection, derived, inputs, reading, timings
from explainer.site.incremental.session import (
    BuildCancelled,
    BuildSession,
    PageRecord,
    check_cancel,
    open_session,
)

STATE_VERSION = 6


class BuildFailed(Exception):
    """Pelican (or a plugin, or a template) failed; output/ was left as it was."""


@dataclass
class BuildResult(output_sync.SyncReport):
    """What a build changed in output/ (the counts of a SyncReport), and how it went."""

    rendered: int = 0
    kept: int = 0  # pages not rendered at all: their signature had not changed
    skipped: bool = False  # nothing changed: Pelican did not run
    seconds: float = 0.0
    changed_paths: list[str] = field(default_factory=list)
    # Every file of output/ the build stands for (OUTPUT_RETENTION's aside): (size, mtime_ns)
    # from its records, what a walk of output/ would find; the search index uses it.
    output_files: dict[str, tuple[int, int]] | None = field(default=None, repr=False)
    quick: bool = False  # only edited articles' pages, from the saved context (quick_build.py)
    # pages changed only where the search index does not read (search_view.py): their
    # stamps before this build
    search_neutral: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    read: int = 0  # content files read afresh up front (the others came from the read cache)


@dataclass
class BuildState:
    """What the last successful build into one output folder read and wrote."""

    version: int = STATE_VERSION
    inputs: bytes = b""
    code_dirs: list[str] = field(default_factory=list)
    extra_inputs: list[str] = field(default_factory=list)
    code_digest: bytes = b""
    files: dict[str, PageRecord] = field(default_factory=dict)
    retained: list[str] = field(default_factory=list)  # OUTPUT_RETENTION: not the build's
    # for a quick build of edited articles (quick_build.py): the build's id (its saved
    # context carries it), every input but the content folder, and the content files' stamps
    build_id: bytes = b""
    other_inputs: bytes = b""
    content_stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    # the files quick builds changed since that build, each with the content files whose
    # edits that build applied, and those files' stamps then: a quick build makes again
    # from the saved context the files of every content file edited since (an edit undone
    # must undo what the quick build before made of it)
    quick_paths: dict[str, list[str]] = field(default_factory=dict)
    quick_stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    read_cache_key: bytes = b""  # the code and settings its read cache belongs to
    # mtime_ns of every folder in output/ below the top (a file added or removed in a folder
    # changes its time): the no-op check stats the records instead of walking output/
    dirs: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def path_for(root: Path, settings_file: Path, output: Path) -> Path:
        key = hashlib.blake2b(
            f"{settings_file.resolve()}\0{output.resolve()}".encode(), digest_size=8
        ).hexdigest()
        return root / ".build" / "state" / f"{key}.pickle"

    @classmethod
    def load(cls, path: Path) -> BuildState:
        try:
            with path.open("rb") as handle:
                state = pickle.load(handle)
            if isinstance(state, cls) and state.version == STATE_VERSION:
                return state
        except Exception:  # unreadable, or made by other code: build afresh
            # A state pickled by another version names classes that may have moved (an
            # upgrade from explainer.incremental to explainer.site.incremental raised
            # ModuleNotFoundError here); it is only a cache.
            pass
        return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def file_stamps(self) -> dict[str, tuple[int, int]]:
        return {rel: (record.size, record.mtime_ns) for rel, record in self.files.items()}

    def output_matches(self, output: Path) -> bool:
        """Whether output/ holds exactly the files the build left, as they were. With the
        folders' times recorded, every file and folder is stat'ed once (0.27 s at 20,000
        articles, where walking the tree took 0.5-1.8 s), and the top level is listed."""
        if not self.files:
            return False
        if self.dirs:
            return self._records_match(output)
        seen = 0
        for rel, size, mtime in inputs.tree_stamps(
            output, skip_hidden=False, skip_top=self.retained
        ):
            record = self.files.get(rel)
            if record is None or record.size != size or record.mtime_ns != mtime:
                return False
            seen += 1
        return seen == len(self.files)

    def _records_match(self, output: Path) -> bool:
        base = str(output) + os.sep
        try:
            for rel, mtime in self.dirs.items():
                if os.stat(base + rel).st_mtime_ns != mtime:
                    return False
            for rel, record in self.files.items():
                st = os.stat(base + rel)
                if st.st_size != record.size or st.st_mtime_ns != record.mtime_ns:
                    return False
            top = set(os.listdir(output)) - set(self.retained)
        except OSError:
            return False
        return top == {rel.split("/", 1)[0] for rel in self.files}

    def record_dirs(self, output: Path, files: list[str] | None = None) -> None:
        """Note the times of the folders holding `files` (default: every recorded file)."""
        names = self.files if files is None else files
        folders: set[str] = set()
        for rel in names:
            parent = rel.rpartition("/")[0]
            while parent and parent not in folders:
                folders.add(parent)
                parent = parent.rpartition("/")[0]
        base = str(output) + os.sep
        for folder in folders:
            try:
                self.dirs[folder] = os.stat(base + folder).st_mtime_ns
            except OSError:
                self.dirs.pop(folder, None)


def render_workers() -> int:
    """Processes that render pages: `EXPLAINER_BUILD_WORKERS`, else every core this process may
    use. Each extra process costs about as much memory again as the first one's share of the
    site (copy-on-write pages that rendering touches), so one process is the low-memory choice."""
    wanted = os.environ.get("EXPLAINER_BUILD_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if wanted:
        print(
            f"EXPLAINER_BUILD_WORKERS={wanted!r}: not a number of processes, ignored",
            file=sys.stderr,
        )
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


@dataclass
class Build:
    """A build of one project with one settings file into one output folder."""

    root: Path
    settings_file: Path
    output: Path
    workers: int = 0  # 0: every core

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self.settings_file = (self.root / self.settings_file).resolve()
        self.output = (self.root / self.output).resolve()
        self.state_path = BuildState.path_for(self.root, self.settings_file, self.output)
        self.staging = self.root / ".build" / f"staging-{self.state_path.stem}"
        self.context_path = self.state_path.with_suffix(".context")
        self.read_cache_path = self.root / ".build" / "read" / f"{self.state_path.stem}.pickle"
        # the sources' stamps and the other inputs' digest, as the no-op check found them
        self._now: tuple[inputs.SourceStamps, bytes] | None = None
        self.state = BuildState.load(self.state_path)
        self._leftovers: list[str] = []  # files the commit left in staging (same as output/)
        self._new_staging = False  # staging made by this build: it holds only what it staged
        if not self.workers:
            self.workers = render_workers()

    # --- the no-op check ---------------------------------------------------------------

    def current_inputs(self, content: Path, theme: Path) -> bytes:
        sources = inputs.source_stamps(content, theme, self.settings_file)
        other = inputs.inputs_digest(sources.other, self.state.code_dirs, self.state.extra_inputs)
        self._now = (sources, other)
        return inputs.with_content(other, sources.content)

    def up_to_date(self) -> bool:
        state = self.state
        if not state.inputs:
            return False
        content, theme = self.paths_from_state()
        if content is None:
            return False
        return state.inputs == self.current_inputs(content, theme) and state.output_matches(
            self.output
        )

    def paths_from_state(self) -> tuple[Path | None, Path | None]:
        meta = self.state_path.with_suffix(".paths.json")
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            return Path(data["content"]), Path(data["theme"])
        except (OSError, ValueError, KeyError):
            return None, None

    # --- a real build ------------------------------------------------------------------

    def run(
        self,
        *,
        force: bool = False,
        pelican_settings=None,
        session_hook=None,
        stamp_inputs: bool = True,
    ) -> BuildResult:
        """Build unless up to date. `stamp_inputs=False` (the live-preview worker, which is
        told what changed) skips stamping the sources for the next no-op check."""
        started = time.perf_counter()
        if not force and self.up_to_date():
            result = BuildResult(
                unchanged=len(self.state.files), skipped=True, seconds=time.perf_counter() - started
            )
            result.output_files = self.state.file_stamps()
            return result
        if not force and self._now is not None:
            from explainer.site.incremental.quick_build import build_edited_articles

            quick = build_edited_articles(self, *self._now, BuildResult())
            if quick is not None:
                return quick
        # The staging folder's directories are kept between builds (creating and removing
        # thousands of folders costs more than rendering the pages); only files are cleared.
        # A build that ended cleanly left no file behind; after any other end, clear it all.
        dirty = self.staging / ".dirty"
        self._new_staging = not self.staging.exists()
        if dirty.exists() or not self.staging.exists():
            _remove_files(self.staging)
        self.staging.mkdir(parents=True, exist_ok=True)
        dirty.touch()
        try:
            # from when every file is read to the end of the build (collection.py)
            with contextlib.ExitStack() as held:
                result = self._run_pelican(pelican_settings, session_hook, stamp_inputs, held)
                result.output_files = self.state.file_stamps()
            for rel in self._leftovers:
                with contextlib.suppress(OSError):
                    os.unlink(self.staging / rel)
            dirty.unlink()
        finally:
            self._leftovers = []
            open_session(None)
        result.seconds = time.perf_counter() - started
        return result

    def _run_pelican(
        self, pelican_settings, session_hook, stamp_inputs: bool, held: contextlib.ExitStack
    ) -> BuildResult:
        from explainer.site.incremental import pelican_run

        settings = pelican_settings or pelican_run.load_settings(self)
        content = Path(settings["PATH"])
        theme = Path(settings["THEME"])
        # Stamp the sources before reading them: an edit made during the build is then seen
        # as a change by the next check instead of being hidden by it.
        sources = None
        session = BuildSession(
            output_dir=self.output,
            staging_dir=self.staging,
            defer=True,
            workers=self.workers,
            build_id=os.urandom(8),
            after_reading=lambda: held.enter_context(collection.paused()),
        )
        if stamp_inputs:
            sources = inputs.source_stamps(content, theme, self.settings_file)
            session.context_file = self.context_path.with_name(self.context_path.name + ".new")
            session.saved_jobs = {}  # the writer notes each page's job
            session.feed_jobs = []  # and each feed
        code: dict[str, object] = {}

        def ready(pelican) -> None:
            """Plugins are loaded: the code they come from decides what may be reused."""
            code["dirs"] = inputs.code_dirs_for(
                [*(_plugin_name(p) for p in pelican.settings.get("PLUGINS", [])), "explainer"]
            )
            session.code_digest = inputs.code_digest(code["dirs"])
            same_code = session.code_digest == self.state.code_digest
            session.previous = self.state.files if same_code else {}
            self._load_read_caches(session, pelican.settings)

        if session_hook:
            session_hook(session)
        open_session(session)
        timings.mark("settings loaded")
        try:
            pelican_run.run(settings, session, ready)
        except BuildCancelled:
            raise
        except Exception as error:
            raise BuildFailed(pelican_run.describe(error)) from error
        finally:
            reading.CACHE.abandon()  # files still being read for a build that stopped
        timings.mark("pelican done")
        retained = sorted(str(name) for name in settings.get("OUTPUT_RETENTION") or ())
        result = self._commit(session, retained)
        timings.mark("committed")
        self._save_state(session, sources, code["dirs"], retained)
        self.state_path.with_suffix(".paths.json").write_text(
            json.dumps({"content": str(content), "theme": str(theme)}), encoding="utf-8"
        )
        return result

    def _save_state(
        self,
        session: BuildSession,
        sources: inputs.SourceStamps | None,
        code_dirs: list[str],
        retained: list[str],
    ) -> None:
        """What the next build compares with; the context this build saved becomes the
        current one (a failed build left the last good one, with the state that names it)."""
        extra_inputs = sorted(session.extra_inputs)
        other = inputs.inputs_digest(sources.other, code_dirs, extra_inputs) if sources else b""
        self.state = BuildState(
            inputs=inputs.with_content(other, sources.content) if sources else b"",
            code_dirs=code_dirs,
            extra_inputs=extra_inputs,
            code_digest=session.code_digest,
            files=self._records(session),
            retained=retained,
            build_id=session.build_id,
            other_inputs=other,
            content_stamps=sources.content if sources else {},
            read_cache_key=session.read_cache_key,
        )
        self.state.record_dirs(self.output)
        self.state.save(self.state_path)
        timings.mark("state saved")
        if session.context_file is not None and session.context_file.exists():
            os.replace(session.context_file, self.context_path)
        else:
            self.context_path.unlink(missing_ok=True)

    def _load_read_caches(self, session: BuildSession, settings: dict) -> None:
        """What the readers returned last time, and what plugins derived from it (derived.py),
        if the same code and settings made them."""
        session.read_cache = self.read_cache_path
        session.read_cache_key = _settings_key(settings, session.code_digest)
        # A build from the command line loads it whatever an earlier step left in memory
        # (entries already there stay); the live preview's worker keeps its own from its
        # first build on.
        if session.one_shot or not len(reading.CACHE):
            reading.CACHE.load(session.read_cache, session.read_cache_key)
        derived.load(session.read_cache.with_suffix(".derived"), session.read_cache_key)
        timings.mark(f"read cache: {len(reading.CACHE)} files")

    def _commit(self, session: BuildSession, retained: list[str]) -> BuildResult:
        result = BuildResult(read=session.stats.get("read", 0))
        staging, output = self.staging, self.output
        moves, produced = self._to_move(session, result)
        if "index.html" not in produced:
            raise BuildFailed("the build produced no index.html")
        if self._new_staging and not (output.exists() and any(output.iterdir())):
            # A first build: each folder and file at staging's top moves to output/ in one
            # rename, instead of one rename per file (3 s at 20,000 articles)
            output.mkdir(parents=True, exist_ok=True)
            for entry in os.listdir(staging):
                if entry != ".dirty":
                    os.rename(staging / entry, output / entry)
            result.added = len(moves)
            result.changed_paths.extend(moves)
            result.unchanged = len(produced) - result.added
            return result
        gone = self._not_produced(produced, retained)
        # the live preview indexes on its own, after the browser reloads: only a build from
        # the command line hands the search index what it need not read again
        look = session.one_shot and len(moves) <= search_view.MOST_PAGES
        for rel in moves:
            unseen = look and search_view.unseen_change(output / rel, staging / rel)
            if unseen:
                result.search_neutral[rel] = unseen
            if output_sync.replace(staging / rel, output / rel):
                result.changed += 1
            else:
                result.added += 1
            result.changed_paths.append(rel)
        for rel in gone:
            (output / rel).unlink()
            output_sync.remove_emptied_folders((output / rel).parent, output)
            result.removed += 1
            result.changed_paths.append(rel)
        result.unchanged = len(produced) - result.added - result.changed
        return result

    def _not_produced(self, produced: set[str], retained: list[str]) -> list[str]:
        """The files in output/ this build did not make, found before anything moves: a
        newer save in the live preview may still stop the build while they are looked for
        (0.35 s at 20,000 articles), leaving output/ as it was."""
        gone = []
        files = inputs.tree_stamps(self.output, skip_hidden=False, skip_top=retained)
        for count, (rel, _size, _mtime) in enumerate(files):
            if count % 1000 == 0:
                check_cancel()
            if rel not in produced:
                gone.append(rel)
        return gone

    def _to_move(self, session: BuildSession, result: BuildResult) -> tuple[list[str], set[str]]:
        """The staged files that differ from output/ (pages the writer wrote, and files
        plugins and Pelican put in staging), and every file the build produced."""
        staging, output = self.staging, self.output
        produced: set[str] = set(session.pages)
        moves: list[str] = []
        check_cancel()  # nothing has moved yet: a newer save may stop the build
        for rel, (status, _sig) in session.pages.items():
            if status == "written":
                moves.append(rel)
            elif status == "kept":
                result.kept += 1
            if status != "kept":
                result.rendered += 1
        for rel, _size, _mtime in inputs.tree_stamps(staging, skip_hidden=False):
            if rel in session.pages or rel == ".dirty":
                continue
            check_cancel()
            produced.add(rel)
            if output_sync.same_file(staging / rel, output / rel):
                session.pages[rel] = ("same", None)
                self._leftovers.append(rel)
                continue
            moves.append(rel)
            session.pages[rel] = ("written", None)
        return moves, produced

    def _records(self, session: BuildSession) -> dict[str, PageRecord]:
        records = {}
        for rel, (_status, signature) in session.pages.items():
            st = os.stat(self.output / rel)
            records[rel] = PageRecord(signature, st.st_size, st.st_mtime_ns)
        return records


def _settings_key(settings: dict, code_digest: bytes) -> bytes:
    from explainer.site.incremental.fingerprint import Fingerprinter, combine

    kept = {
        k: v
        for k, v in settings.items()
        if k not in ("OUTPUT_PATH", "JINJA_ENVIRONMENT", "DELETE_OUTPUT_DIRECTORY")
    }
    return combine([code_digest, Fingerprinter().of(kept)])


def _remove_files(folder: Path) -> None:
    for directory, _dirs, files in os.walk(folder):
        # a walk of 20,000 article folders takes a second: a newer save stops the build here
        check_cancel()
        for name in files:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(directory, name))


def _plugin_name(plugin) -> str:
    return plugin if isinstance(plugin, str) else getattr(plugin, "__name__", str(plugin))
