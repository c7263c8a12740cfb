"""The package's shape: no import cycle (module-level or inside a function), no module name
used twice, no function over 60 lines without a reason. Read with ast, nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

from support.source_tree import PACKAGE, module_files

DUNDER = {"__init__", "__main__"}


def _module_name(path: Path, top: Path) -> str:
    parts = list(path.relative_to(top).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """module -> the package's modules it imports, at any level of the file (function-level
    imports run too, and hide a cycle only until the function is first called)."""
    files = {_module_name(path, package.parent): path for path in module_files(package)}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from pkg import sub` imports the submodule; `from mod import name` the module
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                    for alias in node.names
                ]
            else:
                continue
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle for each group of modules that import each other (a strongly connected
    component), as a path from its least module back to it."""
    cycles = []
    for group in _components(graph):
        first = min(group)
        paths = {first: [first]}
        queue = [first]
        while queue:  # shortest way back to `first` inside the group
            node = queue.pop(0)
            for child in sorted(graph[node] & group):
                if child == first:
                    cycles.append([*paths[node], first])
                    queue = []
                    break
                if child not in paths:
                    paths[child] = [*paths[node], child]
                    queue.append(child)
    return sorted(cycles)


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Kosaraju: the strongly connected components with a cycle in them."""
    reverse: dict[str, set[str]] = {name: set() for name in graph}
    for name, targets in graph.items():
        for target in targets:
            reverse[target].add(name)
    groups, assigned = [], set()
    for start in reversed(_finish_order(graph)):
        if start in assigned:
            continue
        group, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node not in assigned:
                assigned.add(node)
                group.add(node)
                todo.extend(reverse[node] - assigned)
        if len(group) > 1 or start in graph[start]:
            groups.append(group)
    return groups


def _finish_order(graph: dict[str, set[str]]) -> list[str]:
    """The nodes in the order a depth-first walk finishes them."""
    order, seen = [], set()
    for start in sorted(graph):
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(sorted(graph[start])))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                order.append(node)
            elif child not in seen:
                seen.add(child)
                stack.append((child, iter(sorted(graph[child]))))
    return order


def test_the_project_has_no_import_cycle():
    graph = import_graph()
    assert len(graph) > 50 and sum(map(len, graph.values())) > 100  # the walk saw the package
    cycles = find_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_every_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    # found wherever the walk enters it
    assert find_cycles({"a": {"c"}, "b": {"c"}, "c": {"b"}}) == [["b", "c", "b"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_or_package_name_is_used_twice():
    seen: dict[str, list[str]] = {}
    for path in module_files():
        rel = path.relative_to(PACKAGE)
        names = [*rel.parent.parts, rel.stem]
        for depth, name in enumerate(names):
            if name in DUNDER:
                continue
            where = "/".join(names[: depth + 1])
            if where not in seen.setdefault(name, []):
                seen[name].append(where)
    twice = {name: places for name, places in seen.items() if len(places) > 1}
    assert not twice, f"names used more than once: {twice}"


def test_a_cycle_hidden_in_a_function_level_import_is_found(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("def f():\n    from pkg import a\n    return a\n")
    (package / "c.py").write_text("import pkg.a\n")
    graph = import_graph(package)
    assert graph["pkg.c"] == {"pkg.a"}
    assert find_cycles(graph) == [["pkg.a", "pkg.sub.b", "pkg.a"]]


MAX_FUNCTION_LINES = 60
# A longer function says why in its docstring with this phrase ("Long because ...").
LONG_REASON = "long because"


def long_functions(root: Path = PACKAGE) -> list[str]:
    """Functions over MAX_FUNCTION_LINES lines whose docstring gives no reason."""
    found = []
    for path in module_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            lines = node.end_lineno - node.lineno + 1
            reason = LONG_REASON in (ast.get_docstring(node) or "").lower()
            if lines > MAX_FUNCTION_LINES and not reason:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({lines})")
    return found


def test_no_function_runs_over_sixty_lines_without_a_reason():
    too_long = long_functions()
    assert not too_long, (
        f"functions over {MAX_FUNCTION_LINES} lines (split them, or say 'Long because ...' in "
        "the docstring):\n" + "\n".join(too_long)
    )


def test_a_long_function_is_found_unless_it_says_why(tmp_path):
    body = "".join(f"    x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        f"def short():\n    return 1\n\n\ndef long():\n{body}\n\n"
        f'def explained():\n    """Long because it is a table."""\n{body}'
    )
    assert [f.split(" ")[1] for f in long_functions(tmp_path / "pkg")] == ["long"]
