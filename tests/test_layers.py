"""Layers that show: the core knows nothing of the command line or the pictures, the
pictures know nothing of the command line, and no module imports itself round a circle
(counting imports inside functions too, which only delay a circle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "actcli"


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return mods


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """The actcli modules that module ``name`` imports, anywhere in its text."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:  # `from . import render` imports a module
                found.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _layer(name: str) -> str:
    if name == "actcli.__main__":  # python -m actcli: the command line
        return "actcli.cli"
    if name == "actcli":  # the package's face: get(), catalogue(), and plot(), which draws
        return "api"
    for layer in ("actcli.cli", "actcli.drawing"):
        if name == layer or name.startswith(layer + "."):
            return layer
    return "core"


def test_the_checker_sees_imports() -> None:
    assert "actcli.cli.errors" in GRAPH["actcli.cli.command_classes"]
    assert "actcli.cli.tables" in GRAPH["actcli.cli.render"]  # a lazy import, inside a function
    assert "actcli.definitions" in GRAPH["actcli"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_lower_layers_never_import_higher_ones(name: str) -> None:
    allowed = {"core": {"core"}, "actcli.drawing": {"core", "actcli.drawing"}, "api": {"core", "actcli.drawing"},
               "actcli.cli": {"core", "api", "actcli.drawing", "actcli.cli"}}[_layer(name)]
    wrong = sorted(m for m in GRAPH[name] if _layer(m) not in allowed)
    assert wrong == [], f"{name} ({_layer(name)}) imports {wrong}"


def test_no_import_cycles() -> None:
    cycles = []

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(GRAPH[node]):
            if nxt == start:
                cycles.append(" -> ".join([*path, start]))
            elif nxt > start and nxt not in path:  # each cycle once, from its smallest name
                walk(start, nxt, [*path, nxt])

    for name in sorted(GRAPH):
        walk(name, name, [name])
    assert cycles == []
