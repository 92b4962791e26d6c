"""The package outside this checkout: a wheel built from the repository, installed (not editable) into a
fresh virtual environment, run from another folder with no MOGOK_ECON_DATA, reads its shipped data and
notebooks and writes only where the user says.

Offline: the wheel is built with this environment's setuptools (--no-build-isolation) from a copy of the
source tree, and installed with --no-deps; the new environment sees this one's dependencies through a
.pth file (a plain path: the checkout's editable mogok_econ is not among them) and their data files
through JUPYTER_PATH, so mogok_econ comes from the wheel alone, which the test checks.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

from mogok_econ import paths

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parents[1]
SOURCE = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "CHANGELOG.md", "src", "data", "notebooks")


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
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
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", wheel)
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "_mogok_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = {k: v for k, v in os.environ.items() if not k.startswith("MOGOK_ECON_") and k != "PYTHONPATH"}
    env["XDG_CACHE_HOME"] = str(tmp / "cache")
    # the dependencies' data files (nbconvert's base templates) are in this environment's share/, as the
    # dependencies are: a real install puts them in the new environment's
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    work = tmp / "elsewhere"
    work.mkdir()
    return {"wheel": wheel, "python": python, "exe": venv / "bin" / "mogok-econ", "env": env, "work": work,
            "site": site, "tmp": tmp}


def _package_files(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in (site / "mogok_econ").rglob("*") if "__pycache__" not in p.parts}


def test_the_wheel_carries_the_data_notebooks_and_templates_and_no_second_copy_is_committed(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for f in (*(CHECKOUT / "data").rglob("*.yaml"), *(CHECKOUT / "notebooks").glob("*.ipynb")):
        assert f"mogok_econ/_shipped/{f.relative_to(CHECKOUT)}" in names, f
    assert "mogok_econ/_shipped/build.json" in names
    assert {f"mogok_econ/reports/templates/mogok_report/{n}" for n in ("conf.json", "index.html.j2", "report.css")} <= names
    tracked = subprocess.run(["git", "-C", str(CHECKOUT), "ls-files", "src/mogok_econ/_shipped"],
                             capture_output=True, text=True).stdout
    assert tracked == ""


def test_the_installed_package_runs_from_another_folder(installed):
    exe, env, work = installed["exe"], installed["env"], installed["work"]
    before = _package_files(installed["site"])

    where = _run(installed["python"], "-c", "import mogok_econ as me, json; print(json.dumps([me.__file__, "
                 "me.load_scenario('junta_informal').title, me.__version__]))", cwd=work, env=env).stdout
    file, title, version = json.loads(where)
    assert Path(file).is_relative_to(installed["site"]) and not Path(file).is_relative_to(CHECKOUT)
    assert title

    assert _run(exe, "--version", cwd=work, env=env).stdout.strip() == f"mogok-econ {version}"
    split = json.loads(_run(exe, "split", "junta_informal", "--json", "--draws", "2000", cwd=work, env=env).stdout)
    assert split["scenario"] == "junta_informal" and split["version"] == version and "quantiles" in split
    assert "commit" in split and len(split["data_hash"]) == 64
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
