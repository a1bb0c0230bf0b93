"""Why: a scenario with no plan (`infeasible`, built on `structure`, `cores` and `words`), the
decisions of a plan (`plan`), the posts an officer could take (`fit`, `fit_run`), the difference
between two plans (`diff`), pins and stay-close re-plans (`whatif`), and `--relax` (`soften`).
See docs/explain.md and docs/architecture.md."""
