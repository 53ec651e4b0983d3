"""Every catalogue file in T-SQL, Spark SQL and PostgreSQL, and the shims that make it so.

Issue #20 item 4: a council on SQL Server (or Spark, or PostgreSQL) must get every measure in
its dialect with nothing left untranslated. The first test translates every SQL file the
catalogue ships (measures and prepare steps) with sqlglot's `unsupported_level=RAISE` after
the shims of metrics/dialects.py; its id names the file and dialect, and a failure names the
construct. Since sqlglot passes some constructs SQL Server lacks without a word (MEDIAN, an
aggregate PERCENTILE_CONT), the T-SQL is also parsed back and searched for them. The shims
are checked by meaning: the shimmed query, run in DuckDB, returns what the original returns
(DuckDB can sort NULLs either way, so it can play the target's rules).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from openasc.metrics.catalogue import default_catalogue
from openasc.metrics.dialects import (
    distinct_table_aliases,
    explicit_null_ordering,
    inline_named_windows,
    translate,
)


def _catalogue_files() -> list[Path]:
    families = default_catalogue()
    files = {m.sql_path for f in families for m in f.measures if m.sql_path is not None}
    files |= {s.folder / s.sql for f in families for s in f.prepare}
    return sorted(files)


@pytest.mark.parametrize("dialect", ["tsql", "spark", "postgres"])
@pytest.mark.parametrize("path", _catalogue_files(), ids=lambda p: p.name)
def test_every_catalogue_file_translates_with_nothing_unsupported(path: Path,
                                                                  dialect: str) -> None:
    sql = path.read_text("utf-8").strip().rstrip(";")
    translation = translate(sql, dialect, strict=True)
    assert translation.problems == ()
    assert translation.text


# The ordered-set aggregates: SQL Server has PERCENTILE_CONT and PERCENTILE_DISC only as
# window functions (`PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x) OVER (...)`), and none of
# the others at all.
_ORDERED_SET = (exp.Median, exp.Quantile, exp.PercentileCont, exp.PercentileDisc,
                exp.ApproxQuantile)


def _aggregates_tsql_lacks(tsql: str) -> list[str]:
    """The medians and percentiles in a T-SQL statement that SQL Server cannot run: any not
    written as a window function, and any function sqlglot does not know by a median, quantile
    or percentile name. Read from the parsed tree, so comments naming them do not count."""
    tree = sqlglot.parse_one(tsql, read="tsql")
    lacking = [node.sql("tsql") for node in tree.find_all(*_ORDERED_SET)
               if not (isinstance(node.parent, exp.WithinGroup)
                       and isinstance(node.parent.parent, exp.Window))]
    lacking += [node.sql("tsql") for node in tree.find_all(exp.Anonymous)
                if any(word in node.name.upper()
                       for word in ("MEDIAN", "QUANTILE", "PERCENTILE"))]
    return lacking


@pytest.mark.parametrize("path", _catalogue_files(), ids=lambda p: p.name)
def test_no_catalogue_file_needs_an_aggregate_t_sql_lacks(path: Path) -> None:
    """No MEDIAN, QUANTILE or aggregate PERCENTILE_CONT in the T-SQL of any catalogue file.

    The strict translation above does not catch these: sqlglot reports only what its T-SQL
    generator knows it cannot write, and it writes DuckDB's `median(d)` as `MEDIAN(d)` and
    `quantile_cont(d, 0.9)` as `PERCENTILE_CONT(d, 0.9)` (the function's own name, the
    generic fallback) without a message, though SQL Server has no MEDIAN and allows
    PERCENTILE_CONT only as `PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY d) OVER (...)`. So
    the translation is parsed back as T-SQL and searched. The catalogue writes its medians
    and percentiles with row_number() and count() windows instead."""
    sql = path.read_text("utf-8").strip().rstrip(";")
    assert _aggregates_tsql_lacks(translate(sql, "tsql", strict=True).text) == []


def test_the_t_sql_aggregate_check_finds_what_sqlglot_lets_through() -> None:
    """The check above bites: each of these passes sqlglot's strict translation unreported,
    and only the window form is one SQL Server runs."""
    sql = ("SELECT k, median(d) AS m, quantile_cont(d, 0.9) AS p, "
           "median(d) FILTER (WHERE c) AS f FROM t GROUP BY k")
    found = _aggregates_tsql_lacks(translate(sql, "tsql", strict=True).text)
    assert [f.split("(")[0] for f in found] == ["MEDIAN", "PERCENTILE_CONT", "MEDIAN"]
    window = "SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY d) OVER (PARTITION BY k) FROM t"
    assert _aggregates_tsql_lacks(translate(window, "tsql", strict=True).text) == []


def test_the_check_covers_every_file_the_catalogue_runs() -> None:
    """Prepare steps are in the list too (a measure's SQL alone would miss salt_*.sql)."""
    names = {p.name for p in _catalogue_files()}
    assert {"salt_request_sequels.sql", "ascof_2a.sql", "sac_counts.sql"} <= names
    assert len(names) == len({p for p in _catalogue_files()})


def test_an_untranslatable_construct_is_named_not_dropped() -> None:
    """PostgreSQL has no IGNORE NULLS: strict translation refuses, the default reports."""
    sql = "SELECT last_value(x IGNORE NULLS) OVER (ORDER BY d) AS v FROM t"
    assert "IGNORE NULLS" in translate(sql, "postgres").problems[0]
    with pytest.raises(Exception, match="IGNORE NULLS"):
        translate(sql, "postgres", strict=True)


ROWS = "SELECT * FROM (VALUES (1, 'a', 3), (2, 'a', NULL), (3, 'b', 1), (4, 'b', NULL), " \
       "(5, 'a', 2)) AS t(id, g, k)"


def _as_duckdb(sql: str, shim: Callable[[exp.Expression], exp.Expression]) -> str:
    tree = sqlglot.parse_one(sql, read="duckdb")
    return shim(tree).sql("duckdb")


def _run(sql: str) -> list[tuple]:
    return duckdb.connect().execute(sql).fetchall()


@pytest.mark.parametrize("order", ["k", "k DESC", "k NULLS FIRST", "k DESC NULLS LAST"])
def test_null_ordering_shim_keeps_duckdb_s_order_in_a_framed_window(order: str) -> None:
    """A running max over `ORDER BY k` (DuckDB: NULLs last ascending): rewritten for T-SQL's
    NULLs-first rule, played in DuckDB with that rule written out, the same running values
    for every row. Without the shim T-SQL would put the NULL rows first and their running
    max would be NULL instead of the group's max so far."""
    sql = (f"WITH t AS ({ROWS}) SELECT id, sum(id) OVER (PARTITION BY g ORDER BY {order} "
           "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM t ORDER BY id")
    shimmed = _as_duckdb(sql, lambda tree: explicit_null_ordering(tree, "tsql"))
    assert "CASE WHEN" in shimmed or order in ("k DESC", "k NULLS FIRST")
    assert _run(shimmed) == _run(sql)
    assert not translate(sql, "tsql").problems


def test_null_ordering_shim_resolves_positions_and_a_union_s_order() -> None:
    """`ORDER BY 1` over a UNION: T-SQL allows no expression there, so the union becomes a
    derived table and the position its column's name; rows come out in DuckDB's order."""
    sql = (f"WITH t AS ({ROWS}) SELECT k, id FROM t WHERE g = 'a' UNION ALL "
           "SELECT k, id FROM t WHERE g = 'b' ORDER BY 1, 2")
    shimmed = _as_duckdb(sql, lambda tree: explicit_null_ordering(tree, "tsql"))
    assert "ordered_rows" in shimmed
    assert _run(shimmed) == _run(sql)
    assert not translate(sql, "tsql").problems


def test_named_windows_are_written_out_with_their_frames() -> None:
    """`OVER (w ROWS ...)` is a syntax error in Spark SQL; written out it means the same."""
    sql = (f"WITH t AS ({ROWS}) SELECT id, row_number() OVER w AS n, max(k) OVER (w ROWS "
           "BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM t "
           "WINDOW w AS (PARTITION BY g ORDER BY id) ORDER BY id")
    shimmed = _as_duckdb(sql, lambda tree: inline_named_windows(tree, "spark"))
    assert "WINDOW" not in shimmed.upper()
    assert _run(shimmed) == _run(sql)


def test_table_aliases_no_longer_share_a_name_with_a_column() -> None:
    """Outer table `e`, inner table with a column `e`: Spark would read `e.id` as a field of
    that column. With suffixed aliases the query reads the same in DuckDB and names no
    alias `e`."""
    sql = (f"WITH t AS ({ROWS}), ev AS (SELECT id, k AS e FROM t) SELECT e.id FROM t AS e "
           "WHERE EXISTS (SELECT 1 FROM ev AS l WHERE l.e IS NULL AND l.id = e.id) "
           "ORDER BY e.id")
    shimmed = _as_duckdb(sql, lambda tree: distinct_table_aliases(tree, "spark"))
    tree = sqlglot.parse_one(shimmed, read="duckdb")
    aliases = {a.name for a in tree.find_all(exp.TableAlias)}
    assert "e__" in aliases and "e" not in aliases
    assert _run(shimmed) == _run(sql) == [(2,), (4,)]
