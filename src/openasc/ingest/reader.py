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
from typing import Any, NamedTuple, Protocol

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
    notes: list[str] = field(default_factory=list)  # worth telling the user (sheet chosen)


def header_key(name: str) -> str:
    """Header matching ignores case, spaces, underscores and punctuation.

    `Request: Route of Access`, `request_route_of_access` and `REQUEST ROUTE OF ACCESS` all
    become `requestrouteofaccess`; so do the specification's other label spellings
    (`No. of adults being cared for`, `Cost Frequency (Unit Type)`).
    """
    return re.sub(r"[^0-9a-z]", "", name.replace("\ufeff", "").lower())


def file_sha256(path: Path) -> str:
    return scan_file(path)[0]


class Scan(NamedTuple):
    """What one pass over a file's bytes tells: its hash, its physical lines, and whether its
    line endings or blank lines would upset DuckDB's line count (then it is read through a
    normalised copy: `_normalised_copy`)."""

    sha256: str
    lines: int
    irregular: bool


def scan_file(path: Path) -> Scan:
    """One pass over the bytes: the file's SHA-256, its number of physical lines, and whether
    it is irregular.

    DuckDB reads LF and CRLF files, one style per file, and skips blank lines without saying
    so; CR-only endings, a mix of styles, or a blank line would upset the line count that
    proves no record was lost. Byte counts, no parsing; a CR is looked for once per block
    and CRLF pairs only in a block that has one. A caller that needs the hash before reading
    (to skip a file already loaded) passes the result on to `read_into`, so the bytes of a
    large file are read once, not twice."""
    digest = hashlib.sha256()
    lf = cr = crlf = 0
    blank = False
    tail = b""
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
            lf += block.count(b"\n")
            edge = tail + block[:2]  # the patterns that straddle two blocks
            if b"\r" in block or b"\r" in tail:
                cr += block.count(b"\r")
                crlf += block.count(b"\r\n") + (tail[-1:] == b"\r" and block[:1] == b"\n")
                blank = blank or b"\n\r\n" in block or b"\r\r" in block \
                    or b"\n\r\n" in edge or b"\r\r" in edge
            blank = blank or b"\n\n" in block or b"\n\n" in edge
            tail = block[-2:]
    irregular = blank or cr != crlf or bool(crlf and crlf != lf)
    return Scan(digest.hexdigest(), lf + (1 if tail and tail[-1:] != b"\n" else 0), irregular)


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


def _normalised_copy(path: Path, encoding: str, workdir: Path
                     ) -> tuple[Path, int, list[int]]:
    """A UTF-8, LF-only copy without blank lines, in the private working folder.

    Returns (copy, its physical line count, blank-line positions). Universal newlines read
    CR, LF and CRLF alike. A blank line outside quotes is no record: it is left out of the
    copy, and its position (the number, in the copy, of the record after it) is kept so that
    rows are still numbered as the original file numbers them. Quote parity per line tells
    a blank line inside a quoted cell (content, kept) from one between records.

    Only the line breaks between records become LF. One inside a quoted cell is the cell's
    content (RFC 4180, section 2.6) and is copied as it was - CR, LF or CRLF - so that a
    cell reads the same whichever line endings the rest of the file has (`_breaks` counts
    them all when the lines are checked)."""
    out = workdir / "input-utf8.csv"
    lines = records = 0
    blanks: list[int] = []
    in_quote = False
    errors = "replace" if encoding == "cp1252" else "strict"
    try:
        # newline="": lines end at CR, LF or CRLF and keep their ending, untranslated
        with path.open("r", encoding=encoding, errors=errors, newline="") as src, \
                out.open("w", encoding="utf-8", newline="") as dst:
            for line in src:
                body = line.rstrip("\r\n")
                ending = line[len(body):]
                if not in_quote and not body:
                    blanks.append(records + 1)
                    continue
                if body.count('"') % 2:
                    in_quote = not in_quote
                # a break inside a cell is its content
                dst.write(body + ((ending or "\n") if in_quote else "\n"))
                lines += 1
                if not in_quote:
                    records += 1
    except UnicodeError as exc:
        if encoding == "utf-8":
            raise _NotUtf8() from exc  # read it again as Windows-1252
        raise UnreadableInput(
            f"{path}: cannot be read as {encoding} text ({exc}); expected UTF-8, UTF-16 with a "
            "byte-order mark, or Windows-1252.") from exc
    return out, lines, blanks


