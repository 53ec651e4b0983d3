"""The ASCOF scenario harness: a hand-made council through the real command line.

Each ASCOF scenario test writes a small CLD file (tests/cldfile.py), and where it needs them
a population file and a hospital discharges file, then runs exactly what a council analyst
runs: `openasc ingest cld FILE --submitted-on ...`, `openasc ingest population FILE`,
`openasc ingest discharges FILE`, `openasc compute --from --to --la`, and `openasc export
metrics --format csv`. The figures are read back from the exported CSV, so a test checks the
contract output, not an internal table.

The key file lives in a temporary folder outside any git tree, as `config.check_key_location`
demands.
"""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cldfile import cld_row, nhs_number, write_cld_csv
from openasc.cli import app
from openasc.councils import all_councils

__all__ = ["Figures", "cld_row", "dob_for_age", "nhs_number", "scenario",
           "service", "write_cld_csv"]

LA_CASSR = "416"
LA_ONS = "E10000034"
PERIOD = ("2024-04-01", "2025-03-31")
# The file states two years, so that 2023-24 history (the 91- and 365-day look-backs) is in
# the joined event table too.
FILE_PERIOD = ("2023-04-01", "2025-03-31")
SUBMITTED_ON = "2025-04-20"
DISCHARGE_FIELDS = [
    "Spell_ID", "NHS_Number", "Birth_Year", "Birth_Month", "Sex", "Residence_LA_Code",
    "Admission_Date", "Discharge_Date", "Admission_Method", "Management_Type",
    "Discharge_Method", "Discharge_Destination", "Treatment_Function_Code",
    "Last_Episode_In_Spell",
]

_KEY_DIR = Path(tempfile.mkdtemp(prefix="openasc-ascof-key-"))
atexit.register(shutil.rmtree, _KEY_DIR, ignore_errors=True)  # made at import


@dataclass(frozen=True)
class Figures:
    """Exported rows keyed by (code, breakdown): (numerator, denominator, value)."""

    rows: dict[tuple[str, str], tuple[float | None, float | None, float | None]]
    compute_output: str
    warehouse: Path | None = None

    def get(self, code: str, breakdown: str = "") -> tuple[float | None, float | None]:
        num, den, _ = self.rows[(code, breakdown)]
        return num, den

    def value(self, code: str, breakdown: str = "") -> float | None:
        return self.rows[(code, breakdown)][2]

    def has(self, code: str, breakdown: str = "") -> bool:
        return (code, breakdown) in self.rows


def service(person: str, service_type: str, start: str, end: str | None = None,
            component: str | None = None, outcome: str | None = None, **fields: str) -> dict:
    """A service row; `component` and `outcome` default to the cldfile defaults."""
    extra: dict = {"Event_Type": "Service", "Service_Type": service_type,
                   "Event_Start_Date": start, "Event_End_Date": end}
    if component is not None:
        extra["Service_Component"] = component
    if outcome is not None:
        extra["Event_Outcome"] = outcome
    extra.update(fields)
    return cld_row(person, **extra)


def dob_for_age(age: int, on: str = "2025-03-31") -> str:
    """A birth date giving `age` at `on`: half a year past that birthday, so the proxy birth
    date (1st of the birth month, ascof.md §0) cannot tip the age either way."""
    year, month, _ = (int(x) for x in on.split("-"))
    months = year * 12 + (month - 1) - age * 12 - 6
    return f"{months // 12:04d}-{months % 12 + 1:02d}-15"


def background_rows(start: str = FILE_PERIOD[0], months: int = 24) -> list[dict]:
    """One request a month for a person no measure counts, so the file covers every month.

    DHSC derives a file's reporting period from the months its events end in, and the
    joined table only takes the quarters a file fully covers (cld-r2.md §5.2-5.3). A
    scenario's few events would cover a month or two; these requests (information and
    advice, no service, no ST-Max) make the file cover its stated two years without adding
    anything to any ASCOF numerator or denominator.
    """
    year, month = int(start[:4]), int(start[5:7])
    rows = []
    for i in range(months):
        y, m = year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1
        day = f"{y:04d}-{m:02d}-15"
        rows.append(cld_row("BACKGROUND", Event_Type="Request", Event_Start_Date=day,
                            Event_End_Date=day,
                            Event_Outcome="NFA: Information and advice or signposting"))
    return rows


def _invoke(args: list[str]) -> str:
    env = {"OPENASC_KEY_FILE": str(_KEY_DIR / "key")}
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, f"openasc {' '.join(args)} failed:\n{result.output}"
    return result.output


def _to_number(text: str) -> float | None:
    return float(text) if text != "" else None


class _Recorded(Exception):
    """Raised by `scenario` while a module's cases are being collected into one batch: a
    signal that stops the test body, not an error (hence no `Error` in its name)."""


@dataclass
class _Case:
    rows: list[dict]
    population: dict[int | tuple[int, int], int] | None
    discharges: list[dict] | None


_STATE: dict[str, Any] = {"recording": False, "cases": {}, "results": {}}


def _node() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]


