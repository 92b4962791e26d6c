"""The package's layout keeps its promises: layers that import only the layers before them, modules a
newcomer can read, every default defined once, and no reference to anything outside the repository."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mogok_econ import paths

SRC = Path(__file__).resolve().parents[1] / "src" / "mogok_econ"
#: Each layer and the layers it may import (besides the package's top-level helpers).
LAYERS = {
    "core": set(),
    "inputs": {"core"},
    "analysis": {"core", "inputs"},
    "reports": {"core", "inputs", "analysis"},
}
MODULES = sorted(SRC.rglob("*.py"))


def _imported_layers(path: Path) -> set[str]:
    """The package's layers (subpackages) that a module imports, by relative or absolute imports."""
    package = ["mogok_econ", *path.relative_to(SRC).parts[:-1]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            if target[:1] != ["mogok_econ"]:
                continue
            inside = target[1:2] or [alias.name for alias in node.names]  # `from .. import core`
            found.update(name for name in inside if name in LAYERS)
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names
                         if alias.name.startswith("mogok_econ.") and alias.name.split(".")[1] in LAYERS)
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_the_layers_before_it(layer):
    for module in sorted((SRC / layer).rglob("*.py")):
        wrong = _imported_layers(module) - LAYERS[layer] - {layer}
        assert not wrong, f"{module.relative_to(SRC)} imports {sorted(wrong)}; {layer}/ may import {sorted(LAYERS[layer])}"


def test_core_does_no_io():
    for module in (SRC / "core").rglob("*.py"):
        text = module.read_text()
        for needle in ("open(", "read_text", "write_text", "import yaml", "from .. import paths", "print("):
            assert needle not in text, f"{module.relative_to(SRC)} does I/O ({needle})"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_modules_stay_short(module):
    lines = len(module.read_text().splitlines())
    assert lines <= 400, f"{module.relative_to(SRC)} has {lines} lines; split it by what it does"


def test_defaults_are_defined_once():
    """Draws, seed and reported quantiles come from core/defaults.py, never as literals elsewhere."""
    for module in MODULES:
        if module.name == "defaults.py":
            continue
        text = module.read_text()
        assert "100_000" not in text and "20241124" not in text, module
        assert not re.search(r"\[\s*0\.05,\s*0\.5,\s*0\.95\s*\]", text), module


OUTSIDE = "../" + "shared"  # spelt in two parts so that this file does not match itself


def test_nothing_refers_outside_the_repository():
    suffixes = {".py", ".md", ".yaml", ".yml", ".toml", ".ipynb", ".j2", ".cfg", ".txt", ".lock"}
    skipped = {".git", ".venv", ".cache", ".pytest_cache", "reports"}
    files = [p for p in paths.ROOT.rglob("*") if p.is_file() and p.suffix in suffixes
             and not skipped & set(p.relative_to(paths.ROOT).parts[:1])]
    assert files
    for path in files:
        assert OUTSIDE not in path.read_text(errors="replace"), f"{paths.display(path)} refers to {OUTSIDE}"
