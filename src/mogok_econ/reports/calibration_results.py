"""The results behind the calibration report, computed once: the calibration of the shipped observables
and the research agenda under its posterior, with the sources they cite."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis.calibration import Calibration, calibration
from ..analysis.readings import reading_headlines
from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from ..inputs.schema import ASSUMPTION
from ..inputs.world import World
from ..results.bundles import research_agenda

#: Parameters of the research agenda the report shows (its data has every one).
AGENDA_ROWS = 10


@dataclass
class CalibrationResults:
    calib: Calibration
    agenda: dict
    draws: int
    seed: int
    readings: pd.DataFrame  # the headlines under each reading, the priors and the weighted (analysis/readings.py)

    @property
    def world(self) -> World:
        return self.calib.data_world

    def cited_ids(self) -> list[str]:
        """The observations' sources, then those of the parameters the report names: every one the data
        moved, and the agenda's first rows."""
        ids = [i for o in self.calib.observables.values() for i in o.sources]
        moved = {(r["owner"], r["parameter"]) for r in self.calib.parameter_table().to_dict(orient="records")
                 if r["moved"]}
        ids += [i for rank, p in enumerate(self.agenda["parameters"])
                if rank < AGENDA_ROWS or (p["owner"], p["parameter"]) in moved for i in p["sources"]]
        return list(dict.fromkeys(i for i in ids if i != ASSUMPTION))


def calibration_results(draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                        world: World | None = None) -> CalibrationResults:
    """The calibration of `world`'s observables (None: the shipped data) with `draws` prior draws and `seed`
    (cached per data files), its research agenda, and the headlines under each reading."""
    calib = calibration(draws, seed, world)
    return CalibrationResults(calib, research_agenda(calib, seed), draws, seed, reading_headlines(calib, draws, seed))
