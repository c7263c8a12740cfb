"""Move a finished build into the served output folder, touching only files that changed.

The build is written to a staging folder first; only when it succeeded does this copy it
over `output/`. Files whose bytes did not change keep their mtime (so rsync and CDN deploys
move only what changed), and a failed build never reaches `output/` at all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SyncReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
