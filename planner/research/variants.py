"""Policy variants: drop a rule, relax a share one step, and parameter grids (``--vary``).

The ``--vary`` grammar::

    TARGET.PARAM=START:STOP:STEP        an inclusive range, e.g. 0.8:1.0:0.02 (11 values)
    TARGET.PARAM=V1,V2,...              a list of values
    TARGET := RULE_TYPE | RULE_TYPE[KEY=VALUE,...] | weights

``RULE_TYPE[KEY=VALUE,...]`` picks the policy's rules of that type whose parameters have those
values (lists written with ``/``, as in rule titles: ``roles=director/deputy_director``); a
selector that picks several rules changes them all, one that picks none is an error.
``weights.NAME`` varies one objective weight. Two ``--vary`` options make a 2-D grid.

Values are exact decimals (``0.8:1.0:0.02`` gives 0.8, 0.82, ... 1, never 0.8200000001);
each variant rule goes through the rule's own validation, so an out-of-range value is an error
that names the rule and the parameter.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from planner.rules import REGISTRY
from planner.scenario import Policy
from planner.schema import Cell, Weights

SHARE_PARAMS = ("min_share", "min_share_of_units")
"""Parameters that make a rule a share rule (relaxed one step by `planner price`)."""

MAX_POINTS = 1000
"""Most values one ``--vary`` may produce."""

EXAMPLE = "non_local[unit_kind=commune].min_share=0.8:1.0:0.02"


class VaryError(ValueError):
    """A ``--vary`` option that cannot be read or applied (exit status 2)."""


@dataclass(frozen=True)
class Variant:
    """One policy to solve, with a label for tables and what distinguishes it from the base."""

    label: str
    policy: Policy
    info: dict[str, Any] = field(default_factory=dict)


# -- drop and relax ---------------------------------------------------------------------------

def with_rules(policy: Policy, rules: list[Any]) -> Policy:
    """A copy of the policy with these rules (its name and weights kept)."""
    return policy.model_copy(update={"rules": list(rules)})


def drop_rule(policy: Policy, index: int) -> Policy:
    """The policy without its rule number `index`."""
    return with_rules(policy, [r for i, r in enumerate(policy.rules) if i != index])


def share_param(rule: Any) -> str | None:
    """The share parameter of a share rule, or None."""
    return next((p for p in SHARE_PARAMS if p in type(rule).model_fields), None)


def _text(x: Any) -> str:
    """A number as short exact decimal text: 0.85, 1, 0.9."""
    d = Decimal(str(x))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def lower_share(rule: Any, step: float) -> tuple[Any, float, float] | None:
    """The rule with its share lowered by `step` (not below 0): (rule, old, new), or None.

    None for rules without a share, or whose share is already 0.
    """
    param = share_param(rule)
    if param is None:
        return None
    old = Decimal(str(getattr(rule, param)))
    if old <= 0:
        return None
    new = max(Decimal(0), old - Decimal(str(step)))
    relaxed = revalidate(rule, {param: float(new)})
    return relaxed, float(old), float(new)


def revalidate(rule: Any, update: dict[str, Any]) -> Any:
    """`rule` with `update` applied, through the rule type's own validation."""
    data = rule.model_dump()
    data.update(update)
    return type(rule).model_validate(data)


def price_variants(policy: Policy, step: float = 0.05, relax: bool = True) -> list[Variant]:
    """The base policy, then per rule: without it, and (share rules) relaxed one step."""
    out = [Variant("base", policy, {"kind": "base"})]
    titles = [r.title for r in policy.rules]
    for i, rule in enumerate(policy.rules):
        title = titles[i] if titles.count(titles[i]) == 1 else f"{titles[i]} #{i + 1}"
        out.append(Variant(f"drop {title}", drop_rule(policy, i),
                           {"kind": "drop", "rule": title, "index": i}))
        if relax:
            found = lower_share(rule, step)
            if found is not None:
                relaxed, old, new = found
                rules = list(policy.rules)
                rules[i] = relaxed
                param = share_param(rule)
                out.append(Variant(f"relax {title}: {param} {_text(old)} -> {_text(new)}",
                                   with_rules(policy, rules),
                                   {"kind": "relax", "rule": title, "index": i, "param": param,
                                    "from": old, "to": new}))
    return out


