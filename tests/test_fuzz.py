"""Fuzzing: generated scenario and lever files (valid, nearly valid, garbage). Each one either loads and
satisfies every identity of docs/model.md with no NaN anywhere, or is refused with a clear InputError that
names the file: never another exception, never a traceback from the command line."""
from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mogok_econ import ACTORS, InputError, cli, load_scenario, monte_carlo, point_estimate
from mogok_econ.analysis.conversion import model_inputs
from mogok_econ.analysis.lever_effects import apply_to_draws, effects
from mogok_econ.analysis.monte_carlo import draw_parameters
from mogok_econ.core.split import split
from mogok_econ.core.vocabulary import PARAMETERS, RECIPIENT_TABLES
from mogok_econ.inputs.levers import apply_moves, load_lever

from .conftest import BASE_SCENARIO, BIBLIOGRAPHY, examples

FUZZ = settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def data_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzzdata")
    (root / "scenarios").mkdir()
    (root / "levers").mkdir()
    (root / "sources.yaml").write_text(yaml.safe_dump(BIBLIOGRAPHY))
    (root / "scenarios" / "base.yaml").write_text(yaml.safe_dump(BASE_SCENARIO, sort_keys=False))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MOGOK_ECON_DATA", str(root))
        yield root


# --- strategies ------------------------------------------------------------------------------------

unit = st.floats(0.0, 1.0)


def _distribution(draw, low: float, high: float):
    kind = draw(st.sampled_from(["number", "value", "triangular", "pert", "uniform"]))
    a, b = sorted((draw(st.floats(low, high)), draw(st.floats(low, high))))
    if kind == "number":
        return a
    if kind == "value":
        return {"value": a, "source": "test-source"}
    if kind == "uniform":
        return {"dist": "uniform", "low": a, "high": b, "source": "assumption", "note": "fuzz"}
    mode = draw(st.floats(a, b)) if b > a else a
    return {"dist": kind, "low": a, "mode": mode, "high": b, "source": ["test-source"]}


@st.composite
def valid_scenarios(draw):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["name"] = "fuzz"
    t_hi, x_hi = draw(unit), draw(unit)
    room = 1 - max(t_hi, x_hi)
    c_hi = draw(unit) * room
    m_hi = draw(unit) * (room - c_hi)
    highs = {"state_tax_rate": t_hi, "extortion_rate": x_hi, "checkpoint_rate": c_hi, "trader_margin": m_hi}
    params = {}
    for key, spec in PARAMETERS.items():
        if spec.shared and key != "gross_value_usd":
            continue  # shared: data/shared.yaml's
        if key == "conversion_applies":
            continue  # its levy depends on the exchange rates: worst-case levies are generated without it
        if spec.default is not None and not key.startswith("stock_") and draw(st.booleans()):
            continue  # left to its documented default
        if key in highs:
            params[key] = _distribution(draw, 0.0, highs[key])
        elif key == "gross_value_usd":  # a scenario's own G overrides the shared one: it must say why
            g = _distribution(draw, 1e3, 1e10)
            params[key] = {**(g if isinstance(g, dict) else {"value": g}), "note": "a fuzzed G of its own"}
        elif key == "miner_count":
            params[key] = _distribution(draw, 1.0, 1e6)
        elif key in ("stock_release_rate", "stock_seizure_rate", "stock_destroyed_rate"):
            params[key] = _distribution(draw, 0.0, 0.3)  # r·a + z + d <= 1 by construction
        elif key in ("company_cost_share", "state_production_share"):
            params[key] = _distribution(draw, 0.0, 0.5)  # γ + ψ <= 1 by construction
        else:
            params[key] = _distribution(draw, spec.low, min(spec.high, 5.0))
    doc["parameters"] = params
    tables = {}
    for table, allowed in RECIPIENT_TABLES.items():
        weights = [draw(st.floats(0.0, 1.0)) for _ in allowed]
        if sum(weights) == 0:
            weights[0] = 1.0
        tables[table] = {a: w / sum(weights) for a, w in zip(allowed, weights)}
    doc["recipients"] = tables
    return doc


MUTATIONS = ["drop", "unknown_key", "wrong_type", "out_of_range", "nan", "bad_share", "bad_actor",
             "swap_low_high", "bad_name", "list_instead", "bad_period"]


