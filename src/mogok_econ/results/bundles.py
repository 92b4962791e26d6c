"""The results behind each report, computed once per report: a bundle per report kind, each saying
which sources it cites. Notebooks call these with their World (the data folder, inputs/world.py; None:
the shipped data) and hand the bundle to the wording and the charts."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..analysis.agenda import AGENDA_DRAWS, agenda
from ..analysis.cache import cached_monte_carlo, cached_result
from ..analysis.calibration import Calibration, posterior_for
from ..analysis.comparison import chronological, intervals, point_flows, simulate_all, transitions
from ..analysis.counterfactual import CounterfactualResults, counterfactual
from ..analysis.estimates import point_estimate
from ..analysis.lever_effects import effects, not_combined
from ..analysis.lever_matrix import lever_matrix
from ..analysis.monte_carlo import quantiles
from ..analysis.monthly_flows import TimelineResults, cached_timeline_results
from ..analysis.sensitivity import sobol, tornado
from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, DEFAULT_SOBOL_SAMPLES, REPORTED_QUANTILES
from ..core.distributions import Fixed
from ..core.split import Split
from ..core.vocabulary import ACTORS, GROUPS
from ..inputs import dependencies
from ..inputs.levers import Lever, applicable
from ..inputs.observables import Observable
from ..inputs.sanctions_targets import SanctionsTargets
from ..inputs.scenarios import Parameter, Scenario
from ..inputs.schema import ASSUMPTION
from ..inputs.timeline import COUP
from ..inputs.world import World, shipped_world


def calibration_sources(calibrated: bool, world: World | None) -> list[str]:
    """The sources of the observations a calibrated report is fitted to (those in the likelihood)."""
    if not calibrated:
        return []
    observables = (world or shipped_world()).observables
    return list(dict.fromkeys(i for o in observables.values() if o.use == "likelihood" for i in o.sources))


def scenario_sources(scenarios: list[Scenario], world: World | None) -> list[str]:
    """The source ids behind the scenarios' parameters (and the exchange rates, where a scenario converts
    kyat or levies on the forced conversion), each once, in order of first use."""
    ids = [i for s in scenarios for p in s.parameters.values() for i in p.sources]
    rates = (world or shipped_world()).exchange_rates
    if (rates is not None and any(p.in_kyat for s in scenarios for p in s.parameters.values())) or any(
            s.parameters["conversion_applies"].distribution.high > 0 for s in scenarios):
        ids += [i for step in rates.steps for i in step.sources]
    return list(dict.fromkeys(i for i in ids if i != ASSUMPTION))


@dataclass
class ScenarioResults:
    """Everything a scenario report shows, computed once."""

    scenario: Scenario
    split: Split
    draws: pd.DataFrame
    quantiles: pd.DataFrame
    tornado: pd.DataFrame
    sobol: pd.DataFrame
    n_draws: int
    seed: int
    overridden: dict
    observables: list[Observable] = field(default_factory=list)  # what was observed of the miners' incomes
    calibrated: bool = True  # draws and central estimates from the calibrated posterior (False: the priors)
    posterior: Calibration | None = field(default=None, repr=False)  # the posterior they came from
    world: World | None = field(default=None, repr=False)  # the data they came from (None: the shipped data)

    def cited_ids(self) -> list[str]:
        return list(dict.fromkeys(scenario_sources([self.scenario], self.world)
                                  + [i for o in self.observables for i in o.sources]
                                  + calibration_sources(self.calibrated, self.world)))


#: The quantities of the miners' incomes that scenario reports set beside what was observed.
INCOME_QUANTITIES = ("wage_usd_per_month", "hand_miner_income_usd_per_month", "miner_income_usd_per_month",
                     "wage_workers_employed")


def scenario_results(scenario: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                     gross_value_usd: float | None = None,
                     sobol_samples: int = DEFAULT_SOBOL_SAMPLES, calibrated: bool = True,
                     world: World | None = None) -> ScenarioResults:
    """Load a scenario (optionally with gross value fixed at `gross_value_usd`) and run every analysis, from
    the calibrated posterior (calibrated) or from the priors. The sensitivity analyses (tornado, Sobol)
    vary each input over its prior range around the central values."""
    world = world or shipped_world()
    posterior = posterior_for(calibrated, seed, world)
    s = world.scenario(scenario)
    overridden = {}
    if gross_value_usd is not None:
        s = s.with_parameters({"gross_value_usd": Parameter(
            Fixed(float(gross_value_usd)), (ASSUMPTION,), "Set by the report's gross_value_usd parameter.",
            "USD per year", "report parameter")})
        overridden["gross_value_usd"] = float(gross_value_usd)
    frame = cached_monte_carlo(s, draws, seed, posterior, world.store)
    columns = [*ACTORS, *GROUPS, "realised_value_usd", "recorded_value_usd", *INCOME_QUANTITIES,
               "hand_miner_median_income_usd_per_month"]
    return ScenarioResults(s, point_estimate(s, posterior), frame, quantiles(frame, columns),
                           tornado(s, "junta", posterior=posterior),
                           sobol(s, "junta", base_samples=sobol_samples, seed=seed, posterior=posterior), draws, seed,
                           overridden, [o for o in world.observables.values() if o.quantity in INCOME_QUANTITIES],
                           calibrated, posterior, world)


def research_agenda(calib: Calibration, seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS) -> dict:
    """The research agenda (analysis/agenda.py) under `calib`: shown by the comparison and the calibration
    reports, computed once a build. The answer it ranks evidence for, the junta's take since the coup, is
    quoted as the timeline gives it (its `draws`; the brief and the timeline report quote the same), not
    from the agenda's own fewer draws, so that every report shows one number."""
    world = calib.data_world
    ag = cached_result("agenda", (calib.fingerprint, AGENDA_DRAWS, seed), lambda: agenda(calib, seed=seed),
                       inputs=dependencies.calibration(world), world=world)
    since = cached_timeline(draws, seed, calib, world).cumulative("junta", COUP).iloc[-1]
    owners = {p["owner"] for p in ag["parameters"]} & set(world.scenario_names)
    return {**ag, "junta_since_coup_usd": {k: float(since[k]) for k in ("point", *REPORTED_QUANTILES)},
            "junta_since_coup_draws": draws, "owner_titles": {n: world.scenario(n).title for n in sorted(owners)}}


