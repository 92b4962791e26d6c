"""The policy report's bundle and wording: the matrix, the targets and the history are there, every
table and sentence names levers and scenarios by their titles (never their ids), and the sources of the
new data are cited."""
from __future__ import annotations

import re

import pytest

from mogok_econ.inputs.levers import available_levers
from mogok_econ.inputs.scenarios import available_scenarios
from mogok_econ.reports.wording import policy as words
from mogok_econ.reports.wording import policy_matrix as matrix_words
from mogok_econ.results.bundles import policy_results

IDS = re.compile(r"\b(" + "|".join(sorted(set(available_levers()) | set(available_scenarios()), key=len, reverse=True))
                 + r")\b")


@pytest.fixture(scope="module")
def results():
    return policy_results("junta_informal", draws=1000)


def test_the_bundle_has_the_matrix_the_targets_and_the_history(results):
    assert len(results.matrix) == len(results.described) * len(results.matrix_scenarios)
    assert results.history is not None and results.history.levers[0].feasible(results.scenario)
    cited = set(results.cited_ids())
    assert {"us-treasury-2021-03-25-mehl-mec", "eu-council-2021-04-19-mehl-mec", "uk-fcdo-2021-03-25-mehl"} <= cited


def test_tables_and_prose_use_titles_never_ids(results):
    tables = [words.lever_table(results), matrix_words.matrix_table(results, "since_coup"),
              matrix_words.matrix_table(results, "other"), matrix_words.targets_table(results)]
    for table in tables:
        labels = " ".join(map(str, [*table.index, *table.columns]))
        assert not IDS.search(labels), IDS.search(labels)
    prose = "\n".join([words.policy_headline(results), matrix_words.matrix_findings(results),
                       matrix_words.ownership_text(results), matrix_words.history_sentence(results),
                       words.lever_descriptions(results)])
    assert not IDS.search(prose), IDS.search(prose)
    assert "not feasible under this scenario" in words.policy_headline(results)


def test_the_ranked_table_never_shows_an_infeasible_option_above_a_feasible_one(results):
    table = words.lever_table(results)
    feasible = list(table["Feasible here"] == "yes")
    assert feasible == sorted(feasible, reverse=True) and any(feasible) and not all(feasible)


def test_every_chart_and_table_has_a_caption():
    assert all(matrix_words.caption(k).startswith("*") for k in matrix_words.CAPTIONS)
