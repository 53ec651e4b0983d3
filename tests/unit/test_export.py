# ruff: noqa: E501 - rows spell the reference labels in full, one event per line
"""`openasc export metrics`: the contract layout, byte for byte, and the published rules.

Rows are written straight into metric_values, so the expected files below are written by
hand from those rows and design.md's export contract.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from openasc.cli import app
from openasc.metrics import disclosure
from openasc.warehouse import connect

LA = "E10000034"
ROWS = [
    # family, code, breakdown, numerator, denominator, value, unit
    ("SALT", "STS001", "route=Discharge from hospital;what_next=Short term support: ST-Max",
     350, None, 350, "count"),
    ("ASCOF", "2C", "", 681, 132512, 681 / 132512 * 100000, "per_100k"),
    ("ASCOF", "2A", "", 412, 498, 412 / 498 * 100, "percent"),
    ("ASCOF", "2A", "age_band=65 and above", 329, 400, 82.25, "percent"),
    ("ASCOF", "2A", "age_band=18 to 64", 3, 40, 7.5, "percent"),
    ("ASCOF", "2E", "age_band=18 to 64", 0, 0, None, "percent"),
    ("SALT", "STS001", "", 2, None, 2, "count"),
]

EXPECTED_CSV = """\
family,code,la_code,period_start,period_end,breakdown,numerator,denominator,value,unit
ASCOF,2A,E10000034,2024-04-01,2025-03-31,,412,498,82.730923694779,percent
ASCOF,2A,E10000034,2024-04-01,2025-03-31,age_band=18 to 64,3,40,7.5,percent
ASCOF,2A,E10000034,2024-04-01,2025-03-31,age_band=65 and above,329,400,82.25,percent
ASCOF,2C,E10000034,2024-04-01,2025-03-31,,681,132512,513.915720840377,per_100k
ASCOF,2E,E10000034,2024-04-01,2025-03-31,age_band=18 to 64,0,0,,percent
SALT,STS001,E10000034,2024-04-01,2025-03-31,,2,,2,count
SALT,STS001,E10000034,2024-04-01,2025-03-31,route=Discharge from hospital;what_next=Short term support: ST-Max,350,,350,count
"""

# ascof.md §5 default for CLD metrics, with the disclosure rules of docs/disclosure.md:
# counts to the nearest 5 (412 -> 410, 498 -> 500, 681 -> 680, 350 -> 350); a count of 1-4
# is [c] and so is any outcome built on it (STS001 total 2 -> [c]); the 18-64 numerator of
# 2A is 3, so the whole age_band breakdown's numerators are [c] (secondary suppression: 329
# would otherwise be recovered as 412 - 3 ... from the headline), their denominators (40,
# 400) are not small and are shown; a zero denominator gives outcome [x] (0 stays 0: zero is
# not suppressed for CLD measures); a population denominator is printed as it is
# (132512). Values are worked out from the published counts, 1 dp half away from zero:
# 410 / 500 = 82.0% (not 82.7, whose decimals with 410 and 500 would pin 412 of 498);
# 680 / 132,512 x 100,000 = 513.16... -> 513.2 (not 513.9, which pins 681).
EXPECTED_PUBLISHED = """\
family,code,la_code,period_start,period_end,breakdown,numerator,denominator,value,unit
ASCOF,2A,E10000034,2024-04-01,2025-03-31,,410,500,82.0,percent
ASCOF,2A,E10000034,2024-04-01,2025-03-31,age_band=18 to 64,[c],40,[c],percent
ASCOF,2A,E10000034,2024-04-01,2025-03-31,age_band=65 and above,[c],400,[c],percent
ASCOF,2C,E10000034,2024-04-01,2025-03-31,,680,132512,513.2,per_100k
ASCOF,2E,E10000034,2024-04-01,2025-03-31,age_band=18 to 64,0,0,[x],percent
SALT,STS001,E10000034,2024-04-01,2025-03-31,,[c],,[c],count
SALT,STS001,E10000034,2024-04-01,2025-03-31,route=Discharge from hospital;what_next=Short term support: ST-Max,350,,350,count
"""


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    path = tmp_path / "wh.duckdb"
    con = connect(path)
    con.executemany(
        "INSERT INTO metric_values VALUES (?, ?, ?, DATE '2024-04-01', DATE '2025-03-31', "
        "?, ?, ?, ?, ?, 'run-1')",
        [(f, c, LA, b, n, d, v, u) for f, c, b, n, d, v, u in ROWS],
    )
    con.close()
    return path


def export(wh: Path, out: Path, fmt: str, *extra: str) -> bytes:
    result = CliRunner().invoke(app, ["--warehouse", str(wh), "export", "metrics", "--format",
                                      fmt, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_csv_is_the_contract_byte_for_byte(wh: Path, tmp_path: Path) -> None:
    assert export(wh, tmp_path / "m.csv", "csv").decode("utf-8") == EXPECTED_CSV


def test_published_csv_rounds_and_suppresses_by_ascof_section_5(wh: Path,
                                                                tmp_path: Path) -> None:
    got = export(wh, tmp_path / "p.csv", "csv", "--published").decode("utf-8")
    assert got == EXPECTED_PUBLISHED


def test_json_has_the_same_keys_and_numbers(wh: Path, tmp_path: Path) -> None:
    data = json.loads(export(wh, tmp_path / "m.json", "json"))
    assert [list(d) for d in data][0] == ["family", "code", "la_code", "period_start",
                                          "period_end", "breakdown", "numerator",
                                          "denominator", "value", "unit"]
    assert data[0]["numerator"] == 412 and data[0]["value"] == 82.730923694779
    assert data[-1]["denominator"] is None and data[-1]["value"] == 350


def test_exports_are_deterministic_including_xlsx(wh: Path, tmp_path: Path) -> None:
    """Same warehouse, two exports more than the zip clock's 2-second step apart."""
    first = {f: export(wh, tmp_path / f"a.{f}", f) for f in ("csv", "xlsx", "json")}
    time.sleep(2.1)
    second = {f: export(wh, tmp_path / f"b.{f}", f) for f in ("csv", "xlsx", "json")}
    assert first == second
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "a.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "family" and rows[1][6:9] == (412, 498, 412 / 498 * 100)
    assert len(rows) == len(ROWS) + 1


