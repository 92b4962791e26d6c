"""No file the build reads can name code to run: a planted manifest (in any output folder, or the
committed one) only makes reports out of date; the build reads from it nothing but each report's input hash."""
from __future__ import annotations

import json

from mogok_econ.reports.build import out_of_date, outputs
from mogok_econ.reports.catalogue import plan
from mogok_econ.reports.index_page import MANIFEST


def _folder_with_manifest(tmp_path, jobs, entry_of):
    """An output folder whose files are present for every job, the manifest entry of each given by
    `entry_of(name, input_hash)`."""
    out = tmp_path / "reports"
    _, hashes = out_of_date(jobs, out, force=True)
    for job in jobs:
        for rel in outputs(job.name):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).touch()
    manifest = {"reports": {job.name: entry_of(job.name, hashes[job.name]) for job in jobs}}
    (out / MANIFEST).write_text(json.dumps(manifest))
    return out


def test_a_planted_manifest_runs_nothing_and_only_makes_reports_out_of_date(tmp_path):
    """What an earlier build of this program recorded (the `reads` of what each notebook opened, values to
    work out again by a function's name) is only data now: nothing in an entry but its input hash counts."""
    marker = tmp_path / "ran"
    planted = {"value:" + json.dumps(["os:system", f"touch {marker}"]): "0",
               "file:/dev/zero": "0", "listing:**/*:/": "0"}
    jobs = plan(["tnla_control", "contested"])
    control = jobs[0].name  # its true input hash: up to date, which shows the check reaches the entries
    out = _folder_with_manifest(tmp_path, jobs, lambda name, current: {
        "input_hash": current if name == control else f"__import__('os').system('touch {marker}')",
        "reads": planted, "notebook": "/dev/zero", "data_files": ["/etc/passwd"]})
    stale, _ = out_of_date(jobs, out, force=False)
    assert not marker.exists()
    assert {job.name for job in stale} == {job.name for job in jobs} - {control}


def test_a_manifest_of_another_shape_counts_as_none(tmp_path):
    jobs = plan(["tnla_control"])[:1]
    for text in ("[1, 2]", '{"reports": [1]}', '{"reports": {"x": 3}}', "{",
                 json.dumps({"reports": {jobs[0].name: {"input_hash": 7}}})):
        (tmp_path / MANIFEST).write_text(text)
        stale, _ = out_of_date(jobs, tmp_path, force=False)
        assert stale == jobs, text
