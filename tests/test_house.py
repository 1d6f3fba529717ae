"""The house's rules that import-linter cannot state: what an import loads, and no cycles.

Import-linter checks who imports whom (pyproject's contracts). These tests check what a
user of the pure layers actually gets: importing them, in a fresh interpreter, must not
load a socket, thread or Qt module; and no module imports itself back through others.
"""

from __future__ import annotations

import subprocess
import sys

import grimp
import pytest

IMPURE = ("socket", "threading", "selectors", "asyncio", "PySide6", "pyqtgraph", "numpy")


@pytest.mark.parametrize("package", ["workbench.protocol", "workbench.framelog",
                                     "workbench.capture"])
def test_importing_a_pure_layer_loads_no_socket_thread_or_qt(package):
    probe = (f"import sys, {package}, {package}.__init__\n"
             f"print(' '.join(m for m in {IMPURE!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, timeout=60).stdout.split()
    assert loaded == []


def test_the_probe_sees_an_impure_import():
    """The check above can fail: the session layer does load sockets."""
    probe = f"import sys, workbench.session\nprint({IMPURE!r}[0] in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=60).stdout.strip()
    assert out == "True"


def strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = {stack.pop()}
            while module not in group:
                group.add(stack.pop())
            if len(group) > 1:
                groups.append(group)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_module_imports_itself_back():
    graph = grimp.build_graph("workbench", exclude_type_checking_imports=True)
    assert strongly_connected(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    assert strongly_connected(graph) == [{"a", "b", "c"}]
