"""Move a finished build into the served output folder, touching only files that changed.

The build is written to a staging folder first; only when it succeeded are its files moved
over `output/`. A file whose bytes did not change is left alone and keeps its mtime (so rsync
and CDN deploys move only what changed), and a failed build never reaches `output/` at all.
Every "is this already in output/?" question and every move into it goes through here.
"""

from __future__ import annotations

import filecmp
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class SyncReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0


def holds(target: Path, data: bytes) -> bool:
    """Whether `target` already holds exactly `data` (a missing file holds nothing)."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def same_file(source: Path, target: Path) -> bool:
    """Whether `target` is a file with exactly the bytes of `source`."""
    try:
        return target.is_file() and filecmp.cmp(source, target, shallow=False)
    except OSError:
        return False


def replace(source: Path, target: Path) -> bool:
    """Move `source` over `target` in one rename (folders made as needed); True when it
    replaced a file, False when it added one."""
    existed = target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return existed


def remove_emptied_folders(folder: Path, output: Path) -> None:
    """`folder` and the folders above it, up to `output`, while they are empty (a removed
    file's folder, and feeds/ once its last feed's folder went)."""
    while folder != output and output in folder.parents:
        try:
            folder.rmdir()  # only succeeds on an empty folder
        except OSError:
            return
        folder = folder.parent
