"""What a build reads, stamped cheaply: the no-op check compares these before loading Pelican.

Inputs are: every file under the content folder and the theme, the Python files next to the
settings file (pelicanconf.py imports, publishconf.py...), the packages the plugins come from
(code and data files), files plugins declared with `depends_on()`, the environment variables
the settings files read, and the versions of Python, Pelican, Markdown and Jinja.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

_SKIP_DIRS = {"__pycache__", ".git", ".build", "node_modules"}
_ENV = re.compile(r"""environ(?:\.get)?\s*[\[(]\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
_PACKAGES = ("pelican", "markdown", "jinja2", "feedgenerator", "pygments")


def tree_stamps(
    root: Path, skip_hidden: bool = True, skip_top: Iterable[str] = ()
) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every file under root, sorted; `skip_top` names
    entries directly under root to leave out (an output folder's retained files)."""
    skipped = set(skip_top)
    found: list[tuple[str, int, int]] = []
    if root.is_file():
        st = root.stat()
        return [("", st.st_size, st.st_mtime_ns)]
    top = str(root)
    prefix = len(top.rstrip(os.sep)) + 1
    stack = [top]  # paths as strings: a Path per folder cost 0.4 s at 20,000 articles
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if skipped and folder is top and name in skipped:
                continue
            if entry.is_dir(follow_symlinks=True):
                if name in _SKIP_DIRS or (skip_hidden and name.startswith(".")):
                    continue
                stack.append(entry.path)
            else:
                try:
                    st = entry.stat()
                except OSError:
                    continue
                found.append((entry.path[prefix:], st.st_size, st.st_mtime_ns))
    found.sort()
    return found


def settings_env(settings_file: Path) -> dict[str, str | None]:
    """Environment variables named in the settings files (SITEURL for publishconf.py...)."""
    names: set[str] = set()
    for path in settings_file.parent.glob("*.py"):
        try:
            names |= set(_ENV.findall(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return {name: os.environ.get(name) for name in sorted(names)}


def versions() -> list[str]:
    found = [sys.version]
    for name in _PACKAGES:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}==none")
    return found


def _add(h, label: str, stamps: list[tuple[str, int, int]]) -> None:
    h.update(label.encode() + b"\0")
    for rel, size, mtime in stamps:
        h.update(f"{rel}\0{size}\0{mtime}\n".encode())


class SourceStamps(NamedTuple):
    """The sources, stamped: the content folder file by file (a build of edited articles in
    a fresh process compares them one by one, quick_build.py), the rest as one digest."""

    content: dict[str, tuple[int, int]]  # relative path -> (size, mtime_ns)
    other: bytes  # theme, settings files and the environment they read, versions


def source_stamps(content: Path, theme: Path, settings_file: Path) -> SourceStamps:
    h = hashlib.blake2b(digest_size=16)
    _add(h, str(content), [])
    _add(h, str(theme), tree_stamps(theme))
    _add(h, str(settings_file), [])
    for path in sorted(settings_file.parent.glob("*.py")):
        st = path.stat()
        h.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    h.update(repr(sorted(settings_env(settings_file).items())).encode())
    h.update(repr(versions()).encode())
    found = {rel: (size, mtime) for rel, size, mtime in tree_stamps(content, skip_hidden=False)}
    return SourceStamps(found, h.digest())


def with_content(other_inputs: bytes, content: dict[str, tuple[int, int]]) -> bytes:
    """Every input's digest: the other inputs' (inputs_digest) and the content files'."""
    h = hashlib.blake2b(other_inputs, digest_size=16)
    _add(h, "content", [(rel, size, mtime) for rel, (size, mtime) in content.items()])
    return h.digest()


def inputs_digest(sources: bytes, code_dirs: Iterable[str], extra_files: Iterable[str]) -> bytes:
    """The sources but the content folder (SourceStamps.other), the plugins' code and data
    folders and the files plugins declared."""
    h = hashlib.blake2b(sources, digest_size=16)
    for folder in sorted(set(code_dirs)):
        _add(h, folder, tree_stamps(Path(folder)))
    for path in sorted(set(extra_files)):
        try:
            st = os.stat(path)
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{path}\0missing\n".encode())
    return h.digest()


def code_dirs_for(module_names: Iterable[str]) -> list[str]:
    """The top-level package folder of each (loaded) module: its code and data files; for a
    module that is one file (a plugin beside pelicanconf.py), that file alone: its folder is
    the whole project, output/ included, which a build must not read (the search indexer
    swaps folders there while the live preview builds). Its data files are declared with
    `depends_on()`."""
    dirs: set[str] = set()
    for name in module_names:
        top = name.split(".")[0]
        module = sys.modules.get(top)
        if module is None:
            continue
        paths = getattr(module, "__path__", None)
        if paths:
            dirs.update(os.path.abspath(p) for p in paths if p and os.path.isdir(p))
        elif getattr(module, "__file__", None) and os.path.isfile(module.__file__):
            dirs.add(os.path.abspath(module.__file__))
    return sorted(dirs)


def file_digest(path: str | os.PathLike) -> bytes:
    """A digest of one file's bytes (b"missing" when it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return b"missing"


def code_digest(dirs: Iterable[str]) -> bytes:
    """A digest of the code and data in these folders, by content (not just stamps)."""
    h = hashlib.blake2b(digest_size=16)
    for folder in sorted(set(dirs)):
        for rel, _size, _mtime in tree_stamps(Path(folder)):
            if rel.endswith((".pyc", ".pyo")):
                continue
            h.update(rel.encode() + b"\0")
            with open(os.path.join(folder, rel) if rel else folder, "rb") as handle:
                h.update(hashlib.blake2b(handle.read(), digest_size=16).digest())
    h.update(repr(versions()).encode())
    return h.digest()
