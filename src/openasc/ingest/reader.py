"""Read a council's extract (CSV or XLSX) into a staging table, as text, cell for cell.

Councils export from case management systems and Excel: UTF-8 with or without a byte-order
mark, or Windows-1252; headers spelled as the specification's labels (`Request: Route of
Access`) or as the national database's names (`Request_Route_of_Access`), in any case. The
reader's only job is to get every row in, exactly as written, under the specification's
field names, so that validation can judge each cell and nothing is lost silently: a row that
cannot be split into the header's columns is returned as a *malformed row*, to be quarantined
with its line number, never dropped.

The staging table lives in an in-memory DuckDB database that is never written to disk,
because it still holds direct identifiers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb

from openasc.errors import OpenascError, UnreadableInput

SNIFF_BYTES = 1 << 16


class FieldLike(Protocol):
    name: str
    column: str
    label: str
    aliases: list[str]
    required_column: bool


class SpecLike(Protocol):
    name: str
    fields: list[Any]


@dataclass
class ReadResult:
    """What was read: row counts, columns matched, and rows that could not be split."""

    source_name: str
    sha256: str
    rows: int  # data rows in the file, malformed ones included
    encoding: str
    columns: list[str]  # spec field names found in the header, in file order
    absent_optional: list[str]  # spec fields not in the header (allowed)
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (row_number, reason)


def header_key(name: str) -> str:
    """Header matching ignores case, spaces, underscores and punctuation.

    `Request: Route of Access`, `request_route_of_access` and `REQUEST ROUTE OF ACCESS` all
    become `requestrouteofaccess`; so do the specification's other label spellings
    (`No. of adults being cared for`, `Cost Frequency (Unit Type)`).
    """
    return re.sub(r"[^0-9a-z]", "", name.replace("\ufeff", "").lower())


def file_sha256(path: Path) -> str:
    return scan_file(path)[0]


def scan_file(path: Path) -> tuple[str, int]:
    """One pass over the bytes: the file's SHA-256 and its number of physical lines.

    A caller that needs the hash before reading (to skip a file already loaded) passes the
    result on to `read_into`, so the bytes of a large file are read once, not twice."""
    digest = hashlib.sha256()
    count, last = 0, b""
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
            count += block.count(b"\n")
            last = block[-1:]
    return digest.hexdigest(), count + (1 if last and last != b"\n" else 0)


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise UnreadableInput(f"{path}: no such file.")
    if path.is_dir():
        raise UnreadableInput(f"{path}: is a folder; expected a CSV or XLSX file.")
    if not os.access(path, os.R_OK):
        raise UnreadableInput(f"{path}: cannot be read (permission denied).")


def _bom_encoding(path: Path) -> str:
    """UTF-8 unless a byte-order mark says otherwise; DuckDB checks the UTF-8 as it reads."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8"


class _NotUtf8(Exception):
    """The file has bytes that are not UTF-8: read it again as Windows-1252."""


def _to_utf8_copy(path: Path, encoding: str, workdir: Path) -> Path:
    """A UTF-8 copy of a Windows-1252/UTF-16 file, in the private working folder."""
    out = workdir / "input-utf8.csv"
    with path.open("r", encoding=encoding, errors="strict" if encoding != "cp1252" else
                   "replace", newline="") as src, out.open("w", encoding="utf-8",
                                                           newline="") as dst:
        for block in iter(lambda: src.read(1 << 22), ""):
            dst.write(block)
    return out


def _header(path: Path, encoding: str) -> list[str]:
    with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
        text = fh.read(SNIFF_BYTES)
    if not text.strip():
        raise UnreadableInput(f"{path}: the file is empty; expected a header row and data rows.")
    try:
        first = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise UnreadableInput(
            f"{path}, row 1 (header): cannot be read as CSV ({exc}); expected one header row "
            "of comma-separated column names."
        ) from exc
    if len(first) <= 1 and "\t" in (text.splitlines() or [""])[0]:
        raise UnreadableInput(
            f"{path}: row 1 looks tab-separated; expected a comma-separated (CSV) file."
        )
    return [h.strip().replace("\ufeff", "") for h in first]


