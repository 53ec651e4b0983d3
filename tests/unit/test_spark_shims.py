"""Shim 5 (dialects.shared_ctes_first): a CTE read more than once is materialised first.

Spark inlines a CTE's plan at every reference, so a CTE read three times is computed three
times, and a chain of such CTEs multiplies (salt_nhse_requests.sql took minutes on a few
thousand rows). The Spark engine runs each shared CTE once as a step of its own and the rest
of the query reads the step's rows. Checked by meaning in DuckDB (the staged statements, run
in order as temporary tables, return the original query's rows) and by shape on every
catalogue file (no statement Spark runs reads a CTE with data in it twice). The engines'
metric_values on the SALT scenario sets (tests/scenario/test_engines.py) check it on Spark.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from openasc.metrics.catalogue import default_catalogue
from openasc.metrics.dialects import Staged, bind, shared_ctes_first, translate

QUERY = """
WITH ranks(kind, rank) AS (VALUES ('a', 1), ('b', 2)),
     raw AS (SELECT * FROM t WHERE v IS NOT NULL),
     once AS (SELECT k, max(v) AS top FROM raw GROUP BY k),
     shared(k, kind, v, top) AS (
         SELECT r.k, r.kind, r.v, o.top FROM raw r JOIN once o ON o.k = r.k),
     ranked AS (SELECT s.*, coalesce(x.rank, 99) AS rank,
                       row_number() OVER (PARTITION BY s.k ORDER BY s.v) AS n
                FROM shared s LEFT JOIN ranks x ON x.kind = s.kind)
SELECT a.k, a.v, a.rank, a.top, (SELECT count(*) FROM ranked b WHERE b.k = a.k) AS in_k,
       EXISTS (SELECT 1 FROM shared c WHERE c.k = a.k AND c.v > a.v) AS has_more
FROM ranked a
WHERE a.n <= 2 AND a.rank < (SELECT max(rank) + 1 FROM ranked)
UNION ALL
SELECT k, v, NULL, NULL, NULL, NULL FROM shared WHERE kind IS NULL
"""
TABLE = """
CREATE TABLE t AS SELECT * FROM (VALUES
    (1, 'a', 10), (1, 'b', 20), (1, 'a', 30), (2, 'c', 5), (2, NULL, 7), (3, 'b', NULL),
    (3, 'b', 1), (3, 'a', 2)) AS t(k, kind, v)
"""


def _run(staged: Staged) -> list[tuple]:
    con = duckdb.connect()
    con.execute(TABLE)
    for view, select in staged.steps:
        con.execute(f"CREATE TEMP TABLE {view} AS {select}")
    return sorted(con.execute(staged.query).fetchall(), key=repr)


def test_shared_ctes_are_computed_first_and_the_query_returns_the_same_rows() -> None:
    staged = shared_ctes_first(QUERY, "duckdb")
    # raw (read by once and shared) and shared (read three times) are steps; ranked is
    # read twice too; once is read once (it goes into shared's step), ranks has no table.
    assert [view for view, _ in staged.steps] == ["_cte_raw", "_cte_shared", "_cte_ranked"]
    assert "once AS" in staged.steps[1][1] and "ranks" not in staged.steps[1][1]
    assert "ranks" in staged.steps[2][1] and "once" not in staged.query
    original = _run(Staged((), QUERY))
    assert len(original) > 3
    assert _run(staged) == original


def test_a_query_without_a_shared_cte_is_left_as_it_is() -> None:
    for sql in ("SELECT 1 AS x",
                "WITH a AS (SELECT * FROM t) SELECT * FROM a",
                "WITH k(x) AS (VALUES (1)) SELECT * FROM k, k AS k2",
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
                "SELECT * FROM r JOIN r AS r2 USING (n)"):
        assert shared_ctes_first(sql, "duckdb") == Staged((), sql)


def _catalogue_files() -> list[Path]:
    families = default_catalogue()
    files = {m.sql_path for f in families for m in f.measures if m.sql_path is not None}
    files |= {s.folder / s.sql for f in families for s in f.prepare}
    return sorted(files)


def _ctes_read_twice(sql: str) -> list[str]:
    """The CTEs (with a table in them) that one Spark statement reads more than once."""
    tree = sqlglot.parse_one(sql, read="spark")
    with_ = tree.args.get("with_")
    if with_ is None:
        return []
    names = {c.alias for c in with_.expressions if any(True for _ in c.find_all(exp.Table))}
    reads = [t.name for t in tree.find_all(exp.Table) if not t.db and t.name in names]
    return sorted({n for n in reads if reads.count(n) > 1})


PARAMS = {"period_start": date(2024, 4, 1), "period_end": date(2025, 3, 31),
          "salt_method": "nhse", "la_code": "E06000001"}


@pytest.mark.parametrize("path", _catalogue_files(), ids=lambda p: p.name)
def test_no_statement_spark_runs_reads_a_cte_twice(path: Path) -> None:
    text = translate(bind(path.read_text("utf-8").strip().rstrip(";"), PARAMS), "spark",
                     pretty=False).text
    staged = shared_ctes_first(text, "spark")
    for _, select in staged.steps:
        assert _ctes_read_twice(select) == []
    assert _ctes_read_twice(staged.query) == []


def test_the_check_bites_on_the_file_that_needed_the_shim() -> None:
    """Without the shim, NHS England's STS001 replication reads `events`, `chain` and others
    several times in one statement (each read a new computation on Spark)."""
    path = next(p for p in _catalogue_files() if p.name == "salt_nhse_requests.sql")
    text = translate(bind(path.read_text("utf-8"), PARAMS), "spark", pretty=False).text
    assert {"events", "chain", "identified"} <= set(_ctes_read_twice(text))
    assert len(shared_ctes_first(text, "spark").steps) >= 5
