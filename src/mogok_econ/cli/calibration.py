"""`mogok-econ calibrate` (the posterior given what was observed) and `mogok-econ agenda` (which evidence
would most change the junta's take since the coup)."""
from __future__ import annotations

import json
import sys

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from .common import EXIT_OK, draws_for, seed_int


def _fmt(value) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f}M"
    return f"{value:,.0f}" if abs(value) >= 1e3 else f"{value:,.3g}"


def cmd_calibrate(args) -> int:
    from ..analysis.calibration import calibrate

    calib = calibrate(draws=args.draws, seed=args.seed, path=args.observables, world=args.world)
    result = calib.to_dict()
    if args.json:  # the same bytes run after run: the wall-clock time goes to stderr, not into the JSON
        seconds = result.pop("seconds", None)
        print(json.dumps(result, indent=2, allow_nan=False, default=float))
        if seconds is not None:
            print(f"mogok-econ calibrate: {seconds:.1f} s", file=sys.stderr)
        return EXIT_OK
    khat = "-" if calib.khat is None else f"{calib.khat:.2f}"
    print(f"Calibration: {len(calib.observables)} observables, {args.draws:,} prior draws, seed {args.seed}; "
          f"method: {calib.method}; ESS {calib.ess:,.0f}; k-hat {khat}; {calib.seconds:.1f} s.\n")
    print(f"{'observable':<34}{'use':<11}{'observed':>24}{'prior P50':>12}{'posterior P50':>15}  holds")
    for r in result["observables"]:
        held = "yes" if r["holds_posterior"] else "no"
        print(f"{r['id']:<34}{r['use']:<11}{r['observed']['text']:>24}{_fmt(r['prior']['p50']):>12}"
              f"{_fmt(r['posterior']['p50']):>15}  {held}")
    moved = [p for p in result["parameters"] if p["moved"]]
    print(f"\nParameters the data moved ({len(moved)}):")
    for p in moved:
        print(f"  {p['owner']}.{p['parameter']}: prior {_fmt(p['prior_p5'])} to {_fmt(p['prior_p95'])} (P50 "
              f"{_fmt(p['prior_p50'])}), posterior {_fmt(p['posterior_p5'])} to {_fmt(p['posterior_p95'])} (P50 "
              f"{_fmt(p['posterior_p50'])})")
    if result["readings"]:
        print("\nReadings (prior weight -> weight from the data):")
        for r in result["readings"]:
            what = (f"{r['observable']}: {r['reading']} ({r['quantity']})" if "observable" in r
                    else f"{r['parameter']} = {r['value']:g}: {r['reading']}")
            print(f"  {what}: {r['prior_weight']:.0%} -> {r['posterior_weight']:.0%}")
    unreached = result["unreached_scenarios"]
    if unreached:
        print(f"\nNo observation in the likelihood reaches the parameters of: {', '.join(unreached)} (their posterior "
              "is their prior).")
        for name, reason in result["unreached_reasons"].items():
            print(f"  {name}: {reason}")
    if result["loo"]:
        print(f"\nLeave-one-out (how well the fit to the others predicts each; {result['criteria']['loo']}):")
        for r in sorted(result["loo"], key=lambda r: r["loo_score"]):
            k = "-" if r["pareto_k"] is None else f"{r['pareto_k']:.2f}"
            print(f"  {r['id']:<34}{r['loo_score']:>7.1%} (priors alone {r['prior_score']:.1%}), Pareto k {k}"
                  f"{'  FLAGGED' if r['flagged'] else ''}")
    for w in result["warnings"]:
        print(f"warning: {w}")
    return EXIT_OK


def cmd_agenda(args) -> int:
    from ..analysis.agenda import agenda
    from ..analysis.calibration import calibrate

    calib = calibrate(draws=args.draws, seed=args.seed, path=args.observables, world=args.world)
    result = agenda(calib, seed=args.seed)
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False, default=float))
        return EXIT_OK
    q = result["junta_since_coup_usd"]
    print(f"What evidence would most change the junta's take since the coup ({_fmt(q['p50'])} USD, 90% interval "
          f"{_fmt(q['p5'])} to {_fmt(q['p95'])}; posterior by {result['method']}).")
    print(result["caveat"])
    print(f"Ranked by priority: {result['priority']}.\n")
    print(f"{'rank':>4}  {'parameter':<45}{'priority':>9}{'first-order':>12}  grade")
    for r in result["parameters"][:args.top]:
        print(f"{r['rank']:>4}  {r['owner'] + '.' + r['parameter']:<45}{r['priority']:>9.3f}{r['first_order']:>12.3f}  "
              f"{r['grade']}")
    return EXIT_OK


def register(sub) -> None:
    for name, run, text in (("calibrate", cmd_calibrate, "weight the prior draws by what was observed (data/observables.yaml)"),
                            ("agenda", cmd_agenda, "rank parameters by how much knowing them would narrow the junta's "
                                                   "take since the coup, and by how weak their evidence is")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--observables", metavar="FILE", help="an observables file (default: the data folder's)")
        p.add_argument("--json", action="store_true", help="print exactly one JSON object")
        p.add_argument("--draws", type=draws_for("calibrate"), default=DEFAULT_DRAWS,
                       help=f"prior draws (default {DEFAULT_DRAWS:,})")
        p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
        if name == "agenda":
            p.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
        p.set_defaults(run=run)
