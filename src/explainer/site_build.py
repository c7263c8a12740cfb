"""Build the site: ingest seeds, run Pelican into a staging folder, then sync it to output/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from explainer.ingest import IngestReport, ingest
from explainer.output_sync import SyncReport


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


def ingest_seeds(project: Project, *, force: bool = False, on_event=None) -> IngestReport:
    if not project.seeds.exists():
        return IngestReport()
    return ingest([project.seeds], project.content, force=force, on_event=on_event)


def run_pelican(
    project: Project,
    *,
    settings_file: str = "pelicanconf.py",
    output: Path | None = None,
    env: dict[str, str] | None = None,
    force: bool = False,
) -> SyncReport:
    """Build the site incrementally (explainer.incremental) in a fresh Python process.

    Pelican runs with fatal errors into a staging folder; output/ is only updated when the
    whole build succeeded, and only files whose bytes changed are rewritten. When no input
    changed since the last build into this output folder, Pelican does not even start.
    """
    output = output or project.output
    with tempfile.TemporaryDirectory(prefix="explainer-build-") as scratch:
        report_path = Path(scratch) / "report.json"
        command = [
            sys.executable,
            "-m",
            "explainer.incremental",
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
