"""Publication assurance: check the figures in a draft before it is published.

`openasc check DRAFT` reads a Word, PDF, HTML, Markdown or text draft, finds every number
with its context (claims.py), checks the arithmetic the draft states inside itself
(tables.py, arithmetic.py, words.py), optionally compares named measures with the
warehouse (warehouse.py), and writes HTML and CSV findings (report.py). run.py ties it up.
"""
