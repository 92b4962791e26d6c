"""A scenario's `correlations:` (docs/model.md, "Correlation"): their checks and their matrix."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..core.vocabulary import PARAMETERS
from ..errors import Problem
from .schema import unknown_sources

if TYPE_CHECKING:
    from .scenarios import Scenario
    from .sources import Bibliography


def check_correlations(scenario: Scenario, bibliography: Bibliography | None) -> list[Problem]:
    problems: list[Problem] = []
    file = scenario.file
    uncertain = set(scenario.uncertain_parameters()) - scenario.shared
    for i, c in enumerate(scenario.correlations):
        where = f"correlations[{i}]"
        if not -1.0 <= c.rho <= 1.0:
            problems.append(Problem(file, f"{where}.rho", c.rho, "a rank correlation must lie in [-1, 1]."))
        for name in c.between:
            if name not in uncertain:
                problems.append(Problem(file, f"{where}.between", list(c.between), f"{name} is not an uncertain "
                                        "parameter of this scenario's own (shared and fixed ones cannot be correlated)."))
        if c.between[0] == c.between[1]:
            problems.append(Problem(file, f"{where}.between", list(c.between), "a parameter with itself."))
        if bibliography is not None:
            problems += unknown_sources(c.sources, bibliography, file, f"{where}.source")
        if not c.sources or ("assumption" in c.sources and not (c.note or "").strip()):
            problems.append(Problem(file, f"{where}.source", list(c.sources),
                                    "a correlation needs a source, or `assumption` with a note saying why."))
    if not problems and scenario.correlations:
        matrix = correlation_matrix(scenario)[1]
        smallest = float(np.linalg.eigvalsh(matrix).min())
        if smallest < -1e-10:
            problems.append(Problem(file, "correlations", [(list(c.between), c.rho) for c in scenario.correlations],
                                    f"the correlations do not form a positive semi-definite matrix (smallest "
                                    f"eigenvalue {smallest:.3g}); no joint distribution has them."))
    return problems


def correlation_matrix(scenario: Scenario) -> tuple[list[str], np.ndarray]:
    """The parameters named in the correlations and their (Spearman) correlation matrix."""
    names = sorted({n for c in scenario.correlations for n in c.between}, key=list(PARAMETERS).index)
    matrix = np.eye(len(names))
    for c in scenario.correlations:
        i, j = names.index(c.between[0]), names.index(c.between[1])
        matrix[i, j] = matrix[j, i] = c.rho
    return names, matrix
