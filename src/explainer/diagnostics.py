"""Diagnostics: what the commands do not say unless asked, through `logging`.

Commands print what their user asked for (seeds ingested, the preview's address, each build's
result). Diagnostics (a build's phase timings, the live preview's render events, its HTTP
requests) are logged under `explainer.*` and stay silent unless `EXPLAINER_LOG` names a level
(`EXPLAINER_LOG=debug invoke build`); the build's worker processes inherit it."""

from __future__ import annotations

import logging
import os
import sys


def configure() -> None:
    """Show the project's log records at the level `EXPLAINER_LOG` names, on stderr."""
    name = os.environ.get("EXPLAINER_LOG", "").strip().upper()
    level = logging.getLevelName(name) if name else None
    logger = logging.getLogger("explainer")
    if not isinstance(level, int) or logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
