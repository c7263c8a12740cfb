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


def pytest_collection_modifyitems(config, items) -> None:
    """The fast tier (-m "not slow") runs after scripts/setup alone: a test that needs a
    browser or the gates' tools must be slow too."""
    for item in items:
        heavy = {"browser", "gate_tools"} & {mark.name for mark in item.iter_markers()}
        if heavy and item.get_closest_marker("slow") is None:
            raise pytest.UsageError(f"{item.nodeid} is marked {sorted(heavy)} but not slow")
