"""`hembesok report`: worklists, coverage and screening counts over the flat tables of a batch.

Counted with DuckDB (`queries`), suppressed so no child can be singled out (`suppression`),
drawn with matplotlib (`charts`), written as one self-contained HTML page (`html`) or as
CSV and JSON (`machine`). docs/report.md says what each number means.
"""
