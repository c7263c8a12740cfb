"""Shared fixtures: a throwaway copy of the project, built sites, the seed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (CI, the lead's checkout), or beside the worktrees' folder
SHARED = next(
    (p for p in (REPO.parent / "shared", REPO.parents[1] / "shared") if (p / "corpus").is_dir()),
    REPO.parent / "shared",
)
SEED = REPO / "seeds" / "000_6b2440b7a94c438e.txt"
PROJECT_FILES = ("pelicanconf.py", "publishconf.py", "tasks.py")
PROJECT_DIRS = ("theme", "seeds", "content")


def copy_project(destination: Path, *, with_content: bool = True) -> Path:
    """A copy of the site sources (not the code) that a test may change freely."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, destination / name)
    for name in PROJECT_DIRS:
        if name == "content" and not with_content:
            (destination / "content" / "pages").mkdir(parents=True, exist_ok=True)
            continue
        if (REPO / name).exists():
            shutil.copytree(REPO / name, destination / name, dirs_exist_ok=True)
    return destination


def build(root: Path, settings_file: str = "pelicanconf.py", env: dict | None = None) -> Path:
    from explainer.site_build import Project, ingest_seeds, run_pelican

    project = Project(root)
    report = ingest_seeds(project)
    assert report.ok, report.errors
    run_pelican(project, settings_file=settings_file, env=env)
    return project.output


@pytest.fixture(scope="session")
def site_root(tmp_path_factory) -> Path:
    """The project's own sources, built once (relative URLs, as in the live preview)."""
    root = copy_project(tmp_path_factory.mktemp("site"))
    build(root)
    return root


@pytest.fixture(scope="session")
def site(site_root) -> Path:
    return site_root / "output"
