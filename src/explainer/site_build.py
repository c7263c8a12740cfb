"""Build the site: ingest seeds, run Pelican into a staging folder, then sync it to output/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from explainer.ingest import IngestReport, ingest
from explainer.output_sync import SyncReport, sync_tree


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
) -> SyncReport:
    """Run Pelican (fatal on errors) into staging; sync to output only on success."""
    output = output or project.output
    staging = project.staging
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(project.content),
        "-o",
        str(staging),
        "-s",
        str(project.settings(settings_file)),
        "--fatal",
        "errors",
        "--log-handler",
        "plain",
    ]
    result = subprocess.run(
        command, cwd=project.root, env={**os.environ, **(env or {})}, check=False
    )
    if result.returncode != 0:
        raise BuildError(
            f"Pelican failed (exit status {result.returncode}); {output} was left as it was"
        )
    if not (staging / "index.html").exists():
        raise BuildError(f"the build produced no index.html; {output} was left as it was")
    report = sync_tree(staging, output)
    shutil.rmtree(staging, ignore_errors=True)
    return report
