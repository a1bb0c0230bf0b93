"""A plan, explained: `planner explain OUTDIR [--post P | --candidate C]`.

* no option: the objective broken down by term and the per-rule compliance table, both
  recomputed by the independent checker;
* `--post P`: who holds P and the score terms of that pair; then the next best candidates by
  score on P, each with what excludes them (the requirement or hard rule, and the field) or what
  placing them would cost (a local re-plan, :mod:`planner.explain.fit`: the change in objective and who
  else would move);
* `--candidate C`: where C went (or that C has no post) and the score terms; then C's best
  other posts by score, each excluded (why) or priced the same way; and, when C has
  preferences, the posts C envies and who holds them (docs/careers.md, "Envy"), counted by the
  checker's envy module as the reports count them.

The run is rebuilt from OUTDIR: `summary.json` records the scenario and policy files and the
what-if options (`--fix`, `--forbid`, `--stay-close-to`) it was solved with; `--scenario` and
`--policy` override them. Before reading, an interrupted write in OUTDIR is settled (see
:func:`~planner.io.atomic.settle_set`), and the sha256 of each file summary.json lists is checked:
files of another run are said to be so. A horizon run is read here (`Run.plans`) and explained
period by period in :mod:`planner.explain.periods`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from planner.check.checker import check_plan
from planner.check.envy import envious_pairs
from planner.check.tree import Tree
from planner.check.verdict import CheckReport
from planner.check.view import PlanView
from planner.errors import InputError, Problem
from planner.explain.fit import Move, Placement, Replanner
from planner.explain.whatif import Inputs
from planner.geo import km
from planner.io.atomic import set_mismatches, settle_set
from planner.io.plan_file import read_horizon_plan, read_plan
from planner.model.objective import pair_scores
from planner.output.careers import ordinal, period_views
from planner.scenario import Policy, Scenario


@dataclass
class Run:
    """A solved run read back: the effective scenario and policy, the plan and its summary."""

    scenario: Scenario
    policy: Policy
    plan: dict[str, str | None]
    plan_path: Path
    summary: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    plans: dict[int, dict[str, str | None]] | None = None
    """A horizon's plan, year -> that period's plan (`plan` is then the first period's);
    None for a one-period run."""


def load_run(path: str | Path, scenario: str | None = None, policy: str | None = None) -> Run:
    """Read OUTDIR (or a plan.csv with its summary.json beside it). InputError when the plan
    or the scenario cannot be read, or the scenario is not known; a note when the folder's
    files do not belong together (the hashes summary.json records differ)."""
    path = Path(path)
    plan_path = path / "plan.csv" if path.is_dir() else path
    notes: list[str] = []
    summary = read_summary(plan_path.parent, notes)
    if not plan_path.exists():
        raise InputError([Problem(str(plan_path), "no plan here (was the run infeasible? "
                                                  "see summary.json)")])
    if plan_path.name == "plan.csv" and isinstance(summary.get("earlier_run"), dict) \
            and summary.get("objective") is None:
        notes.append(f"the last run in {plan_path.parent} found no plan (status "
                     f"{summary.get('status')}): explaining the earlier run's plan.csv")
        summary = summary["earlier_run"]
    summary_path = plan_path.parent / "summary.json"
    recorded = (summary.get("stats") or {}).get("inputs")
    if recorded:
        inputs = Inputs.from_json(recorded)
    elif scenario is None:
        raise InputError([Problem(str(summary_path), "does not say which scenario was solved "
                                                     "(missing or written by an older planner): "
                                                     "give it with --scenario")])
    else:
        inputs = Inputs(scenario)
    if scenario is not None:  # the files given override the recorded ones, pins are kept
        inputs.scenario = scenario
    if policy is not None:
        inputs.policy = policy
    scn, pol = inputs.load(notes)
    if len(scn.years) > 1:
        plans, problems = read_horizon_plan(plan_path, scn)
        if problems:
            raise InputError([Problem(str(plan_path), p) for p in problems])
        return Run(scn, pol, plans[scn.years[0]], plan_path, summary, notes, plans)
    plan, problems = read_plan(plan_path, scn)
    if problems:
        raise InputError([Problem(str(plan_path), p) for p in problems])
    return Run(scn, pol, plan, plan_path, summary, notes)


def read_summary(folder: Path, notes: list[str]) -> dict[str, Any]:
    """The summary.json of a run folder ({} when there is none), after finishing or undoing an
    interrupted write there; `notes` gets what was settled and which files do not belong to
    the summary. InputError when it is unreadable or not a JSON object."""
    summary_path = Path(folder) / "summary.json"
    try:
        settled = settle_set(folder)
    except OSError as exc:
        settled = f"an interrupted write in {folder} could not be settled: {exc}"
    if settled:
        notes.append(settled)
    if not summary_path.exists():
        return {}
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError([Problem(str(summary_path), f"cannot read: {exc}")]) from None
    if not isinstance(summary, dict):
        raise InputError([Problem(str(summary_path), "expected a JSON object (a planner run's "
                                  f"summary), found a {type(summary).__name__}")])
    notes.extend(set_mismatches(folder, summary.get("files")))
    return summary


# -- score terms ------------------------------------------------------------------------------

def score_terms(scenario: Scenario, policy: Policy, tree: Tree, cid: str, pid: str) -> dict[str, int]:
    """The contract's score(c, p), term by term: the reports' one copy (`planner explain`,
    `planner diff`), beside the model's (planner/model/objective.py) and the checker's, which
    stay separate on purpose; distances by :func:`planner.geo.km`, as the model has them."""
    w = policy.weights
    cand = next(c for c in scenario.candidates if c.id == cid)
    post = next(p for p in scenario.posts if p.id == pid)
    dist = km(tree.coord(cand.serves_at), tree.coord(post.unit))
    return {"merit": w.merit * cand.merit * post.priority,
            "specialty": w.specialty * bool(cand.specialties and post.specialties
                                            and set(cand.specialties) & set(post.specialties)),
            "preference": w.preference * any(tree.contains(x, post.unit) for x in cand.preferences or ()),
            "move": -w.move * (cand.current_post != post.id),
            "distance": -w.distance * (dist // 100)}


def _terms_text(terms: dict[str, int]) -> str:
    shown = [f"{k} {v:+d}" for k, v in terms.items() if v]
    return (", ".join(shown) or "all terms 0") + f"  = {sum(terms.values())}"


def _cost_text(x: Placement, horizon: dict[str, Any] | None = None) -> str:
    """What placing the officer costs; `horizon` (one period of a horizon) adds what the
    re-plan does to the whole horizon, the later periods kept as planned."""
    return _period_cost_text(x) + (_horizon_text(horizon) if horizon else "")


def _horizon_text(effect: dict[str, Any]) -> str:
    """`; over the horizon: objective -20` or `; over the horizon it breaks 2031: ...`."""
    head = "; over the horizon (later periods as planned)"
    if effect["breaks"]:
        return f"{head} it breaks " + "; ".join(effect["breaks"])
    delta = effect["delta"]
    return f"{head}: objective {delta:+d}" if delta else f"{head}: objective unchanged"


def _period_cost_text(x: Placement) -> str:
    if not x.eligible:
        return "excluded: " + "; ".join(x.why_not)
    if x.delta is None:
        return "blocked: " + "; ".join(x.why_not)
    head = f"objective {x.delta:+d}" if x.delta else "objective unchanged"
    moves = [str(m) for m in x.moves] + [f"{p} left vacant" for p in x.vacated]
    return head + (f" ({'; '.join(moves)})" if moves else "")


class PlanExplainer:
    """Explanations of one plan; placements priced by local re-plans."""

    def __init__(self, run: Run, time_limit: float = 5.0):
        self.run = run
        self.tree = Tree(run.scenario.units)
        self.report: CheckReport = check_plan(run.scenario, run.plan if run.plans is None
                                              else run.plans, run.policy)
        self._rp: Replanner | None = None
        self.time_limit = time_limit

    @property
    def replanner(self) -> Replanner:
        if self._rp is None:
            self._rp = Replanner(self.run.scenario, self.run.policy, self.run.plan, self.time_limit)
        return self._rp

    def priced(self, x: Placement) -> dict[str, Any]:
        """A priced placement as the explanations list it (one period of a horizon adds its
        effect on the whole horizon: planner/explain/periods.py)."""
        return x.to_json()

    # -- the whole plan ----------------------------------------------------------------------
    def overview(self) -> dict[str, Any]:
        rep = self.report
        return {"plan": str(self.run.plan_path), "scenario": self.run.scenario.name,
                "policy": self.run.policy.name, "valid": rep.valid, "objective": rep.objective,
                "status": self.run.summary.get("status"), "bound": self.run.summary.get("bound"),
                "terms": rep.terms, "violations": rep.violations[:50],
                "rules": [r.to_json() for r in rep.rules],
                "filled": rep.filled, "vacant": rep.vacant, "moved": rep.moved}

    def overview_text(self) -> str:
        data = self.overview()
        lines = [f"plan       {data['plan']}  (scenario {data['scenario']}, policy {data['policy']})",
                 f"objective  {data['objective']}" + (f"   status {data['status']}, bound {data['bound']}"
                                                      if data["status"] else "")
                 + ("" if data["valid"] else "   INVALID: " + "; ".join(data["violations"][:5])),
                 f"posts      {data['filled']} filled, {data['vacant']} vacant; {data['moved']} moved",
                 "objective by term:"]
        width = min(48, max(len(t) for t in data["terms"]) + 2)
        lines += [f"  {term:<{width}} {value:>10}" for term, value in data["terms"].items()]
        lines.append(f"  {'total':<{width}} {data['objective']:>10}")
        lines.append("rules (ok / BROKEN for hard rules; the penalty paid for soft ones):")
        for r in self.report.rules:
            mark = "ok" if r.holds else ("BROKEN" if r.hard else f"-{r.penalty}")
            kind = "hard" if r.hard else f"soft, weight {r.weight}"
            lines.append(f"  {mark:<7} {r.rule}  ({kind}; violation {r.violation})")
            figures = ", ".join(f"{k} {v}" for k, v in r.figures.items()
                                if not isinstance(v, (list, dict)))
            if figures:
                lines.append(f"          {figures}")
            lines += [f"          - {b}" for b in r.breaches[:5]]
        return "\n".join(lines)

    # -- one post ----------------------------------------------------------------------------
    def _scores_on_post(self, p: int) -> np.ndarray:
        inst = self.replanner.inst
        cands = np.arange(inst.n_candidates, dtype=np.int32)
        posts = np.full(inst.n_candidates, p, dtype=np.int32)
        w = self.run.policy.weights
        return pair_scores(inst, w, posts, cands) - w.vacancy * inst.posts[p].priority

    def _scores_of_cand(self, c: int) -> np.ndarray:
        inst = self.replanner.inst
        posts = np.arange(inst.n_posts, dtype=np.int32)
        cands = np.full(inst.n_posts, c, dtype=np.int32)
        w = self.run.policy.weights
        prio = np.array([p.priority for p in inst.posts], dtype=np.int64)
        return pair_scores(inst, w, posts, cands) - w.vacancy * prio

    def post(self, pid: str, top: int = 5) -> dict[str, Any]:
        rp = self.replanner
        inst = rp.inst
        if pid not in inst.post_index:
            raise InputError([Problem("--post", f"unknown post {pid!r}")])
        p = inst.post_index[pid]
        post = inst.posts[p]
        holder = self.run.plan.get(pid)
        out: dict[str, Any] = {"post": pid, "unit": post.unit, "role": post.role,
                               "priority": post.priority, "holder": holder}
        if holder is not None:
            out["score_terms"] = score_terms(self.run.scenario, self.run.policy, self.tree, holder, pid)
        scores = self._scores_on_post(p)
        ranked = [int(c) for c in np.lexsort((np.arange(len(scores)), -scores))
                  if inst.candidates[int(c)].id != holder]
        order = _best_and_open(ranked, lambda c: rp.pair(c, p) is not None, top)
        out["next"] = []
        for c in order:
            cid = inst.candidates[c].id
            out["next"].append({"candidate": cid, "score": int(scores[c]),
                                **self.priced(rp.place(cid, pid))})
        return out

    def post_text(self, pid: str, top: int = 5) -> str:
        data = self.post(pid, top)
        unit = self.tree.units[data["unit"]]
        lines = [f"post       {data['post']}  ({data['role']}, {unit.kind.value} {unit.id} "
                 f"{unit.name}, priority {data['priority']})"]
        if data["holder"] is None:
            lines.append("held by    nobody: the post is vacant")
        else:
            cand = next(c for c in self.run.scenario.candidates if c.id == data["holder"])
            lines.append(f"held by    {cand.id} {cand.name} (serves at {cand.serves_at}, home "
                         f"{cand.home}, merit {cand.merit}"
                         + (f", now {cand.current_post}" if cand.current_post else "") + ")")
            lines.append(f"score      {_terms_text(data['score_terms'])}")
        lines.append(f"next best candidates by score on {data['post']} (and the best who may "
                     "take it):")
        for x in data["next"]:
            lines.append(f"  {x['candidate']:<10} score {x['score']:>6}  "
                         f"{_cost_text(_placement(x), x.get('horizon'))}")
        return "\n".join(lines)

    # -- one candidate -----------------------------------------------------------------------
    def candidate(self, cid: str, top: int = 5) -> dict[str, Any]:
        rp = self.replanner
        inst = rp.inst
        if cid not in inst.cand_index:
            raise InputError([Problem("--candidate", f"unknown candidate {cid!r}")])
        c = inst.cand_index[cid]
        where = next((p for p, x in self.run.plan.items() if x == cid), None)
        out: dict[str, Any] = {"candidate": cid, "post": where,
                               "current_post": inst.candidates[c].current_post}
        if where is not None:
            out["score_terms"] = score_terms(self.run.scenario, self.run.policy, self.tree, cid, where)
        scores = self._scores_of_cand(c)
        ranked = [int(p) for p in np.lexsort((np.arange(len(scores)), -scores))
                  if inst.posts[int(p)].id != where]
        order = _best_and_open(ranked, lambda p: rp.pair(c, p) is not None, top)
        out["closed"] = rp.closed(c)
        out["elsewhere"] = []
        for p in order:
            out["elsewhere"].append({"score": int(scores[p]),
                                     **self.priced(rp.place(cid, inst.posts[p].id))})
        envy = self.envy(cid)
        if envy is not None:
            out["envy"] = envy
        return out

    def envy_view(self, cid: str) -> PlanView:
        """The plan as the envy count reads it for officer `cid`: the posts that exist, the
        officers available (a horizon's period reads its own: planner/explain/periods.py)."""
        scn = self.run.scenario
        return next(view for _, view in period_views(scn, {scn.years[0]: self.run.plan}, cid))

    def envy(self, cid: str) -> list[dict[str, Any]] | None:
        """The posts `cid` envies, each with its rank for them, the rank of their own post
        (None: no post, or one outside their preferences), the holder and the holder's merit;
        None when `cid` has no preferences (or is not available)."""
        view = self.envy_view(cid)
        merit = {c.id: c.merit for c in view.scenario.candidates}
        cand = next((c for c in view.scenario.candidates if c.id == cid), None)
        if cand is None or not cand.preferences:
            return None
        return [{"post": e.post, "rank": e.rank, "own_rank": e.own_rank, "holder": e.holder,
                 "holder_merit": None if e.holder is None else merit[e.holder]}
                for e in envious_pairs(view) if e.officer == cid]

    def candidate_text(self, cid: str, top: int = 5) -> str:
        data = self.candidate(cid, top)
        cand = next(c for c in self.run.scenario.candidates if c.id == cid)
        lines = [f"candidate  {cand.id} {cand.name} (serves at {cand.serves_at}, home {cand.home}, "
                 f"merit {cand.merit}" + (f", now {cand.current_post}" if cand.current_post else "")
                 + ")"]
        if data["post"] is None:
            lines.append("placed on  nothing: no post in this plan")
        else:
            kept = " (kept)" if data["post"] == data["current_post"] else ""
            lines.append(f"placed on  {data['post']}{kept}")
            lines.append(f"score      {_terms_text(data['score_terms'])}")
        lines.append(f"why not elsewhere (best other posts by score for {cid}, and the best "
                     "open to them):")
        for x in data["elsewhere"]:
            lines.append(f"  {x['post']:<14} score {x['score']:>6}  "
                         f"{_cost_text(_placement(x), x.get('horizon'))}")
        if data["closed"]:
            lines.append("closed to them: " + "; ".join(f"{n} posts by {k}"
                                                        for k, n in data["closed"].items()))
        if "envy" in data:
            lines += envy_lines(cid, cand.merit, data["post"], data["envy"])
        return "\n".join(lines)


def envy_lines(cid: str, merit: int, post: str | None, envy: list[dict[str, Any]]) -> list[str]:
    """`envy       C12 envies P07-DIR (its 1st choice; C12 holds its 3rd) held by C40 (merit
    60 < 80)`, a line per envied post, or `C12 envies no post`."""
    if not envy:
        return [f"envy       {cid} envies no post"]
    lines = []
    for i, e in enumerate(envy):
        own = (f"{cid} holds its {ordinal(e['own_rank'])}" if e["own_rank"] is not None else
               f"{cid} has no post" if post is None else
               f"{cid}'s post {post} is outside its preferences")
        held = (", which is vacant" if e["holder"] is None else
                f" held by {e['holder']} (merit {e['holder_merit']} < {merit})")
        lines.append(f"{'envy' if i == 0 else '':<11}{cid} envies {e['post']} (its "
                     f"{ordinal(e['rank'])} choice; {own}){held}")
    return lines


def _best_and_open(ranked: list[int], is_open, top: int) -> list[int]:
    """The `top` best of `ranked`, plus the `top` best open ones, in rank order."""
    best = set(ranked[:top])
    opened = [x for x in ranked if is_open(x)][:top]
    best.update(opened)
    return [x for x in ranked if x in best]


def _placement(data: dict[str, Any]) -> Placement:
    return Placement(data["candidate"], data["post"], data["eligible"], data.get("estimate"),
                     data.get("delta"), data.get("objective"),
                     [Move(**m) for m in data.get("moves", [])], data.get("vacated", []),
                     data.get("why_not", []))
