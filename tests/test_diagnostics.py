"""Diagnostics go through logging, silent unless EXPLAINER_LOG names a level."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = (
    "from explainer.diagnostics import configure; configure();"
    "from explainer.site.incremental import timings; timings.mark('phase one')"
)


def _stderr(level: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "EXPLAINER_LOG"}
    if level:
        env["EXPLAINER_LOG"] = level
    run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stderr


def test_build_timings_are_logged_at_debug_level_only():
    shown = _stderr("debug")
    assert "explainer.site.incremental.timings: [" in shown and "phase one" in shown
    assert _stderr(None) == ""
    assert _stderr("warning") == ""
    assert _stderr("no-such-level") == ""  # an unknown level is ignored, not a traceback