# -- the --vary grammar -----------------------------------------------------------------------

_SPEC = re.compile(r"^\s*(?P<target>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\[(?P<sel>[^\]]*)\])?\s*"
                   r"\.\s*(?P<param>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<values>.+?)\s*$")


@dataclass(frozen=True)
class Vary:
    """One parsed ``--vary`` option."""

    text: str
    target: str
    """A rule type, or ``weights``."""
    selector: tuple[tuple[str, str], ...]
    param: str
    values: tuple[str, ...]
    """Exact decimal (or plain) texts, in order."""

    @property
    def name(self) -> str:
        """The varied parameter as written, without its values: the axis label."""
        sel = ",".join(f"{k}={v}" for k, v in self.selector)
        return f"{self.target}[{sel}].{self.param}" if sel else f"{self.target}.{self.param}"


def _syntax(text: str, why: str) -> VaryError:
    """A --vary that cannot be read: why, and the grammar with an example."""
    return VaryError(f"--vary {text!r}: {why}; expected RULE[PARAM=VALUE,...].PARAM=START:STOP:STEP "
                     f"or ...PARAM=V1,V2,..., e.g. {EXAMPLE!r}")


def _decimal(text: str, spec: str, what: str) -> Decimal:
    """One bound of a range, exact (so that a grid of decimals has no rounding noise)."""
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise VaryError(f"--vary {spec!r}: the {what} {text.strip()!r} is not a number") from None
    if not d.is_finite():
        raise VaryError(f"--vary {spec!r}: the {what} {text.strip()!r} is not a finite number")
    return d


def _values(text: str, spec: str) -> tuple[str, ...]:
    """The values of a --vary: a range START:STOP:STEP (inclusive) or a list V1,V2,..."""
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise _syntax(spec, f"the range {text!r} needs three parts, START:STOP:STEP")
        start, stop, step = (_decimal(p, spec, w) for p, w in zip(parts, ("start", "stop", "step")))
        if step <= 0:
            raise VaryError(f"--vary {spec!r}: the step must be > 0, got {parts[2].strip()}")
        if stop < start:
            raise VaryError(f"--vary {spec!r}: the stop {parts[1].strip()} is below the start "
                            f"{parts[0].strip()}")
        count = int((stop - start) / step) + 1
        if count > MAX_POINTS:
            raise VaryError(f"--vary {spec!r}: {count} values, more than the {MAX_POINTS} allowed; "
                            "use a larger step")
        return tuple(_text(start + i * step) for i in range(count))
    items = [v.strip() for v in text.split(",")]
    if not all(items):
        raise _syntax(spec, f"an empty value in the list {text!r}")
    if len(items) > MAX_POINTS:
        raise VaryError(f"--vary {spec!r}: more than {MAX_POINTS} values")
    if len(set(items)) != len(items):
        raise VaryError(f"--vary {spec!r}: a value is listed twice in {text!r}")
    return tuple(items)


def parse_vary(text: str) -> Vary:
    """Read one ``--vary`` option (the rules it names are resolved by :func:`grid`)."""
    m = _SPEC.match(text)
    if not m:
        raise _syntax(text, "cannot read it")
    target, sel, param = m["target"], m["sel"], m["param"]
    if target != "weights" and target not in REGISTRY:
        raise VaryError(f"--vary {text!r}: unknown rule type {target!r}; known: weights, "
                        + ", ".join(sorted(REGISTRY)))
    selector: list[tuple[str, str]] = []
    if sel is not None:
        if target == "weights":
            raise _syntax(text, "weights take no [selector]")
        for part in sel.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise _syntax(text, f"the selector {part.strip()!r} is not KEY=VALUE")
            key, value = (s.strip() for s in part.split("=", 1))
            if key not in REGISTRY[target].model_fields or key == "rule":
                raise VaryError(f"--vary {text!r}: {target} has no parameter {key!r} to select "
                                f"by; its parameters are: {_params(target)}")
            selector.append((key, value))
    fields = Weights.model_fields if target == "weights" else REGISTRY[target].model_fields
    if param not in fields or param == "rule":
        known = ", ".join(Weights.model_fields) if target == "weights" else _params(target)
        what = "weight" if target == "weights" else "parameter"
        raise VaryError(f"--vary {text!r}: {target} has no {what} {param!r}; "
                        f"{'known weights' if target == 'weights' else 'its parameters'} are: {known}")
    return Vary(text, target, tuple(selector), param, _values(m["values"], text))


