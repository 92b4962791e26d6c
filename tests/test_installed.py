"""The package as a stranger gets it: every module it imports is a declared dependency, and a wheel built
from the repository, installed with `pip install` into a fresh virtual environment (its dependencies
resolved by pip, as for any user), runs from another folder with no MOGOK_ECON_DATA, reads its shipped
data and notebooks and writes only where the user says.

The wheel is built offline, with this environment's setuptools (--no-build-isolation), from a copy of the
source tree. Its dependencies come from the package index pip is configured with, constrained to the
versions of requirements.lock (`-c`), so that the test is deterministic and pip takes them from its cache
after the first run: about 90 s for the whole module on two idle cores (3.5 min under load), most of it
installing and rendering one report. Nothing of this environment is visible to the new one (no .pth, no PYTHONPATH, no
JUPYTER_PATH): a dependency missing from pyproject.toml fails here, as it would for a user.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml

from mogok_econ import paths

from .conftest import run_command

CHECKOUT = Path(__file__).resolve().parents[1]
SOURCE = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "CHANGELOG.md", "src", "data", "notebooks")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_modules() -> dict[str, set[str]]:
    """Top-level modules imported by the package's code and its shipped notebooks (and named as pandas'
    engines), each with where: {module: {file, ...}}."""
    found: dict[str, set[str]] = {}

    def walk(tree: ast.AST, where: str) -> None:
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.keyword) and node.arg == "engine" and isinstance(node.value, ast.Constant):
                names = [str(node.value.value)]  # to_parquet(engine="pyarrow") imports it
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(where)

    for file in sorted((CHECKOUT / "src" / "mogok_econ").rglob("*.py")):
        walk(ast.parse(file.read_text(), str(file)), str(file.relative_to(CHECKOUT)))
    for notebook in sorted((CHECKOUT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text())["cells"]:
            if cell["cell_type"] == "code":
                code = "".join(cell["source"])
                code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
                walk(ast.parse(code), str(notebook.relative_to(CHECKOUT)))
    return {m: w for m, w in found.items() if m not in sys.stdlib_module_names and m != "mogok_econ"}


def test_every_module_the_package_imports_is_a_declared_dependency():
    """What `pip install mogok-econ` installs is what pyproject.toml declares: a module imported by the
    package or its notebooks but installed here only by chance (as a test tool's or another package's
    dependency) would be missing for a user."""
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text())["project"]
    declared = {_normal(re.match(r"[A-Za-z0-9_.-]+", r).group()) for r in project["dependencies"]}
    distributions = packages_distributions()
    imported = _imported_modules()
    assert {"numpy", "pandas", "scipy", "arviz", "openpyxl", "pyarrow", "ipywidgets"} <= set(imported)
    undeclared = {module: sorted(where) for module, where in imported.items()
                  if not {_normal(d) for d in distributions.get(module, [])} & declared}
    assert not undeclared, f"imported but not in pyproject.toml's dependencies: {undeclared}"
    locked = {_normal(line.split("==")[0]) for line in (CHECKOUT / "requirements.lock").read_text().splitlines()
              if "==" in line}
    assert declared <= locked, f"declared but not pinned in requirements.lock: {sorted(declared - locked)}"


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the new environment's python, its mogok-econ, a clean environment, a folder outside the checkout)."""
    tmp = tmp_path_factory.mktemp("installed")
    tree = tmp / "source"
    tree.mkdir()
    for name in SOURCE:
        src = CHECKOUT / name
        if src.is_dir():
            shutil.copytree(src, tree / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.egg-info", "_shipped", ".ipynb_checkpoints"))
        else:
            shutil.copy2(src, tree / name)
    wheels = tmp / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", tree, "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-q", "-w", wheels)
    (wheel,) = wheels.glob("mogok_econ-*.whl")

    venv = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)  # pip below installs into it (--python)
    python = venv / "bin" / "python"
    # as a user would: the wheel and whatever it declares, resolved by pip (pinned to the lock's versions)
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--disable-pip-version-check", "-q",
         "-c", CHECKOUT / "requirements.lock", wheel)
    _run(sys.executable, "-m", "pip", "--python", python, "check", "--disable-pip-version-check")
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())

    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CONDA_PREFIX", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOGOK_ECON_") and k not in drop}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
    env["XDG_CACHE_HOME"] = str(tmp / "cache")
    work = tmp / "elsewhere"
    work.mkdir()
    return {"wheel": wheel, "python": python, "exe": venv / "bin" / "mogok-econ", "env": env, "work": work,
            "site": site, "tmp": tmp}


def _package_files(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in (site / "mogok_econ").rglob("*") if "__pycache__" not in p.parts}


