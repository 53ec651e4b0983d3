"""Two regions worked out from their councils in ONE compute run (no --la), beside the councils
themselves: the national files' areas are computed set-based, all at once (issue #20), and
a region's sums must hold its own councils only.

The North East (E12000001) has 12 councils valid on 31 March 2025 and the North West
(E12000002) 24. Council i of a region (1..n, in code order), 2024-25:

| file               | North East council i       | North West council i       |
|--------------------|----------------------------|----------------------------|
| ASC-FR total GCE   | 1,000,000 i pounds         | 3,000,000 i pounds         |
| ASC-FR residential 65+ NUMERATOR / DENOMINATOR | 1000 i + 500 / i | 2000 i + 300 / i |
| population 2024    | 10 i at each age 18..64, 5 i at each age 65..90 (both regions) |
| Skills for Care filled posts | 100 i            | 300 i                      |
| LGSCO upheld / detailed investigations | i / 2 i + 1 | i / 4 i           |

Each region has a published row for an EARLIER year only (2023-24 total GCE, filled posts and
LGSCO figures), so it is an area of the run but has no 2024-25 row of its own: its 2024-25
figures are its councils' sums. With T = n (n + 1) / 2 (NE: n = 12, T = 78; NW: n = 24,
T = 300):

- adults of council i: 47 x 10 i + 26 x 5 i = 600 i; aged 65+: 130 i.
- FIN-1 NE = 1,000,000 T / 600 T = 1,666.666...; NW = 3,000,000 T / 600 T = 5,000.
- FIN-4 NE = (1000 T + 500 n) / T = 84,000 / 78 = 1,076.923...;
  NW = (2000 x 300 + 300 x 24) / 300 = 607,200 / 300 = 2,024.
- WF-4 (per 100 aged 65+) NE = 100 T / 130 T x 100 = 76.923...; NW = 300 / 130 x 100 =
  230.769...
- CMP-8 NE = 78 / (2 x 78 + 12) x 100 = 78 / 168 x 100 = 46.428571...%; NW = 25%.
- A council keeps its own figures: NE council 3 has FIN-4 numerator 3,500 over 3.

Summing England's or the other region's councils into a region, or one region's councils into
every area, gives other numbers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from money_files import population, run, values, write_csv

from openasc.councils import all_councils

NE, NW = "E12000001", "E12000002"
SCALE = {NE: (1_000_000, 1000, 500, 100), NW: (3_000_000, 2000, 300, 300)}


def _councils(region: str) -> list[str]:
    return sorted(c.ons_code for c in all_councils()
                  if c.region_code == region and c.valid_on(date(2025, 3, 31)))


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("areas")
    members = {r: _councils(r) for r in (NE, NW)}
    assert (len(members[NE]), len(members[NW])) == (12, 24)
    gce = ["Gross Current Expenditure", "Total", "Expenditure", "99", "99", ""]
    ascfr, pop, posts, lgsco = [], {}, [], []
    for region, codes in members.items():
        total, per, plus, filled = SCALE[region]
        ascfr.append(["2023-24", region, *gce, "1"])
        posts.append([region, "2023/24", "All sectors", "All services", "All job roles",
                      "filled_posts", "1"])
        lgsco.append([region, "2024", "1", "1"])
        for i, code in enumerate(codes, 1):
            ascfr += [["2024-25", code, *gce, str(total * i)],
                      ["2024-25", code, "Gross Current Expenditure", "Long Term Care", "99",
                       "65 and Over", "Residential", "NUMERATOR", str(per * i + plus)],
                      ["2024-25", code, "Gross Current Expenditure", "Long Term Care", "99",
                       "65 and Over", "Residential", "DENOMINATOR", str(i)]]
            pop[code] = (10 * i, 5 * i)
            posts.append([code, "2024/25", "All sectors", "All services", "All job roles",
                          "filled_posts", str(filled * i)])
            lgsco.append([code, "2025", str(2 * i + 1 if region == NE else 4 * i), str(i)])
    run(tmp, "ingest", "finance", str(write_csv(
        tmp / "ascfr.csv", ["fy", "area_code", "data_level", "care_type", "finance_type",
                            "age_band", "support_setting", "value_type", "value_gbp"], ascfr)))
    run(tmp, "ingest", "population", str(population(tmp / "pop.csv", pop)))
    run(tmp, "ingest", "workforce", str(write_csv(
        tmp / "workforce.csv", ["area_code", "period", "sector", "service", "job_role",
                                "metric", "value"], posts)))
    run(tmp, "ingest", "ombudsman", str(write_csv(
        tmp / "lgsco.csv", ["council_code", "year_ending", "detailed_investigations",
                            "upheld"], lgsco)))
    run(tmp, "compute", "--from", "2024-04-01", "--to", "2025-03-31", "--select",
        "FIN-1,FIN-4,WF-4,CMP-8")
    return tmp


def test_each_region_is_the_sum_of_its_own_councils(tmp: Path) -> None:
    fin, wf, cmp = values(tmp, "FIN"), values(tmp, "WF"), values(tmp, "CMP")
    assert fin[("FIN-1", NE, "")] == pytest.approx((78e6, 46_800, 1e6 / 600))
    assert fin[("FIN-1", NW, "")] == pytest.approx((900e6, 180_000, 5000.0))
    assert fin[("FIN-4", NE, "")] == pytest.approx((84_000, 78, 84_000 / 78))
    assert fin[("FIN-4", NW, "")] == pytest.approx((607_200, 300, 2024.0))
    assert wf[("WF-4", NE, "")] == pytest.approx((7800, 10_140, 7800 / 10_140 * 100))
    assert wf[("WF-4", NW, "")] == pytest.approx((90_000, 39_000, 90_000 / 39_000 * 100))
    assert cmp[("CMP-8", NE, "")] == pytest.approx((78, 168, 78 / 168 * 100))
    assert cmp[("CMP-8", NW, "")] == pytest.approx((300, 1200, 25.0))


def test_a_council_keeps_its_own_figures_in_the_same_run(tmp: Path) -> None:
    third = _councils(NE)[2]
    assert values(tmp, "FIN")[("FIN-4", third, "")][:2] == (3500, 3)
