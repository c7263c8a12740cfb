"""`invoke bench --smoke` runs end to end (a tiny corpus). No timing is asserted here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support.project import REPO

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_benchmark_runs_and_reports_every_measure(tmp_path):
    results = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "bench", "--smoke", "--json", str(results)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "| articles | ours cold (s) | vanilla cold (s) | ratio |" in run.stdout
    assert "live reload median (s)" in run.stdout
    assert "seeds per second" in run.stdout
    data = json.loads(results.read_text())
    (size,) = data.values()
    builds = size["builds"]
    assert builds["ours_cold"] and builds["vanilla_cold"] and builds["ours_noop"]
    assert builds["ours_retag"] and builds["ours_new_country"]
    assert builds["noop_kept_mtimes"] is True  # a no-op rebuild rewrites nothing
    assert len(size["live"]["latencies"]) == 2  # every save showed in the browser
    assert size["ingest"]["written"] == size["ingest"]["seeds"]
