"""Reading and writing files: safe YAML with line numbers (`yamlio`), CSV and Excel tables with
row numbers (`csvio`, `xlsxio`), a scenario or policy file with its tables and references
(`loader`), plan.csv (`plan_file`), outputs written whole or not at all (`atomic`), and the
JSON Schema of the input files (`json_schema`). See docs/architecture.md."""
