"""The report pipeline end to end: papermill -> nbconvert HTML -> WeasyPrint PDF, atomic publishing,
clear errors before any kernel starts, and committed reports that still match the model and data."""
from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import re
import shutil

import nbformat
import papermill
import pytest
from pypdf import PdfReader

from mogok_econ import InputError, load_scenario, paths, point_estimate
from mogok_econ.analysis.calibration import posterior_for
from mogok_econ.inputs.world import load_world
from mogok_econ.reports.build import RenderError, build, input_hash, out_of_date
from mogok_econ.reports.catalogue import KINDS, check_parameters, plan
from mogok_econ.reports.formatting import money
from mogok_econ.reports.index_page import read_manifest
from tests.conftest import run_in_process

A4 = (595.0, 842.0)  # points


# `rendered` (conftest.py): one scenario report built into a throw-away reports folder, shared with the
# browser and download tests.


def _pdf_text(path):
    reader = PdfReader(path)
    return reader, "\n".join(_page_text(page) for page in reader.pages)


def _page_text(page) -> str:
    """A page's text. pypdf reads the two-byte codes of some of WeasyPrint's font subsets as two one-byte
    characters, leaving a NUL before each letter (poppler's pdftotext reads the same page cleanly):
    dropping the NULs gives the text back."""
    return page.extract_text().replace("\x00", "")


def test_headline_numbers_in_html_and_pdf_equal_split(rendered):
    # the reports' central estimates: the model at the posterior's medians
    expected = point_estimate(load_scenario("tnla_control"), posterior_for(True))
    html = (rendered / "scenario-tnla_control.html").read_text()
    _, pdf = _pdf_text(rendered / "scenario-tnla_control.pdf")
    pdf = re.sub(r"\s+", " ", pdf)
    for value in [expected.realised_value_usd, expected.recorded_value_usd, *expected.flows_usd.values,
                  *expected.groups_usd.values]:
        if value <= 0:
            continue  # an actor with nothing is named, not priced
        text = money(value)
        assert text in html, text
        assert text in pdf, text
    result = run_in_process("split", "tnla_control", "--json", "--calibrated")
    printed = json.loads(result.stdout)
    assert money(printed["flows_usd"]["junta"]) in html
    assert f"the mean is {money(printed['miner_income_usd_per_month'])} a month" in html
    assert f"keeps {money(printed['hand_miner_income_usd_per_month'])} a month on average" in html


@pytest.mark.slow
def test_html_is_self_contained_and_hides_code(rendered):
    html = (rendered / "scenario-tnla_control.html").read_text()
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html, flags=re.I)
    external = [u for u in links if re.match(r"^(https?:)?//", u, flags=re.I)]
    assert external == []
    assert not re.search(r"<script[^>]+src=", html, flags=re.I)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", html, flags=re.I)
    assert "scenario_results(" not in html and "import " not in re.sub(r"<style.*?</style>", "", html, flags=re.S)
    assert "<title>TNLA administration of Mogok | mogok-econ</title>" in html
    for needle in ("Data current to", "Inputs", "SHA-256", "draws = 20000", "data/scenarios/tnla_control.yaml"):
        assert needle in html, needle


@pytest.mark.slow
def test_pdf_is_a4_with_page_numbers(rendered):
    reader, _text = _pdf_text(rendered / "scenario-tnla_control.pdf")
    assert len(reader.pages) >= 3
    for n, page in enumerate(reader.pages, 1):
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1.0)
        assert f"Page {n} of {len(reader.pages)}" in _page_text(page)


@pytest.mark.slow
def test_executed_notebook_manifest_and_index(rendered):
    executed = nbformat.read(rendered / "notebooks" / "scenario-tnla_control.ipynb", as_version=4)
    assert all(c.get("execution_count") for c in executed.cells if c.cell_type == "code")
    manifest = read_manifest(rendered)["reports"]["scenario-tnla_control"]
    assert manifest["parameters"]["draws"] == 20_000 and len(manifest["input_hash"]) == 64
    index = (rendered / "index.html").read_text()
    assert 'href="scenario-tnla_control.html"' in index and 'href="scenario-tnla_control.pdf"' in index
    # the manifest keeps each report's headline, from the notebook's cell tagged `headline` (the landing page
    # describes the scenario reports once, as a group, rather than repeating each one's headline)
    junta = money(point_estimate(load_scenario("tnla_control"), posterior_for(True)).flows_usd["junta"])
    assert f"The junta keeps {junta} a year" in manifest["headline"]


