"""A fuzz suite of generated CLD files (issue 12): 300+ CSV and XLSX variants, seeded.

Each variant is built from valid records and then damaged or re-encoded the ways real and
hostile extracts are: UTF-8 with and without BOM, Windows-1252, UTF-16; LF, CRLF, CR-only and
mixed line endings; blank lines; ragged rows; stray quotes that run records together; quotes
never closed; cells that look like formulas or identifiers; line breaks inside quoted cells;
and for workbooks a stale `<dimension>`, a hidden first sheet, empty rows, cells beyond the
header, a DTD, a cell at XFD1048576. The generator knows how many physical records each file
holds, so the test checks the reader against that number, not against itself:

- no variant ends in anything but a result or a user error (exit 1/2), never exit 3;
- rows in = the file's physical records, and rows in = loaded + quarantined;
- a few large files, each read by `openasc validate cld` in its own process, peak at most
  2 GB of resident memory.
"""

from __future__ import annotations

import io
import random
import re
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from cldfile import FIELDS, cld_row
from openasc.errors import OpenascError
from openasc.ingest.cld import stage_file
from openasc.ingest.staging import staging_connection
from openasc.spec import load_spec

SPEC = load_spec("cld")
CSV_VARIANTS = 240
XLSX_VARIANTS = 72
FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\")"]


@dataclass
class Variant:
    name: str
    data: bytes
    suffix: str
    records: int | None  # physical records; None when the file must be refused (exit 2)


def _records(rng: random.Random, n: int) -> list[list[str]]:
    out = []
    for i in range(n):
        row = cld_row(f"P{rng.randrange(50)}", Event_Reference=f"E{i}")
        row.update(LA_Code="416", Reporting_Period_Start_Date="01/04/2024",
                   Reporting_Period_End_Date="31/03/2025")
        out.append([row.get(f, "") for f in FIELDS])
    return out


def _damage(rng: random.Random, recs: list[list[str]]) -> list[list[str]]:
    """Cell-level damage that keeps one record per row: formulas, identifiers, text."""
    col = FIELDS.index
    for r in recs:
        roll = rng.random()
        if roll < 0.15:
            r[col("Event_Description")] = rng.choice(FORMULAS)
        elif roll < 0.25:
            r[col("Gender")] = "9434765919"  # an NHS number in a probable list
        elif roll < 0.32:
            r[col("Event_Description")] = "line one\nline two, with a comma"
        elif roll < 0.38:
            r[col("Event_Start_Date")] = rng.choice(["31/12/9999", "2024-13-45", "00/00/0000"])
        elif roll < 0.42:
            r[col("Event_Description")] = 'she said "no"'
    return recs


def _cell(v: str) -> str:
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v


def _csv_variant(seed: int) -> Variant:
    rng = random.Random(seed)
    n = rng.randint(1, 25)
    recs = _damage(rng, _records(rng, n))
    expected: int | None = n
    kind = []
    defect = rng.random()
    stray = defect < 0.15 and n >= 3
    if stray:  # a quote opened in one record and closed in the next: the two run together
        i = rng.randrange(0, n - 1)
        k = FIELDS.index("Event_Reference")
        for r in recs[i:i + 2]:
            r[:] = ["x" if re.search(r'[,"\n\r]', v) else v for v in r]
        recs[i][k], recs[i + 1][k] = '"' + recs[i][k], recs[i + 1][k] + '"'
        kind.append("stray-quote")
    lines = [",".join(FIELDS)] + [",".join(v if stray and v.count('"') == 1 else _cell(v)
                                           for v in r) for r in recs]
    if 0.15 <= defect < 0.25:  # a ragged record: a cell too few or too many
        i = rng.randrange(1, n + 1)
        lines[i] = lines[i] + ",extra" if rng.random() < 0.5 else lines[i].rsplit(",", 1)[0]
        kind.append("ragged")
    elif 0.25 <= defect < 0.30:  # a quote never closed: the file is refused
        lines[-1] = lines[-1] + ',"never closed'
        expected = None
        kind.append("unclosed")
    if rng.random() < 0.3:  # blank lines between records and at the end
        for _ in range(rng.randint(1, 3)):
            lines.insert(rng.randint(2, len(lines)), "")
        kind.append("blank-lines")
    if expected is not None and rng.random() < 0.3:
        lines += [""] * rng.randint(1, 2)
    ending = rng.choice(["\n", "\r\n", "\r", "mixed"])
    text = "".join(line + (rng.choice(["\n", "\r\n"]) if ending == "mixed" else ending)
                   for line in lines)
    if rng.random() < 0.2:
        text = text.rstrip("\r\n")  # no line break after the last record
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252", "utf-16"])
    if encoding == "cp1252":
        text = text.replace("Female", "Female", 1).replace("line one", "café one")
    if ending == "\r" and any("\n" in v for r in recs for v in r):
        text = text.replace("\n", "\r")  # CR-only throughout, inside cells too
    data = text.encode(encoding)
    return Variant(f"csv-{seed}-{encoding}-{ending!r}-{'+'.join(kind)}", data, ".csv", expected)


