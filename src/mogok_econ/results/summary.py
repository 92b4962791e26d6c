"""The numbers of the two-page brief and of the landing page: computed once (from the comparison, the
timeline and the policy analysis, with the same draws and seed as the full reports, so that every number
they show is one the full reports show too), written as typed tables (results/tables.py, the schemas in
summary_tables.py), and read back by everything that shows them: both editions of the brief, the landing
page, the command line's `headlines` and the workbook. A Summary is those tables and the World they are of
(for names, dates and titles); it computes nothing. Wording lives in reports/wording/brief.py."""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..analysis.estimates import point_estimate
from ..analysis.monte_carlo import quantiles
from ..analysis.readings import reading_headlines
from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, REPORTED_QUANTILES
from ..core.vocabulary import ACTORS, GROUPS
from ..fingerprint import code_hash, sha256
from ..inputs.levers import Lever, applicable
from ..inputs.scenarios import Scenario
from ..inputs.timeline import COUP, Timeline
from ..inputs.world import World
from . import bundles
from .ordering import junta_return_date, periods_of, time_order
from .summary_tables import SUMMARY_TABLES, headline_rows
from .tables import ResultsError, read_about, read_tables, write_tables

#: How many feasible levers the brief lists.
TOP_LEVERS = 3
#: The code the summary's numbers depend on (its results folder is keyed by it).
CODE_PARTS = ("core", "inputs", "analysis", "results")


def is_feasible(lever: Lever, scenario: Scenario) -> bool:
    """Whether a lever is feasible under a scenario: its file's `feasible_under` names the scenario (the
    policy analysis ranks by the same verdict), and it applies there."""
    usable, _ = applicable(scenario, [lever])
    return lever.feasible(scenario) and bool(usable)


@dataclass(frozen=True)
class Summary:
    """What the brief and the landing page say: the numbers from the summary's tables (USD a year unless a
    table's schema says otherwise), the names and dates from the World they were computed from."""

    tables: dict[str, pd.DataFrame] = field(repr=False)
    world: World = field(repr=False)
    n_draws: int
    seed: int
    calibrated: bool = True

    # --- from the World: names, dates, the scenarios in time order ---
    @cached_property
    def timeline(self) -> Timeline:
        return self.world.timeline

    @cached_property
    def scenarios(self) -> list[Scenario]:
        """Every scenario, in time order (hypothetical ones last)."""
        return time_order(list(self.world.scenarios.values()), self.timeline)

    @property
    def hypothetical(self) -> list[str]:
        """Names of the scenarios the timeline never puts in force."""
        used = set(self.timeline.scenarios())
        return [s.name for s in self.scenarios if s.name not in used]

    @property
    def current(self) -> Scenario:
        """The scenario in force in the latest month of the data."""
        return next(s for s in self.scenarios if s.name == self.timeline.current_scenario)

    @property
    def current_start(self) -> dt.date:
        return periods_of(self.current.name, self.timeline)[-1][0]

    @property
    def evidence_to(self) -> dt.date:
        return self.world.newest_evidence

    @property
    def since(self) -> dt.date:
        return COUP

    @cached_property
    def usable_levers(self) -> list[Lever]:
        """The levers that apply to the scenario in force (the policy analysis's)."""
        return applicable(self.current, self.world.levers())[0]

    # --- the numbers ---
    @property
    def point(self) -> pd.DataFrame:
        """Each scenario's central estimates (rows in time order): each actor's and group's take, sales."""
        return self.tables["scenario_central"]

    @property
    def junta_running_total(self) -> pd.DataFrame:
        """The junta's running total since the coup, month by month: point, p5, p50, p95 (USD)."""
        return self.tables["junta_running_total"]

    @property
    def since_coup(self) -> pd.Series:
        return self.junta_running_total.iloc[-1]

    @property
    def last_month(self) -> pd.Period:
        return self.junta_running_total.index[-1]

    @property
    def since_coup_parts(self) -> pd.DataFrame:
        """The total since the coup, observed (to the newest evidence) and projected (after it)."""
        return self.tables["junta_since_coup_parts"]

    @property
    def return_date(self) -> dt.date:
        """When the junta last took Mogok back (results/ordering.py, junta_return_date)."""
        return junta_return_date(self.timeline)

    @property
    def since_return(self) -> pd.Series:
        """The junta's total since it last took Mogok back (return_date)."""
        return self.tables["junta_since_return"].iloc[0]

    @property
    def junta_monthly(self) -> pd.DataFrame:
        """The junta's take in each month since the coup: point, p5, p50, p95 (USD in the month)."""
        return self.tables["junta_monthly"]

    @property
    def current_takes(self) -> pd.DataFrame:
        """Each actor's and group's take a year in the scenario in force: point, p5, p50, p95, share of sales."""
        return self.tables["current_takes"]

    @property
    def current_period(self) -> pd.Series:
        """The timeline's totals over the period in force now (stock sales included)."""
        return self.tables["current_period"].iloc[0]

    @property
    def junta_channels_now(self) -> pd.Series:
        """The junta's take now by channel (core/vocabulary.py CHANNELS), central estimate."""
        return self.tables["junta_channels_now"]["usd_per_year"]

    @property
    def junta_by_scenario(self) -> pd.Series:
        return self.point.loc[[s.name for s in self.scenarios], "junta"]

    @property
    def levers(self) -> pd.DataFrame:
        """Every feasible single lever that cuts the junta's take, in the policy report's ranking."""
        return self.tables["policy_levers"]

    @property
    def readings(self) -> pd.DataFrame | None:
        """The headlines under each reading alone (analysis/readings.py); None from the priors."""
        return self.tables["readings"] if self.calibrated else None

    @property
    def headlines(self) -> pd.DataFrame:
        """The named headline quantities, each once: what every report quotes (summary_tables.headline_rows)."""
        return self.tables["headlines"]

    def reading_range(self) -> tuple[float, float] | None:
        """The junta's take since the coup under one reading alone: the lowest and the highest (None: priors)."""
        if self.readings is None:
            return None
        alone = self.readings["junta_since_coup"].drop(["prior", "weighted"])
        return float(alone.min()), float(alone.max())

    @property
    def interval_level(self) -> float:
        """The probability inside the reported interval (P5 to P95: 0.9)."""
        return REPORTED_QUANTILES["p95"] - REPORTED_QUANTILES["p5"]

    @property
    def junta_low(self) -> str:
        return str(self.junta_by_scenario.idxmin())

    @property
    def junta_high(self) -> str:
        return str(self.junta_by_scenario.idxmax())

    @property
    def control_range(self) -> float:
        """How far control of Mogok moves the junta's central take: the highest scenario's minus the lowest's."""
        return float(self.junta_by_scenario.max() - self.junta_by_scenario.min())

    def top_levers(self) -> pd.DataFrame:
        """The feasible single levers ranked first by the policy report's criterion (RANKING_CRITERION), in its order."""
        return self.levers.head(TOP_LEVERS)

    @property
    def best_lever(self) -> pd.Series | None:
        """The feasible single lever ranked first by the policy report's criterion (analysis.lever_effects,
        RANKING_CRITERION: its chance of denying the junta more than the other single levers), or None."""
        return None if self.levers.empty else self.levers.iloc[0]

    def shares(self) -> pd.DataFrame:
        """Each leaf actor's share of a year's sales in each scenario (rows in time order), central estimates."""
        point = self.point.loc[[s.name for s in self.scenarios]]
        realised = point["realised_value_usd"].where(point["realised_value_usd"] > 0)
        return point[list(ACTORS)].div(realised, axis=0).fillna(0.0)

    def sales(self) -> pd.Series:
        """A year's realised sales in each scenario (time order), central estimates."""
        return self.point.loc[[s.name for s in self.scenarios], "realised_value_usd"]


