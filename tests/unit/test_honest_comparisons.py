"""Honest comparisons (issue 11 item 3): an England or region figure is called England (or
the region) only when the published aggregate row was loaded, otherwise "the average of the N
councils loaded"; a rank says how far it reaches ("nationally" only when every council of
the reference for that year is ranked).

The council count of the reference is worked out here from the shipped councils.csv, not from
the code under test.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from openasc.compare.comparators import ensure_tables
from openasc.compare.comparisons import build_comparisons, read_comparisons
from openasc.compare.labels import england_rank_text, region_rank_text
from openasc.compare.measure_set import BenchMeasure, ChangeRule, MeasureSet
from openasc.config import Settings
from openasc.reports import profile_wording as wording
from openasc.reports.profiles import build_profiles, render_booklet
from openasc.warehouse import connect
from openasc.web.app import create_app
from web_fixtures import make_users

NW = ["E08000001", "E08000002"]  # Bolton, Bury (North West)
PCT = BenchMeasure("ASCOF", "2A", "", "Short-term services", "percent", "higher", 1, True)
MS = MeasureSet(version="t", set_label="ASCOF measures", measures=(PCT,),
                rules={"percent": ChangeRule("percent", "points", 1.0)})
END = date(2024, 3, 31)


def councils_on(day: date) -> list[str]:
    """ONS codes of the councils valid on `day`, straight from the shipped reference."""
    text = resources.files("openasc.reference").joinpath("councils.csv").read_text("utf-8")
    out = set()
    for r in csv.DictReader(text.splitlines()):
        starts = date.fromisoformat(r["valid_from"]) if r["valid_from"] else date.min
        ends = date.fromisoformat(r["valid_to"]) if r["valid_to"] else date.max
        if starts <= day <= ends:
            out.add(r["ons_code"])
    return sorted(out)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = connect(tmp_path / "w.duckdb")
    ensure_tables(c)
    yield c
    c.close()


def put(con: duckdb.DuckDBPyConnection, values: dict[str, float | None]) -> None:
    con.executemany("INSERT OR REPLACE INTO comparator_values VALUES ('ASCOF', '2A', ?, ?, ?, "
                    "'', NULL, NULL, ?, 'percent', NULL, 't.csv', 'x', 'r')",
                    [[la, date(2023, 4, 1), END, v] for la, v in values.items()])


def test_two_councils_loaded_are_not_england(con: duckdb.DuckDBPyConnection) -> None:
    """Bolton 80.0 and Bury 70.0, nothing else (no England row, so not a national file): the
    "England" figure is (80 + 70) / 2 = 75.0, the average of the 2 councils loaded, and so
    is the region's. Bolton is 1st of 2 — a
    rank among the councils loaded, not a national or regional one."""
    put(con, {NW[0]: 80.0, NW[1]: 70.0})
    build_comparisons(con, MS)
    c = {r.la_code: r for r in read_comparisons(con, year=2023)}[NW[0]]
    assert c.england_value == pytest.approx(75.0)
    assert c.england_label == "average of the 2 councils loaded"
    assert c.region_label == "average of the 2 councils loaded in the North West"
    assert (c.england_scope, c.region_scope) == ("loaded", "loaded")
    assert c.reference_n == len(councils_on(END))
    assert england_rank_text(c) == "1st of 2 councils loaded — not a national rank"
    assert region_rank_text(c) == (
        "1st of 2 councils loaded in the region — not a full regional rank")
    sentence = wording.value_rank(c, "Short-term services")
    assert sentence == (
        "Short-term services: 80.0%, 1st of 2 councils loaded in the region — not a full "
        "regional rank and 1st of 2 councils loaded — not a national rank (average of the 2 "
        "councils loaded in the North West 75.0%, average of the 2 councils loaded 75.0%).")
    assert "nationally" not in sentence and "England" not in sentence
    assert "England" not in wording.against_comparators(c, "X")
    assert wording.gap_to_england(c, "X") == (
        "X: 5.0 percentage points above the average of the 2 councils loaded (80.0% against "
        "75.0%), better than that average.")


def test_one_council_loaded_says_one_council(con: duckdb.DuckDBPyConnection) -> None:
    """The issue's case: one council alone was printed as "1st of 1 nationally"."""
    put(con, {NW[0]: 80.0})
    build_comparisons(con, MS)
    c = read_comparisons(con, year=2023)[0]
    assert england_rank_text(c) == "1st of 1 council loaded — not a national rank"
    assert c.england_label == "average of the 1 council loaded"


