"""Build hook: ship the repository's data/ and notebooks/ inside the package, without a committed copy.

`build_py` copies data/ (scenarios, levers, timeline, sources, observables, its README) and
notebooks/*.ipynb into mogok_econ/_shipped/ in the build tree only, so a wheel carries them and an
installed package runs from any folder (see src/mogok_econ/paths.py). It also records the git commit
the wheel was built from, when there is one. Editable installs read the checkout directly and skip this.
Everything else about the package is in pyproject.toml.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("mogok_econ", "_shipped")


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(HERE), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None


class BuildWithShippedData(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, *SHIPPED)
        shutil.rmtree(target, ignore_errors=True)
        data, notebooks = HERE / "data", HERE / "notebooks"
        if not (data / "scenarios").is_dir() or not notebooks.is_dir():
            raise SystemExit(f"mogok-econ build: {data} and {notebooks} are needed to build the package")
        shutil.copytree(data, target / "data", ignore=shutil.ignore_patterns(".*", "__pycache__"))
        (target / "notebooks").mkdir(parents=True)
        for notebook in sorted(notebooks.glob("*.ipynb")):
            shutil.copy2(notebook, target / "notebooks" / notebook.name)
        shutil.copy2(HERE / "CHANGELOG.md", target / "CHANGELOG.md")  # the reports quote it
        # the commit it was built from (null when built outside a git checkout, e.g. from an sdist)
        (target / "build.json").write_text(json.dumps({"commit": _commit()}) + "\n")


setup(cmdclass={"build_py": BuildWithShippedData})
