"""The council's survey returns: the Adult Social Care Survey (ASCS) and the Survey of Adult
Carers in England (SACE), with their eligible populations, through the one ingest pipeline.

A council holds its return in one of two forms: the national data return workbook it sends
to DHSC (sheet "Service User Data": one row per person sampled, about ninety columns, the
eligible population of the row's stratum on every row) or a tidy CSV with the columns of
`spec/ascs.yaml` / `spec/sace.yaml`. Only the `read` stage differs from the generic one:

- a workbook's data sheet is found by name and only the columns the specification names are
  read; the rest of the return (ethnicity, religion, sexual orientation, budgets, health
  conditions) never leaves the workbook, because no measure needs it;
- free-text answers (`privacy: free_text`) are dropped as soon as the file is read, before
  validation, so they can reach neither the warehouse nor the quarantine;
- the survey year comes from the file's column or, for a return without one, `--year`.

Everything else - validation, pseudonymised serial numbers, quarantine, accounting, "already
loaded", one transaction - is the pipeline's. The measures are SQL
(metrics/catalogue/ascs_estimates.sql, sace_estimates.sql).
"""

from __future__ import annotations

import re
from pathlib import Path

from openasc import warehouse
from openasc.config import Settings
from openasc.errors import OpenascError, UnreadableInput
from openasc.ingest.pipeline import IngestResult, Stage, ingest_file, load_input, read
from openasc.ingest.reader import ReadResult, header_key, match_columns

DATA_SHEETS = ("service user data", "carer data", "carers data", "data")
YEAR = re.compile(r"^\d{4}-\d{2}$")


def _data_sheet(path: Path) -> str | None:
    """The national return's data sheet, when `path` is a workbook that has one."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return None
    import openpyxl

    from openasc.ingest.reader import _check_workbook_parts

    _check_workbook_parts(path)  # the reader's limits: no oversized part, no DTD
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means "not a readable workbook"
        raise UnreadableInput(f"{path}: cannot be read as an Excel workbook ({exc}).") from exc
    try:
        names = {n.strip().lower(): n for n in wb.sheetnames}
        return next((names[s] for s in DATA_SHEETS if s in names), None)
    finally:
        wb.close()


def _read_sheet(stage: Stage, sheet: str) -> None:
    """The named sheet into `stg`, the specification's columns only (the reader's stream)."""
    import openpyxl

    from openasc.ingest.reader import _stream_sheet, scan_file

    path, spec = stage.path, stage.spec
    known = {header_key(a) for f in spec.fields for a in [f.name, f.label, *f.aliases]}
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means "not a readable workbook"
        raise UnreadableInput(f"{path}: cannot be read as an Excel workbook ({exc}).") from exc
    try:
        ws = wb[sheet]
        ws.reset_dimensions()
        rows = ws.iter_rows(values_only=True)
        header = list(next(rows, ()))
        keep = [i for i, h in enumerate(header) if h is not None and header_key(str(h)) in known]

        def kept():
            yield [header[i] for i in keep]
            for raw in rows:
                yield [raw[i] if i < len(raw) else None for i in keep]

        head, malformed, n = _stream_sheet(stage.con, path, kept())
    finally:
        wb.close()
    mapped, absent = match_columns(path, head, spec)
    cols = {f.name: f.column for f in spec.fields}
    for i, name in enumerate(mapped):
        stage.con.execute(f"ALTER TABLE _raw RENAME COLUMN c{i} TO {cols[str(name)]}")
    for name in absent:
        stage.con.execute(f"ALTER TABLE _raw ADD COLUMN {cols[name]} VARCHAR")
    stage.con.execute("DROP TABLE IF EXISTS stg")
    stage.con.execute("ALTER TABLE _raw RENAME TO stg")
    scan = stage.options.get("scan") or scan_file(path)
    dropped = len([h for h in header if h is not None]) - len(keep)
    stage.read = ReadResult(path.name, scan[0], n, "xlsx", [m for m in mapped if m], absent,
                            malformed, [f"read the worksheet {sheet!r}; {dropped} column(s) "
                                        "no measure uses were left unread"])


def read_return(stage: Stage) -> None:
    """`read` hook of spec/ascs.yaml and spec/sace.yaml (see the module docstring)."""
    sheet = _data_sheet(stage.path)
    if sheet:
        _read_sheet(stage, sheet)
    else:
        read(stage)
    assert stage.read is not None
    con = stage.con
    free = [f for f in stage.spec.fields if f.privacy == "free_text"]
    given = [f.name for f in free if f.name in stage.read.columns]
    for f in free:
        con.execute(f"ALTER TABLE stg DROP COLUMN {f.column}")
    if given:
        stage.read.notes.append("free-text column(s) " + ", ".join(given) + " dropped unread")
    year = stage.options.get("year")
    if year and not YEAR.match(year):
        raise OpenascError(f"--year {year!r} is not a survey year; expected YYYY-YY such as "
                           "2024-25.")
    if "Survey_Year" not in stage.read.columns:
        if not year:
            raise OpenascError(f"{stage.path}: the file has no Survey_Year column; give the "
                               "year the survey covers with --year YYYY-YY.")
        con.execute("UPDATE stg SET survey_year = ?", [year])


def _ensure_population_table(settings: Settings, name: str) -> None:
    """The population table exists once a return is loaded, so the measures' SQL can read it
    (empty when the populations come only on the return's rows)."""
    spec = load_input(name)
    con = warehouse.connect(settings.warehouse)
    try:
        warehouse.create_input_table(con, spec.table, spec.columns, None)
    finally:
        con.close()


def ingest_return(survey: str, path: Path, settings: Settings, year: str | None = None,
                  population: Path | None = None) -> list[IngestResult]:
    """`openasc ingest survey|carers-survey FILE [--population FILE] [--year YYYY-YY]`: the
    return, then its eligible population (two inputs, each in its own transaction)."""
    results = [ingest_file(survey, path, settings, year=year)]
    _ensure_population_table(settings, f"{survey}_population")
    if population is not None:
        results.append(ingest_file(f"{survey}_population", population, settings, year=year))
    return results