@st.composite
def nearly_valid_scenarios(draw):
    doc = draw(valid_scenarios())
    mutation = draw(st.sampled_from(MUTATIONS))
    key = draw(st.sampled_from(sorted(doc["parameters"])))
    if mutation == "drop":
        section = draw(st.sampled_from(["name", "title", "period", "summary", "parameters", "recipients", key]))
        (doc["parameters"] if section == key else doc).pop(section, None)
    elif mutation == "unknown_key":
        doc[draw(st.sampled_from(["colour", "parameter", "recipient", "Name"]))] = 1
    elif mutation == "wrong_type":
        doc["parameters"][key] = draw(st.sampled_from(["high", True, None, [0.1], {"val": 0.1}]))
    elif mutation == "out_of_range":
        doc["parameters"][key] = draw(st.sampled_from([-0.5, 1.5, 11.0, -1e9]))
    elif mutation == "nan":
        doc["parameters"][key] = draw(st.sampled_from([math.nan, math.inf, -math.inf]))
    elif mutation == "bad_share":
        table = draw(st.sampled_from(sorted(RECIPIENT_TABLES)))
        doc["recipients"][table] = {"junta": draw(st.floats(0, 2).filter(lambda v: abs(v - 1) > 1e-6))}
    elif mutation == "bad_actor":
        doc["recipients"]["owner_stakes"] = {draw(st.sampled_from(["miners", "traders", "police", ""])): 1.0}
    elif mutation == "swap_low_high":
        doc["parameters"][key] = {"dist": "triangular", "low": 0.9, "mode": 0.5, "high": 0.1}
    elif mutation == "bad_name":
        doc["name"] = draw(st.sampled_from(["Fuzz", "../fuzz", "other", "", "fuzz!"]))
    elif mutation == "list_instead":
        doc["parameters"] = list(doc["parameters"].items())
    elif mutation == "bad_period":
        doc["period"] = draw(st.sampled_from([{"start": "2024-13"}, {"start": 2024}, "2024-07", {"end": "2024-07"}]))
    return doc


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
garbage_text = st.text(max_size=300) | st.binary(max_size=200).map(lambda b: b.decode("latin-1"))


# --- checks ----------------------------------------------------------------------------------------

def _write(root, name, content) -> str:
    path = root / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True))
    return str(path)


def _loads_and_holds_or_refused(path: str) -> None:
    try:
        scenario = load_scenario(path, data=Path(path).parent.parent)  # the data folder it was written in
    except InputError as exc:
        text = str(exc)
        assert text and "fuzz.yaml" in text and "Traceback" not in text
        assert all(p.message for p in exc.problems)
        event("scenario refused")
        return
    event("scenario loaded")
    split = point_estimate(scenario)
    values = [split.gross_value_usd, split.realised_value_usd, *split.flows_usd, *split.unrealised_usd]
    assert all(math.isfinite(v) for v in values)
    assert sum(split.flows_usd) == pytest.approx(split.realised_value_usd, rel=1e-9, abs=1e-6)
    assert split.realised_value_usd + split.unrealised_usd.sum() == pytest.approx(split.gross_value_usd, rel=1e-9)
    frame = monte_carlo(scenario, 500, seed=1)
    assert not frame.isna().any().any() and np.isfinite(frame.to_numpy()).all()
    flows = frame[list(ACTORS)].to_numpy()
    realised = frame["realised_value_usd"].to_numpy()
    np.testing.assert_allclose(flows.sum(axis=1), realised, rtol=1e-9, atol=1e-6)
    assert (flows >= -1e-9 * np.maximum(realised, 1)[:, None]).all()
    assert (flows <= realised[:, None] * (1 + 1e-9) + 1e-6).all()


@FUZZ
@given(doc=valid_scenarios())
def test_valid_scenarios_load_and_hold(data_root, doc):
    path = _write(data_root / "scenarios", "fuzz.yaml", doc)
    load_scenario(path, data=data_root)  # must load
    _loads_and_holds_or_refused(path)


@FUZZ
@given(doc=nearly_valid_scenarios())
def test_nearly_valid_scenarios(data_root, doc):
    _loads_and_holds_or_refused(_write(data_root / "scenarios", "fuzz.yaml", doc))


@FUZZ
@given(content=yaml_values | garbage_text)
def test_garbage_scenarios(data_root, content):
    _loads_and_holds_or_refused(_write(data_root / "scenarios", "fuzz.yaml", content))


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=nearly_valid_scenarios() | yaml_values)
def test_command_line_never_shows_a_traceback(data_root, content, capsys):
    path = _write(data_root / "scenarios", "fuzz.yaml", content)
    for args in (["validate", path], ["split", path, "--json", "--draws", "200"]):
        try:
            code = cli.main(args)
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        assert code in (0, 2) and "Traceback" not in err
        if code == 0 and args[0] == "split":
            assert "NaN" not in out and "Infinity" not in out


OPS = ["set", "scale", "shift", "cap", "floor"]


@st.composite
def lever_docs(draw):
    changes = []
    for _ in range(draw(st.integers(0, 3))):
        value = draw(st.sampled_from([0.0, 0.5, 1.0, 1.5, -0.2, 2.0, math.nan, "x"])) if draw(st.booleans()) \
            else {"dist": "triangular", "low": draw(unit), "mode": draw(unit), "high": draw(unit)}
        changes.append({"parameter": draw(st.sampled_from(list(PARAMETERS) + ["prodution_factor"])),
                        "op": draw(st.sampled_from(OPS + ["multiply"])), "value": value})
    doc = {"name": "fuzz", "title": "Fuzz", "summary": "A generated lever.", "source": "test-source",
           "changes": changes, "feasible_under": draw(st.sampled_from([[], [{"scenario": "base", "rationale": "x"}]]))}
    if draw(st.booleans()):
        doc[draw(st.sampled_from(["applies_to", "colour", "feasible_under", "conflicts_with", "recipients"]))] = \
            draw(st.sampled_from([["base"], ["other"], "x", [{"scenario": "atlantis", "rationale": "x"}],
                                  [{"lever": "ghost", "why": "x"}],
                                  [{"table": "owner_stakes", "from": "tnla", "to": "mine_owners", "share": 0.5}]]))
    return doc


