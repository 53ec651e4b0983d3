"""Case-list ingest keeps CLD's promises: nothing lost, reasons given, no identifiers kept."""

from __future__ import annotations

from pathlib import Path

import duckdb
from sac_casefiles import (
    DOLS_HEADER,
    SG_HEADER,
    application,
    concern,
    openasc,
    write_rows,
)


def test_accounting_reasons_and_privacy(tmp_path: Path) -> None:
    """4 rows: row 2 good; row 3 enquiry starts before its concern; row 4 date not a date;
    row 5 an under-18. 4 in = 1 loaded + 3 quarantined, each with field and reason, and no
    person ID or date of birth anywhere in the warehouse."""
    rows = [
        concern("C1", "PERSON-XYZ", "01/05/2024"),
        concern("C2", "PERSON-XYZ", "01/05/2024", "Section 42 enquiry",
                Enquiry_Start_Date="01/04/2024"),
        concern("C3", "PERSON-XYZ", "31/02/2024"),
        concern("C4", "CHILD-1", "01/05/2024", Date_of_Birth="01/01/2010"),
    ]
    path = write_rows(tmp_path / "sg.csv", SG_HEADER, rows)
    # 3 of 4 quarantined is over the default 50% at which a file is refused whole
    r = openasc(tmp_path, "ingest", "safeguarding", str(path), "--max-quarantined", "100")
    assert r.returncode == 0, r.stderr
    assert "4 rows in = 1 loaded + 3 quarantined" in r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    q = con.execute("SELECT row_number, field FROM quarantine ORDER BY 1").fetchall()
    assert q == [(3, "Enquiry_Start_Date"), (4, "Concern_Received_Date"), (5, "Date_of_Birth")]
    dump = str(con.execute("SELECT * FROM safeguarding_concerns").fetchall()) + \
        str(con.execute("SELECT * FROM quarantine").fetchall())
    assert "PERSON-XYZ" not in dump and "CHILD-1" not in dump and "1940" in dump
    assert "15/06/1940" not in dump and "1940-06-15" not in dump
    files = con.execute("SELECT rows_in, rows_loaded, rows_quarantined FROM case_files")
    assert files.fetchall() == [(4, 1, 3)]


def test_person_pseudonym_matches_cld(tmp_path: Path) -> None:
    """la_person_pseudo = HMAC(key, '<cassr>_<id>'), exactly as CLD's, so files link."""
    from openasc.config import read_key_file
    from openasc.pseudonymise import pseudo

    path = write_rows(tmp_path / "d.csv", DOLS_HEADER,
                      [application("A1", "P77", "01/05/2024", "Not yet signed off")])
    assert openasc(tmp_path, "ingest", "dols", str(path)).returncode == 0
    key = read_key_file(tmp_path.parent / f"{tmp_path.name}.key")  # the key `openasc` used
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT la_person_pseudo FROM dols_applications").fetchone()[0] == \
        pseudo(key, "416_P77")


def test_later_extract_replaces_the_restated_case(tmp_path: Path) -> None:
    """File 1 has A1 open; file 2 restates A1 as granted and adds A2: 2 applications, A1
    granted, and the second load reports 1 row replaced."""
    f1 = write_rows(tmp_path / "d1.csv", DOLS_HEADER,
                    [application("A1", "P1", "01/05/2024", "Not yet signed off")])
    f2 = write_rows(tmp_path / "d2.csv", DOLS_HEADER,
                    [application("A1", "P1", "01/05/2024", "Granted", "01/06/2024"),
                     application("A2", "P2", "01/06/2024", "Not yet signed off")])
    assert openasc(tmp_path, "ingest", "dols", str(f1)).returncode == 0
    r = openasc(tmp_path, "ingest", "dols", str(f2))
    assert "1 earlier rows restated" in r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*), count(*) FILTER (WHERE application_status = 'Granted')"
                       " FROM dols_applications").fetchone() == (2, 1)


def test_missing_column_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("LA_Code,Concern_Reference\n416,C1\n")
    r = openasc(tmp_path, "ingest", "safeguarding", str(path))
    assert r.returncode == 1
    assert "missing column" in r.stderr and "Traceback" not in r.stderr
