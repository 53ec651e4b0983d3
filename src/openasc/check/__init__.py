"""Publication assurance: check the figures in a draft before it is published.

`openasc check DRAFT` reads a Word, PDF, HTML, Markdown or text draft (readers/), finds
every number with its context (claims.py, sentences.py), checks the arithmetic the draft
states inside itself (tables.py, changes.py, shares.py, rates.py, repeated.py, words.py),
optionally compares named measures with the warehouse (warehouse.py), and writes HTML and
CSV findings (report.py). run.py ties it up.
"""