@dataclass
class ComparisonResults:
    """Every scenario side by side (chronological), with the junta's intervals and the drivers of change."""

    scenarios: list[Scenario]
    point: pd.DataFrame
    frames: dict[str, pd.DataFrame]
    junta: pd.DataFrame
    drivers: pd.DataFrame
    n_draws: int
    seed: int
    calibrated: bool = True
    posterior: Calibration | None = field(default=None, repr=False)
    world: World | None = field(default=None, repr=False)

    def cited_ids(self) -> list[str]:
        return list(dict.fromkeys(scenario_sources(self.scenarios, self.world)
                                  + calibration_sources(self.calibrated, self.world)))


def comparison_results(scenarios: list[str] | None = None, draws: int = DEFAULT_DRAWS,
                       seed: int = DEFAULT_SEED, calibrated: bool = True, world: World | None = None
                       ) -> ComparisonResults:
    world = world or shipped_world()
    posterior = posterior_for(calibrated, seed, world)
    names = scenarios or world.scenario_names
    loaded = chronological([world.scenario(n) for n in names])
    frames = simulate_all(loaded, draws, seed, posterior, world.store)
    return ComparisonResults(loaded, point_flows(loaded, posterior), frames, intervals(frames, "junta"),
                             transitions(loaded, "junta", posterior), draws, seed, calibrated, posterior, world)


@dataclass
class TimelineReportResults:
    """The monthly flows since 2016 and the scenarios behind them."""

    flows: TimelineResults
    scenarios: list[Scenario]
    calibrated: bool = True
    world: World | None = field(default=None, repr=False)

    def cited_ids(self) -> list[str]:
        timeline = self.flows.timeline
        ids = scenario_sources(self.scenarios, self.world) + [i for e in timeline.events for i in e.sources]
        ids += calibration_sources(self.calibrated, self.world)
        ids += [i for p in timeline.periods for i in p.sources]
        return list(dict.fromkeys(i for i in ids if i != ASSUMPTION))


def cached_timeline(draws: int, seed: int, posterior: Calibration | None, world: World | None = None) -> TimelineResults:
    """The month-by-month flows of `world`'s timeline under `posterior` (None: the priors): shown by the
    timeline report, the brief (both editions) and the landing page, and the actual history of the policy
    report's counterfactual; computed once a build."""
    return cached_timeline_results(draws, seed, posterior, world or shipped_world())


def timeline_report_results(draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                            calibrated: bool = True, world: World | None = None) -> TimelineReportResults:
    world = world or shipped_world()
    flows = cached_timeline(draws, seed, posterior_for(calibrated, seed, world), world)
    return TimelineReportResults(flows, [world.scenario(n) for n in flows.timeline.scenarios()], calibrated, world)


