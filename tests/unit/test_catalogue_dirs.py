"""A council's own measures (`catalogue_dirs` in openasc.toml) and `openasc metrics sql`.

Adding a measure is one YAML entry and one SQL file in a folder the council owns; the test
writes exactly that and drives the real command line: compute, metrics list, metrics sql.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from test_engine import END, LA, START, VISITS, make_catalogue, make_warehouse
from typer.testing import CliRunner

from openasc.cli import app
from openasc.config import load_settings
from openasc.errors import OpenascError
from openasc.metrics.catalogue import catalogue_version, load_catalogue
from openasc.metrics.compiled import compile_measure

# One YAML entry: a council measure added to the packaged ACTIVITY family.
COUNCIL_YAML = """
family: ACTIVITY
measures:
  - code: WCC-HOME-001
    title: Visits at home
    unit: count
    polarity: neutral
    numerator: Visits at home in the period
    denominator: none (a count)
    source: visits
    requires: [visits]
    disaggregations: []
    method_notes: Every visit at home in the period.
    sql: home_visits.sql
    tests:
      - not_null: numerator
"""
COUNCIL_SQL = """
SELECT '' AS breakdown, count(*) AS numerator
FROM visits WHERE la_code = $la_code AND place = 'home'
  AND day BETWEEN $period_start AND $period_end