# --- computing the tables, once ------------------------------------------------------------------------

def _current_takes(c: bundles.ComparisonResults, name: str) -> pd.DataFrame:
    columns = [*ACTORS, *GROUPS]
    q = quantiles(c.frames[name], columns)
    row = c.point.loc[name]
    sales = row["realised_value_usd"]
    out = q[["p5", "p50", "p95"]].copy()
    out.insert(0, "point", [float(row[a]) for a in columns])
    out["share"] = out["point"] / sales if sales > 0 else 0.0
    return out


def _feasible_levers(r: bundles.PolicyResults) -> pd.DataFrame:
    """The single levers that are feasible under the scenario and cut the junta's take (central estimate),
    in the policy report's ranking, with the lever's title."""
    by_name = {lever.name: lever for lever in r.usable}
    singles = r.table[r.table["levers"] == 1]
    rows = []
    for name, row in singles.iterrows():
        lever = by_name.get(str(name))
        if lever is None or not is_feasible(lever, r.scenario) or row["junta_denied"] <= 0:
            continue
        rows.append({"name": lever.name, "title": lever.title, "rank": row["rank"], "junta_denied": row["junta_denied"],
                     "denied_p5": -row["junta_p95"], "denied_p95": -row["junta_p5"], "miners": row["miners"],
                     "armed_groups": row["armed_groups"], "p_wins": row.get("p_wins", float("nan")),
                     "p_best": row.get("p_best", float("nan")), "p_beats_next": row.get("p_beats_next", float("nan"))})
    columns = ["name", "title", "rank", "junta_denied", "denied_p5", "denied_p95", "miners", "armed_groups", "p_wins",
               "p_best", "p_beats_next"]
    return pd.DataFrame(rows, columns=columns).sort_values("rank").set_index("name")


def _running(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["point", "p5", "p50", "p95"]].astype(float)


