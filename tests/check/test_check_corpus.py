"""The done-when of publication assurance: over a corpus of drafts in every format, each
seeded with known errors and full of correct figures (tests/check/draft_corpus.py), the
checker finds at least 95% of the seeded errors with at most 1 false error per 20 pages.

The warehouse check runs through the real query (`held_values` on a DuckDB warehouse holding
each draft's council), so the corpus scores the whole of `openasc check --la --year`.
`python benchmarks/check_corpus.py` prints the same score per check type.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from draft_corpus import FORMATS, YEAR, build_corpus, score

from openasc.check.run import check_file
from openasc.check.warehouse import held_values
from openasc.reports.figures import parse_year
from openasc.warehouse import connect


def run_corpus(folder: Path, seed: int = 14):
    specs = build_corpus(folder / "drafts", seed=seed)
    con = connect(folder / "wh.duckdb")
    start, end = parse_year(YEAR)
    for spec in specs:
        con.executemany(
            "INSERT INTO metric_values VALUES (?, ?, ?, ?, ?, '', ?, ?, NULL, ?, NULL)",
            [(fam, code, spec.la, start, end, num, den, unit)
             for fam, code, num, den, unit in spec.held])
    con.execute("UPDATE metric_values SET value = CASE unit WHEN 'percent' THEN "
                "numerator / denominator * 100 ELSE numerator END")
    results = [check_file(spec.path, held_values(con, spec.la, start, end), YEAR)
               for spec in specs]
    con.close()
    return specs, results


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    return run_corpus(tmp_path_factory.mktemp("corpus"))


def test_the_corpus_is_what_the_issue_asks_for(corpus) -> None:
    """At least 12 drafts across docx, pdf, html, md and txt; every check type seeded."""
    specs, _ = corpus
    assert len(specs) >= 12
    assert {s.path.suffix[1:] for s in specs} == set(FORMATS)
    seeded = {seed.check for s in specs for seed in s.seeds}
    assert seeded == {"table_total", "percent_sum", "percent_of_counts", "change", "rate",
                      "rate_population", "repeated", "words", "warehouse"}


def test_recall_and_false_errors(corpus) -> None:
    specs, results = corpus
    s = score(results, specs)
    table = "\n".join(str(row) for row in s.table())
    assert s.recall >= 0.95, f"recall {s.recall:.3f}; missed:\n" + "\n".join(s.missed) + \
        "\n" + table
    assert s.false_per_20_pages <= 1, "false errors:\n" + "\n".join(s.false) + "\n" + table


def test_the_scoring_counts_a_miss_and_a_false_error(corpus) -> None:
    """The oracle is the manifest, not the checker: dropping a draft's findings loses its
    seeds, and a finding quoting no seed is a false error."""
    from dataclasses import replace

    from openasc.check.model import Finding, Location

    specs, results = corpus
    first = next(i for i, s in enumerate(specs) if s.seeds)
    blind = [replace(r, findings=[]) if i == first else r for i, r in enumerate(results)]
    assert score(blind, specs).recall < score(results, specs).recall
    noisy = [replace(results[0], findings=[*results[0].findings, Finding(
        "error", "words", Location(line=1), "a sentence no seed is in", "made up")]),
        *results[1:]]
    assert sum(score(noisy, specs).false_errors.values()) == \
        sum(score(results, specs).false_errors.values()) + 1


def test_the_warehouse_explains_a_conversion_rate_on_section_42_alone(corpus) -> None:
    """A conversion rate quoted as S42 ÷ concerns is a warning naming the definition."""
    _, results = corpus
    said = [f for r in results for f in r.findings if f.check == "warehouse"
            and f.severity == "warning"]
    assert said and all("Section 42 and other" in f.working for f in said)
    assert any(f.severity == "note" for r in results for f in r.findings
               if f.check == "warehouse")
