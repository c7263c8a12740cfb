"""Build the site: ingest seeds, run Pelican into a staging folder, then sync it to output/."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from explainer.ingest.ingestion import IngestReport, ingest
from explainer.site.output_sync import SyncReport


class BuildError(Exception):
    """The build failed; the message says why and output/ was left as it was."""


@dataclass
class Project:
    """Where a site's sources live: content/, seeds/, theme/ and the Pelican settings files."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def staging(self) -> Path:
        return self.root / ".build" / "staging"

    def settings(self, name: str) -> Path:
        return self.root / name


def ingest_seeds(
    project: Project, *, force: bool = False, on_event=None, on_progress=None
) -> IngestReport:
    if not project.seeds.exists():
        return IngestReport()
    return ingest(
        [project.seeds],
        project.content,
        force=force,
        on_event=on_event,
        on_progress=on_progress,
        complete=True,
    )


def run_pelican(
    project: Project,
    *,
    settings_file: str = "pelicanconf.py",
    output: Path | None = None,
    env: dict[str, str] | None = None,
    force: bool = False,
    in_process: bool = False,
) -> SyncReport:
    """Build the site incrementally (explainer.site.incremental) in a fresh Python process.

    Pelican runs with fatal errors into a staging folder; output/ is only updated when the
    whole build succeeded, and only files whose bytes changed are rewritten. When no input
    changed since the last build into this output folder, Pelican does not even start.
    """
    output = output or project.output
    if in_process:  # one-shot commands (invoke build): no second interpreter to start
        return _run_in_process(project, settings_file, output, env or {}, force)
    with tempfile.TemporaryDirectory(prefix="explainer-build-") as scratch:
        report_path = Path(scratch) / "report.json"
        command = [
            sys.executable,
            "-m",
            "explainer.site.incremental",
            "build",
            "--root",
            str(project.root),
            "--settings",
            settings_file,
            "--output",
            str(output),
            "--report",
            str(report_path),
            *(["--force"] if force else []),
        ]
        result = subprocess.run(
            command, cwd=project.root, env={**os.environ, **(env or {})}, check=False
        )
        if result.returncode != 0:
            raise BuildError(
                f"Pelican failed (exit status {result.returncode}); {output} was left as it was"
            )
        data = json.loads(report_path.read_text(encoding="utf-8"))
    if not (output / "index.html").exists():
        raise BuildError(f"the build produced no index.html in {output}")
    return SyncReport(
        added=data["added"],
        changed=data["changed"],
        removed=data["removed"],
        unchanged=data["unchanged"],
    )


def _run_in_process(
    project: Project, settings_file: str, output: Path, env: dict[str, str], force: bool
) -> SyncReport:
    """The build in a forked copy of this process: no second interpreter to start, and all
    the build held (content objects, and the caches that keep them: ~180 MB at 5,000
    articles) goes back to the system when it ends, before the next step (the search index,
    a few Pagefind processes) runs beside this one."""
    if not hasattr(os, "fork"):
        return _build_here(project, settings_file, output, env, force)
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the build; it reports on the pipe and exits without cleanup
        os.close(read_end)
        try:
            payload = ("ok", _build_here(project, settings_file, output, env, force))
        except BuildError as error:
            payload = ("failed", str(error))
        except BaseException:
            payload = ("failed", f"the build stopped:\n{traceback.format_exc()}")
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(payload))
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    finally:
        os.waitpid(pid, 0)  # interrupted (Ctrl-C), the build got the same signal
    try:
        kind, value = pickle.loads(data)
    except Exception:
        raise BuildError(
            f"the build's process died without a report; {output} was left as it was"
        ) from None
    if kind != "ok":
        raise BuildError(value)
    return value


def _build_here(
    project: Project, settings_file: str, output: Path, env: dict[str, str], force: bool
) -> SyncReport:
    from explainer.site.incremental.runner import Build, BuildFailed

    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        job = Build(project.root, Path(settings_file), output)
        try:
            result = job.run(force=force)
        except BuildFailed as error:
            raise BuildError(f"{error}; {output} was left as it was") from error
        except SystemExit as error:
            message = f"{settings_file}: {error.code}; {output} was left as it was"
            raise BuildError(message) from error
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if not (output / "index.html").exists():
        raise BuildError(f"the build produced no index.html in {output}")
    return result