def compute_tables(draws: int, seed: int, calibrated: bool, world: World) -> dict[str, pd.DataFrame]:
    """Run the comparison, the timeline and the policy analysis of the current scenario (each computed once a
    build: results/bundles.py) and keep, as the summary's tables, what the brief and the landing page show."""
    timeline = bundles.timeline_report_results(draws=draws, seed=seed, calibrated=calibrated, world=world)
    flows, t = timeline.flows, timeline.flows.timeline
    comparison = bundles.comparison_results(None, draws=draws, seed=seed, calibrated=calibrated, world=world)
    ordered = [s.name for s in time_order(comparison.scenarios, t)]
    policy = bundles.policy_results("current", draws=draws, seed=seed, matrix=False, history=False,
                                    calibrated=calibrated, world=world)
    current, returned = t.current_scenario, junta_return_date(t)
    monthly = pd.concat([flows.monthly_point["junta"].rename("point"), flows.monthly_band("junta")], axis=1)
    period = flows.totals_by_period().iloc[-1]
    readings = (reading_headlines(comparison.posterior, draws, seed) if comparison.posterior is not None
                else pd.DataFrame(columns=list(SUMMARY_TABLES["readings"].column_names)))
    channels = point_estimate(next(s for s in comparison.scenarios if s.name == current), comparison.posterior)
    tables = {
        "scenario_central": comparison.point.loc[ordered],
        "current_takes": _current_takes(comparison, current),
        "junta_running_total": _running(flows.cumulative("junta", COUP).loc[pd.Period(COUP, freq="M"):]),
        "junta_since_coup_parts": _running(flows.observed_and_projected("junta", COUP, world.newest_evidence)),
        "junta_since_return": _running(flows.cumulative("junta", returned).iloc[[-1]]).set_axis([returned.isoformat()]),
        "junta_monthly": monthly.loc[pd.Period(COUP, freq="M"):],
        "current_period": period.to_frame().T.set_index("scenario"),
        "junta_channels_now": channels.channels_usd["junta"].rename("usd_per_year").to_frame(),
        "policy_levers": _feasible_levers(policy),
        "readings": readings.drop(columns=[c for c in readings.columns if c not in SUMMARY_TABLES["readings"].column_names]),
    }
    tables["headlines"] = headline_rows(tables, current, returned, world.newest_evidence)
    return tables


def _about(draws: int, seed: int, calibrated: bool, world: World) -> dict:
    return {"draws": int(draws), "seed": int(seed), "calibrated": bool(calibrated), "data_digest": world.digest,
            "code": code_hash(*CODE_PARTS)[:16]}


def results_folder(draws: int, seed: int, calibrated: bool, world: World) -> Path:
    """Where the summary of these arguments is kept (computed once, then read by every report that shows it)."""
    return world.store.folder / "summary" / sha256(sorted(_about(draws, seed, calibrated, world).items()))[:32]


def summary_results(draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, calibrated: bool = True,
                    world: World | None = None) -> Summary:
    """The summary of `world`'s data (None: the shipped data), read from its results folder: computed and
    written there first if no run with the same arguments (data, code, draws, seed) has written it."""
    from ..inputs.world import shipped_world

    world = world or shipped_world()
    if not world.store.keeps:  # nothing kept: computed, and read back from a folder of its own, as when kept
        with tempfile.TemporaryDirectory() as tmp:
            write_tables(Path(tmp), compute_tables(draws, seed, calibrated, world), SUMMARY_TABLES,
                         _about(draws, seed, calibrated, world))
            return load_summary(Path(tmp), world)
    folder = results_folder(draws, seed, calibrated, world)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other edition of the brief computing it: wait, then read
        try:
            return load_summary(folder, world)
        except ResultsError:
            pass  # not there yet (or damaged): compute it
        tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        write_tables(tmp, compute_tables(draws, seed, calibrated, world), SUMMARY_TABLES,
                     _about(draws, seed, calibrated, world))
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    return load_summary(folder, world)


def load_summary(folder: Path, world: World, same_data: bool = True) -> Summary:
    """The summary in a results folder (the cache's, or a published reports/results/), with the World it is of
    for names and dates. ResultsError if the folder is not a summary (or, with `same_data`, not one of that
    World's data; the landing page, written beside the reports as they are, does not ask)."""
    about = read_about(folder)
    if same_data and about.get("data_digest") != world.digest:
        raise ResultsError(f"{folder}: a summary of other data (digest {str(about.get('data_digest'))[:12]}...)")
    try:
        draws, seed, calibrated = int(about["draws"]), int(about["seed"]), bool(about["calibrated"])
    except (KeyError, TypeError, ValueError):
        raise ResultsError(f"{folder}: its datapackage.json does not say its draws, seed and calibration") from None
    return Summary(read_tables(folder, SUMMARY_TABLES), world, draws, seed, calibrated)
