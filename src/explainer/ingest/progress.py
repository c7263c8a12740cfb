"""How far a long ingestion run is, for `explainer ingest` and the invoke tasks.

Every line reported while seeds are read starts with a "[ 120/10000]" counter. On a terminal
a live line is kept updated between them ("[ 1200/10000] seeds read, 410/s"), redrawn at most
ten times a second; in a log (not a terminal) only the reported lines appear, so a quiet run
that changes nothing prints nothing.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, stream=None, *, redraw_every: float = 0.1) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.redraw_every = redraw_every
        self.done_count = 0
        self.total = 0
        self._shown = False
        self._started = time.monotonic()
        self._drawn = 0.0

    def update(self, done: int, total: int) -> None:
        """Called with (0, total) before the first seed and after every seed."""
        if done == 0:
            self._started = time.monotonic()
        self.done_count, self.total = done, total
        if not self.live or total <= 1:
            return
        now = time.monotonic()
        if done != total and now - self._drawn < self.redraw_every:
            return
        self._drawn = now
        rate = done / max(now - self._started, 1e-9)
        self.stream.write(f"\r\033[K{self._counter(done)} seeds read, {rate:.0f}/s")
        self.stream.flush()
        self._shown = True

    def say(self, line: str, *, error: bool = False) -> None:
        """Print one reported line (stderr for problems), with the counter of its seed."""
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False
        counter = f"{self._counter(self.done_count + 1)} " if self.total > 1 else ""
        print(f"{counter}{line}", file=sys.stderr if error else sys.stdout, flush=True)

    def done(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False

    def _counter(self, done: int) -> str:
        return f"[{min(done, self.total):>{len(str(self.total))}}/{self.total}]"