@dataclass
class PolicyResults:
    """What every applicable lever, pair of levers and all of them together do under one scenario."""

    scenario: Scenario
    table: pd.DataFrame
    usable: list[Lever]
    skipped: dict[str, str]
    described: list[Lever] = field(default_factory=list)  # usable, then skipped: every lever the report names
    n_draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    not_combined: list[dict] = field(default_factory=list)  # conflicting pairs: levers, titles, why
    matrix: pd.DataFrame | None = None                     # every lever under every scenario
    matrix_scenarios: list[Scenario] = field(default_factory=list)
    targets: SanctionsTargets | None = None
    history: CounterfactualResults | None = None           # the counterfactual since the coup
    timeline_scenarios: list[str] = field(default_factory=list)  # the scenarios the timeline uses
    calibrated: bool = True
    posterior: Calibration | None = field(default=None, repr=False)
    world: World | None = field(default=None, repr=False)

    def cited_ids(self) -> list[str]:
        ids = scenario_sources([self.scenario], self.world) + [i for lv in self.described for i in lv.all_sources()]
        ids += self.targets.source_ids() if self.targets else []
        ids += calibration_sources(self.calibrated, self.world)
        return list(dict.fromkeys(i for i in ids if i != ASSUMPTION))


def best_feasible_single(table: pd.DataFrame) -> str | None:
    """The best-ranked single lever that is feasible and denies the junta money, if any."""
    rows = table[(table["levers"] == 1) & table["feasible"].astype(bool) & (table["junta_denied"] > 1e-6)]
    return rows.index[0] if len(rows) else None


def policy_results(scenario: str = "current", levers: list[str] | None = None, draws: int = DEFAULT_DRAWS,
                   seed: int = DEFAULT_SEED, counterfactual_levers: list[str] | None = None,
                   matrix: bool = True, history: bool = True, calibrated: bool = True,
                   world: World | None = None) -> PolicyResults:
    """`scenario` may be `current`: the one in force now, per the timeline. With `matrix`, every lever under
    every scenario; with `history`, the counterfactual since the coup with `counterfactual_levers` (default:
    the best-ranked feasible single lever). A notebook may leave both out and add them in later cells
    (`add_matrix`, `add_history`), so that no cell runs for long. Draws from the calibrated posterior
    (calibrated) or the priors."""
    world = world or shipped_world()
    posterior = posterior_for(calibrated, seed, world)
    s = world.scenario(world.resolve_scenario(scenario))
    chosen = world.levers(levers or None)
    usable, skipped = applicable(s, chosen)
    # shared with the brief (both editions): computed once a build
    table = cached_result("lever-effects", (s, usable, draws, seed),
                          lambda: effects(s, usable, draws=draws, seed=seed, posterior=posterior),
                          inputs=dependencies.scenarios(world, [s.name]) + dependencies.levers(world),
                          posterior=posterior, world=world)
    described = usable + [lever for lever in chosen if lever.name in skipped]
    scenarios = chronological(list(world.scenarios.values()))
    r = PolicyResults(s, table, usable, skipped, described, draws, seed, not_combined(usable), None, scenarios,
                      world.sanctions_targets, None, world.timeline.scenarios(), calibrated, posterior, world)
    if matrix:
        add_matrix(r)
    if history:
        add_history(r, counterfactual_levers)
    return r


def add_matrix(r: PolicyResults) -> PolicyResults:
    """Every lever of the report under every scenario (same draws and seed as the report)."""
    r.matrix = lever_matrix(r.matrix_scenarios, r.described, draws=r.n_draws, seed=r.seed, posterior=r.posterior,
                            world=r.world)
    return r


def add_history(r: PolicyResults, levers: list[str] | None = None) -> PolicyResults:
    """The counterfactual since the coup with `levers` (default: the best-ranked feasible single lever)."""
    names = levers or ([best_feasible_single(r.table)] if best_feasible_single(r.table) else [])
    if names:  # the actual history is the timeline's, with the same draws: computed once a build
        def run() -> CounterfactualResults:
            actual = cached_timeline(r.n_draws, r.seed, r.posterior, r.world)
            return counterfactual(world.levers(names), draws=r.n_draws, seed=r.seed, actual=actual,
                                  posterior=r.posterior, world=world).summarised()
        # saved (its running totals) until a file it reads changes: an edit outside the timeline keeps it
        world = r.world or shipped_world()
        r.history = cached_result("counterfactual", (tuple(names), r.n_draws, r.seed), run,
                                  inputs=dependencies.timeline(world) + dependencies.levers(world),
                                  posterior=r.posterior, world=world)
    else:
        r.history = None
    return r
