"""Shared fixtures: the project's own sources, built once. Helpers live in tests/support/."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.project import build, copy_project


@pytest.fixture(scope="session")
def site_root(tmp_path_factory) -> Path:
    """The project's own sources, built once (relative URLs, as in the live preview)."""
    root = copy_project(tmp_path_factory.mktemp("site"))
    build(root)
    return root


@pytest.fixture(scope="session")
def site(site_root) -> Path:
    return site_root / "output"