@pytest.mark.slow
def test_the_wheel_carries_the_data_notebooks_and_templates_and_no_second_copy_is_committed(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for f in (*(CHECKOUT / "data").rglob("*.yaml"), *(CHECKOUT / "notebooks").glob("*.ipynb")):
        assert f"mogok_econ/_shipped/{f.relative_to(CHECKOUT)}" in names, f
    assert "mogok_econ/_shipped/build.json" in names
    assert {f"mogok_econ/reports/templates/mogok_report/{n}" for n in ("conf.json", "index.html.j2", "report.css")} <= names
    tracked = subprocess.run(["git", "-C", str(CHECKOUT), "ls-files", "src/mogok_econ/_shipped"],
                             capture_output=True, text=True).stdout
    assert tracked == ""


@pytest.mark.slow
def test_the_installed_package_runs_from_another_folder(installed):
    exe, env, work = installed["exe"], installed["env"], installed["work"]
    before = _package_files(installed["site"])

    where = _run(installed["python"], "-c", "import mogok_econ as me, json; print(json.dumps([me.__file__, "
                 "me.load_scenario('junta_informal').title, me.__version__]))", cwd=work, env=env).stdout
    file, title, version = json.loads(where)
    assert Path(file).is_relative_to(installed["site"]) and not Path(file).is_relative_to(CHECKOUT)
    assert title

    assert _run(exe, "--version", cwd=work, env=env).stdout.strip() == f"mogok-econ {version}"
    assert "--priors" in _run(exe, "split", "--help", cwd=work, env=env).stdout
    split = json.loads(_run(exe, "split", "junta_informal", "--json", "--draws", "2000", cwd=work, env=env).stdout)
    assert split["scenario"] == "junta_informal" and split["version"] == version and "quantiles" in split
    assert "commit" in split and len(split["data_hash"]) == 64
    # the calibrated posterior by default, as the checkout's command (and the reports) give it
    assert split["draws_from"] == "posterior"
    here = run_command("split", "junta_informal", "--json", "--draws", "2000")
    assert here.returncode == 0, here.stderr
    assert split["flows_usd"] == json.loads(here.stdout)["flows_usd"]
    assert split["quantiles"] == json.loads(here.stdout)["quantiles"]

    calibrated = json.loads(_run(exe, "calibrate", "--json", cwd=work, env=env).stdout)  # arviz (PSIS k-hat)
    assert calibrated["observables"] and calibrated["method"] in ("importance sampling", "tempered SMC")
    parquet = installed["tmp"] / "draws.parquet"
    _run(exe, "export", "junta_informal", "--draws", "2000", "--output", parquet, cwd=work, env=env)  # pyarrow
    rows = _run(installed["python"], "-c", f"import pandas; print(len(pandas.read_parquet({str(parquet)!r})))",
                cwd=work, env=env).stdout
    assert rows.strip() == "2000"
    levers = json.loads(_run(exe, "levers", "current", "--json", "--draws", "2000", "--no-pairs",
                             cwd=work, env=env).stdout)
    assert levers["results"]
    assert "current scenario" in _run(exe, "timeline", cwd=work, env=env).stdout

    out = installed["tmp"] / "out"
    _run(exe, "render", "junta_informal", "-p", "draws=2000", "-p", "sobol_samples=256", "--jobs", "1",
         "--output", out, cwd=work, env=env)
    assert (out / "scenario-junta_informal.html").stat().st_size > 10_000
    assert (out / "scenario-junta_informal.pdf").read_bytes().startswith(b"%PDF")
    assert "junta" in (out / "index.html").read_text().lower()

    assert _package_files(installed["site"]) == before  # nothing written inside the package
    assert list((installed["tmp"] / "cache" / "mogok-econ" / "monte_carlo").glob("*.npz"))  # the user's cache
    assert not (work / paths.INSTALLED_REPORTS_NAME).exists()


@pytest.mark.slow
def test_the_installed_package_reads_a_users_data_folder(installed):
    mine = installed["tmp"] / "my-data"
    (mine / "scenarios").mkdir(parents=True)
    (mine / "scenarios" / "mine.yaml").write_text(yaml.safe_dump({
        "name": "mine", "extends": "junta_informal", "title": "Mine", "period": {"start": "2025-11", "end": None},
        "summary": "A variant.", "parameters": {"wage_share": {"value": 0.4, "source": "assumption", "note": "mine"}},
    }, sort_keys=False))
    result = _run(installed["exe"], "split", "mine", "--json", "--data", mine, cwd=installed["work"], env=installed["env"])
    assert json.loads(result.stdout)["scenario"] == "mine"
    bad = subprocess.run([str(installed["exe"]), "--data", str(installed["work"]), "split", "mine"], capture_output=True,
                         text=True, cwd=installed["work"], env=installed["env"], timeout=120)
    assert bad.returncode == 2 and "no scenarios/ folder" in bad.stderr and "Traceback" not in bad.stderr
