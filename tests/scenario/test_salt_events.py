"""Scenario builder for SALT and ACTIVITY: events -> a CLD file -> the real command line.

A scenario is a list of events, one call to `ev(...)` each (who, what, when and the fields
the test is about; everyone else's fields take the defaults of tests/cldfile.py: a woman born
June 1940, service user). `run_scenario` writes them as a CLD file, then runs exactly what
a council analyst runs, each as its own process:

    openasc ingest cld FILE --submitted-on DATE
    openasc compute --from 2024-04-01 --to 2025-03-31
    openasc export metrics --format csv --out FILE

and reads the figures back from the exported CSV (the contract output), so that a test
checks what a user would see. Ingest builds `cld_events` with the DHSC national method
(cld-r2.md §5): the file's period is derived from the months its events end in, and only
events from whole quarters of that period are kept. A scenario therefore adds `bookends`:
reviews of a person (`BOOKEND`) who has no service, request or assessment, ending in the
first and the last month the file must cover. A review is read by SALT and ACTIVITY only for
people in long-term support (LTS002, ACT-REV-001), so the bookends touch no table.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from cldfile import FIELDS, cld_row, write_cld_csv

LA = "E10000034"
PERIOD = ("2024-04-01", "2025-03-31")

# Warehouse-style names a scenario may use, spelled as CLD fields (tests/cldfile.FIELDS).
_CLD_NAME = {f.lower(): f for f in FIELDS}

# A valid service component for each service type the scenarios use (the component does
# not enter any SALT or ACTIVITY measure; it only has to pass validation).
_COMPONENT = {
    "Short term support: ST-Max": "Reablement",
    "Long term support: Nursing care": "Long term nursing care",
    "Long term support: Residential care": "Long term residential care",
    "Long term support: Community": "Home support or domiciliary care",
    "Unpaid carer support: Direct to unpaid carer": "Unpaid carer respite",
}


def ev(person: str, event_type: str, start: str, end: str | None = None, **fields: Any
       ) -> dict[str, str]:
    """One CLD row: `end` None means still open. Fields take warehouse column names
    (`event_outcome`, `service_type`, ...); `birth_year`/`birth_month` become a date of birth
    on the 15th of that month, so the proxy birth date (the 1st) decides the age."""
    year, month = fields.pop("birth_year", None), fields.pop("birth_month", None)
    cld: dict[str, Any] = {"Event_Type": event_type, "Event_Start_Date": start,
                           "Event_End_Date": end}
    if year is not None:
        cld["Date_of_Birth"] = f"{year:04d}-{month or 6:02d}-15"
    if event_type == "Service":
        cld["Service_Component"] = _COMPONENT.get(fields.get("service_type", ""),
                                                  "Home support or domiciliary care")
        if end is None:
            cld["Event_Outcome"] = None
    for name, value in fields.items():
        if name.lower() not in _CLD_NAME:
            raise KeyError(f"{name} is not a CLD field")
        cld[_CLD_NAME[name.lower()]] = value
    return cld_row(person, **cld)


def bookends(*ends: str) -> list[dict[str, str]]:
    """Reviews of `BOOKEND`, a service user with nothing else, one ending on each date."""
    return [ev("BOOKEND", "Review", end, end) for end in ends]


@dataclass(frozen=True)
class Figures:
    """The exported metric rows of one run, keyed by (code, breakdown)."""

    rows: dict[tuple[str, str], dict[str, str]]

    def __getitem__(self, key: tuple[str, str]) -> float:
        """The value of (code, breakdown) as a number."""
        return float(self.rows[key]["value"])

    def table(self, code: str) -> dict[str, float]:
        """Every breakdown of one code: {breakdown: value}."""
        return {b: float(r["value"]) for (c, b), r in self.rows.items() if c == code}

    def fraction(self, code: str, breakdown: str = "") -> tuple[float, float | None]:
        r = self.rows[(code, breakdown)]
        return float(r["numerator"]), float(r["denominator"]) if r["denominator"] else None


def openasc(*args: str, cwd: Path, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    """Run the installed `openasc` command, as a user would."""
    exe = shutil.which("openasc") or str(Path(sys.executable).parent / "openasc")
    return subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False, timeout=180)


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args}:\n{done.stderr}{done.stdout}"
    return done.stdout


def ingest(folder: Path, rows: list[dict[str, str]], submitted_on: str = "2025-05-01",
           file_period: tuple[str, str] = PERIOD) -> Path:
    """Write the rows as `cld.csv` in `folder` and load it into `folder/wh.duckdb`; every row
    must pass validation (a quarantined row would silently change a scenario)."""
    path = write_cld_csv(folder / "cld.csv", rows, period_start=file_period[0],
                         period_end=file_period[1])
    wh = folder / "wh.duckdb"
    out = _ok(openasc("--warehouse", str(wh), "ingest", "cld", str(path),
                      "--submitted-on", submitted_on, cwd=folder))
    assert f"{len(rows):,} loaded + 0 quarantined" in " ".join(out.split()), out
    return wh


def compute_and_export(wh: Path, period: tuple[str, str] = PERIOD,
                       salt_method: str = "corrected") -> Figures:
    """`openasc compute` for the period, then `openasc export metrics --format csv`. The SALT
    tables follow `salt_method` (written to the folder's openasc.toml): these scenarios pin
    openasc's `corrected` method unless a test asks for NHS England's (`nhse`)."""
    (wh.parent / "openasc.toml").write_text(f'salt_method = "{salt_method}"\n',
                                            encoding="utf-8")
    _ok(openasc("--warehouse", str(wh), "compute", "--from", period[0], "--to", period[1],
                cwd=wh.parent))
    out = wh.parent / "metrics.csv"
    _ok(openasc("--warehouse", str(wh), "export", "metrics", "--format", "csv", "--out",
                str(out), cwd=wh.parent))
    with out.open(encoding="utf-8") as fh:
        rows = {(r["code"], r["breakdown"]): r for r in csv.DictReader(fh)
                if r["la_code"] == LA and (r["period_start"], r["period_end"]) == period}
    return Figures(rows)


def run_scenario(folder: Path, rows: list[dict[str, str]], submitted_on: str = "2025-05-01",
                 file_period: tuple[str, str] = PERIOD) -> Figures:
    """Ingest, compute 2024-25 and export: the figures a user would read."""
    return compute_and_export(ingest(folder, rows, submitted_on, file_period))


def test_builder_rows_reach_cld_events_through_ingest(tmp_path: Path) -> None:
    """The builder's rows pass validation and the national method keeps them: a file with
    bookends in April 2024 and March 2025 (derived period = the year, all four quarters
    covered, submitted after the year end) keeps a request ending 1 April 2024 and a service
    open since 2022; the person ID in the warehouse is a pseudonym, not the label."""
    wh = ingest(tmp_path, [
        *bookends("2024-04-15", "2025-03-15"),
        ev("A", "Request", "2024-04-01", "2024-04-01"),
        ev("B", "Service", "2022-06-01", None, service_type="Long term support: Nursing care"),
    ])
    con = duckdb.connect(str(wh), read_only=True)
    got = con.execute("SELECT event_type, event_start_date::VARCHAR, person_id FROM cld_events "
                      "ORDER BY event_start_date").fetchall()
    con.close()
    assert [g[:2] for g in got] == [("Service", "2022-06-01"), ("Request", "2024-04-01"),
                                    ("Review", "2024-04-15"), ("Review", "2025-03-15")]
    assert not {g[2] for g in got} & {"A", "B", "BOOKEND"}
