"""Python's garbage collection held off while a build makes or walks long-lived objects.

A cyclic collection walks every object alive. While a build makes hundreds of thousands of
objects that all live to its end (content objects and what plugins hang on them, the saved
context's pickle), the collections that their allocations set off walk them again and
again and free nothing: at 20,000 articles, 2 of `all_generators_finalized`'s 5.4 s and 1 of
the 2.7 s the context takes to save. Rendering pages does make cyclic garbage (Jinja's
render contexts): a cold 20,000-article build without collections while its pages render
peaked at 938 MB instead of 590.

`paused()` holds collections off; `resumed()`, inside it, lets them run again (while pages
render) if `paused()` was what held them off. A process that keeps collection off itself
(the live preview's worker) is left as it is by `paused()`; `resumed()` lets its
collections run too once it called `collect_while_rendering()`, after freezing what is
alive (no cost), so that they walk only what the pages make. Without that, a worker's first
build at 20,000 articles left 890,000 objects of render contexts for one full collection
(2.9 s) that a save arriving then waited for. The runner holds them off from the
moment every content file is read (`BuildSession.after_reading`) to the end of the build:
resumed as the build commits, the first collection walked the whole site (+1 s at 20,000).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# one entry per paused() in progress: whether it was what turned collection off
_PAUSES: list[bool] = []
_WHILE_RENDERING: list[bool] = [False]


def collect_while_rendering() -> None:
    """For a process that keeps collection off itself: collect while pages render."""
    _WHILE_RENDERING[0] = True


@contextmanager
def paused() -> Iterator[None]:
    turned_off = gc.isenabled()
    gc.disable()
    _PAUSES.append(turned_off)
    try:
        yield
    finally:
        _PAUSES.pop()
        if turned_off:
            gc.enable()


@contextmanager
def resumed() -> Iterator[None]:
    # the first pause says whether collection was on before any of them
    turned_on = bool(_PAUSES) and _PAUSES[0] and not gc.isenabled()
    if not turned_on and _WHILE_RENDERING[0] and not gc.isenabled():
        gc.freeze()
        turned_on = True
    if turned_on:
        gc.enable()
    try:
        yield
    finally:
        if turned_on:
            gc.disable()
