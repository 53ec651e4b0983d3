"""The metric engine: what `openasc compute` writes, replaces, refuses and records.

The measures here are tiny ones written for the test in a temporary catalogue, so each
expected number can be read straight off the rows inserted.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

from openasc.cli import app
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.metrics import engine
from openasc.metrics.catalogue import (
    REQUIRED_FIELDS,
    all_measures,
    catalogue_folder,
    load_catalogue,
    load_family,
)
from openasc.warehouse import connect

LA = "E10000034"
START, END = date(2024, 4, 1), date(2025, 3, 31)

FAMILY = """
family: TEST
published: {counts: none}
measures:
  - code: T1
    title: People with a visit
    unit: count
    polarity: neutral
    numerator: People with a visit
    denominator: none (a count)
    source: visits
    requires: [visits]
    disaggregations: [route]
    method_notes: Distinct people with a visit in the period, by route.
    sql: t1.sql
  - code: T2
    title: Share of visits that were at home
    unit: percent
    polarity: higher
    numerator: visits at home
    denominator: all visits
    source: visits
    requires: [visits]
    disaggregations: []
    method_notes: Visits at home over all visits.
    sql: t2.sql
  - code: T3
    title: Needs a table nobody loaded
    unit: count
    polarity: neutral
    numerator: things
    denominator: none
    source: nothing
    requires: [things]
    disaggregations: []
    method_notes: Cannot run without the things table.
    sql: t1.sql
  - code: T4
    title: Not built
    unit: count
    polarity: neutral
    numerator: n/a
    denominator: n/a
    source: n/a
    disaggregations: []
    method_notes: No source.
    implemented: false
    not_implemented_reason: the reference gives no definition
"""

T1 = """
SELECT CASE WHEN grouping(route) = 1 THEN '' ELSE 'route=' || route END AS breakdown,
       count(DISTINCT person) AS numerator
FROM visits
WHERE la_code = $la_code AND day BETWEEN $period_start AND $period_end
GROUP BY ROLLUP (route)
"""

T2 = """
SELECT '' AS breakdown, count(*) FILTER (WHERE place = 'home') AS numerator,
       count(*) AS denominator
