"""`planner generate`: realistic national scenarios from Vietnam's real administrative units.

The units come from the optional `vietnamadminunits` package (:mod:`~planner.generate.admin`);
officers, posts, relations and difficult areas are drawn with one seeded generator
(:mod:`~planner.generate.national` says in which order, and which module draws what); the
national policy (:mod:`~planner.generate.policy`) carries the published targets; with
`periods`, :mod:`~planner.generate.horizon` adds what a horizon reads (retirements, newcomers);
the ``transition`` structure (the 2025 reorganisation) is :mod:`~planner.generate.transition`;
with `careers`, :mod:`~planner.generate.careers` adds grades, succession pools and ranked
preferences last, and the careers policy (:func:`~planner.generate.policy.careers_policy`);
:mod:`~planner.generate.files` writes scenario.yaml, policy.yaml and the CSV tables. The
command itself is :mod:`planner.cli.generate`.
"""

from planner.generate.admin import STRUCTURES, DataPackageError, admin_data
from planner.generate.files import scenario_files, write_scenario
from planner.generate.national import GeneratedScenario, generate
from planner.generate.policy import careers_policy, national_policy

__all__ = ["STRUCTURES", "DataPackageError", "GeneratedScenario", "admin_data", "careers_policy",
           "generate", "national_policy", "scenario_files", "write_scenario"]