def match_columns(
    path: Path, header: list[str], spec: SpecLike
) -> tuple[list[str | None], list[str]]:
    """Map each header cell to a spec field name; error on unknown, duplicate or missing.

    Returns (field name per header position, spec fields absent but optional).
    """
    lookup: dict[str, str] = {}
    for f in spec.fields:
        for alias in [f.name, f.label, *getattr(f, "aliases", [])]:
            if alias:
                lookup[header_key(alias)] = f.name
    mapped: list[str | None] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for h in header:
        name = lookup.get(header_key(h))
        if name is None:
            if h.strip():
                unknown.append(h)
            mapped.append(None)
            continue
        if name in seen:
            duplicates.append(f"{seen[name]!r} and {h!r}")
        seen[name] = h
        mapped.append(name)
    missing = [f.name for f in spec.fields if f.required_column and f.name not in seen]
    absent = [f.name for f in spec.fields if not f.required_column and f.name not in seen]
    problems = []
    if missing:
        problems.append("missing column(s): " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s): " + ", ".join(repr(u) for u in unknown))
    if duplicates:
        problems.append("the same field twice: " + "; ".join(duplicates))
    if problems:
        expected = ", ".join(f.name for f in spec.fields if f.required_column)
        optional = ", ".join(f.name for f in spec.fields if not f.required_column)
        raise OpenascError(
            f"{path}, row 1 (header): " + "; ".join(problems) + f". Expected the {spec.name} "
            f"columns: {expected}" + (f" (optional: {optional})" if optional else "") +
            ". Header names are matched ignoring case, spaces, underscores and punctuation."
        )
    return mapped, absent