FROM visits WHERE la_code = $la_code AND day BETWEEN $period_start AND $period_end
"""


def make_catalogue(folder: Path, t2: str = T2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "test.yaml").write_text(FAMILY)
    (folder / "t1.sql").write_text(T1)
    (folder / "t2.sql").write_text(t2)
    return folder


def make_warehouse(path: Path, rows: list[tuple]) -> None:
    con = connect(path)
    con.execute("CREATE OR REPLACE TABLE visits (la_code VARCHAR, person VARCHAR, "
                "route VARCHAR, place VARCHAR, day DATE)")
    con.executemany("INSERT INTO visits VALUES (?, ?, ?, ?, ?)", rows)
    con.close()


VISITS = [
    (LA, "A", "Community", "home", date(2024, 5, 1)),
    (LA, "A", "Community", "clinic", date(2024, 6, 1)),
    (LA, "B", "Hospital", "home", date(2024, 7, 1)),
    (LA, "C", "Hospital", "home", date(2023, 7, 1)),  # before the period: not counted
]


def settings(tmp_path: Path) -> Settings:
    return Settings(warehouse=tmp_path / "wh.duckdb", key_file=tmp_path / "k")


def values(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    rows = con.execute("SELECT code, la_code, breakdown, numerator, denominator, value, unit "
                       "FROM metric_values ORDER BY code, breakdown").fetchall()
    con.close()
    return rows


def test_compute_writes_values_by_unit_and_lists_not_computable(tmp_path: Path) -> None:
    """T1 counts distinct people: A (Community) and B (Hospital) in the period; C is before
    it, so headline 2, route=Community 1, route=Hospital 1. T2: 3 visits in the period, 2 at
    home, 2/3 x 100 = 66.666...%. T3 needs `things`, which does not exist: not computable,
    nothing written. T4 is not implemented and is not run."""
    families = load_catalogue(make_catalogue(tmp_path / "cat"))
    s = settings(tmp_path)
    make_warehouse(s.warehouse, VISITS)
    out = Console(record=True, width=200)
    result = engine.compute_command(START, END, None, s, out, families=families)
    assert values(s.warehouse) == [
        ("T1", LA, "", 2.0, None, 2.0, "count"),
        ("T1", LA, "route=Community", 1.0, None, 1.0, "count"),
        ("T1", LA, "route=Hospital", 1.0, None, 1.0, "count"),
        ("T2", LA, "", 2.0, 3.0, pytest.approx(200 / 3), "percent"),
    ]
    assert result.not_computable == [
        (LA, "TEST", "T3", "table things does not exist (nothing of that kind has been loaded)")
    ]
    text = out.export_text()
    assert "4 row(s) written" in text and "TEST T3" in text
    con = duckdb.connect(str(s.warehouse), read_only=True)
    run = con.execute("SELECT command, status, method_version, detail FROM runs").fetchall()
    assert run[0][:2] == ("compute", "ok") and run[0][2].startswith("catalogue-")
    assert json.loads(run[0][3])["rows_written"] == 4


def test_recompute_replaces_every_row_of_the_same_keys(tmp_path: Path) -> None:
    """Second run after B's visit is deleted: T1 headline 1 and route=Community 1; the old
    route=Hospital row must go (not linger from the first run). Rows of another period are
    untouched."""
    families = load_catalogue(make_catalogue(tmp_path / "cat"))
    s = settings(tmp_path)
    make_warehouse(s.warehouse, VISITS)
    quiet = Console(quiet=True)
    engine.compute_command(START, END, None, s, quiet, families=families)
    engine.compute_command(date(2023, 4, 1), date(2024, 3, 31), None, s, quiet,
                           families=families)
    make_warehouse(s.warehouse, [v for v in VISITS if v[1] != "B"])
    engine.compute_command(START, END, None, s, quiet, families=families)
    con = duckdb.connect(str(s.warehouse), read_only=True)
    rows = con.execute("SELECT period_start, breakdown, numerator FROM metric_values "
                       "WHERE code = 'T1' ORDER BY 1, 2").fetchall()
    assert rows == [
        (date(2023, 4, 1), "", 1.0),
        (date(2023, 4, 1), "route=Hospital", 1.0),
        (START, "", 1.0),
        (START, "route=Community", 1.0),
    ]


def test_a_failing_sql_rolls_back_the_whole_run(tmp_path: Path) -> None:
    """T1 runs first and would write 3 rows; T2's SQL then fails. The run must leave the
    warehouse as it was: the 4 rows of an earlier good run, no rows of the failed one."""
    s = settings(tmp_path)
    make_warehouse(s.warehouse, VISITS)
    quiet = Console(quiet=True)
    good = load_catalogue(make_catalogue(tmp_path / "good"))
    engine.compute_command(START, END, None, s, quiet, families=good)
    before = values(s.warehouse)
    make_warehouse(s.warehouse, [v for v in VISITS if v[1] != "B"])
    bad = load_catalogue(make_catalogue(tmp_path / "bad", t2="SELECT nonsense FROM visits"))
    with pytest.raises(OpenascError, match="T2.*t2.sql.*unchanged"):
        engine.compute_command(START, END, None, s, quiet, families=bad)
    assert values(s.warehouse) == before
    con = duckdb.connect(str(s.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1


def test_la_option_accepts_the_nhs_code_and_empty_council_is_not_computable(
        tmp_path: Path) -> None:
    """`--la 416` is Worcestershire, E10000034. For another council (E10000019, NHS 336... any
    with no rows) every measure is not computable and nothing is written."""
    families = load_catalogue(make_catalogue(tmp_path / "cat"))
    s = settings(tmp_path)
    make_warehouse(s.warehouse, VISITS)
    quiet = Console(quiet=True)
    result = engine.compute_command(START, END, "416", s, quiet, families=families)
    assert {la for la, _, _ in result.computed} == {LA}
    other = engine.compute_command(START, END, "E10000019", s, quiet, families=families)
    assert other.computed == []
    assert {r[3] for r in other.not_computable} == {
        "table visits has no rows for E10000019",
        "table things does not exist (nothing of that kind has been loaded)"}


def test_period_the_wrong_way_round_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(OpenascError, match="before"):
        engine.compute_command(END, START, None, settings(tmp_path), Console())


def test_missing_metadata_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        "family: X\nmeasures:\n  - code: X1\n    title: t\n    unit: count\n")
    with pytest.raises(OpenascError, match="X1.*missing polarity"):
        load_family(tmp_path / "x.yaml")


def test_every_catalogue_entry_has_its_metadata_and_its_sql_parses() -> None:
    """design.md principle 2: code, title, family, unit, polarity, numerator, denominator,
    source, disaggregations, method notes — for every measure of every family file."""
    measures = all_measures(load_catalogue(catalogue_folder()))
    assert measures, "the catalogue is empty"
    con = duckdb.connect()
    for m in measures:
        for f in REQUIRED_FIELDS:
            assert getattr(m, f) not in (None, ""), (m.family, m.code, f)
        assert m.family
        if m.implemented:
            statements = con.extract_statements(m.sql_text())
            assert len(statements) == 1, (m.code, m.sql)
        else:
            assert m.not_implemented_reason


def test_metrics_list_and_show_through_the_command_line() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["metrics", "list", "--family", "salt"])
    assert listed.exit_code == 0, listed.output
    assert "STS001" in listed.output and "not implemented" in listed.output
    shown = runner.invoke(app, ["metrics", "show", "sts001"])
    assert shown.exit_code == 0, shown.output
    assert "SALT STS001" in shown.output and "method notes" in shown.output
    missing = runner.invoke(app, ["metrics", "show", "NOPE"])
    assert missing.exit_code != 0