@pytest.mark.slow
def test_second_build_with_no_change_skips(rendered):
    jobs = plan(["tnla_control"], {"draws": 20_000, "sobol_samples": 1024}, include_comparison=False)
    summary = build(jobs, workers=1, reports=rendered)
    assert summary.built == [] and summary.skipped == ["scenario-tnla_control"]


@pytest.mark.slow
def test_failing_notebook_names_cell_and_keeps_last_good_reports(rendered, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(rendered, reports)
    before = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    broken = nbformat.read(paths.NOTEBOOKS / "scenario_report.ipynb", as_version=4)
    broken.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure for the test')"))
    broken_path = tmp_path / "broken.ipynb"
    nbformat.write(broken, broken_path)
    job = dataclasses.replace(plan(["tnla_control"], {"draws": 1000}, include_comparison=False)[0],
                              notebook_override=broken_path)
    with pytest.raises(RenderError) as info:
        build([job], workers=1, reports=reports, force=True)
    message = str(info.value)
    assert "broken.ipynb" in message and "cell 4" in message and "RuntimeError: deliberate failure" in message
    assert "last good build" in message
    after = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    assert after == before
    assert not list(reports.glob(".staging-*"))


@pytest.mark.parametrize("overrides, scenarios, fragment", [
    ({}, ["no_such_scenario"], "no such scenario"),
    ({"draws": -5}, None, "parameter.draws"),
    ({"draws": "many"}, None, "parameter.draws"),
    ({"drows": 1000}, None, "not a parameter of any report"),
    ({"sobol_samples": 1000}, None, "power of two"),
    ({"seed": 1.5}, None, "parameter.seed"),
    ({"gross_value_usd": -1}, None, "parameter.gross_value_usd"),
])
def test_bad_parameters_refused_before_any_kernel(overrides, scenarios, fragment):
    with pytest.raises(InputError) as info:
        plan(scenarios, overrides)
    assert fragment in str(info.value)


def test_render_command_refuses_bad_parameter_without_traceback(tmp_path):
    result = run_in_process("render", "tnla_control", "-p", "draws=-3")
    assert result.returncode == 2 and "parameter.draws" in result.stderr and "Traceback" not in result.stderr
    result = run_in_process("render", "atlantis")
    assert result.returncode == 2 and "no such scenario" in result.stderr
    assert not list(paths.REPORTS.glob(".staging-*"))


def test_notebook_parameter_cells_match_the_schemas():
    for kind in KINDS.values():
        declared = papermill.inspect_notebook(str(paths.NOTEBOOKS / kind.notebook))
        assert set(declared) == set(kind.schema.model_fields), kind.notebook
        for name, info in declared.items():
            assert info["help"], f"{kind.notebook}: parameter {name} has no help text"
            default = kind.schema.model_fields[name].get_default(call_default_factory=True)
            if default is not None and name != "scenario":
                assert eval(info["default"]) == default, (kind.notebook, name)


def test_notebook_defaults_are_valid():
    check_parameters("scenario", {"scenario": "junta_informal"}, "test", load_world())
    check_parameters("comparison", {}, "test", load_world())


def test_the_build_gives_each_notebook_its_data_folder_never_through_the_environment(data_dir):
    """A user's folder reaches a notebook as its `data` parameter (set by the plan from the World), and
    `-p data=...` is refused: the folder is chosen with --data, once."""
    data_dir.scenario("base")
    job = plan(["base"], {}, include_comparison=False, world=data_dir.world)[0]
    assert job.parameters["data"] == str(data_dir.root.resolve())
    assert plan(["tnla_control"], include_comparison=False)[0].parameters["data"] == ""  # the shipped data
    with pytest.raises(InputError, match="--data"):
        plan(["base"], {"data": "/elsewhere"}, include_comparison=False, world=data_dir.world)


def test_committed_reports_match_the_model_and_data():
    """The reports in reports/ were built from the current notebooks, data files they declare, code and
    environment (the build's own test of what is out of date)."""
    manifest = read_manifest(paths.REPORTS)["reports"]
    assert {job.name for job in plan()} <= set(manifest)
    stale = [job.name for job in out_of_date(plan(), paths.REPORTS, force=False)[0]]
    assert not stale, f"reports out of date, run `make reports` and commit reports/: {', '.join(stale)}"


#: The committed notebooks that nbval does not run again (the Makefile's NBVAL_BY_REPORT), with the report
#: built from each with its default parameters: run again, they took 5.5 minutes of `make test` (the readings'
#: headlines, every lever under every scenario, the counterfactual history, every scenario and the monthly
#: history, at 100,000 draws, which only they compute); their outputs are checked here instead.
NBVAL_BY_REPORT = {"brief.ipynb": "brief", "calibration_report.ipynb": "calibration", "comparison_report.ipynb": "comparison",
                   "policy_report.ipynb": "policy", "timeline_report.ipynb": "timeline"}


def _code_outputs(path) -> list[tuple[str, list]]:
    """(source, outputs without their execution counts) of every code cell but papermill's injected parameters."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [("".join(c["source"]), [{k: v for k, v in o.items() if k != "execution_count"} for o in c["outputs"]])
            for c in cells if c["cell_type"] == "code" and "injected-parameters" not in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("notebook", sorted(NBVAL_BY_REPORT))
def test_committed_notebooks_show_what_their_committed_report_ran(notebook):
    """What nbval checks of these notebooks (that the committed outputs are what the notebook gives now), at
    no cost: every code cell's outputs are those of the report's executed notebook (reports/notebooks/), built
    with the notebook's default parameters from the current notebook, data, code and environment
    (test_committed_reports_match_the_model_and_data checks that it is current). That the same inputs give
    the same outputs on every run is checked by rebuilding (test_rebuilding_from_the_same_inputs_gives_the_same_bytes:
    a scenario's draws, as the comparison reads them; test_brief.py's test_rebuilding_the_briefs_gives_the_same_bytes:
    the monthly history, the levers and the readings, as the timeline, policy and calibration reports read them)."""
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    skipped = re.search(r"^NBVAL_BY_REPORT :=((?:.*\\\n)*.*)$", makefile, re.M).group(1).replace("\\", " ").split()
    assert sorted(skipped) == [f"notebooks/{n}" for n in sorted(NBVAL_BY_REPORT)]  # what nbval does not run
    name = NBVAL_BY_REPORT[notebook]
    job = {j.name: j for j in plan()}[name]
    assert job.notebook == paths.NOTEBOOKS / notebook
    assert read_manifest(paths.REPORTS)["reports"][name]["parameters"] == job.parameters  # the defaults
    committed = _code_outputs(paths.NOTEBOOKS / notebook)
    assert [o for _, o in committed if o], f"{notebook} is committed without outputs"
    assert committed == _code_outputs(paths.REPORTS / "notebooks" / f"{name}.ipynb"), \
        f"{notebook}'s outputs are not its report's: run `make notebooks` (and `make reports`) and commit both"


@pytest.mark.slow
def test_rebuilding_from_the_same_inputs_gives_the_same_bytes(rendered, tmp_path):
    """A second build (forced, into a copy of the first's folder) writes byte-identical HTML, PDF, executed
    notebook, manifest and index: nothing depends on the clock, the folder or the run. And it removes the CSV
    of a table the report no longer has (a file of the report's data folder the build did not write)."""
    jobs = plan(["tnla_control"], {"draws": 20_000, "sobol_samples": 1024}, include_comparison=False)
    again = tmp_path / "again"
    shutil.copytree(rendered, again)
    stale = again / "data" / "scenario-tnla_control" / "old-table.csv"
    stale.write_text("a,b\n1,2\n")
    downloads = sorted(str(p.relative_to(rendered)) for p in (rendered / "data").rglob("*.csv"))
    assert downloads, "the build wrote no CSV"
    names = ["scenario-tnla_control.html", "scenario-tnla_control.pdf", "notebooks/scenario-tnla_control.ipynb",
             "manifest.json", "index.html", "mogok-econ-data.xlsx", *downloads]
    copied = {name: (again / name).stat().st_ino for name in names}
    build(jobs, workers=1, reports=again, force=True)
    assert not stale.exists()
    assert downloads == sorted(str(p.relative_to(again)) for p in (again / "data").rglob("*.csv"))
    for name in names:
        assert (again / name).stat().st_ino != copied[name], f"{name} was not written again"  # compared: the new
        assert (again / name).read_bytes() == (rendered / name).read_bytes(), f"{name} differs between two builds"


@pytest.mark.slow
def test_a_reused_kernel_gives_the_same_bytes_as_a_fresh_one(rendered, tmp_path):
    """A worker runs its notebooks in one kernel, reset between two (reports/kernels.py): a report that runs
    second in it is the same bytes as one from a kernel of its own (`rendered`: the first and only)."""
    first = plan(["contested"], {"draws": 1_000, "sobol_samples": 1024}, include_comparison=False)  # any report
    jobs = first + plan(["tnla_control"], {"draws": 20_000, "sobol_samples": 1024}, include_comparison=False)
    reused = tmp_path / "reused"
    summary = build(jobs, workers=1, reports=reused, force=True)
    assert summary.built == ["scenario-contested", "scenario-tnla_control"]  # one worker: tnla_control ran second
    for name in ["scenario-tnla_control.html", "scenario-tnla_control.pdf", "notebooks/scenario-tnla_control.ipynb"]:
        assert (reused / name).read_bytes() == (rendered / name).read_bytes(), f"{name} differs in a reused kernel"
    entry = read_manifest(reused)["reports"]["scenario-tnla_control"]
    assert entry == read_manifest(rendered)["reports"]["scenario-tnla_control"]


def _environment_after_worker_init(queue, threads: int) -> None:
    from mogok_econ.reports import worker_pool

    worker_pool.worker_init(threads)
    queue.put({k: os.environ.get(k) for k in ("NUMPY_MADVISE_HUGEPAGE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")})


def test_worker_kernels_start_with_ordinary_pages_and_one_thread_each_unless_the_user_chose(monkeypatch):
    """A build worker's kernel inherits the worker's environment: NumPy without huge pages and one thread a
    library (kernels.kernel_environment says why); a variable the user set is kept."""
    for variable in ("NUMPY_MADVISE_HUGEPAGE", "OPENBLAS_NUM_THREADS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    context = multiprocessing.get_context("fork")  # as the build's pool starts its workers
    queue = context.Queue()
    worker = context.Process(target=_environment_after_worker_init, args=(queue, 1))
    worker.start()
    seen = queue.get(timeout=60)
    worker.join(timeout=60)
    assert seen == {"NUMPY_MADVISE_HUGEPAGE": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "3"}


def test_a_report_is_out_of_date_when_a_file_it_declares_changes_and_only_then(tmp_path):
    """A report's input hash covers the data files it declares (catalogue.report_files): an edit to the one
    scenario a scenario report shows makes it out of date; an edit to a scenario it does not show, and no
    observation names, does not."""
    folder = tmp_path / "data"
    shutil.copytree(paths.SHIPPED_DATA, folder)
    world = load_world(folder)
    jobs = {j.name: j for j in plan(["tnla_control", "equitable_governance"], world=world)}
    before = {name: input_hash(job) for name, job in jobs.items()}
    unshown = folder / "scenarios" / "equitable_governance.yaml"
    unshown.write_text(unshown.read_text() + "\n# edited\n")
    after = {j.name: input_hash(j) for j in plan(["tnla_control", "equitable_governance"], world=load_world(folder))}
    changed = sorted(name for name in before if before[name] != after[name])
    assert "scenario-tnla_control" not in changed and "scenario-equitable_governance" in changed
    assert {"comparison", "brief", "policy"} <= set(changed)
    shown = folder / "scenarios" / "tnla_control.yaml"
    shown.write_text(shown.read_text() + "\n# edited\n")
    again = {j.name: input_hash(j) for j in plan(["tnla_control"], world=load_world(folder))}
    assert again["scenario-tnla_control"] != after["scenario-tnla_control"]