def _renumber(con: duckdb.DuckDBPyConnection, malformed: list[tuple[int, str]],
              blanks: list[int]) -> list[tuple[int, str]]:
    """Row numbers as in the original file: each blank line left out moves later rows down."""
    if not blanks:
        return malformed
    con.execute("CREATE OR REPLACE TEMP TABLE _blanks AS SELECT unnest(?::INTEGER[]) AS pos",
                [blanks])
    con.execute("UPDATE _raw SET _row = _row + (SELECT count(*) FROM _blanks WHERE pos <= _row)")
    from bisect import bisect_right

    return [(row + bisect_right(blanks, row), reason) for row, reason in malformed]


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


# Limits far above any real CLD extract (a large council's year is about a million rows of 48
# columns), so that a hostile or broken workbook is refused in seconds, not after gigabytes.
MAX_ROWS = 2_000_000
MAX_COLUMNS = 200
MAX_UNCOMPRESSED = 4 << 30  # bytes of XML once unzipped, all parts together
MAX_SHARED_STRINGS = 512 << 20  # openpyxl holds the shared-strings part in memory
XLSX_BATCH = 50_000


def _check_workbook_parts(path: Path) -> None:
    """Refuse a workbook whose parts are too big to parse, or that declares a DTD.

    The sizes are the ones the zip declares; Python's zip reader never inflates a part beyond
    its declared size, so they bound what parsing can cost. Excel never writes a DTD; one in a
    workbook is an XML attack (entity expansion) or a broken file."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
            total = sum(p.file_size for p in parts)
            if total > MAX_UNCOMPRESSED:
                raise UnreadableInput(
                    f"{path}: the workbook unzips to {total / 2**30:.1f} GB, more than the "
                    f"{MAX_UNCOMPRESSED >> 30} GB openasc reads; save the data as CSV instead.")
            for p in parts:
                if p.filename.endswith("sharedStrings.xml") and p.file_size > MAX_SHARED_STRINGS:
                    raise UnreadableInput(
                        f"{path}: the workbook's shared text part is {p.file_size >> 20} MB, "
                        f"more than the {MAX_SHARED_STRINGS >> 20} MB openasc reads; save the "
                        "data as CSV instead.")
                if p.filename.endswith((".xml", ".rels")):
                    with zf.open(p) as fh:
                        head = fh.read(4096)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise UnreadableInput(
                            f"{path}: the workbook part {p.filename} declares a document type "
                            "(DTD), which Excel never writes; refused. Save the sheet again "
                            "from Excel, or as CSV.")
    except zipfile.BadZipFile as exc:
        raise UnreadableInput(f"{path}: cannot be read as an Excel workbook ({exc}).") from exc


def _cell_text(v: Any) -> str | None:
    """A cell as the specification writes it: dates dd/mm/yyyy, whole numbers without '.0'."""
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.strftime("%d/%m/%Y") if v.time() == datetime.min.time() else v.isoformat(" ")
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path
               ) -> tuple[list[str], list[tuple[int, str]], int, list[str]]:
    """The first visible worksheet into `_raw` (c0.., `_row`), streamed in batches.

    Returns (header, malformed rows, data rows, notes). The sheet's declared `<dimension>`
    is ignored (`reset_dimensions`): a stale one made openpyxl stop early and lose rows.
    Trailing empty rows are not data; empty rows between data rows are (validation judges
    them), so that row numbers stay those Excel shows."""
    _check_workbook_parts(path)
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure here means "not a readable workbook"
        raise UnreadableInput(f"{path}: cannot be read as an Excel workbook ({exc}).") from exc
    try:
        visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if not visible:
            raise UnreadableInput(f"{path}: the workbook has no visible worksheet.")
        ws = visible[0]
        notes = []
        if ws is not wb.worksheets[0] or len(visible) > 1:
            notes.append(f"read the worksheet {ws.title!r} (the first visible one)")
        ws.reset_dimensions()
        return _stream_sheet(con, path, ws.iter_rows(values_only=True)) + (notes,)
    except OpenascError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed part found while streaming
        raise UnreadableInput(f"{path}: cannot be read as an Excel workbook ({exc}).") from exc
    finally:
        wb.close()


def _stream_sheet(con: duckdb.DuckDBPyConnection, path: Path, rows: Any
                  ) -> tuple[list[str], list[tuple[int, str]], int]:
    import pyarrow as pa

    header: list[str] | None = None
    width = 0
    malformed: list[tuple[int, str]] = []
    batch: list[list[str | None]] = []
    numbers: list[int] = []
    pending_empty: list[int] = []  # empty rows kept only if a filled row follows
    last = 0

    def flush() -> None:
        if not batch:
            return
        arrays = {f"c{i}": pa.array([r[i] for r in batch], pa.string()) for i in range(width)}
        arrays["_row"] = pa.array(numbers, pa.int32())
        arrow = pa.table(arrays)  # noqa: F841 - read by DuckDB's replacement scan
        con.execute("INSERT INTO _raw SELECT * FROM arrow")
        batch.clear()
        numbers.clear()

    for number, raw in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise UnreadableInput(
                f"{path}: the worksheet has more than {MAX_ROWS:,} rows, more than openasc "
                "reads from a workbook; split the file or save it as CSV.")
        filled = [i for i, v in enumerate(raw) if v not in (None, "")]
        if filled and filled[-1] >= MAX_COLUMNS:
            raise UnreadableInput(
                f"{path}, row {number}: a value in column {filled[-1] + 1}, beyond the "
                f"{MAX_COLUMNS} columns openasc reads; expected the CLD columns only.")
        cells = [_cell_text(v) for v in raw[: filled[-1] + 1]] if filled else []
        if header is None:
            if not filled:
                raise UnreadableInput(f"{path}, row 1 (header): the row is empty; expected the "
                                      "column names in the first row of the first visible sheet.")
            header = [(h or "").strip() for h in cells]
            width = len(header)
            con.execute("CREATE OR REPLACE TEMP TABLE _raw (" + ", ".join(
                f"c{i} VARCHAR" for i in range(width)) + ", _row INTEGER)")
            continue
        if not filled:
            pending_empty.append(number)
            continue
        for n in pending_empty:
            batch.append([None] * width)
            numbers.append(n)
        pending_empty.clear()
        last = number
        if len(cells) > width:
            malformed.append((number, f"row has {len([c for c in cells[width:] if c])} filled "
                              f"cells beyond the header's {width} columns"))
        else:
            batch.append(cells + [None] * (width - len(cells)))
            numbers.append(number)
        if len(batch) >= XLSX_BATCH:
            flush()
    if header is None:
        raise UnreadableInput(f"{path}: the worksheet is empty.")
    flush()
    return header, malformed, max(last - 1, 0)


def read_into(
    con: duckdb.DuckDBPyConnection, path: Path, spec: SpecLike, table: str = "stg",
    scan: Scan | None = None,
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
          scanned: Callable[[], Scan]) -> ReadResult:
    """`read_into`, with the file's (hash, line count) from `scanned` when first needed."""
    cols = {f.name: f.column for f in spec.fields}
    notes: list[str] = []
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        header, malformed, rows_total, notes = _read_xlsx(con, path)
        mapped, absent = match_columns(path, header, spec)
        encoding = "xlsx"
    else:
        encoding = _bom_encoding(path)
        header = _header(path, encoding if encoding != "utf-8" else "utf-8")
        mapped, absent = match_columns(path, header, spec)
        with tempfile.TemporaryDirectory(prefix="openasc-read-") as tmp:
            try:
                malformed = _read_direct(con, path, len(header), scanned) \
                    if encoding == "utf-8" else None
                if malformed is None:
                    source, lines, blanks = _normalised_copy(path, encoding, Path(tmp))
                    malformed = _renumber(con, _read_csv(con, path, source, len(header),
                                                         lambda: lines), blanks)
            except _NotUtf8:
                encoding = "cp1252"
                header = _header(path, encoding)
                mapped, absent = match_columns(path, header, spec)
                source, lines, blanks = _normalised_copy(path, encoding, Path(tmp))
                malformed = _renumber(con, _read_csv(con, path, source, len(header),
                                                     lambda: lines), blanks)
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
        notes=notes,
    )


