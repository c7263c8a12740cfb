"""Phase timings of a build, printed to stderr when EXPLAINER_BUILD_TIMINGS is set."""

from __future__ import annotations

import os
import sys
import time

_ON = bool(os.environ.get("EXPLAINER_BUILD_TIMINGS"))
_last = time.perf_counter()
_last_cpu = 0.0


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def mark(label: str) -> None:
    """Wall time and CPU time (this process and its finished children) since the last mark."""
    global _last, _last_cpu
    if not _ON:
        return
    now, cpu = time.perf_counter(), _cpu()
    print(
        f"  [{now - _last:6.3f} s, cpu {cpu - _last_cpu:6.3f} s, rss {_rss_mb():4.0f} MB] {label}",
        file=sys.stderr,
        flush=True,
    )
    _last, _last_cpu = now, cpu


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
