"""Move a finished build into the served output folder, touching only files that changed.

The build is written to a staging folder first; only when it succeeded does this copy it
over `output/`. Files whose bytes did not change keep their mtime (so rsync and CDN deploys
move only what changed), and a failed build never reaches `output/` at all.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass
class SyncReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0


def sync_tree(source: Path, target: Path) -> SyncReport:
    report = SyncReport()
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[Path] = set()
    for directory, _dirs, files in os.walk(source):
        for name in files:
            src = Path(directory) / name
            relative = src.relative_to(source)
            wanted.add(relative)
            dst = target / relative
            if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
                report.unchanged += 1
                continue
            existed = dst.exists()
            dst.parent.mkdir(parents=True, exist_ok=True)
            tmp = dst.with_name(f".{dst.name}.sync-tmp")
            shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
            if existed:
                report.changed += 1
            else:
                report.added += 1
    for directory, dirs, files in os.walk(target, topdown=False):
        for name in files:
            path = Path(directory) / name
            if path.relative_to(target) not in wanted:
                path.unlink()
                report.removed += 1
        for name in dirs:
            path = Path(directory) / name
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return report
