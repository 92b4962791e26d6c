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
    "results": {"core", "inputs", "analysis"},
    "reports": {"core", "inputs", "analysis", "results"},
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


#: Process-wide state still below the entry points: none (the list may only shrink; a new entry fails).
AMBIENT_STATE_LEFT: set[tuple[str, str]] = set()


MUTATORS = {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "clear", "add", "remove", "discard"}


def _ambient_state(path: Path) -> set[tuple[str, str]]:
    """Process-wide state a module keeps or reads: `global` statements, environment reads, and module-level
    containers the module changes (constant tables, never changed, are data)."""
    where = str(path.relative_to(SRC))
    found = set()
    text = path.read_text()
    if "os.environ" in text or "os.getenv" in text:
        found.add((where, "os.environ"))
    tree = ast.parse(text)
    containers = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
    module_level = {ast.unparse(t) for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                    and isinstance(node.value, containers)
                    for t in (node.targets if isinstance(node, ast.Assign) else [node.target])}
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.update((where, f"global {name}") for name in node.names)
        changed = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            changed = node.func.value
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            for target in getattr(node, "targets", None) or [getattr(node, "target", None)]:
                if isinstance(target, ast.Subscript):
                    changed = target.value
        if isinstance(changed, ast.Name) and changed.id in module_level:
            found.add((where, f"module-level mutable {changed.id}"))
    return found


def test_no_process_wide_state_below_the_entry_points():
    """core/, inputs/ and analysis/ take everything as arguments: the posterior above all (no switch), and
    nothing from the environment; what is left is listed, to go (AMBIENT_STATE_LEFT)."""
    below = ("core", "inputs", "analysis", "results")
    found = set().union(*(_ambient_state(m) for layer in below for m in (SRC / layer).rglob("*.py")))
    assert found - AMBIENT_STATE_LEFT == set(), f"new process-wide state: {sorted(found - AMBIENT_STATE_LEFT)}"
    assert AMBIENT_STATE_LEFT - found == set(), f"gone (strike off AMBIENT_STATE_LEFT): {sorted(AMBIENT_STATE_LEFT - found)}"


#: The paths helpers whose answer depends on the data folder: each takes the folder as its argument.
DATA_FOLDER_HELPERS = ("scenarios_dir", "levers_dir", "sources_files", "timeline_file", "sanctions_targets_file",
                       "own_or_shipped", "observables_file", "shared_file", "exchange_rates_file")


def test_the_data_folder_is_an_argument_never_ambient():
    """The data folder reaches core/, inputs/ and analysis/ as an argument (a World, or a folder where a
    loader needs one): paths.py reads no environment variable for it, has no helper that answers without
    being given it, and no module below the entry points calls one of them without a folder."""
    import inspect

    assert not hasattr(paths, "data_dir"), "paths.data_dir() is ambient: take the folder as an argument"
    for name in DATA_FOLDER_HELPERS:
        first = next(iter(inspect.signature(getattr(paths, name)).parameters.values()))
        assert first.name == "data" and first.default is inspect.Parameter.empty, f"paths.{name} must take the folder"
    environment_reads = [ast.unparse(node) for node in ast.walk(ast.parse((SRC / "paths.py").read_text()))
                         if isinstance(node, ast.Call) and "environ" in ast.unparse(node.func)]
    assert not [r for r in environment_reads if "DATA_ENV" in r or "MOGOK_ECON_DATA" in r], environment_reads
    for module in (m for layer in ("core", "inputs", "analysis", "results") for m in (SRC / layer).rglob("*.py")):
        text = module.read_text()
        assert "MOGOK_ECON_DATA" not in text and "DATA_ENV" not in text, module.relative_to(SRC)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    ast.unparse(node.func.value) == "paths" and node.func.attr in DATA_FOLDER_HELPERS:
                assert node.args or node.keywords, f"{module.relative_to(SRC)}: {ast.unparse(node)} without a folder"


def test_only_the_entry_points_read_the_environment():
    """environment.py reads the environment for the package (where results are kept); only the command line
    and the notebooks' first cells import it. Below them a Store arrives with the World (store.py)."""
    importers = sorted(str(m.relative_to(SRC)) for m in MODULES
                       if "environment" in _imported_names(m) and m.name != "environment.py")
    assert all(name.startswith("cli/") for name in importers), importers
    notebooks = sorted((SRC.parents[1] / "notebooks").glob("*.ipynb"))
    assert notebooks and all("store_from_environment()" in nb.read_text() for nb in notebooks)


def _imported_names(path: Path) -> set[str]:
    """The package's modules a module imports, by their last name (`from ..environment import x` -> environment)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[-1])
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[-1] for alias in node.names)
    return names
