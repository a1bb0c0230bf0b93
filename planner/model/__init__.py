"""The CP-SAT model: which pairs may exist, their variables, the rules' parts, the objective."""
