"""Run Pelican in this process with the incremental writer, flushing it before `finalized`."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import logging
import os
import traceback
from collections.abc import Callable
from pathlib import Path

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from explainer.site import jinja_memo, pelican_seams
from explainer.site.incremental import saved_context, timings
from explainer.site.incremental.session import (
    BuildSession,
    check_cancel,
    current,
    static_ready,
)

PLUGIN = "explainer.site.plugins.incremental_build"
_ADDED_OPTIONS = ("bytecode_cache", "auto_reload")  # Jinja options with_bytecode_cache sets
_logging_ready = False


def load_settings(build, bytecode_cache=None) -> dict:
    """The project's settings file, with OUTPUT_PATH pointing at the staging folder."""
    global _logging_ready
    if not _logging_ready:
        init_logging(level=None, fatal="errors", handler=None, name="pelican")
        _logging_ready = True
    settings = read_settings(
        str(build.settings_file),
        # Staging only ever holds this build's files; stale ones are removed from output/ by
        # the commit, so Pelican need not empty (and slowly re-create) the folder.
        override={"OUTPUT_PATH": str(build.staging), "DELETE_OUTPUT_DIRECTORY": False},
    )
    _own_copies(settings)
    plugins = list(settings.get("PLUGINS") or [])
    if PLUGIN not in plugins:
        settings["PLUGINS"] = [PLUGIN, *plugins]
    cache = (bytecode_cache or (lambda s: disk_bytecode_cache(build.root / ".build", s)))(settings)
    return with_bytecode_cache(settings, cache)


def _own_copies(settings: dict) -> None:
    """Give these settings their own dicts and lists. A settings file that imports another
    (publishconf's `from pelicanconf import *`) shares that module's values with every later
    load in the process, and Pelican changes some in place (its Markdown reader adds an
    extension to MARKDOWN): one build's use would change the next one's read cache key."""
    for name, value in settings.items():
        # a value holding something that cannot be copied stays shared
        if isinstance(value, dict | list):
            with contextlib.suppress(TypeError, copy.Error):
                settings[name] = copy.deepcopy(value)


def disk_bytecode_cache(folder: Path, settings: dict):
    """Compiled templates on disk, in a folder per set of Jinja options (the cache's keys
    cover the template's name and source, not the options it was compiled with)."""
    from jinja2 import FileSystemBytecodeCache, __version__

    key = hashlib.blake2b(
        f"{__version__}{jinja_options(settings)!r}".encode(), digest_size=8
    ).hexdigest()
    path = folder / "jinja" / key
    path.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(path))


def jinja_options(settings: dict) -> dict:
    """The Jinja options that decide what templates compile to: the settings' own, without
    the two that with_bytecode_cache adds (they change how, not what, templates compile)."""
    return {
        k: v
        for k, v in (settings.get("JINJA_ENVIRONMENT") or {}).items()
        if k not in _ADDED_OPTIONS
    }


def with_bytecode_cache(settings: dict, cache) -> dict:
    """Templates compiled once, not once per generator and build (keyed by source checksum)."""
    jinja = dict(settings.get("JINJA_ENVIRONMENT") or {})
    jinja.setdefault("bytecode_cache", cache)
    # Environments live for one build: no need to stat every template on every include.
    jinja.setdefault("auto_reload", False)
    settings["JINJA_ENVIRONMENT"] = jinja
    return settings


class IncrementalPelican(Pelican):
    """Pelican.run with one addition: the writer renders its collected pages before
    `finalized`, so plugins that run then find every file in place."""

    def run(self):
        session = current()
        context = pelican_seams.run(
            self,
            before_output=self._before_output,
            before_finalized=self._before_finalized,
            mark=_step_done,
            after_reading=session.after_reading if session is not None else lambda: None,
            started=session.started if session is not None else lambda context: None,
        )
        # The live preview's worker keeps the context of its open pages until the next build
        # and then lets it go itself (Worker._after_build); a build from the command line
        # empties it here.
        session = current()
        if (
            session is not None
            and session.context_file is not None
            and self.settings.get("QUICK_BUILD", True)
        ):
            saved_context.save(
                session.context_file,
                saved_context.SavedContext(
                    session.build_id,
                    context,
                    saved_context.jobs_of(session.saved_jobs or {}),
                    session.feed_jobs or [],
                ),
            )
            session.saved_jobs = session.feed_jobs = None
            timings.mark("context saved")
        if session is None or session.quick_jobs is None:
            context.clear()  # the live preview's worker lets its builds' contexts go itself

    def _before_output(self, generators, writer) -> None:
        session = current()
        if session is not None and not session.one_shot:
            # The templates as the pages are about to load them (every filter in place):
            # the live preview's worker renders an open page again at once when they changed
            # since, and a template saved after this point counts as changed.
            for generator in generators:
                if hasattr(generator, "env"):
                    jinja_memo.remember_theme(generator.env)
        if hasattr(writer, "speculate"):
            writer.speculate(generators)
            timings.mark("open pages rendered")

    def _before_finalized(self, writer) -> None:
        timings.mark("pages collected")
        static_ready.send(self)
        if hasattr(writer, "flush"):
            writer.flush()
        timings.mark("pages rendered")


def _step_done(label: str) -> None:
    """Between Pelican's steps: the phase timing, and a newer save stops the build here
    rather than at the next page (the live preview's next save waits for it to stop)."""
    timings.mark(label)
    check_cancel()


def run(settings: dict, session: BuildSession, ready: Callable | None = None) -> IncrementalPelican:
    os.makedirs(settings["OUTPUT_PATH"], exist_ok=True)
    pelican = IncrementalPelican(settings)
    timings.mark("plugins loaded")
    if ready:
        ready(pelican)
    timings.mark("code digest")
    pelican.run()
    return pelican


def describe(error: BaseException) -> str:
    if str(error) == "Warning or error encountered":
        return "Pelican reported an error (see above)"
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    logging.getLogger(__name__).debug("%s", "".join(traceback.format_exception(error)))
    return text
