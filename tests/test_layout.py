"""The package's architecture, held by its imports.

Data flows one way: reading (io) -> engine -> analysis -> maintain -> render -> cli, with the
error family and the domain objects beneath them all. A module may import from its own layer
and the layers before it, never from a later one, and no chain of imports comes back to where
it started. ``import checker`` alone loads neither clingo nor typer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "checker"
LAYERS = ["errors", "model", "io", "engine", "analysis", "maintain", "render", "cli"]
BASE = {"errors": 0, "model": 0, "__main__": LAYERS.index("cli")}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package itself: the public names, imported lazily
    return BASE.get(parts[1], LAYERS.index(parts[1]) if parts[1] in LAYERS else None)


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module of the package that ``path`` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in modules and m != "checker"}


def test_every_module_belongs_to_a_layer() -> None:
    strays = [m for m in _modules() if m != "checker" and _layer(m) is None]
    assert strays == []


def test_no_module_imports_from_a_later_layer() -> None:
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        here = _layer(name)
        if here is None:
            continue
        for target in _imports(path, modules):
            if _layer(target) > here:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) for name, path in modules.items()}
    # a package's __init__ is imported with each of its modules: an edge to each module is
    # not an import of it, and is not counted
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [node, nxt]) if nxt in stack
                              else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, stack + [node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == []


def test_importing_the_package_loads_neither_clingo_nor_typer() -> None:
    code = "import sys, checker; print(sorted(m for m in ('clingo', 'typer') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", sorted(__import__("checker").__all__))
def test_every_public_name_resolves(name: str) -> None:
    import checker

    assert getattr(checker, name) is not None