def scenario(tmp_path: Path, rows: list[dict], *,
             population: dict[int | tuple[int, int], int] | None = None,
             discharges: list[dict] | None = None, batch: bool = True) -> Figures:
    """The exported figures for a council holding `rows` (and population, discharges).

    Each test module's cases run as one batch (see `ascof_batch`): every case is its own
    council in one warehouse, loaded by one `openasc ingest cld` of one file per council,
    one `openasc compute` and one `openasc export metrics` — the same commands, with the
    fixed cost of each paid once per module instead of once per case. `batch=False` runs
    the case alone (a test that needs its own warehouse).
    `population` maps single year of age (90 = 90 and over) to persons for mid-2024, or
    (year, age) to persons for another mid-year.
    """
    if _STATE["recording"]:
        if batch:
            _STATE["cases"][_STATE["recording"]] = _Case(rows, population, discharges)
        raise _Recorded
    node = _node()
    if batch and node in _STATE["results"]:
        return _STATE["results"][node]
    return run_councils(tmp_path, {"single": _Case(rows, population, discharges)},
                        explicit_la=True)["single"]


def _councils(n: int) -> list[tuple[str, str]]:
    """(NHS code, ONS code) of n councils valid through 2023-25, Worcestershire first."""
    valid = [c for c in all_councils() if c.la_code and c.valid_on(date(2023, 4, 1))
             and c.valid_on(date(2025, 3, 31)) and c.la_code != LA_CASSR]
    return [(LA_CASSR, LA_ONS)] + [(c.la_code, c.ons_code) for c in valid][: n - 1]


def run_councils(folder: Path, cases: dict[str, _Case], explicit_la: bool = False
                 ) -> dict[str, Figures]:
    """Ingest, compute and export every case as its own council; figures per case."""
    folder.mkdir(parents=True, exist_ok=True)
    wh_path = folder / "wh" / "openasc.duckdb"
    wh = ["--warehouse", str(wh_path)]
    codes = dict(zip(cases, _councils(len(cases)), strict=True))
    files = []
    pop_rows, dis_rows = [], []
    for i, (name, case) in enumerate(cases.items()):
        cassr, ons = codes[name]
        # People are linked across councils by NHS number (2D), so each case gets its own.
        own = {} if len(cases) == 1 else {
            r["NHS_Number"]: nhs_number(f"{i}|{r['NHS_Number']}")
            for r in [*case.rows, *(case.discharges or [])] if r.get("NHS_Number")}
        rows = [{**r, "NHS_Number": own.get(r.get("NHS_Number"), r.get("NHS_Number"))}
                for r in case.rows]
        files.append(str(write_cld_csv(folder / f"cld_{i}.csv",
                                       [*background_rows(), *rows], la_code=cassr,
                                       period_start=FILE_PERIOD[0], period_end=FILE_PERIOD[1])))
        if case.population is not None:  # an int key is an age in mid-2024
            keys = [(k if isinstance(k, tuple) else (2024, k), n)
                    for k, n in case.population.items()]
            pop_rows += [[ons, year, "persons", age, n] for (year, age), n in sorted(keys)]
        for row in case.discharges or []:
            dis_rows.append({**row, "Residence_LA_Code": cassr,
                             "NHS_Number": own.get(row["NHS_Number"], row["NHS_Number"]),
                             "Spell_ID": f"{cassr}-{row['Spell_ID']}"})
    _invoke([*wh, "ingest", "cld", *files, "--submitted-on", SUBMITTED_ON, "--add-council"])
    if pop_rows:
        pop = folder / "population.csv"
        with pop.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["la_code", "year", "sex", "age", "population"])
            w.writerows(pop_rows)
        _invoke([*wh, "ingest", "population", str(pop)])
    if any(c.discharges is not None for c in cases.values()):
        dis = folder / "discharges.csv"
        with dis.open("w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=DISCHARGE_FIELDS)
            w.writeheader()
            w.writerows(dis_rows)
        # a scenario may quarantine most of its few spells on purpose (over the 50% limit)
        _invoke([*wh, "ingest", "discharges", str(dis), "--max-quarantined", "100"])
    la = ["--la", LA_CASSR] if explicit_la else []
    output = _invoke([*wh, "compute", "--from", PERIOD[0], "--to", PERIOD[1], *la])
    out = folder / "metrics.csv"
    _invoke([*wh, "export", "metrics", "--format", "csv", "--out", str(out)])
    with out.open(newline="", encoding="utf-8") as fh:
        exported = [r for r in csv.DictReader(fh) if r["family"] == "ASCOF"]
    figures = {}
    for name, (_, ons) in codes.items():
        rows = {(r["code"], r["breakdown"]): (_to_number(r["numerator"]),
                                              _to_number(r["denominator"]),
                                              _to_number(r["value"]))
                for r in exported if r["la_code"] == ons}
        # compute names the councils of a not-computable line when there are at most three
        # (a national run groups them): a scenario that asserts on it keeps to that
        lines = "\n".join(x for x in output.splitlines() if ons in x)
        figures[name] = Figures(rows=rows, compute_output=lines, warehouse=wh_path)
    return figures


def discharge(person: str, admitted: str, discharged: str, *, spell: str | None = None,
              birth: str = "1944-05", sex: str = "2", management: str = "EM",
              **fields: str) -> dict:
    """One row of the discharges layout (docs/discharges.md) with eligible defaults."""
    year, month = birth.split("-")
    row = {"Spell_ID": spell or f"S-{person}-{discharged}", "NHS_Number": nhs_number(person),
           "Birth_Year": year, "Birth_Month": month, "Sex": sex,
           "Residence_LA_Code": LA_CASSR, "Admission_Date": admitted,
           "Discharge_Date": discharged, "Admission_Method": "21",
           "Management_Type": management, "Discharge_Method": "1",
           "Discharge_Destination": "19", "Treatment_Function_Code": "300",
           "Last_Episode_In_Spell": "Y"}
    row.update(fields)
    return row
