"""Phase timings of a build, printed to stderr when EXPLAINER_BUILD_TIMINGS is set."""

from __future__ import annotations

import os
import sys
import time

_ON = bool(os.environ.get("EXPLAINER_BUILD_TIMINGS"))
_last = time.perf_counter()


def mark(label: str) -> None:
    global _last
    if not _ON:
        return
    now = time.perf_counter()
    print(f"  [{now - _last:6.3f} s] {label}", file=sys.stderr, flush=True)
    _last = now