def _read_direct(con: duckdb.DuckDBPyConnection, path: Path, width: int,
                 scanned: Callable[[], Scan]) -> list[tuple[int, str]] | None:
    """A UTF-8 file read as it is, when the scan finds it regular; None when it is not
    (blank lines, CR endings), for the caller to read a normalised copy instead.

    The read starts before the scan beside it has finished, and the scan is consulted only
    once the read is done: waiting for it first kept DuckDB idle for about a second per
    million rows. An irregular file can upset the read (a blank line breaks the line count
    proof, CR endings make one long line); whatever it raised, the copy is read instead."""
    try:
        malformed = _read_csv(con, path, path, width, lambda: scanned()[1])
    except (_NotUtf8, UnreadableInput):
        if scanned().irregular:
            return None
        raise
    return None if scanned().irregular else malformed


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
            # a CRLF file's rejected line can start with the LF of the line break before
            # it: only the breaks inside the record count (ends trimmed)
            f"max({_breaks('trim(csv_line, chr(13) || chr(10))')}), "
            "max(length(csv_line) - length(replace(csv_line, ',', ''))) "
            "FROM _rejects GROUP BY line ORDER BY line"
        ).fetchall()
    except duckdb.Error as exc:
        raise UnreadableInput(f"{path}: cannot be read as CSV ({exc}).") from exc
    if any(kind in ("INVALID ENCODING", "INVALID UNICODE") for _, kind, _, _ in rejects):
        raise _NotUtf8()
    parsed = con.execute("SELECT count(*) FROM _raw").fetchone()[0]
    lines = line_count()  # the scan beside the read is finished by now, or soon
    outside = 1 + parsed + sum(1 + (extra or 0) for _, _, extra, _ in rejects)
    inner = 0
    # lines = outside + line breaks inside cells + lines of rows that vanished, and the last
    # two are never negative: when the first equation already holds, both are zero, and the
    # scan of every cell for line breaks (most of a second on a million rows) is not needed.
    if lines != outside:
        any_newline = " OR ".join(_has_break(f"c{i}") for i in range(width))
        embedded = " + ".join(f"coalesce(sum({_breaks(f'c{i}')}), 0)" for i in range(width))
        inner = con.execute(
            f"SELECT {embedded} FROM _raw WHERE {any_newline}").fetchone()[0] or 0
    if lines != outside + inner:
        raise UnreadableInput(
            f"{path}: cannot be read as CSV: a quoted cell is opened and never closed, so the "
            "rows after it cannot be told apart. Check the quotes near the end of the last "
            f"row read (row {parsed + len(rejects) + 1}); expected every cell that contains a "
            "comma, quote or line break to be enclosed in double quotes."
        )
    absorbed = _absorbed_records(con, width, rejects) if inner else []
    if rejects:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _raw AS "
            "WITH lines AS (SELECT CAST(l AS INTEGER) AS line FROM range(2, ? + 2) t(l) "
            "  WHERE l NOT IN (SELECT line FROM _rejects)), "
            "numbered AS (SELECT line, CAST(row_number() OVER (ORDER BY line) + 1 AS INTEGER) "
            "  AS _seq FROM lines) "
            "SELECT r.* EXCLUDE (_row), n.line AS _row FROM _raw r JOIN numbered n "
            "ON r._row = n._seq",
            [parsed + len(rejects)],
        )  # else record n is row n + 1, as numbered in the read
    return sorted([(int(line), reason) for line, kind, extra, commas in rejects
                   for reason in _reject_entries(kind, width, extra or 0, commas or 0)]
                  + absorbed)


