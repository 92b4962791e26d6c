"""A small data folder for the calibration's tests: the conftest's `base` scenario, a timeline that puts it
in force from 2020 to mid-2024, and a second source that no prior cites (so it may enter the likelihood)."""
from __future__ import annotations

FREE_SOURCE = "free-source"

TIMELINE = {"periods": [{"scenario": "base", "start": "2020-01-01", "end": "2024-08-01", "source": "test-source"}]}

SOURCES = {"sources": {
    "test-source": {"title": "A test source", "publisher": "Tests", "date": "2024-07-25", "seen": "primary",
                    "used_for": "fixtures"},
    FREE_SOURCE: {"title": "A source no prior cites", "publisher": "Tests", "date": "2024-07-25", "seen": "primary",
                  "used_for": "observations in the calibration's tests"},
}}

#: An observable that loads: realised sales of `base`, from a source no prior cites.
GOOD = {
    "title": "Realised sales", "quantity": "realised_value_usd", "scenario": "base",
    "observed": {"low": 150e6, "high": 250e6}, "unit": "USD per year", "source": FREE_SOURCE,
    "grade": "investigation with figures", "use": "likelihood",
}


def calibration_data(data_dir, observables: dict | None = None):
    """The test data folder: base scenario, timeline, sources and (optionally) observables.yaml."""
    data_dir.write_yaml("sources.yaml", SOURCES)
    data_dir.scenario()
    data_dir.write_yaml("timeline.yaml", TIMELINE)
    if observables is not None:
        data_dir.write_yaml("observables.yaml", {"observables": observables})
    return data_dir
