"""`openasc export salt`: the SALT tables in the row/column layout of the national return.

metric_values holds SALT as tidy rows (`route=...;what_next=...`); councils compare against
their old SALT returns, whose tables put one breakdown down the side and another across the
top (sac-dols-salt.md C3). The layout of each table is data below: which metric_values
breakdown fills which row and column. Where the SALT column is a CLD service type, C5 says
which; SALT columns CLD cannot fill (End of Life, early cessation, Part Direct Payment)
are kept, empty, so the sheet matches the form.

Each sheet says which SALT method made its table (`salt_method` in openasc.toml, recorded
with the compute run that wrote the rows): `nhse`, NHS England's published replication code,
or `corrected`, openasc's reading of the SALT guidance (docs/measures.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console

from openasc import files, warehouse
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.publish.export import deterministic_xlsx

Criteria = dict[str, str]
AGE_TABLES = [("1a (18 to 64)", {"age_band": "18 to 64"}),
              ("1b (65 and above)", {"age_band": "65 and above"})]
ROUTES = ["Planned entry (transition)", "Discharge from hospital",
          "Diversion from hospital services", "Self-funder", "Community or other route",
          "Prison", "Discharge from reablement", "Transfer from other local authority",
          "Unknown"]
STS001_COLUMNS = [
    ("Short Term Support to Maximise Independence", "Short term support: ST-Max"),
    ("Long Term Support (eligible services) – nursing care", "Long term support: Nursing care"),
    ("Long Term Support (eligible services) – residential care",
     "Long term support: Residential care"),
    ("Long Term Support (eligible services) – community", "Long term support: Community"),
    ("Long Term Support (eligible services) – prison", "Long term support: Prison"),
    ("100% NHS Funded Care", "100% NHS Funded Care"),
    ("End of Life", "End of Life"),
    ("Ongoing Low Level Support", "Short term support: Ongoing low level"),
    ("Short Term Support (other)", "Short term support: Other short term"),
    ("Universal Services/ Signposted to other services",
     "Universal Services/ Signposted to other services"),
    ("No Services Provided – Deceased", "No Services Provided – Deceased"),
    ("No Services Provided – other reason", "No Services Provided – other reason"),
    ("Unable to classify (CLD only)", "Unable to classify"),
    ("No category (NHS England's code maps the outcome to nothing)", "No category"),
]
STS002A_COLUMNS = [
    "Early cessation of service (not leading to long term support) – 100% NHS funded care/"
    "End of Life/deceased",
    "Early cessation of service (not leading to long term support) – other reason",
    "Early Cessation of Service (leading to long term support)",
    "Long Term Support (any setting)",
    "No services provided – needs identified but self-funding",
    "Ongoing Low Level Support",
    "Short Term Support (other)",
    "No services provided – needs identified but support declined",
    "No Services Provided – Universal Services / signposted to other services",
    "No services provided – other",
    "Unable to classify",
    "No category",
]
METHODS = {"nhse": "NHS England's published replication code (salt_method = nhse)",
           "corrected": "openasc's reading of the SALT guidance (salt_method = corrected)"}
SETTINGS = [
    ("Nursing", {"setting": "Nursing"}),
    ("Residential", {"setting": "Residential"}),
    ("Community: Direct Payment", {"setting": "Community", "mechanism": "Direct payment"}),
    ("Community: CASSR Managed Personal Budget",
     {"setting": "Community", "mechanism": "CASSR managed personal budget"}),
    ("Community: CASSR Commissioned Support only",
     {"setting": "Community", "mechanism": "CASSR commissioned support"}),
    ("Community: mechanism not recorded", {"setting": "Community", "mechanism": "Unknown"}),
    ("Prison: CASSR Managed Personal Budget",
     {"setting": "Prison", "mechanism": "CASSR managed personal budget"}),
    ("Prison: CASSR Commissioned Support only",
     {"setting": "Prison", "mechanism": "CASSR commissioned support"}),
    ("Prison: mechanism not recorded", {"setting": "Prison", "mechanism": "Unknown"}),
]
CARER_SUPPORT = ["Direct Payment only", "Part Direct Payment", "CASSR Managed Personal Budget",
                 "CASSR Commissioned Support only",
                 "Support Direct to Carer: Unknown Delivery Mech",
                 "Information, Advice and Other Universal Services / Signposting",
                 "No Direct Support Provided to Carer"]
SEXES = [("Male", {"sex": "Male"}), ("Female", {"sex": "Female"}), ("Other", {"sex": "Other"}),
         ("Unknown", {"sex": "Unknown"})]


@dataclass(frozen=True)
class Layout:
    """One SALT table: its sub-tables, rows and columns as breakdown criteria."""

    code: str
    tables: list[tuple[str, Criteria]]
    row_key: str
    rows: list[str]
    columns: list[tuple[str, Criteria]]


def _by(key: str, values: list[str]) -> list[tuple[str, Criteria]]:
    return [(v, {key: v}) for v in values]


LAYOUTS = [
    Layout("STS001", AGE_TABLES, "route", ROUTES,
           [(label, {"what_next": value}) for label, value in STS001_COLUMNS]),
    Layout("STS002a", [("all", {})], "", ["All"], _by("what_next", STS002A_COLUMNS)),
    Layout("STS002a", [("1 (all ages)", {})], "route", ROUTES, _by("what_next", STS002A_COLUMNS)),
    Layout("STS002a", [("3 (all ages)", {})], "psr", [], _by("what_next", STS002A_COLUMNS)),
    Layout("STS002b", [("1", {})], "", ["All"], [("ST-Max episodes", {})]),
    Layout("STS002b", [("1", {})], "age_band", ["18 to 64", "65 and above"],
           [("ST-Max episodes", {})]),
    Layout("LTS001a", AGE_TABLES, "psr", [], SETTINGS),
    Layout("LTS001b", AGE_TABLES, "psr", [], SETTINGS),
    Layout("LTS001b", [("2 (all ages)", {})], "carer", ["Yes", "No", "Unknown"], SETTINGS),
    Layout("LTS001c", AGE_TABLES, "psr", [], SETTINGS),
    Layout("LTS002a", AGE_TABLES, "reason", [],
           _by("setting", ["Community", "Nursing or residential", "Prison"])),
    Layout("LTS002b", AGE_TABLES, "reason", [],
           _by("setting", ["Community", "Nursing or residential", "Prison"])),
    Layout("LTS003", [("all", {})], "", ["All"], _by("support", CARER_SUPPORT)),
    Layout("LTS003", [("1", {})], "age_band", ["18 to 64", "65 and above", "Unknown"],
           _by("support", CARER_SUPPORT)),
    Layout("LTS004", [("1 (employment)", {"part": "1"})], "employment", [], SEXES),
    Layout("LTS004", [("2a (settled accommodation)", {"part": "2a"})], "accommodation", [],
           SEXES),
    Layout("LTS004", [("2b (not settled)", {"part": "2b"})], "accommodation", [], SEXES),
]


def parse_breakdown(text: str) -> Criteria:
    """`a=1;b=2` -> {'a': '1', 'b': '2'} (values may contain '=' but not ';')."""
    return dict(part.split("=", 1) for part in text.split(";") if part) if text else {}


def _cells(rows: list[tuple[str, str, float]]) -> dict[tuple[str, frozenset], float]:
    return {(code, frozenset(parse_breakdown(b).items())): n for code, b, n in rows}


def layout_rows(layout: Layout, cells: dict[tuple[str, frozenset], float]) -> list[list[Any]]:
    """The sheet rows of one layout: every fixed row, then any other value the data has.
    A layout with no row key is one row, `All`, of the columns alone."""
    present = sorted({dict(k)[layout.row_key] for code, k in cells
                      if code == layout.code and layout.row_key in dict(k)})
    row_values = layout.rows + [v for v in present if v not in layout.rows]
    out: list[list[Any]] = []
    for table_label, table_crit in layout.tables:
        for value in row_values:
            line: list[Any] = [table_label, value]
            by_row = {layout.row_key: value} if layout.row_key else {}
            for _, col_crit in layout.columns:
                key = frozenset({**table_crit, **by_row, **col_crit}.items())
                n = cells.get((layout.code, key))
                line.append(None if n is None else int(n) if float(n).is_integer() else n)
            out.append(line)
    return out


def table_methods(con: duckdb.DuckDBPyConnection, la: str, start: Any, end: Any
                  ) -> dict[str, str]:
    """{SALT code: salt_method of the compute run that wrote its rows}. Runs recorded before
    the setting existed computed what is now `corrected`."""
    if not warehouse.table_exists(con, "runs"):
        return {}
    rows = con.execute(
        "SELECT DISTINCT m.code, coalesce(json_extract_string(r.detail, '$.salt_method'), "
        "'corrected') FROM metric_values m LEFT JOIN runs r USING (run_id) "
        "WHERE m.family = 'SALT' AND m.la_code = ? AND m.period_start = ? "
        "AND m.period_end = ?", [la, start, end]).fetchall()
    return dict(rows)


def build_workbook(con: duckdb.DuckDBPyConnection) -> Any:
    from openpyxl import Workbook

    target = con.execute(
        "SELECT la_code, period_start, period_end FROM metric_values WHERE family = 'SALT' "
        "ORDER BY period_end DESC, period_start, la_code LIMIT 1").fetchone()
    if target is None:
        raise OpenascError("The warehouse holds no SALT measures; run `openasc compute "
                           "--from YYYY-MM-DD --to YYYY-MM-DD` after loading CLD first.")
    la, start, end = target
    rows = con.execute(
        "SELECT code, breakdown, numerator FROM metric_values WHERE family = 'SALT' AND "
        "la_code = ? AND period_start = ? AND period_end = ?", [la, start, end]).fetchall()
    cells = _cells(rows)
    methods = table_methods(con, la, start, end)
    wb = Workbook()
    wb.remove(wb.active)
    for layout in LAYOUTS:
        ws = wb[layout.code] if layout.code in wb.sheetnames else None
        if ws is None:
            ws = wb.create_sheet(layout.code)
            ws.append([f"SALT {layout.code} rebuilt from CLD", f"Council {la}",
                       f"Period {start} to {end}",
                       f"Method: {METHODS.get(methods.get(layout.code, ''), 'not recorded')}"])
        ws.append([])
        ws.append(["Table", layout.row_key or "all",
                   *[label for label, _ in layout.columns]])
        for line in layout_rows(layout, cells):
            ws.append(line)
    return wb


def export_salt_command(out: Path, settings: Settings, console: Console) -> None:
    """Write the workbook (the latest SALT period in the warehouse, one council)."""
    con = warehouse.connect(settings.warehouse, read_only=True)
    try:
        if not warehouse.table_exists(con, "metric_values"):
            raise OpenascError("The warehouse holds no measures yet; run `openasc compute` first.")
        wb = build_workbook(con)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    files.write_bytes(out, deterministic_xlsx(wb))
    console.print(f"Wrote the SALT tables ({', '.join(wb.sheetnames)}) to {out}", markup=False)
