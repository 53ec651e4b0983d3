"""`openasc compute` at national scale (issue #20): bounded memory, and a summary that says
what was not computable in one line per measure and reason, not one per council.

The memory bound is DuckDB's `memory_limit` on the warehouse connection compute uses, with
a private folder for what DuckDB spills beyond it; `memory_limit` in openasc.toml or
OPENASC_MEMORY_LIMIT overrides the default (half the machine's memory). Shared tables
live only from their first reader to their last, so they do not fill that memory together.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from openasc import warehouse
from openasc.config import Settings, load_settings
from openasc.errors import OpenascError
from openasc.metrics import engine
from openasc.metrics.engine import ComputeResult

START, END = date(2024, 4, 1), date(2025, 3, 31)


# ----------------------------------------------------------------------------- the summary
def _result(councils: list[str], not_computable: list[tuple[str, str, str, str]]
            ) -> ComputeResult:
    return ComputeResult(councils=councils, period=(START, END),
                         not_computable=not_computable)


def test_one_council_keeps_one_line_per_measure() -> None:
    """A single-council run prints each measure with its council, as it always has."""
    lines = _result(["E10000034"], [
        ("E10000034", "ASCOF", "2D", "table hospital_discharges has no rows for E10000034"),
        ("E10000034", "ASCOF", "1A", "table survey_responses does not exist")]
    ).summary_lines()
    assert lines[1:] == [
        "Not computable (2):",
        "  ASCOF 2D for E10000034: table hospital_discharges has no rows for E10000034",
        "  ASCOF 1A for E10000034: table survey_responses does not exist"]


def test_many_councils_give_one_line_per_measure_and_reason() -> None:
    """Five councils. ASCOF 1A: no survey table for any of them -> one line, "5 councils".
    ASCOF 2D: four have no discharge rows (one line, "4 councils", the reason without a
    council's code) and one has another reason (its own line, naming it). SAC SAC-1: two
    councils -> named, not counted. 5 + 4 + 1 + 2 = 12 pairs in the header."""
    las = ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005"]
    rows = [(la, "ASCOF", "1A", "table survey_responses does not exist") for la in las]
    rows += [(la, "ASCOF", "2D", f"table hospital_discharges has no rows for {la}")
             for la in las[:4]]
    rows += [(las[4], "ASCOF", "2D", "shared table x was not built (table y does not exist)")]
    rows += [(la, "SAC", "SAC-1", f"table safeguarding_cases has no rows for {la}")
             for la in las[:2]]
    lines = _result(las, rows).summary_lines()
    assert lines[1:] == [
        "Not computable (12):",
        "  ASCOF 1A: not computable for 5 councils: table survey_responses does not exist",
        "  ASCOF 2D: not computable for 4 councils: table hospital_discharges has no rows",
        "  ASCOF 2D: not computable for E06000005: shared table x was not built "
        "(table y does not exist)",
        "  SAC SAC-1: not computable for E06000001, E06000002: table safeguarding_cases "
        "has no rows"]


def test_a_national_run_names_its_number_of_councils_not_every_code() -> None:
    """144 councils: the first line gives the count and the first and last code."""
    las = [f"E060000{n:02d}" for n in range(1, 100)] + [f"E080000{n:02d}" for n in range(45)]
    first = _result(las, []).summary_lines()[0]
    assert "for 144 councils and areas (E06000001 to E08000044)," in first
    assert "E06000050" not in first


# ----------------------------------------------------------------------------- the setting
def test_memory_limit_defaults_to_none_and_is_read_from_openasc_toml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENASC_MEMORY_LIMIT", raising=False)
    assert load_settings(cwd=tmp_path).memory_limit is None
    (tmp_path / "openasc.toml").write_text('memory_limit = "2GB"\n', encoding="utf-8")
    assert load_settings(cwd=tmp_path).memory_limit == "2GB"
    monkeypatch.setenv("OPENASC_MEMORY_LIMIT", "512MiB")
    assert load_settings(cwd=tmp_path).memory_limit == "512MiB"


@pytest.mark.parametrize("bad", ['"lots"', '"4 GB; DROP TABLE runs"', "4"])
def test_a_memory_limit_that_is_not_an_amount_is_refused_by_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.delenv("OPENASC_MEMORY_LIMIT", raising=False)
    (tmp_path / "openasc.toml").write_text(f"memory_limit = {bad}\n", encoding="utf-8")
    with pytest.raises(OpenascError, match=r"openasc.toml: memory_limit must be an amount"):
        load_settings(cwd=tmp_path)


def test_the_default_is_half_the_machine() -> None:
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    mb = int(warehouse.default_memory_limit().removesuffix("MiB"))
    assert mb == physical // 2 // 1024**2


def test_the_bounded_connection_limits_memory_and_spills_privately(tmp_path: Path) -> None:
    """Inside: DuckDB reports the limit and spills into a fresh folder that is not beside
    the warehouse; after: the folder is gone and the connection closed."""
    path = tmp_path / "wh" / "openasc.duckdb"
    with warehouse.bounded_connection(path, "512MiB") as con:
        limit, tmp = con.execute("SELECT current_setting('memory_limit'), "
                                 "current_setting('temp_directory')").fetchone()
        assert limit == "512.0 MiB"
        assert Path(tmp).is_dir() and path.parent not in Path(tmp).parents
    assert not Path(tmp).exists()
    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1")
    with pytest.raises(OpenascError, match="not an amount"):
        with warehouse.bounded_connection(path, "1GB'; ATTACH 'x"):
            pass


def test_compute_runs_on_the_bounded_connection(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """run_compute's connection carries the setting's limit (seen from inside compute)."""
    seen: list[str] = []
    real = engine.compute

    def spy(con: duckdb.DuckDBPyConnection, *args: object, **kwargs: object) -> ComputeResult:
        seen.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return real(con, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "compute", spy)
    settings = Settings(warehouse=tmp_path / "wh.duckdb", key_file=tmp_path / "k",
                        memory_limit="300MiB")
    result = engine.run_compute(START, END, "E10000034", settings, select=["DQ"])
    assert seen == ["300.0 MiB"]
    assert result.not_computable  # an empty warehouse: DQ-FIELDS has nothing to read


# ----------------------------------------------------------------------------- no rework
REUSE = """
family: REUSE
published: {counts: none}
prepare:
  - table: visit_counts
    sql: counts.sql
    requires: [visits]
measures:
  - code: R1
    title: Visits
    unit: count
    polarity: neutral
    numerator: visits
    denominator: none
    source: visits
    requires: [visits]
    disaggregations: []
    method_notes: The shared table's own rows.
    sql: counts.sql
  - code: R2
    title: Twice the visits
    unit: count
    polarity: neutral
    numerator: visits x 2
    denominator: none
    source: visits
    requires: [visit_counts]
    disaggregations: []
    method_notes: Reads the shared table.
    sql: twice.sql
"""
COUNTS = """SELECT la_code, '' AS breakdown, count(*) AS numerator
FROM visits JOIN compute_councils USING (la_code) GROUP BY la_code"""


def test_a_measure_sharing_a_prepare_step_s_file_reads_its_table(tmp_path: Path) -> None:
    """R1's SQL is the file the shared table visit_counts is built from (as SALT LTS001a's
    is salt_lts001_cells'): it runs once, and R1 reads the table. Visits: 2 for A, 1 for B,
    so R1 = 2 and 1, R2 (the table x 2) = 4 and 2."""
    from openasc.metrics.catalogue import load_catalogue

    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "reuse.yaml").write_text(REUSE)
    (folder / "counts.sql").write_text(COUNTS)
    (folder / "twice.sql").write_text("SELECT la_code, breakdown, numerator * 2 AS numerator "
                                      "FROM visit_counts")
    runs: list[str] = []

    class Counting(engine.DuckDBRunner):
        def shared_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                         params: dict[str, object], what: str,
                         by_council: bool = False) -> None:
            runs.append(what)
            super().shared_table(con, table, sql, params, what, by_council)

        def rows_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                       params: dict[str, object], what: str) -> None:
            runs.append(what)
            super().rows_table(con, table, sql, params, what)

    con = warehouse.connect(tmp_path / "wh.duckdb")
    con.execute("CREATE TABLE visits AS SELECT * FROM (VALUES ('A'), ('A'), ('B')) v(la_code)")
    engine.compute(con, START, END, ["A", "B"], "run", load_catalogue(folder),
                   runner=Counting())
    assert [w for w in runs if "counts.sql" in w] == [
        "Family REUSE: the shared table visit_counts (counts.sql)"]
    assert con.execute("SELECT code, la_code, numerator FROM metric_values ORDER BY 1, 2"
                       ).fetchall() == [("R1", "A", 2), ("R1", "B", 1), ("R2", "A", 4),
                                        ("R2", "B", 2)]


LIFETIMES = """
family: LIFE
published: {counts: none}
prepare:
  - table: per_council
    sql: per_council.sql
    requires: [visits]
  - table: doubled
    sql: doubled.sql
    requires: [per_council]
measures:
""" + "".join(f"""  - code: {code}
    title: {code}
    unit: count
    polarity: neutral
    numerator: visits
    denominator: none
    source: visits
    requires: [{reads}]
    disaggregations: []
    method_notes: Reads {reads}.
    sql: {sql}
""" for code, reads, sql in (("L1", "per_council", "l1.sql"), ("L2", "doubled", "l2.sql"),
                             ("L3", "visits", "counts.sql")))


def test_a_shared_table_lives_from_its_first_reader_to_its_last(tmp_path: Path) -> None:
    """L1 reads per_council; doubled is made from per_council and L2 reads it; L3 reads
    neither. So per_council is built just before L1 and kept for doubled, dropped once
    doubled is built; doubled is dropped after L2; L3 runs with no shared table left.
    (Built all before the first measure, as they were, a national run's shared tables
    filled its memory together.) Visits: A twice, B once: L1 = 2, 1; L2 = 4, 2; L3 = 2, 1."""
    from openasc.metrics.catalogue import load_catalogue

    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "life.yaml").write_text(LIFETIMES)
    (folder / "per_council.sql").write_text(COUNTS.replace("'' AS breakdown, ", ""))
    (folder / "doubled.sql").write_text("SELECT la_code, numerator * 2 AS numerator "
                                        "FROM per_council")
    (folder / "l1.sql").write_text("SELECT la_code, '' AS breakdown, numerator FROM per_council")
    (folder / "l2.sql").write_text("SELECT la_code, '' AS breakdown, numerator FROM doubled")
    (folder / "counts.sql").write_text(COUNTS)
    log: list[str] = []

    class Logging(engine.DuckDBRunner):
        def shared_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                         params: dict[str, object], what: str,
                         by_council: bool = False) -> None:
            log.append(f"build {table}")
            super().shared_table(con, table, sql, params, what, by_council)

        def drop_shared(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
            log.append(f"drop {table}")
            super().drop_shared(con, table)
            assert not warehouse.table_exists(con, table)

        def rows_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                       params: dict[str, object], what: str) -> None:
            log.append(what.split(":")[0])
            super().rows_table(con, table, sql, params, what)

    con = warehouse.connect(tmp_path / "wh.duckdb")
    con.execute("CREATE TABLE visits AS SELECT * FROM (VALUES ('A'), ('A'), ('B')) v(la_code)")
    result = engine.compute(con, START, END, ["A", "B"], "run", load_catalogue(folder),
                            runner=Logging())
    assert log == ["build per_council", "Measure LIFE L1", "build doubled", "drop per_council",
                   "Measure LIFE L2", "drop doubled", "Measure LIFE L3"]
    assert sorted(result.prepared) == [("A", "doubled"), ("A", "per_council"),
                                       ("B", "doubled"), ("B", "per_council")]
    assert con.execute("SELECT code, la_code, numerator FROM metric_values ORDER BY 1, 2"
                       ).fetchall() == [("L1", "A", 2), ("L1", "B", 1), ("L2", "A", 4),
                                        ("L2", "B", 2), ("L3", "A", 2), ("L3", "B", 1)]


def _row_groups(con: duckdb.DuckDBPyConnection, table: str) -> list[int]:
    """Rows in each row group of `table`, as stored."""
    return sorted(r[0] for r in con.execute(
        f"SELECT sum(count) FROM pragma_storage_info('{table}') WHERE column_id = 0 "
        "AND segment_type <> 'VALIDITY' GROUP BY row_group_id").fetchall())


def _insert_in_four(con: duckdb.DuckDBPyConnection, table: str, one: bool) -> None:
    """Four inserts of 130,000 rows from Arrow batches (as a CLD load reads its files), in
    one transaction, each on one thread or on the connection's two."""
    con.execute(f"CREATE TABLE {table} (i BIGINT, s VARCHAR)")
    con.execute("BEGIN")
    for k in range(4):
        batch = pa.table({"i": pa.array(range(k * 130_000, (k + 1) * 130_000), pa.int64())})
        rows = pa.RecordBatchReader.from_batches(batch.schema,
                                                 batch.to_batches(max_chunksize=2048))
        with warehouse.one_thread(con) if one else nullcontext():
            assert con.execute("SELECT current_setting('threads')").fetchall()[0][0] == (
                1 if one else 2)
            con.register("batches", rows)
            con.execute(f"INSERT INTO {table} SELECT i, 'row ' || i FROM batches")
            con.unregister("batches")
    con.execute("COMMIT")


def test_one_thread_writes_whole_row_groups_and_puts_the_setting_back(tmp_path: Path) -> None:
    """4 x 130,000 = 520,000 rows inserted on one thread fill row groups of 122,880 rows
    (DuckDB's size) one after another across the inserts: 4 full ones and one of
    520,000 - 4 x 122,880 = 28,480. On two threads each insert splits its rows between the
    threads' own row groups, leaving part-filled ones between the full ones (which a
    checkpoint then has to rewrite). The thread setting is 2 again after, also when the
    statement inside fails."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET threads = 2")
    _insert_in_four(con, "one", one=True)
    _insert_in_four(con, "two", one=False)
    assert _row_groups(con, "one") == [28_480] + [122_880] * 4
    assert len(_row_groups(con, "two")) > 5  # the contrast: the same rows in more groups
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 2
    with pytest.raises(duckdb.Error), warehouse.one_thread(con):
        con.execute("SELECT no_such_column FROM one")
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 2


RUN = "SELECT la_code FROM compute_councils"


def _batching_db(rows: dict[str, int] | None) -> duckdb.DuckDBPyConnection:
    """Councils A-F in compute_councils; `rows` CLD rows for each (no cld_records: None)."""
    con = duckdb.connect()
    engine.register_councils(con, list("ABCDEF"))
    if rows is not None:
        con.execute("CREATE TABLE cld_records (la_code VARCHAR)")
        con.execute("INSERT INTO cld_records SELECT la FROM (SELECT unnest(?) AS la, "
                    "unnest(?) AS n), range(n)", [list(rows), list(rows.values())])
    return con


def test_councils_are_batched_in_order_within_a_row_budget() -> None:
    """CLD rows A 3, B 2, C 0, D 5, E 1, F 0; a budget of 5 rows a batch.

    In council order: A (3) opens the first batch; B brings it to 5, the budget, and C (0)
    keeps it there; D (5) would make 10, so opens the second, which is then full; E (1)
    would make 6, so opens the third, and F (0) joins it: [A B C] [D] [E F].
    With a budget of 4: A 3; B would make 5 -> [B], C joins (2); D alone is over the budget
    and still a batch of its own; E -> [E F]: [A] [B C] [D] [E F]."""
    from openasc.batches import council_batches

    con = _batching_db({"A": 3, "B": 2, "D": 5, "E": 1})
    assert council_batches(con, RUN, 5) == [["A", "B", "C"], ["D"], ["E", "F"]]
    assert council_batches(con, RUN, 4) == [["A"], ["B", "C"], ["D"], ["E", "F"]]
    # every council in exactly one batch, whatever the budget
    for budget in (1, 2, 3, 6, 11, 100):
        assert sorted(la for b in council_batches(con, RUN, budget) for la in b) == list("ABCDEF")
    assert council_batches(con, RUN, 11) == [list("ABCDEF")]


def test_without_cld_there_is_one_batch_and_the_budget_follows_the_memory_limit() -> None:
    """No cld_records table: one batch of every council. The default budget is the memory
    limit over ROW_BYTES: 1 GiB = 1,073,741,824 bytes / 2,500 = 429,496 rows, so councils
    of 400,000 and 29,496 rows share a batch and one more row opens a second."""
    from openasc import batches

    assert batches.council_batches(_batching_db(None), RUN) == [list("ABCDEF")]
    con = _batching_db({"A": 400_000, "B": 29_496})
    con.execute("SET memory_limit = '1GiB'")
    assert batches.memory_limit_bytes(con) == 1024**3
    assert batches.ROW_BYTES == 2500
    assert batches.council_batches(con, RUN) == [list("ABCDEF")]
    con.execute("INSERT INTO cld_records VALUES ('B')")
    assert batches.council_batches(con, RUN) == [["A"], list("BCDEF")]


def test_the_duckdb_runner_builds_a_marked_table_batch_by_batch() -> None:
    """Marked `by_council`, a step's SQL runs once per batch with only that batch in
    compute_councils, and the rows are added up; the run's councils are put back after.
    Unmarked, it runs once over every council. The SQL here records what it saw."""
    con = _batching_db({"A": 3, "B": 2, "D": 5, "E": 1})
    runner = engine.DuckDBRunner(batch_rows=5)
    runner.start(con)
    sql = ("SELECT la_code, (SELECT string_agg(la_code, '' ORDER BY la_code) "
           "FROM compute_councils) AS seen FROM compute_councils")
    runner.shared_table(con, "marked", sql, {}, "test", by_council=True)
    runner.shared_table(con, "unmarked", sql, {}, "test")
    assert con.execute('SELECT * FROM "marked" ORDER BY 1').fetchall() == [
        ("A", "ABC"), ("B", "ABC"), ("C", "ABC"), ("D", "D"), ("E", "EF"), ("F", "EF")]
    assert {r[1] for r in con.execute('SELECT * FROM "unmarked"').fetchall()} == {"ABCDEF"}
    assert con.execute("SELECT string_agg(la_code, '' ORDER BY la_code) FROM compute_councils"
                       ).fetchone()[0] == "ABCDEF"


def test_a_marked_step_of_the_per_council_form_runs_once_for_its_council(
        tmp_path: Path) -> None:
    """A step bound to one `$la_code` (the older per-council form) is one council already:
    marked `by_council` or not, it runs once, so its rows are not repeated per batch. Here
    three batches ([A B C] [D] [E F]) and a step that returns one row for council A."""
    from openasc.metrics.catalogue import Family, PrepareStep

    (tmp_path / "one.sql").write_text("SELECT $la_code AS la_code, 1 AS n")
    step = PrepareStep("one_row", "one.sql", (), tmp_path, by_council=True)
    family = Family("T", tmp_path / "t.yaml", "1", {}, ())
    con = _batching_db({"A": 3, "B": 2, "D": 5, "E": 1})
    runner = engine.DuckDBRunner(batch_rows=5)
    runner.start(con)
    assert len(runner.batches) == 3
    engine.prepare_tables(con, ((family, step),), date(2024, 4, 1), date(2025, 3, 31), "A",
                          runner=runner)
    assert con.execute('SELECT * FROM "one_row"').fetchall() == [("A", 1)]