def _breaks(cell: str) -> str:
    """SQL: the line breaks in a cell, each CRLF, lone CR or lone LF one (a quoted cell keeps
    the breaks it was written with, see `_normalised_copy`)."""
    return (f"(length(replace({cell}, chr(13) || chr(10), chr(10))) - "
            f"length(replace(replace({cell}, chr(13), ''), chr(10), '')))")


def _has_break(cell: str) -> str:
    return f"(contains({cell}, chr(10)) OR contains({cell}, chr(13)))"


def _reject_entries(kind: str, width: int, extra: int, commas: int) -> list[str]:
    """One quarantine entry per record in a rejected row. A row over several lines is one
    record when its line breaks are inside quoted cells; it is several when a stray quote
    ran records together, which shows as a whole record's worth of commas per record."""
    reason = _reject_reason(kind, width)
    records = min(1 + extra, max(1, round(commas / max(width - 1, 1)))) if extra else 1
    if records == 1:
        return [reason]
    return [f"{reason}; a stray quote ran {records} records on {extra + 1} lines together, "
            "each counted here"] * records


def _absorbed_records(con: duckdb.DuckDBPyConnection, width: int,
                      rejects: list[tuple[int, str, int, int]]) -> list[tuple[int, str]]:
    """Rows that are several records run together by a stray quote: take them out of `_raw`.

    A quote opened in one record and closed in a later one makes a single row whose quoted
    cell holds the rest of the first record, a line break and the start of the next; when
    the cell counts happen to add up, the parser sees nothing wrong and a record vanishes.
    A cell with a line break and at least as many commas as a whole record has separators
    is that, not text (a description with a line break has a few commas, not 47). Each such
    row is quarantined as one entry per line of the file it covers, naming the lines."""
    per_row = " + ".join(
        f"coalesce({_breaks(f'c{i}')}, 0)" for i in range(width))
    any_newline = " OR ".join(_has_break(f"c{i}") for i in range(width))
    flag = " OR ".join(
        f"({_has_break(f'c{i}')} AND length(c{i}) - length(replace(c{i}, ',', '')) >= "
        f"{max(width - 1, 1)})" for i in range(width))
    found = con.execute(
        f"SELECT _row, n, before FROM (SELECT _row, n, coalesce(sum(n) OVER (ORDER BY _row "
        f"ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before, flagged FROM "
        f"(SELECT _row, {per_row} AS n, {flag} AS flagged FROM _raw WHERE {any_newline})) "
        "WHERE flagged ORDER BY _row").fetchall()
    if not found:
        return []
    con.execute(f"DELETE FROM _raw WHERE {flag}")
    out: list[tuple[int, str]] = []
    for row, n, before in found:
        extra_before = sum(e or 0 for line, _, e, _ in rejects if line < row)
        first = int(row) + int(before) + extra_before
        reason = (f"lines {first} to {first + n} of the file were read as one row: a quote "
                  f"opened on line {first} is closed only on line {first + n}, so {n + 1} "
                  f"records ran together; check the quotes on line {first}")
        out.extend((int(row), reason) for _ in range(int(n) + 1))
    return out


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
