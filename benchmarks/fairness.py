"""Fairness side by side: the planner with and without `no_envy`, and deferred acceptance.

    python -m benchmarks.fairness --fraction 0.05 --time-limit 60
    python -m benchmarks.fairness --fraction 0.1 --seed 2 --time-limit 120

(from the repository root). The instance is `planner generate --fraction F --seed S --careers`
(one term, the careers policy of OUTDIR/policy-careers.yaml: the national rules with
`career_step`, `continuity` and `no_envy`). Rows, in one process, with the same time limit and
workers:

* `planner, no_envy hard` / `planner, no_envy soft` (the policy file's weight) / `planner, no
  no_envy` (the rule left out): `planner.solve` under that policy;
* `deferred acceptance` (:mod:`benchmarks.peers.deferred`): officer-proposing, over the
  careers policy's eligible pairs, its plan judged under the `no_envy soft` policy.

Every plan is verified by the independent checker under its row's policy. Columns: envious
pairs (:func:`planner.check.envy.envious_pairs`, the contract's count, whatever the policy), and
of them those on pairs the hard pair rules allow (`allowed`: the planner's eligible pairs, e.g.
not a step up `career_step` forbids — only E1 and `forbidden` excuse the contract's envy), the hard and soft rule shortfalls (sums of the rules' violations; a hard shortfall makes the plan
invalid), filled, vacant and moved posts, officers at their first/second/third choice, the
objective under the row's policy and the wall time.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

from benchmarks.options import instance_options
from benchmarks.peers.deferred import deferred
from planner.check.checker import check_plan
from planner.check.envy import choice_counts, envious_pairs
from planner.check.verdict import CheckReport
from planner.check.view import PlanView
from planner.generate.national import generate
from planner.model.instance import Instance
from planner.model.pairs import pair_table
from planner.scenario import Policy, Scenario
from planner.solver.pipeline import solve
from planner.solver.result import VerificationError

HEADER = ("| method | status | envious pairs (allowed) | hard shortfall | soft shortfall | filled "
          "| vacant | moved | 1st/2nd/3rd choice | objective | wall s |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|")


def policies(careers: dict) -> dict[str, Policy]:
    """The planner's three policies from the careers policy file's content: `no_envy` hard,
    as written (soft), left out."""
    def variant(keep: Callable[[dict], dict | None]) -> Policy:
        rules = [r for r in (keep(dict(r)) for r in careers["rules"]) if r is not None]
        return Policy.model_validate({**careers, "rules": rules})

    def hard(r: dict) -> dict:
        if r["rule"] == "no_envy":
            r.pop("weight", None)
            r["hard"] = True
        return r

    return {"planner, no_envy hard": variant(hard),
            "planner, no_envy soft": variant(lambda r: r),
            "planner, no no_envy": variant(lambda r: None if r["rule"] == "no_envy" else r)}


def allowed_pairs(scenario: Scenario, policy: Policy) -> set[tuple[str, str]]:
    """(officer id, post id) of every pair the policy's hard pair rules, E1 and `forbidden` allow."""
    inst = Instance(scenario)
    table = pair_table(inst, policy)
    return {(inst.candidates[c].id, inst.posts[p].id)
            for p, c in zip(table.post.tolist(), table.cand.tolist())}


def row(name: str, status: str, scenario: Scenario, plan: dict[str, str | None] | None,
        check: CheckReport | None, seconds: float, allowed: set[tuple[str, str]]) -> str:
    """One table row; the envy and choice counts are read off the plan itself."""
    if plan is None or check is None:
        return f"| {name} | {status} | - | - | - | - | - | - | - | - | {seconds:.1f} |"
    index = {c.id: i for i, c in enumerate(scenario.candidates)}
    view = PlanView(scenario, {p: index[plan[q.id]] for p, q in enumerate(scenario.posts)
                               if plan.get(q.id) is not None})
    envy = envious_pairs(view)
    fair = sum(1 for e in envy if (e.officer, e.post) in allowed)
    choices = choice_counts(view)
    hard = sum(r.violation for r in check.rules if r.hard)
    soft = sum(r.violation for r in check.rules if not r.hard)
    return (f"| {name} | {status} | {len(envy)} ({fair}) | {hard} | {soft} | {check.filled} | {check.vacant} "
            f"| {check.moved} | {choices[1]}/{choices[2]}/{choices[3]} | {check.objective:,} "
            f"| {seconds:.1f} |")


def planner_row(name: str, scenario: Scenario, policy: Policy, args: argparse.Namespace,
                allowed: set[tuple[str, str]]) -> str:
    """The planner's row under `policy`; a plan the independent check refuses (the solver and
    the checker disagree: a defect to report) is a row that says so."""
    tick = time.perf_counter()
    try:
        result = solve(scenario, policy, time_limit=args.time_limit, workers=args.workers)
    except VerificationError as exc:
        print(f"{name}: {exc}")
        return row(name, "check failed", scenario, None, None, time.perf_counter() - tick, allowed)
    plan = result.plan if result.has_plan else None
    return row(name, result.status.value, scenario, plan, result.check,
               time.perf_counter() - tick, allowed)


def main() -> None:
    args = instance_options(__doc__, seed=0)
    gen = generate("legacy", args.fraction, seed=args.seed, careers=True)
    scenario = gen.to_scenario()
    print(f"legacy x {args.fraction}, seed {args.seed}, careers: {len(scenario.posts)} posts, "
          f"{len(scenario.candidates)} officers; time limit {args.time_limit:g} s, "
          f"{args.workers} workers; {platform.processor() or platform.machine()}\n")
    print(HEADER, flush=True)
    pols = policies(gen.careers_policy)
    soft = pols["planner, no_envy soft"]
    allowed = allowed_pairs(scenario, soft)
    for name, policy in pols.items():
        print(planner_row(name, scenario, policy, args, allowed), flush=True)
    tick = time.perf_counter()
    peer = deferred(scenario, soft)
    check = check_plan(scenario, peer.plan, soft) if peer.plan is not None else None
    print(row("deferred acceptance", peer.status, scenario, peer.plan, check,
              time.perf_counter() - tick, allowed), flush=True)


if __name__ == "__main__":
    main()
