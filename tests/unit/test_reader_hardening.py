"""What an attack on the file readers found (issue 12, B1-B4, B6 DTD, B7), one test each."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from openasc.errors import UnreadableInput
from openasc.ingest import reader
from openasc.ingest.reader import read_into
from openasc.spec import load_spec

SPEC = load_spec("cld")
HEADER = [f.name for f in SPEC.fields if f.required_column]


def _line(i: int) -> str:
    """Record i: LA_Code then `v{i}` in every other cell, so rows can be told apart."""
    return ",".join(["416"] + [f"v{i}"] * (len(HEADER) - 1))


def _lines(n: int) -> list[str]:
    return [",".join(HEADER)] + [_line(i) for i in range(n)]


def _read(path: Path) -> tuple[reader.ReadResult, list[int]]:
    con = duckdb.connect()
    result = read_into(con, path, SPEC)
    rows = [r[0] for r in con.execute("SELECT _row FROM stg ORDER BY _row").fetchall()]
    return result, rows


CSV_VARIANTS = {
    "trailing blank line": ("\n".join(_lines(5)) + "\n\n").encode(),
    "blank line mid-file": ("\n".join(_lines(5)[:3]) + "\n\n" + "\n".join(_lines(5)[3:])
                            + "\n").encode(),
    "UTF-16LE with BOM": b"\xff\xfe" + ("\r\n".join(_lines(5)) + "\r\n").encode("utf-16-le"),
    "CR-only line endings": ("\r".join(_lines(5)) + "\r").encode(),
    "mixed LF and CRLF": ("\n".join(_lines(5)[:3]) + "\r\n" + "\r\n".join(_lines(5)[3:])
                          + "\n").encode(),
}


@pytest.mark.parametrize("name", CSV_VARIANTS)
def test_b3_well_formed_csvs_are_read(tmp_path: Path, name: str) -> None:
    """B3: each was refused with 'a quoted cell is opened and never closed'. Five records;
    a blank line is no record, and rows keep the numbers the file gives them."""
    path = tmp_path / "f.csv"
    path.write_bytes(CSV_VARIANTS[name])
    result, rows = _read(path)
    assert result.rows == 5 and not result.malformed
    expected = [2, 3, 5, 6, 7] if name == "blank line mid-file" else [2, 3, 4, 5, 6]
    assert rows == expected


def test_b7_a_stray_quote_never_swallows_a_record(tmp_path: Path) -> None:
    """B7: a quote opened on line 3 and closed on line 4 made lines 3-4 one row with the
    right number of cells: 6 records read as '5 rows in'. Now the 6 records are counted,
    lines 3 and 4 quarantined (one entry each) naming the line range."""
    lines = _lines(6)
    lines[2] = lines[2].replace("v1", '"v1', 1)
    lines[3] = lines[3].replace(",v2", ',v2"', 1)
    path = tmp_path / "f.csv"
    path.write_text("\n".join(lines) + "\n")
    result, rows = _read(path)
    assert result.rows == 6
    assert len(result.malformed) == 2
    assert all("lines 3 to 4" in reason for _, reason in result.malformed)
    assert len(rows) + len(result.malformed) == 6


def _workbook(path: Path, rows: list[list[str]], hidden_first: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if hidden_first:
        ws.title = "Old"
        ws.append(["not", "the", "data"])
        ws.sheet_state = "hidden"
        ws = wb.create_sheet("Data")
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _rewrite_part(path: Path, part: str, change) -> None:
    """Rewrite one XML part of a workbook in place."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == part else data)
    path.write_bytes(buf.getvalue())


def _sheet_rows(n: int) -> list[list[str]]:
    return [HEADER] + [["416"] + [f"v{i}"] * (len(HEADER) - 1) for i in range(n)]


def test_b1_a_stale_dimension_loses_no_row(tmp_path: Path) -> None:
    """B1: the sheet declares A1:C10 but holds 77 data rows; openpyxl's read-only mode read
    9 of them. All 77 are read."""
    path = _workbook(tmp_path / "f.xlsx", _sheet_rows(77))
    _rewrite_part(path, "xl/worksheets/sheet1.xml",
                  lambda d: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:C10"/>', d))
    assert b"A1:C10" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    result, rows = _read(path)
    assert result.rows == 77 and rows == list(range(2, 79))


def test_b2_a_cell_far_away_is_refused_quickly(tmp_path: Path, monkeypatch) -> None:
    """B2: one cell at XFD1048576 took 65 s and 10 GB before a MemoryError. Refused (exit 2)
    at the column limit, before any row is padded to 16,384 cells."""
    path = _workbook(tmp_path / "f.xlsx", _sheet_rows(2))
    wb = openpyxl.load_workbook(path)
    wb.active["XFD3"] = "x"
    wb.save(path)
    with pytest.raises(UnreadableInput, match="beyond the 200 columns") as err:
        _read(path)
    assert err.value.exit_code == 2


def test_b2_too_many_rows_and_too_big_parts_are_refused(tmp_path: Path, monkeypatch) -> None:
    """The row and size limits (2M rows, 4 GB unzipped) scaled down to be testable."""
    path = _workbook(tmp_path / "f.xlsx", _sheet_rows(30))
    monkeypatch.setattr(reader, "MAX_ROWS", 20)
    with pytest.raises(UnreadableInput, match="more than 20 rows"):
        _read(path)
    monkeypatch.setattr(reader, "MAX_ROWS", 2_000_000)
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(UnreadableInput, match="unzips to"):
        _read(path)


def test_b4_a_hidden_first_sheet_is_skipped_and_named(tmp_path: Path) -> None:
    """B4: the hidden sheet was loaded and the visible data ignored."""
    path = _workbook(tmp_path / "f.xlsx", _sheet_rows(3), hidden_first=True)
    result, rows = _read(path)
    assert result.rows == 3 and rows == [2, 3, 4]
    assert result.notes == ["read the worksheet 'Data' (the first visible one)"]


def test_b6_a_workbook_with_a_dtd_is_refused_with_exit_2(tmp_path: Path) -> None:
    """B6: an XLSX whose sheet declares a DTD (entity expansion) ended in 'Internal error'."""
    path = _workbook(tmp_path / "f.xlsx", _sheet_rows(2))
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda d: d.replace(
        b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet',
        1))
    with pytest.raises(UnreadableInput, match="DTD") as err:
        _read(path)
    assert err.value.exit_code == 2
