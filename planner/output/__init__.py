"""What a run writes: plan.csv and summary.json (`summary`), the run folder (`folder`), the plan
as rows for the reports (`planrows`, with the report-side definitions in `facts`), report.html
(`html`), plan.xlsx (`excel`) and the status line while solving (`progress`)."""
