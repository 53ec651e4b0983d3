"""Data tests declared beside a measure (`tests:` in its YAML): each kind passes on rows that
keep its rule and fails, naming measure, council, breakdown and rule, on a row that breaks it;
a failed `severity: error` test rolls the compute back.

Rows are inserted into metric_values by hand, so each expectation is the rule applied to the
numbers written in the test.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from test_engine import END, LA, START, VISITS, make_catalogue, make_warehouse, settings, values

from openasc.errors import OpenascError
from openasc.metrics import engine
from openasc.metrics.catalogue import DataTest, Measure, load_catalogue, load_family
from openasc.metrics.data_tests import run_data_tests
from openasc.warehouse import connect


def measure(unit: str, tests: tuple[DataTest, ...]) -> Measure:
    return Measure(family="TEST", code="M", title="m", unit=unit, polarity="neutral",
                   numerator="n", denominator="d", source="s",
                   disaggregations=("age_band", "sex"), method_notes="", sql="m.sql",
                   tests=tests)


def check(tmp_path: Path, m: Measure, rows: list[tuple]) -> list:
    """Write (breakdown, numerator, denominator, value) rows for M and run its tests."""
    con = connect(tmp_path / "wh.duckdb")
    con.executemany(
        "INSERT INTO metric_values VALUES ('TEST', 'M', ?, ?, ?, ?, ?, ?, ?, ?, 'run')",
        [(LA, START, END, b, n, d, v, m.unit) for b, n, d, v in rows])
    # Another period's row that breaks every rule: tests look only at the run's period.
    con.execute("INSERT INTO metric_values VALUES ('TEST', 'M', ?, ?, ?, '', 9, 1, 900, ?, "
                "'old')", [LA, date(2023, 4, 1), date(2024, 3, 31), m.unit])
    report = run_data_tests(con, [(LA, m)], START, END)
    con.close()
    return report.failures


SHARE = [("", 3.0, 4.0, 75.0), ("age_band=18-64", 1.0, 2.0, 50.0),
         ("age_band=65 and above", 2.0, 2.0, 100.0)]


@pytest.mark.parametrize(("test", "bad_row", "detail"), [
    (DataTest("numerator_le_denominator"), ("age_band=18-64", 3.0, 2.0, 150.0),
     "numerator 3.0 is more than the denominator 2.0"),
    (DataTest("value_between", bounds=(0.0, 100.0)), ("age_band=18-64", 1.0, 2.0, 104.5),
     "value 104.5 is outside [0.0, 100.0]"),
    (DataTest("not_null", columns=("numerator", "denominator")),
     ("age_band=18-64", 1.0, None, None), "denominator is empty"),
])
def test_each_row_rule_passes_good_rows_and_names_the_row_that_breaks_it(
        tmp_path: Path, test: DataTest, bad_row: tuple, detail: str) -> None:
    """The share 3/4 with age bands 1/2 and 2/2 keeps every rule; replacing the 18-64 row
    with the bad one breaks exactly this rule on exactly that breakdown."""
    m = measure("percent", (test,))
    assert check(tmp_path / "good", m, SHARE) == []
    failures = check(tmp_path / "bad", m, [SHARE[0], bad_row, SHARE[2]])
    assert [(f.family, f.code, f.la_code, f.breakdown, f.rule, f.detail) for f in failures] == [
        ("TEST", "M", LA, "age_band=18-64", test.rule, detail)]
    assert failures[0].line() == (f"warn TEST M for {LA}, breakdown age_band=18-64: "
                                  f"{test.rule} ({detail})")


def test_breakdowns_must_sum_to_the_headline_on_their_own_keys_only(tmp_path: Path) -> None:
    """Headline 3 of 4. Age bands 1/2 + 2/2 = 3/4: the rule holds. Rows by age band and sex
    together (key set {age_band, sex}) are another breakdown and are not added in. With the
    65+ row at 1 of 2, the age bands sum to 2, not 3: one failure on `age_band`. With the
    numerators right but denominators 2 + 3 = 5 against 4, a share fails on denominators."""
    m = measure("percent", (DataTest("breakdowns_sum_to_headline", keys=("age_band",)),))
    extra = [("age_band=18-64;sex=Male", 1.0, 1.0, 100.0)]
    assert check(tmp_path / "good", m, SHARE + extra) == []
    short = check(tmp_path / "short", m, [*SHARE[:2], ("age_band=65 and above", 1.0, 2.0, 50.0)])
    assert [(f.breakdown, f.rule, f.detail) for f in short] == [
        ("age_band", "breakdowns_sum_to_headline age_band",
         "the rows by age_band sum to 2.0; the headline numerator is 3.0")]
    denominators = check(tmp_path / "den", m,
                         [*SHARE[:2], ("age_band=65 and above", 2.0, 3.0, 66.7)])
    assert [f.detail for f in denominators] == [
        "the rows by age_band have denominators summing to 5.0; the headline denominator "
        "is 4.0"]


def test_a_large_sum_is_compared_to_a_billionth_of_itself(tmp_path: Path) -> None:
    """The allowed gap is the larger of 1e-6 and a billionth of the sum. Money added in
    another order (DuckDB's threads) can differ in its last binary digit, and near £20bn
    (national spending) doubles are about 3.8e-6 apart, so a fixed 1e-6 failed such sums
    at random. Headline £20,000,000,000.000004 (the next double above £20bn) against parts
    £10bn + £10bn: a gap of 3.8e-6, under 20 (a billionth of £20bn): passes. Headline
    £1,000,001 against £500,000 + £500,000: a gap of £1, over 0.001 (a billionth of £1m):
    fails."""
    m = measure("GBP", (DataTest("breakdowns_sum_to_headline", keys=("sex",)),))
    halves = [("sex=Male", 1e10, None, 1e10), ("sex=Female", 1e10, None, 1e10)]
    noise = 20_000_000_000.000004
    assert noise - 2e10 > 1e-6  # the old fixed tolerance would have failed it
    assert check(tmp_path / "noise", m, [("", noise, None, noise), *halves]) == []
    small = [("sex=Male", 5e5, None, 5e5), ("sex=Female", 5e5, None, 5e5)]
    pound = check(tmp_path / "pound", m, [("", 1_000_001.0, None, 1_000_001.0), *small])
    assert [f.rule for f in pound] == ["breakdowns_sum_to_headline sex"]


def test_a_sum_test_is_refused_on_a_multi_label_measure(tmp_path: Path) -> None:
    """SG2a's rows count one enquiry under several abuse types: they cannot sum to it."""
    (tmp_path / "x.yaml").write_text(
        "family: X\nmeasures:\n  - code: X1\n    title: t\n    unit: count\n"
        "    polarity: neutral\n    numerator: n\n    denominator: none\n    source: s\n"
        "    disaggregations: [abuse_type]\n    multi_label: true\n    method_notes: m\n"
        "    sql: x.sql\n    tests:\n      - breakdowns_sum_to_headline: abuse_type\n")
    with pytest.raises(OpenascError, match="X1.*multi_label"):
        load_family(tmp_path / "x.yaml")


@pytest.mark.parametrize("tests", ["[value_between: [100, 0]]", "[unique]",
                                   "[{not_null: value, severity: fatal}]",
                                   "[breakdowns_sum_to_headline: psr]"])
def test_a_malformed_test_is_refused_when_the_catalogue_loads(tmp_path: Path,
                                                              tests: str) -> None:
    (tmp_path / "x.yaml").write_text(
        "family: X\nmeasures:\n  - code: X1\n    title: t\n    unit: percent\n"
        "    polarity: neutral\n    numerator: n\n    denominator: d\n    source: s\n"
        "    disaggregations: [age_band]\n    method_notes: m\n    sql: x.sql\n"
        f"    tests: {tests}\n")
    with pytest.raises(OpenascError, match="x.yaml entry 1 .measure X1."):
        load_family(tmp_path / "x.yaml")


def with_tests(folder: Path, t2_tests: str) -> Path:
    make_catalogue(folder)
    text = (folder / "test.yaml").read_text().replace(
        "    method_notes: Visits at home over all visits.\n",
        "    method_notes: Visits at home over all visits.\n    tests:\n" + t2_tests)
    (folder / "test.yaml").write_text(text)
    return folder


def test_compute_reports_warnings_and_keeps_them_in_the_run_record(tmp_path: Path) -> None:
    """T2 is 2 of 3 visits at home = 66.7%. A declared range of [0, 50] is broken: with the
    default severity (warn) the rows are written, the summary names the rule and the run
    record keeps the failure; the range [0, 100] passes."""
    families = load_catalogue(with_tests(tmp_path / "cat", "      - value_between: [0, 50]\n"
                                         "      - value_between: [0, 100]\n"))
    s = settings(tmp_path)
    make_warehouse(s.warehouse, VISITS)
    out = Console(record=True, width=300)
    result = engine.compute_command(START, END, None, s, out, families)
    assert (result.tests.run, result.tests.passed, result.tests.warned) == (2, 1, 1)
    text = out.export_text()
    assert "Data tests: 2 run, 1 passed, 1 warning(s), 0 error(s)." in text
    assert (f"warn TEST T2 for {LA}, headline: value_between [0, 50] (value 66.66666666666666 "
            "is outside [0.0, 50.0])") in text
    con = duckdb.connect(str(s.warehouse), read_only=True)
    detail = json.loads(con.execute("SELECT detail FROM runs").fetchone()[0])
    assert detail["data_tests"]["warned"] == 1
    assert detail["data_tests"]["failures"][0]["rule"] == "value_between [0, 50]"
    assert con.execute("SELECT count(*) FROM metric_values WHERE code = 'T2'").fetchone()[0] == 1


def test_a_failed_error_test_rolls_the_compute_back(tmp_path: Path) -> None:
    """The same broken range with `severity: error`: compute raises (exit 1) naming measure
    and rule, and the warehouse keeps the rows and run record of the earlier good run only."""
    s = settings(tmp_path)
    make_warehouse(s.warehouse, VISITS)
    quiet = Console(quiet=True)
    engine.compute_command(START, END, None, s, quiet, load_catalogue(make_catalogue(
        tmp_path / "good")))
    before = values(s.warehouse)
    make_warehouse(s.warehouse, [v for v in VISITS if v[1] != "B"])
    bad = load_catalogue(with_tests(tmp_path / "bad",
                                    "      - {value_between: [0, 40], severity: error}\n"))
    with pytest.raises(engine.DataTestsFailed, match=r"TEST T2 .*value_between \[0, 40\]") as e:
        engine.compute_command(START, END, None, s, quiet, bad)
    assert e.value.result.tests.errors == 1
    assert values(s.warehouse) == before
    con = duckdb.connect(str(s.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM runs WHERE command = 'compute'").fetchone()[0] == 1


def test_the_command_line_prints_the_failed_tests_and_exits_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through `openasc compute`: the report (not a "rows written" line, since nothing was
    kept), then the error, exit 1."""
    from typer.testing import CliRunner

    from openasc.cli import app

    with_tests(tmp_path / "cat", "      - {value_between: [0, 40], severity: error}\n")
    (tmp_path / "openasc.toml").write_text('warehouse = "wh.duckdb"\ncatalogue_dirs = ["cat"]\n')
    make_warehouse(tmp_path / "wh.duckdb", VISITS)
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(app, ["compute", "--from", str(START), "--to", str(END),
                                    "--select", "TEST"])
    assert done.exit_code == 1
    assert "Data tests: 1 run, 0 passed, 0 warning(s), 1 error(s)." in done.output
    assert f"error TEST T2 for {LA}, headline: value_between [0, 40]" in done.output
    assert "row(s) written" not in done.output
    assert isinstance(done.exception, OpenascError)


def test_a_failure_shared_by_many_councils_is_one_line_naming_how_many() -> None:
    """Five councils fail the same test on the same breakdown, and one of them also fails
    another: two lines (5 councils; the one council named), not six. A single council's
    failures keep a line each, as before."""
    from openasc.metrics.data_tests import DataTestReport, TestFailure

    same = [TestFailure("COSTS", "COST-2", f"E0600000{i}", "frequency=One-off", "not_null",
                        "warn", "numerator is empty") for i in range(1, 6)]
    other = TestFailure("COSTS", "COST-2", "E06000001", "", "range", "warn", "value is -1")
    lines = DataTestReport(run=12, failures=[*same, other]).lines()
    assert lines == [
        "  warn COSTS COST-2 for 5 councils, breakdown frequency=One-off: not_null "
        "(numerator is empty)",
        "  warn COSTS COST-2 for E06000001, headline: range (value is -1)"]
    one = DataTestReport(run=2, failures=[same[0], other]).lines()
    assert one == ["  " + same[0].line(), "  " + other.line()]
