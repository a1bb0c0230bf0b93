"""The registry of rule types: every module in this package that defines a :class:`Rule`.

Adding a rule type means adding one module here (and its tests); nothing else names it.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing

from planner.rules.base import PairRule, PostFilter, Rule, ShareRule

_FAMILIES = (Rule, PostFilter, PairRule, ShareRule)


def _discover() -> dict[str, type[Rule]]:
    found: dict[str, type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Rule) and obj not in _FAMILIES \
                    and obj.__module__ == module.__name__:
                (name,) = typing.get_args(obj.model_fields["rule"].annotation)
                found[name] = obj
    return found


REGISTRY: dict[str, type[Rule]] = _discover()
"""Rule type name (the `rule:` field) -> its class."""

__all__ = ["REGISTRY", "Rule"]
