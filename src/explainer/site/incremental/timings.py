"""Phase timings of a build, logged at debug level (`EXPLAINER_LOG=debug`, see
explainer.diagnostics)."""

from __future__ import annotations

import logging
import os
import time

_log = logging.getLogger(__name__)
_last = time.perf_counter()
_last_cpu = 0.0


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def mark(label: str) -> None:
    """Wall time and CPU time (this process and its finished children) since the last mark."""
    global _last, _last_cpu
    if not _log.isEnabledFor(logging.DEBUG):
        return
    now, cpu = time.perf_counter(), _cpu()
    _log.debug(
        "[%6.3f s, cpu %6.3f s, rss %4.0f MB] %s", now - _last, cpu - _last_cpu, _rss_mb(), label
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