@st.composite
def plausible_lever_docs(draw):
    """Levers that mostly apply: shares and rates that stay within their ranges on the base scenario."""
    changes = []
    for _ in range(draw(st.integers(1, 3))):
        parameter = draw(st.sampled_from(["production_factor", "market_access", "price_factor", "formal_share",
                                          "wage_share", "checkpoint_rate", "extortion_rate"]))
        op = draw(st.sampled_from(OPS))
        value = draw(st.floats(-0.05, 0.05)) if op == "shift" else draw(st.floats(0.0, 0.3))
        changes.append({"parameter": parameter, "op": op, "value": value})
    return {"name": "fuzz", "title": "Fuzz", "summary": "A generated lever.", "source": "test-source",
            "changes": changes, "feasible_under": [{"scenario": "base", "rationale": "a generated lever"}]}


@FUZZ
@given(doc=plausible_lever_docs() | lever_docs() | yaml_values)
def test_fuzzed_levers_apply_cleanly_or_are_refused(data_root, doc):
    _write(data_root / "levers", "fuzz.yaml", doc)
    try:
        lever = load_lever("fuzz", data=data_root)
        table = effects(load_scenario("base", data=data_root), [lever], draws=300)
    except InputError as exc:
        assert "fuzz.yaml" in str(exc) and "Traceback" not in str(exc)
        event("lever refused")
        return
    event(f"lever applied ({len(lever.changes)} changes)")
    maybe_undefined = ("ratio", "cost_per_denied", "price_cut_ratio", "flows_ratio", "volume_price_share",
                       "p_beats_next", "p_wins", "p_best")  # the last option of its kind has no next to beat; a lone
    # option has no rival to win against
    numbers = table.drop(columns=[c for c in table.columns if c.startswith(maybe_undefined)]).to_numpy(dtype=float)
    assert np.isfinite(numbers).all()
    # the levered scenario still satisfies docs/model.md's identities, draw by draw
    base = load_scenario("base", data=data_root)
    levered = apply_to_draws(draw_parameters(base, 300, 1), [lever], 300, 1, base.name)
    quantile = levered.pop("market_rate_quantile")
    result = split(model_inputs(base, levered, quantile), apply_moves(base.recipients, [lever]))
    flows = np.broadcast_to(result.flows, (300, len(ACTORS)))
    assert np.isfinite(flows).all()
    np.testing.assert_allclose(flows.sum(axis=1), result.realised, rtol=1e-9, atol=1e-6)
    assert (flows >= -1e-6).all() and (flows <= result.realised[:, None] * (1 + 1e-9) + 1e-6).all()


# --- hostile YAML: aliases that multiply, nesting, control characters (tests/test_hostile_input.py has the cases) ---

@st.composite
def alias_towers(draw):
    """`levels` anchors, each a list of `width` aliases of the one before: width**levels values in a few lines."""
    levels, width = draw(st.integers(1, 14)), draw(st.integers(1, 14))
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    where = draw(st.sampled_from(["title", "parameters", "recipients", "summary"]))
    return "\n".join(lines) + f"\nname: fuzz\n{where}: *a{levels - 1}\n", width ** levels


@settings(max_examples=examples(60), deadline=None)
@given(tower=alias_towers())
def test_aliases_that_multiply_are_refused_quickly_or_load(data_root, tower):
    import time

    from mogok_econ import limits

    text, values = tower
    start = time.perf_counter()
    with pytest.raises(InputError) as refused:
        load_scenario(_write(data_root / "scenarios", "fuzz.yaml", text), data=data_root)
    assert time.perf_counter() - start < 2 and "fuzz.yaml" in str(refused.value)
    assert len(str(refused.value)) < 5_000  # never the expanded value
    if values > limits.MAX_VALUES:
        assert "once its aliases (*name) are expanded" in str(refused.value)


@settings(max_examples=examples(60), deadline=None)
@given(position=st.integers(0, 10_000), char=st.sampled_from(["\x00", "\x1b", "\x7f", "\x85", "\u202e", "\ufeff"]))
def test_a_control_character_anywhere_is_refused_or_harmless(data_root, position, char):
    text = yaml.safe_dump(dict(BASE_SCENARIO, name="fuzz"), sort_keys=False)
    position %= len(text)
    path = _write(data_root / "scenarios", "fuzz.yaml", text[:position] + char + text[position:])
    try:
        scenario = load_scenario(path, data=data_root)
    except InputError as exc:
        assert "fuzz.yaml" in str(exc) and not any(c in str(exc) for c in "\x00\x1b\x7f\x85\u202e"), str(exc)
        return
    printed = scenario.title + scenario.summary
    assert not any(c in printed for c in "\x00\x1b\x7f\x85\u202e")
