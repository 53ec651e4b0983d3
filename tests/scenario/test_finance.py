"""FIN measures on a hand-made ASC-FR data file in the published layout, through the command
line (`openasc ingest finance`, `ingest population`, `ingest deflator`, `compute`,
`compare`). Financial year 2024-25 (FY_ENDING 2025); money in the file is in GBP thousands.

Worcestershire (CASSR 416, E10000034), 2024-25:

| line                                        | ITEMVALUE | pounds        |
|---------------------------------------------|-----------|---------------|
| Total GCE                                   | 250000    | 250,000,000   |
| Total GCE 2023-24 (FY_ENDING 2024)          | 240000    | 240,000,000   |
| LTS GCE 18 to 64                            | 90000     | 90,000,000    |
| LTS GCE 65 and Over                         | 110000    | 110,000,000   |
|   65+ Physical Support                      | 60000     | 60,000,000    |
|   65+ Support with Memory and Cognition     | `:`       | not submitted |
|   65+ Residential / Nursing / Home Care / DP| 44000 / 33000 / 22000 / 11000 |
| LTS Own Provision / Provision by Others     | 50000 / 150000 |          |
| Client Contributions (income)               | 30000     | 30,000,000    |
| Residential 65+ UNIT COST                   | 950.5     | GBP per week  |
| Nursing 65+ UNIT COST                       | `*`       | suppressed    |
| Nursing 65+ NUMERATOR / DENOMINATOR         | 60000 / 50 | (not used)   |
| Home care, provision by others, UNIT COST   | 24.10     | GBP per hour  |

England (E92000001), published rows: Total GCE 20000000 (GBP 20bn); Residential 65+ UNIT COST
1000.0. Herefordshire (CASSR 415): Total GCE `:`. One more row has ITEMVALUE `abc`: it is
quarantined: 22 rows in = 21 loaded + 1 quarantined; the same file again changes nothing.

Population 2024 (mid-year of the start of 2024-25): Worcestershire 1,000 persons at each age
18..64 (47,000) and 1,000 at each age 65..90 (26,000): 73,000 adults. England 100,000 at
each age 18..90: 7,300,000 adults. GDP deflator 2023-24 = 100, 2024-25 = 104.

Worked:
- FIN-1 = 250,000,000 / 73,000 = 3,424.657534...; England 20,000,000,000 / 7,300,000
  = 2,739.726027... (the published England row: comparisons basis `published`).
- FIN-2 = 90,000,000 / 47,000 = 1,914.893617...
- FIN-3 = 110,000,000 / 26,000 = 4,230.769230...; psr=Physical Support 60,000,000 / 26,000 =
  2,307.692307...; psr=Support with Memory and Cognition: no value (`:`), not 0.
- FIN-4 = 950.5 (published); England 1000.0. FIN-5: no value (`*`), NOT 60,000 / 50 = 1,200:
  a suppressed unit cost is not recomputed from its parts.
- FIN-6 = 24.10.
- FIN-7 65 and Over: 44/110 = 40%, 33/110 = 30%, 22/110 = 20%, 11/110 = 10%.
- FIN-8 = 30,000,000 / 250,000,000 = 12%.  FIN-9 = 150 / (50 + 150) = 75%.
- FIN-10 = (250,000,000 x 100/104) / 240,000,000 - 1 = 250 / 249.6 - 1 = 0.160256...%.
- Herefordshire FIN-1: no value (not submitted), never 0.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from money_files import (
    ASCFR_HEADER,
    ascfr_row,
    population,
    query,
    run,
    values,
    write_csv,
)

from openasc.councils import all_councils

WORCS, ENGLAND = "E10000034", "E92000001"


def _file(tmp: Path) -> Path:
    def w(care: str, value: object, **kw: object) -> dict:
        return ascfr_row(WORCS, 2025, care, value, cassr="416", **kw)
    lts = "Long Term Care"
    rows = [
        w("Total", "250000"),
        ascfr_row(WORCS, 2024, "Total", "240000", cassr="416"),
        w(lts, "90000", age="18 to 64"),
        w(lts, "110000", age="65 and Over"),
        w(lts, "60000", age="65 and Over", psr="Physical Support"),
        w(lts, ":", age="65 and Over", psr="Support with Memory and Cognition"),
        w(lts, "44000", age="65 and Over", setting="Residential"),
        w(lts, "33000", age="65 and Over", setting="Nursing"),
        w(lts, "22000", age="65 and Over", setting="Community: Home Care"),
        w(lts, "11000", age="65 and Over", setting="Community: Direct Payments"),
        w(lts, "50000", desc="Own Provision"),
        w(lts, "150000", desc="Provision by Others"),
        w("Total", "30000", finance="Client Contributions"),
        w(lts, "950.5", age="65 and Over", setting="Residential", vtype="UNIT COST"),
        w(lts, "*", age="65 and Over", setting="Nursing", vtype="UNIT COST"),
        w(lts, "60000", age="65 and Over", setting="Nursing", vtype="NUMERATOR"),
        w(lts, "50", age="65 and Over", setting="Nursing", vtype="DENOMINATOR"),
        w(lts, "24.10", desc="Provision by Others", setting="Community: Home Care",
          vtype="UNIT COST"),
        ascfr_row(ENGLAND, 2025, "Total", "20000000"),
        ascfr_row(ENGLAND, 2025, lts, "1000.0", age="65 and Over", setting="Residential",
                  vtype="UNIT COST"),
        ascfr_row("", 2025, "Total", ":", cassr="415"),
        ascfr_row(WORCS, 2025, "Other", "abc", cassr="416"),
    ]
    return write_csv(tmp / "ascfr.csv", ASCFR_HEADER, rows)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("finance")
    out = run(tmp, "ingest", "finance", str(_file(tmp)))
    assert "ascfr.csv: 22 rows in, 21 loaded into ascfr, 1 quarantined." in out
    assert "quarantined, by field: ITEMVALUE 1" in out
    again = run(tmp, "ingest", "finance", str(tmp / "ascfr.csv"))
    assert "ascfr.csv: already loaded (same content); nothing changed." in again
    run(tmp, "ingest", "population",
        str(population(tmp / "pop.csv", {WORCS: (1000, 1000), ENGLAND: (100_000, 100_000)})))
    write_csv(tmp / "deflator.csv", ["year", "deflator_index"],
              [["2023-24", "100"], ["2024-25", "104"]])
    run(tmp, "ingest", "deflator", str(tmp / "deflator.csv"))
    run(tmp, "compute", "--from", "2024-04-01", "--to", "2025-03-31", "--select", "FIN")
    return tmp


def test_markers_load_as_null_with_their_reason_never_as_zero(tmp: Path) -> None:
    got = dict(query(tmp, "SELECT status, count(*) FROM ascfr WHERE value_gbp IS NULL "
                          "GROUP BY 1"))
    assert got == {"not_submitted": 2, "suppressed": 1}
    assert query(tmp, "SELECT count(*) FROM ascfr WHERE value_gbp = 0") == [(0,)]
    reason = query(tmp, "SELECT reason FROM quarantine")[0][0]
    assert reason.startswith("ITEMVALUE 'abc' is not a number or a marker")


def test_money_is_stored_in_pounds_and_unit_costs_as_published(tmp: Path) -> None:
    assert query(tmp, f"SELECT value_gbp FROM ascfr WHERE la_code = '{WORCS}' AND year_start "
                      "= 2024 AND care_type = 'Total' AND finance_type = 'Expenditure'"
                 ) == [(250_000_000.0,)]
    assert query(tmp, "SELECT value_gbp FROM ascfr WHERE value_type = 'UNIT COST' AND "
                      f"la_code = '{WORCS}' AND support_setting = 'Residential'") == [(950.5,)]


def test_spending_per_head(tmp: Path) -> None:
    v = values(tmp, "FIN")
    assert v[("FIN-1", WORCS, "")] == pytest.approx((250e6, 73_000, 3424.657534), rel=1e-9)
    assert v[("FIN-1", ENGLAND, "")][2] == pytest.approx(2739.726027, rel=1e-9)
    assert v[("FIN-2", WORCS, "")][2] == pytest.approx(1914.893617, rel=1e-9)
    assert v[("FIN-3", WORCS, "")][2] == pytest.approx(4230.769231, rel=1e-9)
    assert v[("FIN-3", WORCS, "psr=Physical Support")][2] == pytest.approx(2307.692308,
                                                                           rel=1e-9)
    assert v[("FIN-3", WORCS, "psr=Support with Memory and Cognition")][2] is None
    assert v[("FIN-1", "E06000019", "")][0] is None  # Herefordshire: not submitted, not 0


def test_unit_costs_published_and_suppressed_not_recomputed(tmp: Path) -> None:
    v = values(tmp, "FIN")
    assert v[("FIN-4", WORCS, "")][2] == 950.5
    assert v[("FIN-4", ENGLAND, "")][2] == 1000.0
    assert v[("FIN-5", WORCS, "")][2] is None
    assert v[("FIN-6", WORCS, "")][2] == pytest.approx(24.10)


def test_shares_and_real_terms_change(tmp: Path) -> None:
    v = values(tmp, "FIN")
    shares = {b: round(x[2], 9) for (c, la, b), x in v.items()
              if c == "FIN-7" and la == WORCS}
    assert shares == {"age_band=65 and Over;setting=Residential": 40.0,
                      "age_band=65 and Over;setting=Nursing": 30.0,
                      "age_band=65 and Over;setting=Community: Home Care": 20.0,
                      "age_band=65 and Over;setting=Community: Direct Payments": 10.0}
    assert v[("FIN-8", WORCS, "")][2] == pytest.approx(12.0)
    assert v[("FIN-9", WORCS, "")][2] == pytest.approx(75.0)
    assert v[("FIN-10", WORCS, "")][2] == pytest.approx(0.16025641, rel=1e-7)


def test_comparison_uses_the_published_england_row(tmp: Path) -> None:
    """`openasc compare` builds the comparisons table: the council's FIN-1 against England's
    published row (2,739.73), labelled England, not an average of councils."""
    run(tmp, "compare")
    got = query(tmp, "SELECT england_value, england_basis, england_label FROM comparisons "
                     f"WHERE family = 'FIN' AND code = 'FIN-1' AND la_code = '{WORCS}'")
    assert got[0][0] == pytest.approx(2739.726027, rel=1e-9)
    assert got[0][1:] == ("published", "England")


def test_region_without_a_row_is_its_councils_sum_not_their_average(tmp_path: Path) -> None:
    """The 12 North East councils (tidy form, no region row), council i (1..12) with a
    residential 65+ unit-cost numerator 1000 i + 500 and denominator i. The region's FIN-4 is
    sum(1000 i + 500) / sum(i) = (78,000 + 6,000) / 78 = 1,076.923...; the average of the
    councils' rates, 1000 + 500 x H(12) / 12 = 1,129.30..., would be wrong. With one council
    missing, the region's figure is not available (NULL): a sum of some councils is not the
    region."""
    ne = sorted(c.ons_code for c in all_councils()
                if c.region_code == "E12000001" and c.valid_on(date(2025, 3, 31)))
    assert len(ne) == 12
    head = ["fy", "area_code", "data_level", "care_type", "age_band", "support_setting",
            "value_type", "value_gbp"]
    rows = [["2024-25", code, "Gross Current Expenditure", "Long Term Care", "65 and Over",
             "Residential", vt, str(v)]
            for i, code in enumerate(ne, 1)
            for vt, v in (("NUMERATOR", 1000 * i + 500), ("DENOMINATOR", i))]
    run(tmp_path, "ingest", "finance", str(write_csv(tmp_path / "t.csv", head, rows)))
    run(tmp_path, "compute", "--from", "2024-04-01", "--to", "2025-03-31", "--select", "FIN-4",
        "--la", "E12000001")
    v = values(tmp_path, "FIN")
    assert v[("FIN-4", "E12000001", "")] == pytest.approx((84_000, 78, 84_000 / 78))
    fresh = tmp_path / "partial"
    fresh.mkdir()
    run(fresh, "ingest", "finance", str(write_csv(fresh / "t.csv", head,
                                                  [r for r in rows if r[1] != ne[0]])))
    run(fresh, "compute", "--from", "2024-04-01", "--to", "2025-03-31", "--select", "FIN-4",
        "--la", "E12000001")
    assert values(fresh, "FIN")[("FIN-4", "E12000001", "")] == (None, None, None)