def test_unknown_format_and_missing_warehouse_are_user_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["--warehouse", str(tmp_path / "none.duckdb"), "export", "metrics",
                            "--format", "csv", "--out", str(tmp_path / "x.csv")])
    assert r.exit_code == 1 and "no warehouse" in str(r.exception).lower()
    r = runner.invoke(app, ["--warehouse", str(tmp_path / "none.duckdb"), "export", "metrics",
                            "--format", "ods", "--out", str(tmp_path / "x.ods")])
    assert r.exit_code == 1 and "csv, xlsx or json" in str(r.exception)


def test_a_missing_option_is_a_user_error_not_an_internal_one(tmp_path: Path) -> None:
    """The contract's exit codes (design.md): a missing required option is exit 1 with
    Typer's usage message, through the real entry point (`main`), never "Internal error"."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "openasc.cli", "--warehouse",
                        str(tmp_path / "none.duckdb"), "export", "metrics", "--out",
                        str(tmp_path / "x.csv")], capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    assert "Missing option '--format'" in r.stderr and "Internal error" not in r.stderr


def test_rounding_helpers() -> None:
    """Half away from zero on the decimal text: 0.05 -> 0.1, -0.25 -> -0.3, 2.675 -> 2.68
    (binary 2.67499... would round down); nearest 5 with halves up: 12.5 -> 15, 7.4 -> 5."""
    assert disclosure.round_half_away(0.05, 1) == Decimal("0.1")
    assert disclosure.round_half_away(-0.25, 1) == Decimal("-0.3")
    assert disclosure.round_half_away(2.675, 2) == Decimal("2.68")
    assert disclosure.round_half_up(82.25, 1) == 82.3
    assert disclosure.nearest_5(12.5) == 15 and disclosure.nearest_5(7.4) == 5
    assert disclosure.nearest_5(412) == 410
    sac, ascof = disclosure.rule_for("SAC"), disclosure.rule_for("ASCOF", "2A")
    assert sac["suppress_zero"] and not ascof["suppress_zero"]
    assert sac["decimals"] == 0 and ascof["decimals"] == 1  # ASCOF: the measure's precision


def test_read_only_export_does_not_touch_the_warehouse(wh: Path, tmp_path: Path) -> None:
    before = wh.read_bytes()
    export(wh, tmp_path / "m.csv", "csv")
    assert wh.read_bytes() == before
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*) FROM metric_values").fetchone()[0] == len(ROWS)
