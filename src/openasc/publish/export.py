"""`openasc export metrics`: metric_values in the contract layout, as CSV, XLSX or JSON.

Exports are read by other tools and compared byte for byte (design principle 7), so every
choice that could drift is fixed here: row order, number text, workbook dates and zip
timestamps.

Number text: a whole number is printed without a decimal point (`412`); any other number
with 12 decimal places, trailing zeros removed (`82.730923694779`). Twelve places keep far
more precision than any measure needs while hiding binary noise in the last digits, so two
platforms print the same text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console

from openasc import files, warehouse
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.metrics.catalogue import Family
from openasc.metrics.disclosure import published_rows

COLUMNS = ["family", "code", "la_code", "period_start", "period_end", "breakdown",
           "numerator", "denominator", "value", "unit"]
FORMATS = ("csv", "xlsx", "json")
FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def number_text(x: Any) -> str:
    """Deterministic text for a number (see module docstring); '' for None."""
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, Decimal):
        return format(x, "f")
    if isinstance(x, int):
        return str(x)
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.12f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _json_number(x: Any) -> Any:
    if x is None or isinstance(x, str | int):
        return x
    if isinstance(x, Decimal):
        return int(x) if x == x.to_integral_value() and x.as_tuple().exponent >= 0 else float(x)
    if float(x).is_integer() and abs(x) < 1e15:
        return int(x)
    return float(number_text(x))


def read_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """metric_values in contract order, as dictionaries (numbers left as numbers)."""
    cur = con.execute(
        "SELECT family, code, la_code, period_start, period_end, breakdown, numerator, "
        "denominator, value, unit FROM metric_values "
        "ORDER BY family, code, la_code, period_start, breakdown, period_end"
    )
    return [dict(zip(COLUMNS, r, strict=True)) for r in cur.fetchall()]


def _text_row(r: dict[str, Any]) -> list[str]:
    return [
        r["family"], r["code"], r["la_code"], _day(r["period_start"]), _day(r["period_end"]),
        r["breakdown"] or "", number_text(r["numerator"]), number_text(r["denominator"]),
        number_text(r["value"]), r["unit"],
    ]


NUMBER_COLUMNS = {"numerator", "denominator", "value"}


def _csv_row(r: dict[str, Any]) -> list[str]:
    """The text columns escaped so that a spreadsheet cannot run them as formulas; not the
    numbers, whose contract keeps a negative number a number."""
    return [v if c in NUMBER_COLUMNS else files.text_cell(v)
            for c, v in zip(COLUMNS, _text_row(r), strict=True)]


def _day(d: date | str) -> str:
    return d.isoformat() if isinstance(d, date) else str(d)


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_csv_row(r) for r in rows)
    return buf.getvalue().encode("utf-8")


def to_json(rows: list[dict[str, Any]]) -> bytes:
    data = [
        {**dict(zip(COLUMNS, _text_row(r), strict=True)),
         "numerator": _json_number(r["numerator"]),
         "denominator": _json_number(r["denominator"]),
         "value": _json_number(r["value"])}
        for r in rows
    ]
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _cell(x: Any) -> Any:
    if isinstance(x, Decimal):
        return float(x)
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return int(x)
    return x


def deterministic_xlsx(workbook: Any) -> bytes:
    """Save a workbook so that the same content gives the same bytes.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; both are
    replaced by a fixed date.
    """
    from datetime import datetime

    # Every text cell is written as text: openpyxl makes a string starting with '=' a formula,
    # and values from input files (a breakdown's service type, say) must never run as one.
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    workbook.properties.created = datetime(*FIXED_TIME)
    workbook.properties.creator = "openasc"
    raw = io.BytesIO()
    workbook.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                              rb"\g<1>2000-01-01T00:00:00Z\2", data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return fixed.getvalue()


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "metrics"
    ws.append(COLUMNS)
    for r in rows:
        text = _text_row(r)
        ws.append(text[:6] + [_cell(r["numerator"]), _cell(r["denominator"]),
                              _cell(r["value"]), r["unit"]])
    return deterministic_xlsx(wb)


def export_bytes(con: duckdb.DuckDBPyConnection, fmt: str, published: bool,
                 families: tuple[Family, ...] | None = None) -> bytes:
    rows = published_rows(con, families=families) if published else read_rows(con)
    return {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}[fmt](rows)


def export_metrics_command(format: str, out: Path, published: bool, settings: Settings,
                           console: Console) -> int:
    """`openasc export metrics`: write the file; return the number of rows."""
    fmt = format.strip().lower()
    if fmt not in FORMATS:
        raise OpenascError(f"--format {format!r} is not supported; expected csv, xlsx or json.")
    con = warehouse.connect(settings.warehouse, read_only=True)
    try:
        if not warehouse.table_exists(con, "metric_values"):
            raise OpenascError(f"The warehouse {settings.warehouse} holds no measures yet; run "
                               "`openasc compute --from YYYY-MM-DD --to YYYY-MM-DD` first.")
        n = con.execute("SELECT count(*) FROM metric_values").fetchone()[0]
        data = export_bytes(con, fmt, published)
    finally:
        con.close()
    files.write_bytes(out, data)
    kind = "published (rounded and suppressed)" if published else "unrounded"
    console.print(f"Wrote {n} {kind} measure row(s) to {out}", markup=False)
    return n
