"""WF measures on a hand-made Skills for Care council-area file in the published (wide) layout,
through the command line (`openasc ingest workforce --year 2024-25`, `ingest population`,
`compute`, `compare`).

| area (as written) | sector / service / role | turn. | vac. | sick | zero h | posts | pay |
|---|---|---|---|---|---|---|---|
| Worcestershire | all / all / all | 28.5 | 9.1 | 4.5 | 18.0 | 13,000 |  |
| Worcestershire | all / Domiciliary / Care wkr | 36.2 | `*` |  |  |  |  |
| Worcestershire | Independent / all / Care wkr |  |  |  |  |  | 11.95 |
| Herefordshire, County of | all / all / all | `*` | 7.0 | 5.1 | 30.0 | 4,000 |  |
| Stockton on Tees | all / all / all | 31.0 | 12.0 | 6.0 | 25.0 | 6,000 |  |
| Nowhereshire | all / all / all | 20.0 | 7.0 | 5.0 | 20.0 | 100 |  |
| England | all / all / all | 25.0 | 8.0 | 5.0 | 20.0 |  |  |
| West Midlands | all / all / all | 26.0 | 8.5 | 5.2 | 21.0 |  |  |

Areas are matched by name: `Herefordshire, County of` by Skills for Care's spelling in
sfc_la_aliases.csv, `Stockton on Tees` ignoring punctuation, `England` and `West Midlands` as
England and the region; `Nowhereshire` is no area, so its row is quarantined: 8 rows in = 7
loaded + 1 quarantined.

Population 2024: Worcestershire 1,000 persons at each age 65..90 = 26,000.

Worked (Worcestershire, 2024-25): WF-1 = 9.1; WF-2 = 28.5; WF-3 = 36.2 (care workers,
domiciliary care); WF-4 = 13,000 / (26,000 / 100) = 50.0 per 100; WF-5 = 4.5; WF-6 = 18.0;
WF-7 = 11.95. Herefordshire WF-2: suppressed (`*`), so no value - not 0, and no rank.
England WF-2 = 25.0 and West Midlands 26.0 are Skills for Care's own rows: the comparison of
Worcestershire's WF-2 reads them (basis `published`), never an average of council rates.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from money_files import population, query, run, values, write_csv

WORCS, HEREFS, ENGLAND, WM = "E10000034", "E06000019", "E92000001", "E12000005"
HEADER = ["CSSR (LA area)", "Sector", "Service", "Job role", "Turnover rate", "Vacancy rate",
          "Sickness - Mean (divide by Employees)", "Zero Hour Contracts - Yes", "Filled posts",
          "Median hourly pay"]
ALL = ["All sectors", "All services", "All job roles"]


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("workforce")
    rows = [["Worcestershire", *ALL, "28.5", "9.1", "4.5", "18.0", "13,000", ""],
            ["Worcestershire", "All sectors", "Domiciliary care", "Care worker", "36.2", "*",
             "", "", "", ""],
            ["Worcestershire", "Independent", "All services", "Care worker", "", "", "", "",
             "", "11.95"],
            ["Herefordshire, County of", *ALL, "*", "7.0", "5.1", "30.0", "4000", ""],
            ["Stockton on Tees", *ALL, "31.0", "12.0", "6.0", "25.0", "6000", ""],
            ["Nowhereshire", *ALL, "20.0", "7.0", "5.0", "20.0", "100", ""],
            ["England", *ALL, "25.0", "8.0", "5.0", "20.0", "", ""],
            ["West Midlands", *ALL, "26.0", "8.5", "5.2", "21.0", "", ""]]
    path = write_csv(tmp / "LA-data-download.csv", HEADER, rows)
    out = run(tmp, "ingest", "workforce", str(path), "--year", "2024-25")
    assert "LA-data-download.csv: 8 rows in, 7 loaded into workforce, 1 quarantined." in out
    run(tmp, "ingest", "population", str(population(tmp / "pop.csv", {WORCS: (1000, 1000)})))
    run(tmp, "compute", "--from", "2024-04-01", "--to", "2025-03-31", "--select", "WF")
    return tmp


def test_names_are_matched_and_an_unknown_area_is_quarantined_with_its_reason(tmp: Path
                                                                            ) -> None:
    areas = {r[0] for r in query(tmp, "SELECT DISTINCT la_code FROM workforce")}
    assert areas == {WORCS, HEREFS, "E06000004", ENGLAND, WM}
    (reason,) = query(tmp, "SELECT reason FROM quarantine")[0]
    assert reason.startswith("CSSR (LA area) 'Nowhereshire' is not a council area")


def test_suppressed_cells_are_null_with_their_reason(tmp: Path) -> None:
    got = query(tmp, "SELECT la_code, metric, value, status FROM workforce "
                     "WHERE status = 'suppressed' ORDER BY 1, 2")
    assert got == [(HEREFS, "turnover_rate", None, "suppressed"),
                   (WORCS, "vacancy_rate", None, "suppressed")]


def test_published_figures_read_as_published(tmp: Path) -> None:
    v = values(tmp, "WF")
    got = {c: x[2] for (c, la, _), x in v.items() if la == WORCS}
    assert got == pytest.approx({"WF-1": 9.1, "WF-2": 28.5, "WF-3": 36.2, "WF-4": 50.0,
                                 "WF-5": 4.5, "WF-6": 18.0, "WF-7": 11.95})
    assert v[("WF-4", WORCS, "")][:2] == (13_000, 26_000)
    assert v[("WF-2", HEREFS, "")][2] is None
    assert v[("WF-2", ENGLAND, "")][2] == 25.0


def test_comparison_reads_the_published_england_and_region_rows(tmp: Path) -> None:
    run(tmp, "compare")
    got = query(tmp, "SELECT england_value, england_basis, region_value, region_basis, "
                     "england_n FROM comparisons WHERE family = 'WF' AND code = 'WF-2' AND "
                     f"la_code = '{WORCS}'")
    # Herefordshire's suppressed figure is not ranked: Worcestershire and Stockton only
    assert got == [(25.0, "published", 26.0, "published", 2)]


def test_tidy_form_marks_suppressed_rows(tmp_path: Path) -> None:
    """The tidy layout: one row suppressed by its flag, one by a `*` in value, one blank."""
    path = write_csv(tmp_path / "w.csv", ["area_code", "period", "sector", "service",
                                          "job_role", "metric", "value", "suppressed"],
                     [[WORCS, "2024/25", *ALL, "turnover_rate", "", "true"],
                      [WORCS, "2024/25", *ALL, "vacancy_rate", "*", "false"],
                      [WORCS, "2024/25", *ALL, "zero_hours_pct", "", "false"],
                      [ENGLAND, "2024/25", *ALL, "vacancy_rate", "8.0", "false"]])
    run(tmp_path, "ingest", "workforce", str(path))
    got = query(tmp_path, "SELECT la_code, metric, value, status FROM workforce ORDER BY 1, 2")
    assert got == [(WORCS, "turnover_rate", None, "suppressed"),
                   (WORCS, "vacancy_rate", None, "suppressed"),
                   (WORCS, "zero_hours_pct", None, "missing"),
                   (ENGLAND, "vacancy_rate", 8.0, "ok")]