def _params(rule_type: str) -> str:
    """The parameters of a rule type, for messages naming what may be varied."""
    return ", ".join(k for k in REGISTRY[rule_type].model_fields if k != "rule")


def _shown(value: Any) -> str:
    """A parameter value as a selector writes it (lists with /, as in rule titles)."""
    if isinstance(value, list):
        return "/".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def _same(have: Any, want: str) -> bool:
    """Whether a rule's parameter has the value a selector asks (0.9 matches 0.90)."""
    shown = _shown(have)
    if shown == want:
        return True
    try:
        return Decimal(shown) == Decimal(want)
    except (InvalidOperation, ValueError):
        return shown.lower() == want.lower() and isinstance(have, bool)


def select(policy: Policy, vary: Vary) -> list[int]:
    """Indices of the policy's rules that `vary` names; an error when none does."""
    if vary.target == "weights":
        return []
    found = [i for i, r in enumerate(policy.rules)
             if r.rule == vary.target and all(_same(getattr(r, k), v) for k, v in vary.selector)]
    if not found:
        same_type = [r.title for r in policy.rules if r.rule == vary.target]
        listing = ("its " + vary.target + " rules are: " + "; ".join(same_type)) if same_type \
            else f"it has no {vary.target} rule"
        raise VaryError(f"--vary {vary.text!r}: {vary.name.rsplit('.', 1)[0]} matches no rule of "
                        f"the policy {policy.name!r}; {listing}")
    return found


def _error_text(exc: ValidationError) -> str:
    """The rule's own validation messages, on one line."""
    msgs = []
    for err in exc.errors(include_url=False):
        msg = err["msg"].removeprefix("Value error, ")
        loc = ".".join(str(x) for x in err.get("loc") or ())
        msgs.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(msgs)


def apply(policy: Policy, vary: Vary, value: str, indices: list[int]) -> Policy:
    """The policy with `vary.param` set to `value` in the chosen rules (or weights).

    The value is text from the command line and is read as a table cell is (`Cell`): `5` is
    the integer 5 where an integer is expected, `0.8` a share with its decimal text."""
    value = Cell(value)
    if vary.target == "weights":
        data = policy.weights.model_dump()
        data[vary.param] = value
        try:
            weights = Weights.model_validate(data)
        except ValidationError as exc:
            raise VaryError(f"--vary {vary.text!r}: weights.{vary.param}={value} is not valid: "
                            f"{_error_text(exc)}") from None
        return policy.model_copy(update={"weights": weights})
    rules = list(policy.rules)
    for i in indices:
        try:
            rules[i] = revalidate(rules[i], {vary.param: value})
        except ValidationError as exc:
            raise VaryError(f"--vary {vary.text!r}: {vary.param}={value} is not valid for "
                            f"{rules[i].title}: {_error_text(exc)}") from None
    return with_rules(policy, rules)


def grid(policy: Policy, varies: list[Vary]) -> list[Variant]:
    """Every combination of the values of one or two ``--vary`` options, first axis slowest."""
    if not 1 <= len(varies) <= 2:
        raise VaryError(f"give one or two --vary options (a 1-D or 2-D grid), got {len(varies)}")
    if len(varies) == 2 and varies[0].name == varies[1].name:
        raise VaryError(f"the two --vary options vary the same parameter {varies[0].name}")
    chosen = [select(policy, v) for v in varies]
    out = []
    for combo in itertools.product(*(v.values for v in varies)):
        pol = policy
        for vary, value, idx in zip(varies, combo, chosen):
            pol = apply(pol, vary, value, idx)
        values = {vary.name: value for vary, value in zip(varies, combo)}
        label = " & ".join(f"{k}={v}" for k, v in values.items())
        out.append(Variant(label, pol, {"kind": "grid", "values": values,
                                        "axes": [v.name for v in varies]}))
    return out


def numeric(value: str) -> float | str:
    """A grid value as a number where it is one (for chart axes)."""
    try:
        return float(Decimal(value))
    except (InvalidOperation, ValueError):
        return value
