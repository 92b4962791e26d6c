"""Each source enters either a prior or the likelihood, never both (docs/model.md, "Calibration"): which
priors an observable's sources already set, and the rule the observables' loader applies."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from .scenarios import load_scenario
from .schema import ASSUMPTION
from .shared import load_observation_parameters

if TYPE_CHECKING:
    from .observables import Observable


def prior_citations(o: Observable, loaded: dict | None = None, data: Path | None = None) -> dict[str, list[str]]:
    """Each source of `o` that a prior its quantity depends on cites, with where (file: parameter).
    `loaded` keeps scenarios already loaded (by name) for the next call."""
    inputs = o.inputs()
    observation = load_observation_parameters(data=data)
    loaded = {} if loaded is None else loaded
    cited: dict[str, list[str]] = {}
    priors = [(p.defined_in or "data/shared.yaml", k, p) for k, p in observation.items() if k in inputs]
    for name in o.scenarios:
        scenario = loaded.get(name) or loaded.setdefault(name, load_scenario(name, data=data))
        priors += [(p.defined_in if p.defined_in not in ("", "default") else scenario.file, k, p)
                   for k, p in scenario.parameters.items() if k in inputs]
    for where, k, p in priors:
        for s in set(p.sources) & set(o.sources) - {ASSUMPTION}:
            label = f"{where}: {k}"
            if label not in cited.setdefault(s, []):
                cited[s].append(label)
    return cited


def source_rule(o: Observable, loaded: dict, data: Path | None = None) -> list[Problem]:
    """Each source enters either a prior or the likelihood, never both (docs/model.md, "Calibration")."""
    field = f"observables.{o.id}.source"
    cited = prior_citations(o, loaded, data)
    if o.use == "likelihood" and cited:
        return [Problem(o.file, field, s, f"already sets a prior ({'; '.join(where[:4])}); a source enters either a "
                        "prior or the likelihood, never both: mark the observable `use: prior`, or take the source out "
                        "of those priors (widening them, labelled) so that it can enter the likelihood.")
                for s, where in cited.items()]
    if o.use == "prior" and not cited:
        return [Problem(o.file, field, list(o.sources), "no prior that this quantity depends on cites these sources, so "
                        "`use: prior` hides evidence: use `likelihood` (or `check` for a series the model cannot match).")]
    return []


__all__ = ["prior_citations", "source_rule"]
