"""The reader gets every row in under the specification's names, or says why it cannot."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from openasc.errors import OpenascError, UnreadableInput
from openasc.ingest import reader
from openasc.ingest.reader import header_key, read_into, scan_file
from openasc.spec import load_spec

SPEC = load_spec("cld")
HEADER = [f.name for f in SPEC.fields if f.required_column]


def _row(**cells: str) -> list[str]:
    return [cells.get(name, "") for name in HEADER]


def _csv(rows: list[list[str]], header: list[str] | None = None) -> str:
    def cell(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v

    return "\n".join(",".join(cell(v) for v in r) for r in [header or HEADER, *rows]) + "\n"


def test_header_matching_ignores_case_spaces_underscores_and_punctuation() -> None:
    assert header_key("Request: Route of Access") == header_key("REQUEST_ROUTE_OF_ACCESS")
    assert header_key("No. of adults being cared for") == header_key("No_of_adults_being_cared_for")
    assert header_key("Cost Frequency (Unit Type)") == header_key("cost_frequency_unit_type")


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                          ("cp1252", b"")])
def test_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    """UTF-8 with or without BOM, and Windows-1252 (é is one byte, 0xE9, there)."""
    path = tmp_path / "f.csv"
    path.write_bytes(bom + _csv([_row(LA_Code="416", GP_Practice_Name="Café")]).encode(encoding))
    con = duckdb.connect()
    result = read_into(con, path, SPEC)
    assert result.rows == 1
    assert con.execute("SELECT _row, la_code, gp_practice_name FROM stg").fetchall() == [
        (2, "416", "Café")]


def test_spec_labels_as_headers(tmp_path: Path) -> None:
    labels = [SPEC.field(n).label for n in HEADER]
    path = tmp_path / "labels.csv"
    path.write_text(_csv([_row(Request_Route_of_Access="Prison")], header=labels))
    con = duckdb.connect()
    read_into(con, path, SPEC)
    assert con.execute("SELECT request_route_of_access FROM stg").fetchone() == ("Prison",)


def test_missing_and_unknown_columns_are_named(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "Gender"] + ["Favourite colour"]
    path = tmp_path / "bad.csv"
    path.write_text(",".join(header) + "\n")
    with pytest.raises(OpenascError) as err:
        read_into(duckdb.connect(), path, SPEC)
    assert "missing column(s): Gender" in err.value.message
    assert "'Favourite colour'" in err.value.message
    assert "Expected the cld columns" in err.value.message


def test_malformed_rows_are_returned_with_row_numbers_never_dropped(tmp_path: Path) -> None:
    """Row 3 has one cell too few, row 4 one too many; rows 2 and 5 are fine."""
    good = ",".join(_row(LA_Code="416"))
    text = ",".join(HEADER) + "\n" + good + "\n" + good[:-1].rsplit(",", 1)[0] + "\n"
    text += good + ",extra\n" + good + "\n"
    path = tmp_path / "ragged.csv"
    path.write_text(text)
    con = duckdb.connect()
    result = read_into(con, path, SPEC)
    assert result.rows == 4
    assert [r for r, _ in result.malformed] == [3, 4]
    assert con.execute("SELECT _row FROM stg ORDER BY _row").fetchall() == [(2,), (5,)]


def test_line_break_inside_quotes_is_one_row(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(_csv([_row(Event_Description="line one\nline two"), _row(LA_Code="416")]))
    con = duckdb.connect()
    result = read_into(con, path, SPEC)
    assert result.rows == 2 and not result.malformed
    assert con.execute("SELECT _row FROM stg ORDER BY _row").fetchall() == [(2,), (3,)]


@pytest.mark.parametrize("before", [[], [_row(Event_Description="line one\nline two")]])
def test_unclosed_quote_refuses_the_file(tmp_path: Path, before: list[list[str]]) -> None:
    """Also after a row with a line break in a quoted cell, when the line breaks inside
    cells have to be counted to tell a swallowed row from a quoted line break."""
    path = tmp_path / "unclosed.csv"
    path.write_text(_csv(before) + '"never closed,' + ",".join(_row())[1:] + "\n")
    with pytest.raises(UnreadableInput, match="never closed"):
        read_into(duckdb.connect(), path, SPEC)


def test_rows_keep_their_numbers_across_a_large_file(tmp_path: Path) -> None:
    """Rows are numbered from the order the serial read appends them (`rowid`): past the
    end of DuckDB's first row group (122,880 rows), after a malformed row and a quoted line
    break, each row's `_row` is still its line in the file, whatever the connection's
    insertion-order setting."""
    assert HEADER[0] == "LA_Code"
    rest = "," * (len(HEADER) - 1)  # every other cell blank
    lines = [f"{n}{rest}" for n in range(2, 125_002)]
    lines[1000] += ",extra"  # row 1002: one cell too many
    quoted = _row(LA_Code="123002", Event_Description="line one\nline two")
    lines[123_000] = _csv([quoted]).split("\n", 1)[1].rstrip("\n")  # row 123002, two lines
    path = tmp_path / "large.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n".join(lines) + "\n")
    for order in ("true", "false"):
        con = duckdb.connect()
        con.execute(f"SET preserve_insertion_order = {order}")
        result = read_into(con, path, SPEC)
        assert result.rows == 125_000 and [r for r, _ in result.malformed] == [1002]
        assert con.execute("SELECT count(*), min(_row), max(_row) FROM stg").fetchone() == (
            124_999, 2, 125_001)
        assert con.execute("SELECT count(*) FROM stg WHERE la_code <> _row::VARCHAR"
                           ).fetchone()[0] == 0
        assert con.execute("SELECT _row FROM stg WHERE contains(event_description, chr(10))"
                           ).fetchall() == [(123_002,)]


def test_a_scan_made_by_the_caller_is_not_made_again(tmp_path: Path, monkeypatch) -> None:
    """`ingest cld` hashes a file to skip it when already loaded, then reads it: the bytes
    of a large file are scanned once, and the hash recorded is the one checked."""
    path = tmp_path / "f.csv"
    path.write_text(_csv([_row(LA_Code="416")]))
    scan = scan_file(path)
    assert scan == (reader.file_sha256(path), 2, False)  # hash, lines, regular LF endings

    def no_second_scan(_: Path) -> reader.Scan:
        raise AssertionError("scanned twice")

    monkeypatch.setattr(reader, "scan_file", no_second_scan)
    result = read_into(duckdb.connect(), path, SPEC, scan=scan)
    assert result.sha256 == scan[0] and result.rows == 1


def test_xlsx(tmp_path: Path) -> None:
    """Excel cells typed as dates come out as dd/mm/yyyy, whole numbers without .0."""
    from datetime import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    row = _row()
    row[HEADER.index("LA_Code")] = 416
    row[HEADER.index("Event_Start_Date")] = datetime(2024, 5, 1)
    ws.append(row)
    path = tmp_path / "f.xlsx"
    wb.save(path)
    con = duckdb.connect()
    assert read_into(con, path, SPEC).rows == 1
    assert con.execute("SELECT la_code, event_start_date FROM stg").fetchone() == (
        "416", "01/05/2024")


@pytest.mark.parametrize("content,match", [(b"", "empty"), (b"a\tb\tc\n1\t2\t3\n", "tab")])
def test_unreadable(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableInput, match=match):
        read_into(duckdb.connect(), path, SPEC)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="no such file"):
        read_into(duckdb.connect(), tmp_path / "nope.csv", SPEC)


def test_the_scan_tells_irregular_line_endings_in_the_same_pass(tmp_path: Path) -> None:
    """One pass over the bytes says whether DuckDB could miscount the lines: LF alone and
    CRLF alone are regular; CR alone, a mix, or a blank line are not. With blocks of 4 MiB,
    a CRLF or a blank line split across two blocks is still seen (the file below puts the
    pair exactly on the boundary)."""
    cases = {"lf": b"a\nb\n", "crlf": b"a\r\nb\r\n", "cr": b"a\rb\r", "mixed": b"a\r\nb\n",
             "blank": b"a\n\nb\n"}
    got = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        got[name] = scan_file(tmp_path / name).irregular
    assert got == {"lf": False, "crlf": False, "cr": True, "mixed": True, "blank": True}
    block = 1 << 22
    edge = tmp_path / "edge"
    edge.write_bytes(b"x" * (block - 1) + b"\r\n" + b"y\r\n")  # CRLF across the boundary
    assert scan_file(edge) == (reader.file_sha256(edge), 2, False)
    edge.write_bytes(b"x" * (block - 1) + b"\n\n" + b"y\n")  # a blank line across it
    assert scan_file(edge).irregular


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("cell", ["a\rb", "a\r\nb", "a\nb", "a\r", "\r", "a\r\r\nb", "a\r\rb"])
def test_line_breaks_inside_quoted_cells_are_the_cells_content(
        tmp_path: Path, ending: str, cell: str) -> None:
    """RFC 4180 (section 2.6): a line break inside a quoted cell is part of the cell. Whatever
    the record endings (LF, CRLF, CR), the cell reads back exactly as written, a lone CR
    included, and the file has two records. Before, a file whose endings needed normalising
    had every CR inside a cell turned into LF (`a\\rb` read as `a\\nb`)."""
    rows = [_row(LA_Code="416", Event_Description=cell), _row(LA_Code="416")]
    text = ending.join(",".join('"' + v.replace('"', '""') + '"' for v in r)
                       for r in [HEADER, *rows]) + ending
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    con = duckdb.connect()
    result = read_into(con, path, SPEC)
    assert (result.rows, result.malformed) == (2, [])
    assert con.execute("SELECT event_description FROM stg ORDER BY _row").fetchall() == [
        (cell,), (None,)]


def test_a_row_with_too_many_cells_in_a_crlf_file_is_one_malformed_row(tmp_path: Path) -> None:
    """Found by the mutated-rows property test: in a CRLF file, DuckDB's record of a
    rejected row starts with the LF of the line break before it, which was counted as a line
    break inside the row, so the line count disagreed and a valid file was refused as
    having a quote never closed. The row is one malformed row; the others load."""
    rows = [_row(LA_Code="416", Ethnicity="White: English, Welsh"), _row(LA_Code="416")]
    text = _csv(rows).replace("\n", "\r\n")
    text = text.rstrip("\r\n") + ",extra\r\n"
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode())
    con = duckdb.connect()
    result = read_into(con, path, SPEC)
    assert result.rows == 2
    assert [row for row, _ in result.malformed] == [3]
