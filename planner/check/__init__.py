"""The independent checker: `checker.check_plan` re-verifies a plan with its own code (the unit
tree by parent pointers in `tree`, the plan as the rules' checks read it in `view`) and
recomputes the objective; `verdict` holds what it says of a rule and of a plan.

Nothing here imports the model. This package's `__init__` imports nothing either: the rules
import `check.verdict` and `check.view`, and the checker imports the rules' registry."""
