"""Many CLD files in one command: read and validated two at a time, loaded in one transaction.

Each file is judged on its own cursor (pipeline.py, `_judge_parallel`), so these tests pin
that doing files at once changes nothing a user can see: every file's accounting, every row
loaded or quarantined, the warehouse's contents, "already loaded", and all or nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from cldfile import cld_row, write_cld_csv
from openasc.config import load_settings
from openasc.errors import OpenascError
from openasc.ingest import cld

QUIET = Console(quiet=True)
COUNCILS = ["416", "111", "112", "113"]  # NHS council codes: one file per council


def _council_file(tmp: Path, code: str) -> Path:
    """Four rows for council `code`: rows 2 and 3 good (people <code>A and <code>B), row 4
    with no person identifier (quarantined), row 5 an exact copy of row 2 (quarantined):
    4 rows in = 2 loaded + 2 quarantined."""
    good = cld_row(f"{code}A", Event_Type="Request")
    rows = [good, cld_row(f"{code}B", Event_Type="Service"),
            cld_row(f"{code}C", Event_Type="Review", NHS_Number=None,
                    LA_Person_Unique_Identifier=None), good]
    return write_cld_csv(tmp / f"cld_{code}.csv", rows, la_code=code)


def _contents(path: Path) -> dict[str, list[tuple]]:
    """What the warehouse holds, without the run's ID and times (which differ per run)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "records": con.execute(
                "SELECT * EXCLUDE (submission_id) FROM cld_records ORDER BY record_id"
            ).fetchall(),
            "quarantine": con.execute(
                "SELECT source_name, row_number, field, reason, person_pseudo FROM quarantine "
                "ORDER BY source_name, row_number").fetchall(),
            "submissions": con.execute(
                "SELECT la_code, source_name, rows_in, rows_loaded, rows_quarantined "
                "FROM cld_submissions ORDER BY submission_id").fetchall(),
            "events": con.execute("SELECT count(*) FROM cld_events").fetchall(),
        }
    finally:
        con.close()


def _ingest(wh: Path, files: list[Path], **options: object) -> object:
    return cld.ingest_files(files, date(2025, 5, 1), load_settings(wh), QUIET,
                            add_council=True, **options)


