"""Money, workforce and complaints: the catalogue families carry exactly the reference's codes
with public sources, the working-day calendar, layout detection, and user errors that name
what is missing."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from openasc.cli import app
from openasc.errors import OpenascError
from openasc.ingest.money import spec_for, year_start
from openasc.metrics import calendar
from openasc.metrics.catalogue import all_measures

CODES = {"FIN": [f"FIN-{i}" for i in range(1, 11)], "WF": [f"WF-{i}" for i in range(1, 8)],
         "CMP": [f"CMP-{i}" for i in range(1, 12)]}


def test_families_hold_exactly_the_reference_codes() -> None:
    got = {f: sorted((m.code for m in all_measures() if m.family == f),
                     key=lambda c: int(c.split("-")[1])) for f in CODES}
    assert got == CODES


@pytest.mark.parametrize("code", [c for codes in CODES.values() for c in codes])
def test_metrics_show_cites_a_public_source(code: str) -> None:
    r = CliRunner().invoke(app, ["metrics", "show", code])
    assert r.exit_code == 0, r.output
    reference = next(line for line in r.output.splitlines() if "reference:" in line)
    assert re.search(r"https://(www\.)?(gov\.uk|digital\.nhs\.uk|legislation\.gov\.uk|"
                     r"skillsforcare\.org\.uk|lgo\.org\.uk)/", reference), reference
    assert "shared/" not in r.output


@pytest.mark.parametrize(("received", "later", "days"), [
    ("2024-04-02", "2024-04-05", 3),   # Wed, Thu, Fri
    ("2024-05-03", "2024-05-09", 3),   # Mon 6 May is the Early May bank holiday
    ("2024-12-20", "2024-12-27", 3),   # 25 and 26 December
    ("2024-03-20", "2024-04-10", 13),  # Good Friday 29 March, Easter Monday 1 April
    ("2024-04-05", "2024-04-06", 0),   # Friday to Saturday: no working day
])
def test_working_days_start_the_day_after_receipt(received: str, later: str,
                                                  days: int) -> None:
    con = duckdb.connect()
    calendar.register(con)
    got = con.execute("SELECT b.n - a.n FROM working_days a, working_days b "
                      "WHERE a.day = ?::DATE AND b.day = ?::DATE", [received, later]).fetchone()
    assert got == (days,)


def test_the_published_layout_is_told_by_its_header(tmp_path: Path) -> None:
    published = tmp_path / "a.csv"
    published.write_text("GEOGRAPHY_LEVEL,DATA_LEVEL,FY_ENDING,CASSR,ITEMVALUE\n")
    tidy = tmp_path / "b.csv"
    tidy.write_text("fy,area_code,data_level,value_gbp\n")
    assert (spec_for("finance", published), spec_for("finance", tidy)) == ("ascfr",
                                                                         "ascfr_tidy")
    sfc = tmp_path / "c.csv"
    sfc.write_text("CSSR (LA area),Sector,Service,Job role,Turnover rate\n")
    assert spec_for("workforce", sfc) == "workforce"
    assert spec_for("workforce", tmp_path / "LA-data-download.xlsx") == "workforce"


def test_a_financial_year_is_checked() -> None:
    assert year_start("2024-25") == year_start("2024/25") == 2024
    with pytest.raises(OpenascError, match="not a financial year"):
        year_start("2024-26")


def test_a_log_without_a_council_asks_for_la(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The complaints log has no council column; with no --la and no council in
    openasc.toml the command says what to give, exits 1 and loads nothing."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENASC_KEY_FILE", str(tmp_path.parent / f"{tmp_path.name}.key"))
    log = tmp_path / "log.csv"
    log.write_text("case_id,received_date,kind\nC1,2024-05-01,complaint\n")
    r = CliRunner().invoke(app, ["--warehouse", str(tmp_path / "w.duckdb"), "ingest",
                                 "complaints", str(log)])
    assert r.exit_code == 1
    said = " ".join((r.output + str(r.exception or "")).split())
    assert "this file has no la_code column; give --la" in said
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM loaded_files").fetchone() == (0,)
