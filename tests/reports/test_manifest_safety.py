"""No file the build reads can name code to run: a planted manifest (in any output folder, or the
committed one) only makes reports out of date."""
from __future__ import annotations

import json

from mogok_econ.reports.build import out_of_date, outputs
from mogok_econ.reports.catalogue import plan
from mogok_econ.reports.index_page import MANIFEST


def _folder_with_manifest(tmp_path, jobs, reads_of):
    """An output folder whose manifest is current for every job (input hash as now, files present), each
    job's recorded reads given by `reads_of(name)`: so the build's check goes on to what each one read."""
    out = tmp_path / "reports"
    _, hashes = out_of_date(jobs, out, force=True)
    for job in jobs:
        for rel in outputs(job.name):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).touch()
    manifest = {"reports": {job.name: {"input_hash": hashes[job.name], "reads": reads_of(job.name)} for job in jobs}}
    (out / MANIFEST).write_text(json.dumps(manifest))
    return out


def test_a_planted_manifest_runs_nothing_and_only_makes_reports_out_of_date(tmp_path):
    marker = tmp_path / "ran"
    planted = {"value:" + json.dumps(["os:system", f"touch {marker}"]): "0",
               "value:" + json.dumps(["subprocess:check_output", ["touch", str(marker)]]): "0",
               "value:" + json.dumps(["calibration", 10**12, 0]): "0",
               "file:/dev/zero": "0",  # never read: it would never end
               "listing:**/*:/": "0"}   # never listed: it would walk the whole disk
    jobs = plan(["tnla_control", "contested"])
    control = jobs[0].name  # records nothing: up to date, which shows the check reaches the records
    out = _folder_with_manifest(tmp_path, jobs, lambda name: {} if name == control else planted)
    stale, _ = out_of_date(jobs, out, force=False)
    assert not marker.exists()
    assert {job.name for job in stale} == {job.name for job in jobs} - {control}


def test_a_manifest_of_another_shape_counts_as_none(tmp_path):
    jobs = plan(["tnla_control"])[:1]
    for text in ("[1, 2]", '{"reports": [1]}', '{"reports": {"x": 3}}', "{",
                 json.dumps({"reports": {jobs[0].name: {"reads": "x"}}})):
        (tmp_path / MANIFEST).write_text(text)
        stale, _ = out_of_date(jobs, tmp_path, force=False)
        assert stale == jobs, text
