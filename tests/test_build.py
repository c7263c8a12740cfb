"""`invoke build`: fatal on plugin errors, output kept on failure, unchanged files kept."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.project import build, copy_project

from explainer.site.build import BuildError, Project, run_pelican

pytestmark = pytest.mark.slow  # builds a whole site or runs a server


def test_a_plugin_that_fails_to_load_fails_the_build_and_keeps_the_last_output(tmp_path):
    root = copy_project(tmp_path / "site")
    output = build(root)
    before = (output / "index.html").read_bytes()
    with (root / "pelicanconf.py").open("a") as conf:
        conf.write('\nPLUGINS = [*PLUGINS, "explainer.site.plugins.does_not_exist"]\n')
    with pytest.raises(BuildError):
        run_pelican(Project(root))
    assert (output / "index.html").read_bytes() == before


def test_a_rebuild_leaves_unchanged_files_untouched(tmp_path):
    root = copy_project(tmp_path / "site")
    output = build(root)
    stamps = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    build(root)
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == stamps


def test_invoke_build_exits_non_zero_on_a_broken_plugin(tmp_path):
    root = copy_project(tmp_path / "site")
    with (root / "pelicanconf.py").open("a") as conf:
        conf.write('\nPLUGINS = [*PLUGINS, "explainer.site.plugins.does_not_exist"]\n')
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "build failed" in result.stderr + result.stdout