def _xlsx_bytes(rows: list[list], hidden_first: bool, far_cell: bool) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if hidden_first:
        ws.title = "Notes"
        ws.append(["not", "the", "data"])
        ws.sheet_state = "hidden"
        ws = wb.create_sheet("CLD")
    for r in rows:
        ws.append(r)
    if far_cell:
        ws["XFD1048576"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, change(body) if "worksheets/sheet" in info.filename else body)
    return out.getvalue()


def _xlsx_variant(seed: int) -> Variant:
    rng = random.Random(10_000 + seed)
    n = rng.randint(1, 25)
    recs: list[list] = _damage(rng, _records(rng, n))
    if rng.random() < 0.3:  # dates as real Excel dates
        for r in recs:
            r[FIELDS.index("Event_Start_Date")] = datetime(2024, 6, 1)
    kind = []
    rows: list[list] = [list(FIELDS)] + recs
    expected: int | None = n
    if rng.random() < 0.25 and n >= 2:  # empty rows between records: rows as Excel numbers them
        at = rng.randint(2, len(rows) - 1)
        rows[at:at] = [[None] * len(FIELDS)] * rng.randint(1, 3)
        expected = len(rows) - 1
        kind.append("empty-rows")
    if rng.random() < 0.2:  # a value beyond the header's columns: a malformed row, counted
        rows[rng.randint(1, len(rows) - 1)] = rows[1] + ["beyond"]
        kind.append("beyond-header")
    hidden = rng.random() < 0.25
    far = rng.random() < 0.06
    data = _xlsx_bytes(rows, hidden, far)
    if hidden:
        kind.append("hidden-first")
    if far:
        expected = None
        kind.append("far-cell")
    roll = rng.random()
    if roll < 0.3:
        data = _rewrite(data, lambda b: re.sub(rb'<dimension ref="[^"]*" ?/>',
                                               b'<dimension ref="A1:C3"/>', b))
        kind.append("stale-dimension")
    elif roll < 0.36:
        data = _rewrite(data, lambda b: b.replace(
            b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1))
        expected = None
        kind.append("dtd")
    return Variant(f"xlsx-{seed}-{'+'.join(kind)}", data, ".xlsx", expected)


VARIANTS = [_csv_variant(s) for s in range(CSV_VARIANTS)] + [
    _xlsx_variant(s) for s in range(XLSX_VARIANTS)]


def test_the_suite_covers_the_findings() -> None:
    names = " ".join(v.name for v in VARIANTS)
    for needed in ("utf-16", "'\\r'", "mixed", "blank-lines", "stray-quote", "ragged",
                   "unclosed", "stale-dimension", "hidden-first", "dtd", "far-cell",
                   "empty-rows", "beyond-header", "cp1252"):
        assert needed in names, needed
    assert len(VARIANTS) >= 300


