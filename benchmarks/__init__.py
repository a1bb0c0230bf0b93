"""Benchmarks: the planner measured beside its peers, run from the repository root as modules
(`python -m benchmarks.national`, `python -m benchmarks.sweep_parallel`,
`python -m benchmarks.report`); docs/benchmarks.md is their protocol and their results. Not part
of the installed package: `peers/` solve the planner's own model in other ways."""
