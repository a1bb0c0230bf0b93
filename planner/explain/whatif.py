"""What-if planning: pins from the command line and minimal-change re-planning.

* `--fix POST=CANDIDATE` / `--forbid POST=CANDIDATE` add to the scenario's own `fixed` and
  `forbidden` lists (contract E2), after checking that both ids exist.
* `--stay-close-to PLAN.csv` appends a soft `stay_close` rule (planner/rules/stay_close.py) to
  the policy, made through the rule registry as a policy file makes it: every post whose holder
  differs from the previous plan costs `change_weight`. As a rule of the policy, the
  independent checker counts the changes itself and recomputes the objective exactly
  (`rule:<title>` among the objective terms). The previous plan also warm-starts the search.

:class:`Inputs` records what a run was made of (files and options) in `summary.json`, so that
`planner explain OUTDIR` rebuilds exactly the scenario and policy that were solved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError, Problem
from planner.explain.soften import RELAX_WEIGHT, softened_policy
from planner.io.loader import load_scenario
from planner.io.plan_file import read_plan
from planner.rules import REGISTRY
from planner.scenario import Policy, Scenario, effective_policy
from planner.schema import Pin

DEFAULT_CHANGE_WEIGHT = 100
"""Objective cost of each changed post under `--stay-close-to` (default)."""


def parse_pin(text: str, option: str) -> tuple[str, str]:
    """`POST=CANDIDATE` -> (post, candidate); InputError naming the option otherwise."""
    post, sep, cand = text.partition("=")
    if not sep or not post.strip() or not cand.strip():
        raise InputError([Problem(option, f"expected POST=CANDIDATE, got {text!r}")])
    return post.strip(), cand.strip()


def _parse_pins(texts: tuple[str, ...], option: str, problems: list[Problem]) -> list[tuple[str, str]]:
    """The well-formed pins of `texts`; each malformed one goes to `problems`, so that every
    problem of the command line is listed at once, not the first."""
    pins = []
    for text in texts:
        try:
            pins.append(parse_pin(text, option))
        except InputError as exc:
            problems.extend(exc.problems)
    return pins


def with_pins(scenario: Scenario, fix: list[tuple[str, str]] = (),
              forbid: list[tuple[str, str]] = ()) -> Scenario:
    """The scenario with extra `fixed` and `forbidden` pairs; every unknown id is reported."""
    posts = {p.id for p in scenario.posts}
    cands = {c.id for c in scenario.candidates}
    problems = []
    for option, pins in (("--fix", fix), ("--forbid", forbid)):
        for post, cand in pins:
            if post not in posts:
                problems.append(Problem(option, f"unknown post {post!r} in {post}={cand}"))
            if cand not in cands:
                problems.append(Problem(option, f"unknown candidate {cand!r} in {post}={cand}"))
    if problems:
        raise InputError(problems)
    if not fix and not forbid:
        return scenario
    return scenario.model_copy(update={
        "fixed": [*scenario.fixed, *(Pin(post=p, candidate=c) for p, c in fix)],
        "forbidden": [*scenario.forbidden, *(Pin(post=p, candidate=c) for p, c in forbid)]})


def read_previous(path: str | Path, scenario: Scenario) -> tuple[dict[str, str | None], list[str]]:
    """A previous plan (post -> candidate) to stay close to, with notes on what will not match.

    Unknown or missing posts are not compared; an officer no longer in the scenario cannot keep
    the post. An unreadable file raises :class:`InputError` (exit 2)."""
    plan, problems = read_plan(path, scenario)
    cands = {c.id for c in scenario.candidates}
    notes = [f"{path}: {p} (not compared)" for p in problems]
    notes += [f"{path}: candidate {c} of post {p} is not in the scenario: that post will change"
              for p, c in plan.items() if c is not None and c not in cands]
    return plan, notes


def with_stay_close(policy: Policy, previous: dict[str, str | None], weight: int,
                    label: str = "stay close to the previous plan") -> Policy:
    """`policy` plus a soft stay_close rule: each changed post costs `weight`."""
    rule = REGISTRY["stay_close"].model_validate(
        {"rule": "stay_close", "previous": previous, "hard": False, "weight": weight, "label": label})
    return policy.model_copy(update={"rules": [*policy.rules, rule]})


@dataclass
class Inputs:
    """What a solve was made of, as recorded in summary.json (`stats.inputs`)."""

    scenario: str
    policy: str | None = None
    fix: list[list[str]] = field(default_factory=list)
    forbid: list[list[str]] = field(default_factory=list)
    stay_close_to: str | None = None
    change_weight: int = DEFAULT_CHANGE_WEIGHT
    relaxed: list[str] = field(default_factory=list)
    """`--relax`: titles of the hard rules made soft (the run in OUT/relaxed/)."""
    relax_weight: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Inputs":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def load(self, notes: list[str] | None = None) -> tuple[Scenario, Policy]:
        """The scenario and policy as solved: files, then pins, then stay-close."""
        scn = load_scenario(self.scenario, policy=self.policy) if self.policy \
            else load_scenario(self.scenario)
        return self.apply(scn, notes)

    def apply(self, scn: Scenario, notes: list[str] | None = None) -> tuple[Scenario, Policy]:
        scn = with_pins(scn, [tuple(x) for x in self.fix], [tuple(x) for x in self.forbid])
        pol = effective_policy(scn)
        if self.relaxed:
            pol = softened_policy(pol, self.relaxed, self.relax_weight or RELAX_WEIGHT)
        if self.stay_close_to:
            previous, more = read_previous(self.stay_close_to, scn)
            if notes is not None:
                notes.extend(more)
            pol = with_stay_close(pol, previous, self.change_weight,
                                  label=f"stay close to {self.stay_close_to}")
        return scn, pol


@dataclass(frozen=True)
class WhatIf:
    """A loaded scenario with the command line's what-if options applied."""

    scenario: Scenario
    policy: Policy
    hint: dict[str, str | None] | None
    """The previous plan under `--stay-close-to` (it warm-starts the search), else None."""
    inputs: Inputs
    """What summary.json records of the run."""
    notes: list[str]
    """What of the previous plan will not match."""


def prepare(scenario_path: str, policy_path: str | None, scn: Scenario, fix: tuple[str, ...] = (),
            forbid: tuple[str, ...] = (), stay_close_to: str | None = None,
            change_weight: int = DEFAULT_CHANGE_WEIGHT) -> WhatIf:
    """The command line's what-if options applied to a loaded scenario. InputError (exit 2)
    for a malformed or unknown pin, or an unreadable previous plan."""
    problems: list[Problem] = []
    pins_fix = _parse_pins(fix, "--fix", problems)
    pins_forbid = _parse_pins(forbid, "--forbid", problems)
    if problems:  # every malformed pin, and every unknown id among the well-formed ones
        try:
            with_pins(scn, pins_fix, pins_forbid)
        except InputError as exc:
            problems.extend(exc.problems)
        raise InputError(problems)
    inputs = Inputs(str(Path(scenario_path).resolve()),
                    str(Path(policy_path).resolve()) if policy_path else None,
                    [list(x) for x in pins_fix], [list(x) for x in pins_forbid],
                    str(Path(stay_close_to).resolve()) if stay_close_to else None, change_weight)
    notes: list[str] = []
    scn, pol = inputs.apply(scn, notes)
    hint = None
    if stay_close_to:
        previous, _ = read_plan(stay_close_to, scn)
        cands = {c.id for c in scn.candidates}
        hint = {p: c if c in cands else None for p, c in previous.items()}
    return WhatIf(scn, pol, hint, inputs, notes)
