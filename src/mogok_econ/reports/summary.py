"""The numbers of the two-page brief and of the landing page, computed once from the reports' own bundles
(comparison, timeline, policy) with the same draws and seed, so that every number they show is a number
the full reports show too. Wording lives in wording/brief.py; this module computes only."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ..analysis.estimates import point_estimate
from ..analysis.monte_carlo import quantiles
from ..analysis.readings import reading_headlines
from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, REPORTED_QUANTILES
from ..core.vocabulary import ACTORS, GROUPS
from ..inputs.levers import Lever, applicable
from ..inputs.scenarios import Scenario
from ..inputs.timeline import COUP
from ..inputs.world import World, shipped_world
from . import bundles
from .bundles import ComparisonResults, PolicyResults, TimelineReportResults
from .citations import newest_evidence
from .ordering import time_order

#: How many feasible levers the brief lists.
TOP_LEVERS = 3


def is_feasible(lever: Lever, scenario: Scenario) -> bool:
    """Whether a lever is feasible under a scenario: its file's `feasible_under` names the scenario (the
    policy analysis ranks by the same verdict), and it applies there."""
    usable, _ = applicable(scenario, [lever])
    return lever.feasible(scenario) and bool(usable)


@dataclass
class Summary:
    """What the brief and the landing page say, as numbers (USD a year unless said otherwise)."""

    comparison: ComparisonResults
    timeline: TimelineReportResults
    policy: PolicyResults
    scenarios: list[Scenario]           # every scenario, in time order (hypothetical ones last)
    hypothetical: list[str]             # names of scenarios the timeline never puts in force
    current: Scenario                   # the scenario in force in the latest month of the data
    since_coup: pd.Series               # the junta's running total since the coup: point, p5, p50, p95
    since_coup_parts: pd.DataFrame      # the same, observed (to the newest evidence) and projected (after it)
    evidence_to: dt.date                # the newest evidence: what the data is current to
    since: dt.date                      # the coup
    last_month: pd.Period               # the last month of the data
    current_takes: pd.DataFrame         # rows: actors and groups; columns point, p5, p50, p95, share
    current_period: pd.Series           # the timeline's totals over the period in force now (stock sales included)
    junta_channels_now: pd.Series       # the junta's take now by channel (core/vocabulary.py CHANNELS), central
    junta_by_scenario: pd.Series        # the junta's central take in each scenario (time order)
    levers: pd.DataFrame                # every feasible single lever that cuts the junta's take, policy ranking
    n_draws: int
    seed: int
    world: World | None = field(default=None, repr=False)  # the data it came from (None: the shipped data)
    readings: pd.DataFrame | None = None  # the headlines under each reading alone (analysis/readings.py); None: priors

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
        point = self.comparison.point.loc[[s.name for s in self.scenarios]]
        realised = point["realised_value_usd"].where(point["realised_value_usd"] > 0)
        return point[list(ACTORS)].div(realised, axis=0).fillna(0.0)

    def sales(self) -> pd.Series:
        """A year's realised sales in each scenario (time order), central estimates."""
        return self.comparison.point.loc[[s.name for s in self.scenarios], "realised_value_usd"]


def _current_takes(c: ComparisonResults, name: str) -> pd.DataFrame:
    columns = [*ACTORS, *GROUPS]
    q = quantiles(c.frames[name], columns)
    row = c.point.loc[name]
    sales = row["realised_value_usd"]
    out = q[["p5", "p50", "p95"]].copy()
    out.insert(0, "point", [float(row[a]) for a in columns])
    out["share"] = out["point"] / sales if sales > 0 else 0.0
    return out


def _feasible_levers(r: PolicyResults) -> pd.DataFrame:
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
                     "armed_groups": row["armed_groups"], "p_beats_next": row.get("p_beats_next", float("nan"))})
    columns = ["name", "title", "rank", "junta_denied", "denied_p5", "denied_p95", "miners", "armed_groups", "p_beats_next"]
    return pd.DataFrame(rows, columns=columns).sort_values("rank").set_index("name")


def comparison_scenario(c: ComparisonResults, name: str) -> Scenario:
    return next(s for s in c.scenarios if s.name == name)


def summary_results(draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, calibrated: bool = True,
                    world: World | None = None) -> Summary:
    """Run the comparison, the timeline and the policy analysis of the current scenario once, and keep
    what the brief and the landing page show (of `world`'s data; None: the shipped data)."""
    world = world or shipped_world()
    timeline = bundles.timeline_report_results(draws=draws, seed=seed, calibrated=calibrated, world=world)
    t = timeline.flows.timeline
    comparison = bundles.comparison_results(None, draws=draws, seed=seed, calibrated=calibrated, world=world)
    ordered = time_order(comparison.scenarios, t)
    used = set(t.scenarios())
    policy = bundles.policy_results("current", draws=draws, seed=seed, matrix=False, history=False,
                                    calibrated=calibrated, world=world)
    cumulative = timeline.flows.cumulative("junta", COUP)
    evidence_to = newest_evidence(world)
    return Summary(
        comparison=comparison, timeline=timeline, policy=policy, scenarios=ordered,
        hypothetical=[s.name for s in ordered if s.name not in used],
        current=next(s for s in ordered if s.name == t.current_scenario),
        since_coup=cumulative.iloc[-1], since_coup_parts=timeline.flows.observed_and_projected("junta", COUP, evidence_to),
        evidence_to=evidence_to, since=COUP, last_month=cumulative.index[-1],
        current_takes=_current_takes(comparison, t.current_scenario),
        current_period=timeline.flows.totals_by_period().iloc[-1],
        junta_channels_now=point_estimate(comparison_scenario(comparison, t.current_scenario),
                                          comparison.posterior).channels_usd["junta"],
        junta_by_scenario=comparison.point.loc[[s.name for s in ordered], "junta"],
        levers=_feasible_levers(policy),
        n_draws=draws, seed=seed, world=world,
        readings=reading_headlines(comparison.posterior, draws, seed) if comparison.posterior is not None else None)