def test_published_england_and_region_rows_keep_their_names(
        con: duckdb.DuckDBPyConnection) -> None:
    """With England (E92000001) 77.0 and North West (E12000002) 76.0 loaded, those are the
    figures and they are called England and North West (the rank is still among 2)."""
    put(con, {NW[0]: 80.0, NW[1]: 70.0, "E92000001": 77.0, "E12000002": 76.0})
    build_comparisons(con, MS)
    c = {r.la_code: r for r in read_comparisons(con, year=2023)}[NW[0]]
    assert (c.england_value, c.england_label) == (77.0, "England")
    assert (c.region_value, c.region_label) == (76.0, "North West")
    assert wording.against_comparators(c, "X") == (
        "X is 80.0%, against 76.0% for the region and 77.0% for England.")


def test_every_council_of_the_reference_ranks_nationally(con: duckdb.DuckDBPyConnection) -> None:
    """Every council valid on 31 March 2024 with a value (N of them, counted from
    councils.csv): ranks are national, "of N nationally"."""
    every = councils_on(END)
    put(con, {la: 50.0 + i / 10 for i, la in enumerate(every)})
    build_comparisons(con, MS)
    rows = read_comparisons(con, year=2023)
    assert {r.england_scope for r in rows} == {"national"}
    best = min(rows, key=lambda r: r.england_rank)
    assert england_rank_text(best) == f"1st of {len(every)} nationally"
    assert {r.region_scope for r in rows} == {"national"}


def test_a_suppressed_council_leaves_the_published_set(con: duckdb.DuckDBPyConnection) -> None:
    """The national file has every council but one, suppressed ([c], no value): the N - 1
    councils with a figure are the full set for the measure, but not every council, so the
    rank is "of N - 1 councils with a published figure", never "nationally". (The file is
    the national one because it carries England's row.)"""
    every = councils_on(END)
    values: dict[str, float | None] = {la: 50.0 + i / 10 for i, la in enumerate(every)}
    values[every[0]] = None
    values["E92000001"] = 60.0
    put(con, values)
    build_comparisons(con, MS)
    rows = read_comparisons(con, year=2023)
    assert {r.england_scope for r in rows} == {"published"}
    best = min(rows, key=lambda r: r.england_rank)
    assert england_rank_text(best) == f"1st of {len(every) - 1} councils with a published figure"


def test_booklet_never_calls_an_average_england(con: duckdb.DuckDBPyConnection) -> None:
    """The improvement-profile booklet for the North West with Bolton and Bury only: no
    "nationally", and the England column says what its figure is."""
    put(con, {NW[0]: 80.0, NW[1]: 70.0})
    build_comparisons(con, MS)
    html = render_booklet(build_profiles(con, "North West", 2023, None, MS), "North West",
                          2023, MS)
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"of \d+ nationally", text)
    assert "75.0% (average of the 2 councils loaded)" in text
    assert "1st of 2 councils loaded — not a national rank" in text


def test_measure_page_and_api_label_the_average(tmp_path: Path) -> None:
    """The dashboard's measure page and /api/comparisons for Bolton, with only Bolton and
    Bury loaded: the comparator is "Average of the 2 councils loaded", not "England", and
    the rank is not called a rank in England."""
    from test_web import sign_in

    wh = tmp_path / "openasc.duckdb"
    c = connect(wh)
    ensure_tables(c)
    c.execute("INSERT INTO metric_values VALUES ('ASCOF', '2A', ?, ?, ?, '', 80, 100, 80.0, "
              "'percent', 'r')", [NW[0], date(2023, 4, 1), END])
    put(c, {NW[1]: 70.0})
    build_comparisons(c)
    c.close()
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    make_users(url)
    app = create_app(Settings(warehouse=wh, key_file=tmp_path / "nokey"), users_url=url,
                     reports_dir=tmp_path / "reports")
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    sign_in(client, "ann")
    page = client.get(f"/measures/ASCOF/2A?la={NW[0]}&period=2024-03-31").text
    comp = page[page.index('id="comp-h"'):page.index('id="def-h"')]
    assert "Average of the 2 councils loaded" in comp
    assert "England" not in comp
    assert "not a national rank" in comp
    api = client.get("/api/comparisons", params={"la_code": NW[0]}).json()
    mine = [r for r in api if r["code"] == "2A"]
    assert mine and {r["england_label"] for r in mine} == {"average of the 2 councils loaded"}
    assert {r["england_scope"] for r in mine} == {"loaded"}


def test_local_account_rank_says_when_it_is_only_among_councils_loaded(
        con: duckdb.DuckDBPyConnection) -> None:
    """The Local Account's comparison sentence ranks Bolton 1st of 2 (only Bolton and Bury
    loaded): it must say that is not a national (nor a full regional) rank."""
    from openasc.reports.sections import _ranks

    put(con, {NW[0]: 80.0, NW[1]: 70.0})
    build_comparisons(con, MS)
    c = {r.la_code: r for r in read_comparisons(con, year=2023)}[NW[0]]
    text = str(_ranks(c))
    assert "1st of 2 in the North West (councils loaded only, not a full regional rank)" in text
    assert "1st of 2 in England (councils loaded only, not a national rank)" in text