def test_files_at_once_load_what_files_in_turn_load(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Four councils' files (4 rows each: 2 loaded, the blank-ID row 4 and the duplicate row
    5 quarantined) in one command: two at a time (the default) and one at a time
    (OPENASC_INGEST_WORKERS=1) give the same per-file figures, 4 = 2 + 2 each, and the same
    warehouse, row for row - 8 records (2 a file, in file order), 8 quarantine rows (rows 4
    and 5 of each file)."""
    files = [_council_file(tmp_path, code) for code in COUNCILS]
    together = _ingest(tmp_path / "together.duckdb", files)
    monkeypatch.setenv("OPENASC_INGEST_WORKERS", "1")
    in_turn = _ingest(tmp_path / "in_turn.duckdb", files)
    for result in (together, in_turn):
        assert [(f.name, f.rows_in, f.loaded, f.rows_quarantined) for f in result.files] == [
            (f.name, 4, 2, 2) for f in files]
    a, b = _contents(tmp_path / "together.duckdb"), _contents(tmp_path / "in_turn.duckdb")
    assert a == b
    assert len(a["records"]) == 8
    assert [(name, row) for name, row, *_ in a["quarantine"]] == [
        (f.name, row) for f in sorted(files) for row in (4, 5)]
    assert [s[0] for s in a["submissions"]] == [
        cld.councils.find(code).ons_code for code in COUNCILS]


def test_a_lone_file_loads_as_it_does_among_others(tmp_path: Path) -> None:
    """A command's only file is loaded straight from its in-memory database (cld.py,
    `Direct`); among others it crosses as Arrow tables (`Handoff`). Council 416's file
    (4 rows: 2 loaded, rows 4 and 5 quarantined) alone, and first of two files, must give
    the same rows for 416: the same 2 records, pseudonyms, profile columns and all, with
    record IDs 2 and 3 (no record before them, plus their rows in the file: the header is
    row 1), and the same 2 quarantine rows with the same person pseudonyms (row 4 has no
    identifier: NULL)."""
    first, second = _council_file(tmp_path, "416"), _council_file(tmp_path, "111")
    alone = _ingest(tmp_path / "alone.duckdb", [first])
    both = _ingest(tmp_path / "both.duckdb", [first, second])
    assert [(f.rows_in, f.loaded, f.rows_quarantined) for f in alone.files] == [(4, 2, 2)]
    assert alone.files[0].quarantined == both.files[0].quarantined
    a, b = _contents(tmp_path / "alone.duckdb"), _contents(tmp_path / "both.duckdb")
    assert len(a["records"]) == 2 and [r[0] for r in a["records"]] == [2, 3]
    assert a["records"] == b["records"][:2]
    assert a["quarantine"] == [q for q in b["quarantine"] if q[0] == first.name]
    assert [q[1] for q in a["quarantine"]] == [4, 5]
    assert a["quarantine"][0][4] is None and a["quarantine"][1][4] is not None


def test_a_refused_file_among_several_loads_nothing(tmp_path: Path) -> None:
    """The third of three files has 3 of its 4 rows without a person ID (75% quarantined,
    above the 50% allowed): the command is refused and the warehouse - which holds an
    earlier file - is exactly as it was, although two files were judged fine beside it."""
    wh = tmp_path / "w.duckdb"
    _ingest(wh, [_council_file(tmp_path, "416")])
    before = _contents(wh)
    no_id = {"NHS_Number": None, "LA_Person_Unique_Identifier": None}
    bad = write_cld_csv(tmp_path / "bad.csv", [cld_row("X1"), cld_row("X2", **no_id),
                                               cld_row("X3", **no_id), cld_row("X4", **no_id)],
                        la_code="113")
    with pytest.raises(OpenascError, match="bad.csv: 3 of 4 rows"):
        _ingest(wh, [_council_file(tmp_path, "111"), _council_file(tmp_path, "112"), bad])
    assert _contents(wh) == before


def test_a_file_already_loaded_is_dropped_once_read(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading 416's file again beside 111's new one: 416's is reported as already loaded
    (hashed beside its read) and never validated - validation runs on files 2 and 3
    (`stg_1`, `stg_2`), never on file 1 (`stg_0`) - and only 111's 2 rows are added: the
    same file named twice in one command loads once."""
    from openasc.ingest import validate as validate_module

    wh = tmp_path / "w.duckdb"
    old, new = _council_file(tmp_path, "416"), _council_file(tmp_path, "111")
    _ingest(wh, [old])
    judged: list[str] = []
    real = validate_module.validate

    def counting(con: object, spec: object, table: str = "stg", **kw: object) -> object:
        judged.append(table)
        return real(con, spec, table, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(validate_module, "validate", counting)
    result = _ingest(wh, [old, new, new])
    assert [(f.name, f.already_loaded) for f in result.files] == [
        ("cld_416.csv", True), ("cld_111.csv", False), ("cld_111.csv", True)]
    assert sorted(judged) == ["stg_1", "stg_2"]
    assert len(_contents(wh)["records"]) == 4


def test_progress_counts_each_file_judged_and_loaded(tmp_path: Path) -> None:
    """Three files: a step per file read and checked (3), per file loaded (3) and one for
    the national method: 7 steps, the last call (7, 7)."""
    calls: list[tuple[int, int]] = []
    files = [_council_file(tmp_path, code) for code in COUNCILS[:3]]
    _ingest(tmp_path / "w.duckdb", files, progress=lambda done, total: calls.append(
        (done, total)))
    assert calls[-1] == (7, 7)
    assert sorted(done for done, _ in calls) == [1, 2, 3, 4, 5, 6, 7]


def test_a_workbook_is_read_beside_a_csv(tmp_path: Path) -> None:
    """111's file saved as a workbook (its rows streamed in batches through Arrow, on a
    worker's cursor) beside 416's CSV: each is 4 rows in = 2 loaded + 2 quarantined, as the
    CSV alone is."""
    import csv

    import openpyxl

    source = _council_file(tmp_path, "111")
    wb = openpyxl.Workbook()
    with source.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            wb.active.append(row)
    book = tmp_path / "cld_111.xlsx"
    wb.save(book)
    result = _ingest(tmp_path / "w.duckdb", [_council_file(tmp_path, "416"), book])
    assert [(f.name, f.rows_in, f.loaded, f.rows_quarantined) for f in result.files] == [
        ("cld_416.csv", 4, 2, 2), ("cld_111.xlsx", 4, 2, 2)]