def _xlsx_rows(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """Rows of the first worksheet as text; dates written dd/mm/yyyy as the spec writes them."""
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure here means "not a readable workbook"
        raise UnreadableInput(f"{path}: cannot be read as an Excel workbook ({exc}).") from exc
    ws = wb.worksheets[0]

    def text(v: Any) -> str | None:
        if v is None:
            return None
        if isinstance(v, datetime):
            return v.strftime("%d/%m/%Y") if v.time() == datetime.min.time() else v.isoformat(" ")
        if isinstance(v, date):
            return v.strftime("%d/%m/%Y")
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    rows = [[text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    wb.close()
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    if not rows:
        raise UnreadableInput(f"{path}: the first worksheet is empty.")
    return [(h or "").strip() for h in rows[0]], rows[1:]


def read_into(
    con: duckdb.DuckDBPyConnection, path: Path, spec: SpecLike, table: str = "stg",
    scan: tuple[str, int] | None = None,
) -> ReadResult:
    """Read `path` into `table`: `_row` (line in the file, header = 1) + a VARCHAR per field.

    Every spec field gets a column (`FieldSpec.column`); fields absent from the file are NULL.
    Cells are kept exactly as written (no trimming): judging them is validation's job.
    `scan` is `scan_file(path)` when the caller has already made it. Otherwise it is made
    here, in a thread beside the read: the CSV read is serial (see `_read_csv`), so hashing
    the bytes on the other core costs no time.
    """
    path = Path(path)
    _check_readable(path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(scan_file, path) if scan is None else None
        result = _read(con, path, spec, table,
                       (lambda: pending.result()) if pending else (lambda: scan))
    return result


def _read(con: duckdb.DuckDBPyConnection, path: Path, spec: SpecLike, table: str,
          scanned: Callable[[], tuple[str, int]]) -> ReadResult:
    """`read_into`, with the file's (hash, line count) from `scanned` when first needed."""
    cols = {f.name: f.column for f in spec.fields}
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        header, data = _xlsx_rows(path)
        mapped, absent = match_columns(path, header, spec)
        width = len(header)
        defs = ", ".join(f"c{i} VARCHAR" for i in range(width))
        con.execute(f"CREATE OR REPLACE TEMP TABLE _raw ({defs})")
        good = [r[:width] + [None] * (width - len(r)) for r in data
                if len([v for v in r[width:] if v not in (None, "")]) == 0]
        malformed = [(i + 2, f"row has {len([v for v in r if v not in (None, '')])} filled "
                      f"cells beyond the header's {width} columns")
                     for i, r in enumerate(data)
                     if len([v for v in r[width:] if v not in (None, "")]) > 0]
        rownums = [i + 2 for i, r in enumerate(data)
                   if len([v for v in r[width:] if v not in (None, "")]) == 0]
        if good:
            import pyarrow as pa

            arrays = {f"c{i}": pa.array([r[i] for r in good], pa.string()) for i in range(width)}
            arrays["_row"] = pa.array(rownums, pa.int32())
            arrow = pa.table(arrays)  # noqa: F841 - read by DuckDB's replacement scan
            con.execute("CREATE OR REPLACE TEMP TABLE _raw AS SELECT * FROM arrow")
        else:
            con.execute("ALTER TABLE _raw ADD COLUMN _row INTEGER")
        encoding = "xlsx"
        rows_total = len(data)
    else:
        encoding = _bom_encoding(path)
        header = _header(path, encoding if encoding != "utf-8" else "utf-8")
        mapped, absent = match_columns(path, header, spec)
        with tempfile.TemporaryDirectory(prefix="openasc-read-") as tmp:
            try:
                source = path if encoding == "utf-8" else _to_utf8_copy(path, encoding, Path(tmp))
                malformed = _read_csv(con, path, source, len(header),
                                      lambda: scanned()[1])
            except _NotUtf8:
                encoding = "cp1252"
                header = _header(path, encoding)
                mapped, absent = match_columns(path, header, spec)
                source = _to_utf8_copy(path, encoding, Path(tmp))
                malformed = _read_csv(con, path, source, len(header),
                                      lambda: scanned()[1])
        rows_total = con.execute("SELECT count(*) FROM _raw").fetchone()[0] + len(malformed)
    # Name the columns in place (no copy of the data): c3 -> nhs_number, and so on.
    for i, name in enumerate(mapped):
        if name:
            con.execute(f"ALTER TABLE _raw RENAME COLUMN c{i} TO {cols[name]}")
    for name in absent:
        con.execute(f"ALTER TABLE _raw ADD COLUMN {cols[name]} VARCHAR")
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"ALTER TABLE _raw RENAME TO {table}")
    return ReadResult(
        source_name=path.name, sha256=scanned()[0], rows=int(rows_total), encoding=encoding,
        columns=[m for m in mapped if m], absent_optional=absent, malformed=malformed,
    )


def _read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, source: Path, width: int,
    line_count: Callable[[], int],
) -> list[tuple[int, str]]:
    """DuckDB's CSV reader into `_raw` (c0.., `_row`); returns the rows it could not split.

    Rows are numbered as a spreadsheet numbers them: the header is row 1, the first record
    row 2, a cell with a line break inside quotes still one row. A row with too few or too
    many cells, or broken quoting, is a malformed row for quarantine. A quote that is never
    closed can swallow the rest of the file without an error from the parser, so the physical
    line count is checked against what was parsed: if they disagree, the file is refused.

    The read is serial (`parallel=false`). DuckDB 2.0's parallel reader, given malformed rows
    (a quoted cell followed by more text) near the boundaries between the parts it reads in
    parallel, dropped whole blocks of rows together with their rejects, or kept every row but
    reported reject line numbers one too low; the line count catches the first, not the
    second (seen with buffers of 1 MB and less, which put many boundaries in a test file),
    and on two cores the parallel read was no faster. Rows are numbered from the table's
    `rowid` (a serial read appends them in file order), not `row_number() OVER ()`, which
    costs a second, single-threaded pass over the whole table.
    """
    con.execute("DROP TABLE IF EXISTS _rejects; DROP TABLE IF EXISTS _reject_scans")
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _raw AS SELECT * FROM read_csv(?, "
            f"header=false, skip=1, delim=',', quote='\"', escape='\"', columns={columns}, "
            "null_padding=false, ignore_errors=true, store_rejects=true, "
            "rejects_table='_rejects', rejects_scan='_reject_scans', "
            "max_line_size=10000000, parallel=false, auto_detect=false, strict_mode=true)",
            [str(source)],
        )
        con.execute("ALTER TABLE _raw ADD COLUMN _row INTEGER")
        con.execute("UPDATE _raw SET _row = CAST(rowid + 2 AS INTEGER)")
        rejects = con.execute(
            "SELECT line, any_value(error_type), "
            "max(length(csv_line) - length(replace(csv_line, chr(10), ''))) "
            "FROM _rejects GROUP BY line ORDER BY line"
        ).fetchall()
    except duckdb.Error as exc:
        raise UnreadableInput(f"{path}: cannot be read as CSV ({exc}).") from exc
    if any(kind in ("INVALID ENCODING", "INVALID UNICODE") for _, kind, _ in rejects):
        raise _NotUtf8()
    parsed = con.execute("SELECT count(*) FROM _raw").fetchone()[0]
    lines = line_count()  # the scan beside the read is finished by now, or soon
    outside = 1 + parsed + sum(1 + (extra or 0) for _, _, extra in rejects)
    inner = 0
    # lines = outside + line breaks inside cells + lines of rows that vanished, and the last
    # two are never negative: when the first equation already holds, both are zero, and the
    # scan of every cell for line breaks (most of a second on a million rows) is not needed.
    if lines != outside:
        any_newline = " OR ".join(f"contains(c{i}, chr(10))" for i in range(width))
        embedded = " + ".join(
            f"coalesce(sum(length(c{i}) - length(replace(c{i}, chr(10), ''))), 0)"
            for i in range(width)
        )
        inner = con.execute(
            f"SELECT {embedded} FROM _raw WHERE {any_newline}").fetchone()[0] or 0
    if lines != outside + inner:
        raise UnreadableInput(
            f"{path}: cannot be read as CSV: a quoted cell is opened and never closed, so the "
            "rows after it cannot be told apart. Check the quotes near the end of the last "
            f"row read (row {parsed + len(rejects) + 1}); expected every cell that contains a "
            "comma, quote or line break to be enclosed in double quotes."
        )
    if not rejects:
        return []  # record n is row n + 1, as numbered in the read
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _raw AS "
        "WITH lines AS (SELECT CAST(l AS INTEGER) AS line FROM range(2, ? + 2) t(l) "
        "  WHERE l NOT IN (SELECT line FROM _rejects)), "
        "numbered AS (SELECT line, CAST(row_number() OVER (ORDER BY line) + 1 AS INTEGER) AS "
        "  _seq FROM lines) "
        "SELECT r.* EXCLUDE (_row), n.line AS _row FROM _raw r JOIN numbered n "
        "ON r._row = n._seq",
        [parsed + len(rejects)],
    )
    return [(int(line), _reject_reason(kind, width)) for line, kind, _ in rejects]


def _reject_reason(kind: str, width: int) -> str:
    if kind == "MISSING COLUMNS":
        return f"the row has fewer cells than the header's {width} columns"
    if kind == "TOO MANY COLUMNS":
        return f"the row has more cells than the header's {width} columns"
    if kind == "UNQUOTED VALUE" or kind == "UNTERMINATED QUOTE":
        return "a quoted cell is not closed or a quote is misplaced"
    if kind == "INVALID ENCODING" or kind == "INVALID UNICODE":
        return "the row has bytes that are not valid text"
    return f"the row cannot be split into the header's {width} columns ({kind.lower()})"
