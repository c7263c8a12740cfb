"""The project's own code, as files: for tests that read it with ast (layout, dependencies)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
PACKAGE = SRC / "explainer"


def module_files(root: Path = PACKAGE) -> list[Path]:
    """Every Python file below `root`, sorted."""
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def imported_names(path: Path) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """(node, absolute module name) for every import in a file, at any depth (function-level
    imports included); relative imports are left to the caller (node.level > 0)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node, node.module
