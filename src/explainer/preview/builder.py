"""The live preview's builder: ingestion plus a persistent build worker, restarted on code changes.

What a change means:
- a seed (seeds/): ingest it, then rebuild;
- content or theme: ask the worker to rebuild (it re-reads only changed files and renders
  only pages whose inputs changed, the pages open in a browser first);
- the project's code, its data files or the settings files: start a fresh worker (Python
  cannot reliably reload them in place), which rebuilds everything that depends on them.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from explainer.preview.server import CANCELLED
from explainer.site.build import Project, ingest_seeds

_log = logging.getLogger(__name__)


class WorkerDied(Exception):
    pass


class PreviewBuilder:
    def __init__(
        self,
        project: Project,
        *,
        settings_file: str = "pelicanconf.py",
        code_paths: list[Path] | None = None,
        on_ingest_event=None,
    ) -> None:
        self.project = project
        self.settings_file = settings_file
        self.code_paths = [Path(p).resolve() for p in (code_paths or [])]
        self.on_ingest_event = on_ingest_event
        self.process: subprocess.Popen | None = None
        self._building = False
        # Why the last build failed, for the browser's error overlay: {"message", "problems"}.
        self.last_error: dict | None = None

    # --- worker process ----------------------------------------------------------------

    def start(self) -> bool:
        """Ingest, start the worker and let it build; True when that build succeeded."""
        self._ingest()
        return self._restart() is not None

    def _restart(self) -> list[str] | None:
        self.close()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "explainer.site.incremental",
                "worker",
                "--root",
                str(self.project.root),
                "--settings",
                self.settings_file,
                "--output",
                str(self.project.output),
            ],
            cwd=self.project.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        return self._result(lambda pages: None)

    def close(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def cancel(self) -> None:
        """Stop the worker's build in progress (a newer change is waiting)."""
        process = self.process
        if self._building and process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGUSR1)

    def _result(self, early: Callable[[dict[str, bytes]], None]) -> list[str] | str | None:
        assert self.process is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise WorkerDied("the build worker stopped (see the messages above)")
            message = json.loads(line)
            if message.get("event") == "early":
                early({k: base64.b64decode(v) for k, v in message["pages"].items()})
                if _log.isEnabledFor(logging.DEBUG):
                    _log.debug("early pages %s", sorted(message["pages"]))
            elif message.get("event") == "done":
                if message.get("cancelled"):
                    print("build stopped: a newer change arrived", flush=True)
                    return CANCELLED
                if not message.get("ok"):
                    print(f"build failed: {message.get('error')}", file=sys.stderr, flush=True)
                    self._failed(str(message.get("error")), message.get("problems") or [])
                    return None
                self.last_error = None
                changed = message.get("changed", [])
                print(
                    f"build: {len(changed)} files changed, {message.get('rendered')} pages "
                    f"rendered, {message.get('kept')} unchanged ({message.get('seconds')} s)",
                    flush=True,
                )
                return changed

    # --- a change ----------------------------------------------------------------------

    def build(
        self,
        changed: list[Path],
        open_pages: set[str],
        early: Callable[[dict[str, bytes]], None],
    ) -> list[str] | str | None:
        started = time.perf_counter()
        seeds = self.project.seeds.resolve()
        if any(_under(p, seeds) for p in changed) and not self._ingest():
            return None
        try:
            if (
                self.process is None
                or self.process.poll() is not None
                or any(_under(p, code) for p in changed for code in self.code_paths)
            ):
                print("code or settings changed: restarting the build worker", flush=True)
                return self._restart()
            self._building = True
            try:
                self.process.stdin.write(json.dumps({"build": sorted(open_pages)}) + "\n")
                self.process.stdin.flush()
                return self._result(early)
            finally:
                self._building = False
        except (WorkerDied, BrokenPipeError, OSError) as error:
            print(f"build failed: {error}", file=sys.stderr, flush=True)
            self._failed(str(error), [])
            self.process = None
            return None
        finally:
            _log.debug("rebuilt in %.3f s", time.perf_counter() - started)

    def _ingest(self) -> bool:
        report = ingest_seeds(self.project, on_event=self.on_ingest_event)
        if not report.ok:
            summary = f"ingest: {len(report.errors)} seed(s) could not be read"
            print(summary, file=sys.stderr)
            self._failed(summary, [f"{_shown(p)}: {detail}" for p, detail in report.errors])
        return report.ok

    def _failed(self, message: str, problems: list[str]) -> None:
        if message.startswith("Pelican reported an error"):
            message = "the build failed (the terminal says why)"
        self.last_error = {"message": message, "problems": problems}


def _shown(path: Path) -> str:
    """A path as the person running the preview would type it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _under(path: Path, folder: Path) -> bool:
    path = Path(path).resolve()
    return path == folder or folder in path.parents
