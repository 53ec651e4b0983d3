"""The date order of a file, decided from its own dates (ingest/dates.py, issue 18)."""

from __future__ import annotations

import duckdb
import pytest

from openasc.ingest.dates import detect, slashed_sql


def _detect(cells: list[tuple[str | None, str | None]], chosen: str | None = None):
    con = duckdb.connect()
    con.execute("CREATE TABLE stg (_row INTEGER, a VARCHAR, b VARCHAR)")
    for i, (a, b) in enumerate(cells):
        con.execute("INSERT INTO stg VALUES (?, ?, ?)", [i + 2, a, b])
    return detect(con, "stg", {"a": "Start", "b": "End"}, chosen)


@pytest.mark.parametrize("cells, order", [
    ([("31/03/2025", "01/04/2024")], "dmy"),           # 31 can only be a day
    ([("03/31/2025", "04/01/2024")], "mdy"),           # 31 can only be a day, second
    ([("2025-03-31", "05/05/2024")], "dmy"),           # ISO and day = month: nothing to tell
    ([(None, "not a date")], "dmy"),
    ([("05/04/2024", "13/04/2024")], "dmy"),           # one proof is enough for the file
])
def test_the_values_decide(cells, order):
    got = _detect(cells)
    assert (got.order, got.error) == (order, None)
    assert (got.note is not None) == (order == "mdy")


def test_both_orders_in_one_file_is_an_error_naming_a_row_of_each():
    got = _detect([("13/04/2024", None), (None, "04/13/2024")])
    assert got.error and "Start, row 2" in got.error and "End, row 3" in got.error


def test_no_proof_and_dates_that_read_two_ways_is_an_error_unless_stated():
    assert "cannot tell" in (_detect([("05/04/2024", None)]).error or "")
    assert _detect([("05/04/2024", None)], "mdy").order == "mdy"
    assert "not one of" in (_detect([], "ymd").error or "")


@pytest.mark.parametrize("order, expected", [("dmy", "2024-04-05"), ("mdy", "2024-05-04"),
                                             ("iso", None)])
def test_a_slashed_date_in_each_order(order, expected):
    got = duckdb.connect().execute("SELECT " + slashed_sql("'05/04/2024'", order)).fetchone()[0]
    assert (str(got) if got else None) == expected
