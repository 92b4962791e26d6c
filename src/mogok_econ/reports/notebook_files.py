"""Executed notebooks as files that rebuild byte for byte: papermill runs them, then the metadata that
records when and where they ran (timings, absolute paths) is dropped, so the same inputs give the same
bytes and `git diff` after a rebuild shows only what truly changed.

`python -m mogok_econ.reports.notebook_files NOTEBOOK...` re-executes notebooks in place with their
default parameters (what `make notebooks` runs).
"""
from __future__ import annotations

import sys
from pathlib import Path

#: Notebook-level papermill metadata that depends on the run, not on the inputs.
_RUN_KEYS = ("duration", "start_time", "end_time", "input_path", "output_path")


def strip_run_metadata(nb) -> None:
    """Drop timings and paths from a notebook (nbformat node or dict), and number its widgets, in place."""
    papermill = nb.get("metadata", {}).get("papermill")
    if papermill is not None:
        for key in _RUN_KEYS:
            papermill.pop(key, None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        if "injected-parameters" in meta.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run
        meta.pop("execution", None)
        cell_papermill = meta.get("papermill")
        if cell_papermill is not None:
            for key in ("duration", "start_time", "end_time"):
                cell_papermill.pop(key, None)
    number_widgets(nb)


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_MODEL_REF = "IPY_MODEL_"


def number_widgets(nb) -> None:
    """Give the widgets a notebook saved (ipywidgets names each model with a random id on every run, and the
    order their state is saved in can vary) ids numbered in a fixed order, and save their state in that
    order; in place. The order: the widgets as the outputs show them, cell by cell, each followed by the
    models its state refers to (keys in sorted order), depth first; then any model nothing shows, by its
    kind. A notebook with widgets then rebuilds to the same bytes."""
    widgets = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {})
    state = widgets.get("state")
    if not state:
        return
    order: list[str] = []

    def model(value) -> str | None:
        if isinstance(value, str):
            name = value[len(_MODEL_REF):] if value.startswith(_MODEL_REF) else value
            return name if name in state else None
        return None

    def walk(value) -> None:
        found = model(value)
        if found is not None and found not in order:
            order.append(found)
            walk(state[found].get("state", {}))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key in sorted(value):
                walk(value[key])

    for cell in nb.get("cells", []):
        walk(cell.get("outputs", []))
    order += sorted((m for m in state if m not in order),
                    key=lambda m: (state[m].get("model_module", ""), state[m].get("model_name", "")))
    ids = {old: f"{n:032x}" for n, old in enumerate(order, 1)}

    def renamed(value):
        found = model(value)
        if found is not None:
            return value.replace(found, ids[found])
        if isinstance(value, list):
            return [renamed(v) for v in value]
        if isinstance(value, dict):
            return type(value)((renamed(k), renamed(v)) for k, v in value.items())
        return value

    widgets["state"] = type(state)((ids[old], renamed(state[old])) for old in order)
    for cell in nb.get("cells", []):
        if "outputs" in cell:
            cell["outputs"] = renamed(cell["outputs"])


def write_stripped(path: Path) -> None:
    """Rewrite an executed notebook without its run metadata."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    strip_run_metadata(nb)
    nbformat.write(nb, path)


def execute_in_place(path: Path) -> None:
    """Run a notebook with its default parameters, in its own folder, and save it stripped."""
    import papermill

    path = Path(path).resolve()
    new = path.with_name(path.name + ".new.ipynb")
    papermill.execute_notebook(str(path), str(new), kernel_name="python3", progress_bar=False, cwd=str(path.parent),
                               extra_arguments=["--IPKernelApp.log_level=ERROR"])  # no TCP-warning noise
    write_stripped(new)
    new.replace(path)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"executing {name}", flush=True)
        execute_in_place(Path(name))