def test_every_variant_is_read_or_refused_and_every_record_counted(tmp_path: Path) -> None:
    """Every variant through the reader: refused with exit 2, or every physical record in
    (rows in = records; rows in = rows staged + malformed rows). Every sixth also through
    validation, as `ingest cld` stages it, where loaded + quarantined must equal rows in
    (validation judges rows, it never adds or drops one). Validation costs a second or two a
    file on a loaded 2-core machine, so the sample keeps the suite to a few minutes."""
    import duckdb

    from openasc.ingest.reader import read_into

    checked = refused = validated = 0
    with staging_connection(b"k" * 32) as staging:
        for i, v in enumerate(VARIANTS):
            path = tmp_path / f"v{i}{v.suffix}"
            path.write_bytes(v.data)
            con = duckdb.connect()
            try:
                read = read_into(con, path, SPEC)
            except OpenascError as exc:  # a sentence and exit 2; never exit 3
                assert v.records is None, f"{v.name}: refused: {exc.message}"
                assert exc.exit_code == 2, v.name
                refused += 1
                continue
            finally:
                staged_rows = (con.execute("SELECT count(*) FROM stg").fetchone()[0]
                               if v.records is not None and _has(con, "stg") else None)
                con.close()
            assert v.records is not None, f"{v.name}: read, but should have been refused"
            assert read.rows == v.records, f"{v.name}: {read.rows} rows, {v.records} records"
            assert read.rows == staged_rows + len(read.malformed), v.name
            checked += 1
            if i % 6:
                continue
            try:
                staged = stage_file(staging, path, SPEC, i, load_only=True,
                                    cross_rows=False)
            except OpenascError as exc:  # a file-level error (no usable rows): exit 1
                assert exc.exit_code == 1, f"{v.name}: {exc.message}"
                continue
            loaded = staging.execute(f"SELECT count(*) FROM {staged.table} "
                                     "WHERE _reject_reason IS NULL").fetchone()[0]
            assert loaded + staged.rejected + len(staged.read.malformed) == read.rows, v.name
            staging.execute(f"DROP TABLE {staged.table}")
            validated += 1
    assert checked + refused == len(VARIANTS) >= 300
    assert checked >= 250 and refused >= 10 and validated >= 30


def _has(con, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = ?", [table]).fetchone()[0])


def _peak_rss_of(args: list[str], cwd: Path) -> tuple[int, subprocess.CompletedProcess]:
    out = subprocess.run(args, capture_output=True, text=True, cwd=cwd)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, out


@pytest.mark.parametrize("kind", ["csv-200k-rows", "xlsx-10k-rows", "xlsx-far-cell"])
def test_big_files_stay_under_2_gb(tmp_path: Path, kind: str) -> None:
    """Each file is validated by the command line in a fresh process; ru_maxrss of the
    children is the largest resident set any of them reached."""
    rng = random.Random(7)
    if kind.startswith("csv"):
        base = [",".join(_cell(c) for c in r) for r in _records(rng, 1000)]
        path = tmp_path / "big.csv"
        with path.open("w", encoding="utf-8") as fh:
            fh.write(",".join(FIELDS) + "\n")
            for _ in range(200):
                fh.write("\n".join(base) + "\n")
        records = 200_000
    else:
        n = 10_000 if kind == "xlsx-10k-rows" else 2
        path = tmp_path / "big.xlsx"
        path.write_bytes(_xlsx_bytes([list(FIELDS)] + _records(rng, 1000) * (n // 1000 or 1)
                                     if n > 2 else [list(FIELDS)] + _records(rng, 2),
                                     False, kind == "xlsx-far-cell"))
        records = n
    peak, out = _peak_rss_of([sys.executable, "-m", "openasc.cli", "--warehouse",
                              str(tmp_path / "w.duckdb"), "validate", "cld", str(path)], tmp_path)
    assert "Internal error" not in out.stderr and out.returncode != 3, out.stderr
    if kind == "xlsx-far-cell":
        assert out.returncode == 2 and "columns" in out.stderr
    else:
        assert out.returncode == 0, out.stderr
        assert f"{records:,} rows read" in out.stdout
    assert peak <= 2 << 30, f"{kind}: peak resident memory {peak / 2**30:.2f} GB"