"""


@pytest.fixture
def council(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A council folder: openasc.toml naming `measures/`, which holds one YAML + one SQL."""
    folder = tmp_path / "measures"
    folder.mkdir()
    (folder / "council.yaml").write_text(COUNCIL_YAML)
    (folder / "home_visits.sql").write_text(COUNCIL_SQL)
    (tmp_path / "openasc.toml").write_text(
        'warehouse = "wh.duckdb"\ncouncil = "416"\ncatalogue_dirs = ["measures"]\n')
    make_warehouse(tmp_path / "wh.duckdb", VISITS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_council_measure_is_one_yaml_entry_and_one_sql_file(council: Path) -> None:
    """In 2024-25, A's visit of 1 May and B's of 1 July were at home (A's clinic visit and
    C's 2023 visit are not): WCC-HOME-001 = 2, written beside the packaged measures, listed
    by `metrics list --family activity` and tested by its declared not_null test."""
    runner = CliRunner()
    done = runner.invoke(app, ["compute", "--from", str(START), "--to", str(END),
                               "--select", "WCC-HOME-001"])
    assert done.exit_code == 0, done.output
    assert "Computed 1 measure(s)" in done.output and "Data tests: 1 run, 1 passed" in done.output
    con = duckdb.connect(str(council / "wh.duckdb"), read_only=True)
    assert con.execute("SELECT family, code, la_code, breakdown, numerator, value, unit FROM "
                       "metric_values").fetchall() == [
        ("ACTIVITY", "WCC-HOME-001", LA, "", 2.0, 2.0, "count")]
    listed = runner.invoke(app, ["metrics", "list", "--family", "activity"])
    assert listed.exit_code == 0 and "WCC-HOME-001" in listed.output
    assert "ACT-REQ-001" in listed.output  # the packaged measures are still there


def test_catalogue_dirs_are_relative_to_openasc_toml_and_in_the_method_version(
        council: Path) -> None:
    settings = load_settings(cwd=council)
    assert settings.catalogue_dirs == (council / "measures",)
    version = catalogue_version(load_catalogue(None, settings.catalogue_dirs))
    assert version != catalogue_version(load_catalogue())
    (council / "measures" / "home_visits.sql").write_text(COUNCIL_SQL + "-- edited\n")
    assert catalogue_version(load_catalogue(None, settings.catalogue_dirs)) != version


@pytest.mark.parametrize(("yaml_text", "message"), [
    (COUNCIL_YAML.replace("WCC-HOME-001", "act-req-001"),
     "measure code act-req-001 is already in the catalogue .ACTIVITY ACT-REQ-001"),
    (COUNCIL_YAML.replace("family: ACTIVITY", "family: LOCAL").replace("WCC-HOME-001", "2a"),
     "measure code 2a is already in the catalogue .ASCOF 2A"),
    (COUNCIL_YAML.replace("measures:", "published: {counts: none}\nmeasures:"),
     "`published:` cannot be set for ACTIVITY"),
])
def test_a_council_file_cannot_shadow_the_packaged_catalogue(
        tmp_path: Path, yaml_text: str, message: str) -> None:
    (tmp_path / "council.yaml").write_text(yaml_text)
    (tmp_path / "home_visits.sql").write_text(COUNCIL_SQL)
    with pytest.raises(OpenascError, match=message):
        load_catalogue(None, (tmp_path,))


def test_a_missing_catalogue_dir_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(OpenascError, match="catalogue_dirs: .*nowhere is not a folder"):
        load_catalogue(None, (tmp_path / "nowhere",))


def test_metrics_sql_bound_for_a_council_runs_in_duckdb_as_the_engine_ran_it(
        council: Path) -> None:
    """`metrics sql` with --la/--from/--to writes the council and dates in as literals; the
    printed text, run as it is in DuckDB, gives the row compute wrote (numerator 2)."""
    runner = CliRunner()
    printed = runner.invoke(app, ["metrics", "sql", "WCC-HOME-001", "--la", "416", "--from",
                                  str(START), "--to", str(END)])
    assert printed.exit_code == 0, printed.output
    assert "la_code = 'E10000034'" in printed.output
    assert "BETWEEN DATE '2024-04-01' AND DATE '2025-03-31'" in printed.output
    con = duckdb.connect(str(council / "wh.duckdb"), read_only=True)
    assert con.execute(printed.output).fetchall() == [("", 2)]


def test_metrics_sql_without_a_period_uses_the_configured_council_and_placeholders(
        council: Path) -> None:
    printed = CliRunner().invoke(app, ["metrics", "sql", "activity/wcc-home-001"])
    assert printed.exit_code == 0, printed.output
    assert "la_code = 'E10000034'" in printed.output  # council = "416" in openasc.toml
    assert "BETWEEN $period_start AND $period_end" in printed.output
    assert "placeholders (give --la, --from and --to to bind them): $period_end, " \
        "$period_start" in printed.output


def test_metrics_sql_prints_the_prepare_steps_in_order_then_the_measure() -> None:
    """ACT-REQ-001 reads SALT's request sequels: that step first, then the shared ACTIVITY
    requests file, kept to the rows whose code is ACT-REQ-001."""
    text = compile_measure("ACT-REQ-001", load_catalogue(), "duckdb", LA, START, END).text
    step = text.index("CREATE OR REPLACE TEMP TABLE salt_request_sequels AS")
    measure = text.index("-- The measure: activity_requests.sql")
    assert step < measure and "WHERE code = 'ACT-REQ-001'" in text[measure:]
    assert "$" not in text.replace("$la_code", "")  # every parameter bound
    assert text.count("CREATE OR REPLACE TEMP TABLE") == 2  # compute_councils, then the step
    assert text.index("CREATE OR REPLACE TEMP TABLE compute_councils") < step


def test_metrics_sql_names_what_sqlglot_cannot_translate_and_exits_0(council: Path) -> None:
    """The shipped catalogue translates cleanly (tests/unit/test_dialects.py), so a council's
    own SQL supplies the construct: PostgreSQL has no IGNORE NULLS."""
    (council / "measures" / "home_visits.sql").write_text(
        "SELECT '' AS breakdown, count(*) AS numerator, max(latest) AS denominator FROM ("
        "SELECT last_value(place IGNORE NULLS) OVER (ORDER BY day) AS latest FROM visits "
        "WHERE la_code = $la_code AND day BETWEEN $period_start AND $period_end)")
    construct = "PostgreSQL does not support IGNORE NULLS"
    result = CliRunner().invoke(app, ["metrics", "sql", "WCC-HOME-001", "--dialect",
                                      "postgres", "--la", "E10000034", "--from", "2024-04-01",
                                      "--to", "2025-03-31"])
    assert result.exit_code == 0, result.output
    assert f"-- WARNING (postgres): {construct}" in result.stdout
    assert "Note: sqlglot could not translate" in result.stderr
    assert construct in result.stderr


def test_metrics_sql_for_tsql_reads_the_prepare_tables_as_temporary_tables() -> None:
    """In T-SQL a temporary table is #name wherever it is read."""
    text = compile_measure("STS001", load_catalogue(), "tsql", LA, START, END).text
    assert "INTO #salt_request_sequels" in text and "FROM [#salt_request_sequels]" in text
    assert compile_measure("STS001", load_catalogue(), "spark").warnings == ()


def test_sql_sqlglot_cannot_parse_is_printed_with_a_warning_not_a_traceback(
        tmp_path: Path) -> None:
    """A council's SQL in a DuckDB-only form sqlglot does not read: the DuckDB text is
    printed under a comment saying it was not translated."""
    folder = make_catalogue(tmp_path / "cat")
    (folder / "t2.sql").write_text("SELECT '' AS breakdown, 1 AS numerator FROM visits "
                                   "WHERE place = ANY ((")
    compiled = compile_measure("T2", load_catalogue(folder), "tsql")
    assert compiled.warnings and "sqlglot could not translate this statement" in compiled.text
    assert "ANY ((" in compiled.text


def test_metrics_sql_refuses_a_measure_with_no_sql_and_an_unknown_dialect() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["metrics", "sql", "STS003"]).exit_code == 1
    assert runner.invoke(app, ["metrics", "sql", "2A", "--dialect", "oracle"]).exit_code == 1
    only_from = runner.invoke(app, ["metrics", "sql", "2A", "--from", str(date(2024, 4, 1))])
    assert only_from.exit_code == 1


def test_a_council_file_cannot_rebuild_a_packaged_shared_table(tmp_path: Path) -> None:
    (tmp_path / "council.yaml").write_text(COUNCIL_YAML.replace(
        "measures:", "prepare:\n  - table: salt_request_sequels\n    sql: home_visits.sql\n"
        "    requires: [visits]\nmeasures:"))
    (tmp_path / "home_visits.sql").write_text(COUNCIL_SQL)
    with pytest.raises(OpenascError, match="council.yaml: prepare table salt_request_sequels "
                                           "is also built by .*salt.yaml"):
        load_catalogue(None, (tmp_path,))
