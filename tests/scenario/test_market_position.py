"""Market position measures (family MPS) on hand-made inputs, through the real command line
(docs/market-position.md). Period 2025-26: base year B = 2025, horizons 2030, 2035 (the
headline horizon, B+10) and 2040; snapshot date T = 31 March 2026.

Projections (ONS 2022-based layout, a zip of persons, males and females CSVs, every year
2022-2047; a year between the four below repeats the one before). Worcestershire is a
council of two districts (the test's lookup: E07000234 and E07000235 -> E10000034). People
live at three ages only - 40 (band 18-64), 80 (75-84) and `90 and over` (85+):

| district  | age | 2025 m/f  | 2030 m/f  | 2035 m/f  | 2040 m/f  |
|-----------|-----|-----------|-----------|-----------|-----------|
| E07000234 | 40  | 500/500   | same      | same      | same      |
| E07000234 | 80  | 200/300   | 250/350   | 300/400   | 350/450   |
| E07000234 | 90+ | 50/150    | 60/180    | 75/225    | 90/270    |
| E07000235 | 40  | 1000/1000 | same      | same      | same      |
| E07000235 | 80  | 100/100   | 150/150   | 200/200   | 250/250   |
| E07000235 | 90+ | 50/50     | 60/60     | 75/75     | 90/90     |

Council (districts summed): 18-64 3,000 every year; 75-84 700 (m300 f400), 900 (400/500),
1,100 (500/600), 1,300 (600/700); 85+ 300 (m100 f200), 360 (120/240), 450 (150/300), 540
(180/360). So 65+ = 75+ = 1,000, 1,260, 1,550, 1,840 and the 2025 total is 4,000.
- MPS-D1 (65+, to 2035) = (1,550 - 1,000) / 1,000 = 55.0%; 2030 26.0%; 2040 84.0%.
- MPS-D2 (85+, to 2035) = (450 - 300) / 300 = 50.0%; 2030 20.0%; 2040 80.0%.
A line with AGE_GROUP `abc` is quarantined: 2 districts x 92 rows x 3 files + 1 = 553 in.

Need (two conditions). DEM65 by sex: 65-79 5% both; 80-89 male 0.10, female 0.20; 90+
male 0.30, female 0.40. LD1864 persons 18-64 2.5 percent. A row without a source is
quarantined (only cited rates load).
- DEM65 2025 = 300x0.10 + 100x0.30 + 400x0.20 + 200x0.40 = 30 + 30 + 80 + 80 = 220;
  2030 = 40 + 36 + 100 + 96 = 272; 2035 = 50 + 45 + 120 + 120 = 335; 2040 = 398.
  MPS-N1 = 335, published to the nearest 10: 340 (halves up).
- LD1864 = 3,000 x 0.025 = 75 every year; published 80.

Demand (CLD; mid-2025 estimate loaded as the projection's 2025 persons): on T,
P1 (80, residential), P2 (90, nursing and residential: nursing by the hierarchy), P3 (40,
community); P4's community service ended 31 Jan 2026 and P5 died 1 Feb 2026: neither counts
(P9 only makes requests).
- MPS-U1 = 3 / 4,000 x 1,000 = 0.75; residential 75-84 = 1 / 700 x 1,000 = 1.428571.
- MPS-U3 residential 75-84 2035 = 1 x 1,100 / 700 = 1.571429, a whole person: 2; nursing
  85+ 2035 = 1 x 450 / 300 = 1.5: 2 (halves away from zero). MPS-U2 (65+ residential +
  nursing, 2035) = round(1.571429 + 1.5) = round(3.071429) = 3.

Care directory (ODS, README "as at 1 March 2026"): ten care homes H1-H10, two home care
agencies A1-A2 and a GP surgery (out of scope):

| home | type                  | beds | dementia | rating                | note     |
|------|-----------------------|------|----------|-----------------------|----------|
| H1   | nursing               | 40   | yes      | Good                  |          |
| H2   | with and without nurs.| 30   |          | Outstanding           | -> nursing |
| H3   | residential           | 20   | yes      | Requires improvement  |          |
| H4   | residential           | 25   |          | Good                  |          |
| H5   | residential           | 15   |          | Inadequate            |          |
| H6   | residential           | 10   |          | (blank)               | not yet rated |
| H7   | nursing               | 50   | yes      | Insufficient evidence | not yet rated |
| H8   | residential           | 35   |          | Good                  | dormant  |
| H9   | residential           | 45   |          | Good                  | dual, primary |
| H10  | residential           | 45   |          | Good                  | dual: not counted |

Counted homes: H1-H7, H9 = 8 (nursing 3, residential 5, dementia 3, both types 1).
Beds: nursing 40 + 30 + 50 = 120; residential 20 + 25 + 15 + 10 + 45 = 115; all 235;
dementia 40 + 20 + 50 = 110.
- MPS-S1 = 235 / 1,000 (75+ in 2025) x 1,000 = 235.0; S2 120.0; S3 115.0;
  S4 = 110 / 235 = 46.808511%; S5 = 2 agencies / 1,000 (65+) x 10,000 = 20.0.
- MPS-S8: 1 dormant location, 35 beds.
- Ratings of the 10 counted, operating locations (H1-H7, H9, A1 Good, A2 Requires
  improvement): rated 8, Good/Outstanding 5 -> Q1 62.5%; Inadequate 1 -> Q4 12.5%;
  Q2 beds G/O 40+30+25+45 = 140 of rated beds 175 -> 80.0%; Q3 home care 1 of 2 -> 50.0%.
- MPS-X1 (2035) = 235 x 1,550 / 1,000 = 364.25; X2 = 129.25; 2030 296.1; 2040 432.4.
- No region or England rows: the inputs cover only this council.

Housing with care (the council's own files, loaded with --la; 75+ = 1,260 in 2030, 1,550 in
2035, 1,840 in 2040). Ratios per 1,000 aged 75+: EXTRA_CARE rent 20, EXTRA_CARE sale 10,
SHELTERED any 100, DEMENTIA_CARE any 5; a row with tenure `lease` is quarantined (5 in = 4
loaded + 1). Supply: EXTRA_CARE rent 15 (2026-03-31), SHELTERED rent 60 and sale 40
(2026-03-31), SHELTERED rent 50 on an older date (2025-03-31, not the latest: ignored); a
row with units -3 is quarantined (5 in = 4 loaded + 1).
- MPS-H2 (need) EXTRA_CARE rent 2035 = 20 x 1,550 / 1,000 = 31; 2030 25.2; 2040 36.8;
  EXTRA_CARE sale 2035 = 15.5; SHELTERED any 2035 = 155; DEMENTIA_CARE 2035 = 7.75.
- MPS-H3 (units today) EXTRA_CARE rent 15; SHELTERED rent 60 (the latest date's), sale 40,
  all tenures 100.
- MPS-H1 (gap) EXTRA_CARE rent 2035 = 31 - 15 = 16; 2030 10.2; 2040 21.8. SHELTERED any
  (met by every tenure: 60 + 40 = 100) 2035 = 155 - 100 = 55; 2030 26; 2040 84.
  EXTRA_CARE sale and DEMENTIA_CARE: no supply row, so no gap (unknown, not 0).

Closures (CQC deactivated locations, README "as at 1 March 2026"; a year before is 1 March
2025): care homes D1 30 beds ended 15/06/2025 and D2 20 beds ended 02/03/2025 count; D3
25 beds ended 01/03/2025 (a year before to the day) does not; D4 10 beds ended 10/01/2020 in
"Old Shire" (no such council: loaded, no council, an old row is no error); D5 a home care
agency ended 01/09/2025 (not a care home). End date 31/02/2025 and one after the snapshot
(05/03/2026) are quarantined: 7 in = 5 loaded + 2.
- MPS-C1 = 30 + 20 = 50 beds; what=care homes 2.

Fees (the council's fees.csv, loaded with --la; period end 31 March 2026, a year before
31 March 2025). Residential care 65+ per week: 800 from 1 April 2024, 850 from 1 April 2025,
900 from 7 April 2026 (agreed, not yet paid); Nursing care 65+ per week 1,000 from 1 April
2025 only; Home care per hour 23.00 from 8 April 2024, 24.50 from 7 April 2025. A rate `abc`
and a `per_day` unit are quarantined (8 in = 6 loaded + 2).
- MPS-F1 Residential = 850 (the 900 starts after the period end); Nursing = 1,000.
- MPS-F2 Home care = 24.50.
- MPS-F3 Residential = (850 - 800) / 800 = 6.25%; Home care = 1.50 / 23.00 = 6.521739%;
  Nursing: no rate a year before, so no change.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import duckdb
import pytest
from sac_casefiles import export, openasc

from cldfile import cld_row, write_cld_csv
from openasc.synth.care_directory import (
    deactivated,
    deactivated_workbook,
    location,
    workbook,
    write_book,
)

COUNCIL = "E10000034"
DISTRICTS = {"E07000234": {40: (500, 500), 80: [(200, 300), (250, 350), (300, 400),
                                                (350, 450)],
                           90: [(50, 150), (60, 180), (75, 225), (90, 270)]},
             "E07000235": {40: (1000, 1000), 80: [(100, 100), (150, 150), (200, 200),
                                                  (250, 250)],
                           90: [(50, 50), (60, 60), (75, 75), (90, 90)]}}
YEARS = list(range(2022, 2048))
PERIOD = ["--from", "2025-04-01", "--to", "2026-03-31", "--la", COUNCIL]


def _value(spec: object, year: int, sex: int) -> float:
    if isinstance(spec, tuple):
        return spec[sex]
    step = min(max((year - 2025) // 5, 0), 3)
    return spec[step][sex]  # type: ignore[index]


def _snpp(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, sexes in (("persons", (0, 1)), ("males", (0,)), ("females", (1,))):
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            buf.write(",".join(f'"{h}"' for h in ["AREA_CODE", "AREA_NAME", "COMPONENT",
                                                   "SEX", "AGE_GROUP", *map(str, YEARS)]))
            buf.write("\n")
            for code, ages in DISTRICTS.items():
                for age in [*map(str, range(90)), "90 and over", "All ages"]:
                    vals = []
                    for y in YEARS:
                        if age == "All ages":
                            vals.append(sum(_value(ages[a], y, s) for a in ages for s in sexes))
                        else:
                            a = 90 if age == "90 and over" else int(age)
                            vals.append(sum(_value(ages[a], y, s) for s in sexes)
                                        if a in ages else 0)
                    w.writerow([code, f"District {code[-3:]}", "Population", name, age,
                                *(f"{v:.3f}" for v in vals)])
            if name == "persons":
                w.writerow(["E07000234", "District 234", "Population", "persons", "abc",
                            *("1" for _ in YEARS)])
            z.writestr(f"2022 SNPP Population {name}.csv", buf.getvalue())
    return path


RATES = """condition_code,condition_label,age_from,age_to,sex,rate,unit,source
DEM65,People aged 65+ with dementia,65,79,male,0.05,proportion,Test study table 1
DEM65,People aged 65+ with dementia,80,89,male,0.10,proportion,Test study table 1
DEM65,People aged 65+ with dementia,90,,male,0.30,proportion,Test study table 1
DEM65,People aged 65+ with dementia,65,79,female,0.05,proportion,Test study table 1
DEM65,People aged 65+ with dementia,80,89,female,0.20,proportion,Test study table 1
DEM65,People aged 65+ with dementia,90,,female,0.40,proportion,Test study table 1
LD1864,Adults with a learning disability,18,64,persons,2.5,percent,Test study table 2
NOSRC,Uncited,18,64,persons,1,percent,
"""


BENCHMARKS = """type_code,tenure,per_1000_75plus,source
EXTRA_CARE,rent,20,Test toolkit (2099)
EXTRA_CARE,sale,10,Test toolkit (2099)
SHELTERED,any,100,Test toolkit (2099)
DEMENTIA_CARE,any,5,Test toolkit (2099)
SHELTERED,lease,50,Test toolkit (2099)
"""

SUPPLY = """type_code,tenure,units,as_at,source
EXTRA_CARE,rent,15,2026-03-31,Housing register
SHELTERED,rent,60,2026-03-31,Housing register
SHELTERED,sale,40,31/03/2026,Housing register
SHELTERED,rent,50,2025-03-31,Housing register
EXTRA_CARE,sale,-3,2026-03-31,Housing register
"""


FEES = """service_type,rate,unit,effective_from,source
Residential care 65+,800,per_week,2024-04-01,Cabinet decision 1
Residential care 65+,850,per_week,2025-04-01,Cabinet decision 2
Residential care 65+,900,per_week,2026-04-07,Cabinet decision 3
Nursing care 65+,1000,per_week,2025-04-01,Cabinet decision 2
Home care,23.00,per_hour,2024-04-08,Cabinet decision 1
Home care,24.50,per_hour,2025-04-07,Cabinet decision 2
Home care,abc,per_hour,2023-04-01,Cabinet decision 0
Day care,50,per_day,2025-04-01,Cabinet decision 2
"""


def _directory(path: Path) -> Path:
    la, region = "Worcestershire", "West Midlands"
    rows = [
        location("1-0000000001", la, region, care_home=True, beds=40, nursing=True,
                 dementia=True, rating="Good"),
        location("1-0000000002", la, region, care_home=True, beds=30, nursing=True,
                 residential=True, rating="Outstanding"),
        location("1-0000000003", la, region, care_home=True, beds=20, residential=True,
                 dementia=True, rating="Requires improvement"),
        location("1-0000000004", la, region, care_home=True, beds=25, residential=True),
        location("1-0000000005", la, region, care_home=True, beds=15, residential=True,
                 rating="Inadequate"),
        location("1-0000000006", la, region, care_home=True, beds=10, residential=True,
                 rating=""),
        location("1-0000000007", la, region, care_home=True, beds=50, nursing=True,
                 dementia=True, rating="Insufficient evidence to rate"),
        location("1-0000000008", la, region, care_home=True, beds=35, residential=True,
                 dormant=True),
        location("1-0000000009", la, region, care_home=True, beds=45, residential=True,
                 primary_id="1-0000000009"),
        location("1-0000000010", la, region, care_home=True, beds=45, residential=True,
                 primary_id="1-0000000009"),
        location("1-0000000011", la, region, domiciliary=True, rating="Good"),
        location("1-0000000012", la, region, domiciliary=True,
                 rating="Requires improvement"),
        location("1-0000000013", "Nowhere", region, directorate="Primary medical services"),
    ]
    from datetime import date

    return write_book(path, workbook(rows, date(2026, 3, 1)))


def _deactivated(path: Path) -> Path:
    from datetime import date

    la, region = "Worcestershire", "West Midlands"
    rows = [deactivated("1-0000000101", la, region, date(2025, 6, 15), beds=30),
            deactivated("1-0000000102", la, region, date(2025, 3, 2), beds=20),
            deactivated("1-0000000103", la, region, date(2025, 3, 1), beds=25),
            deactivated("1-0000000104", "Old Shire", region, date(2020, 1, 10), beds=10),
            deactivated("1-0000000105", la, region, date(2025, 9, 1), care_home=False),
            deactivated("1-0000000106", la, region, date(2025, 1, 1), beds=5),
            deactivated("1-0000000107", la, region, date(2026, 3, 5), beds=5)]
    rows[5][6] = "31/02/2025"
    return write_book(path, deactivated_workbook(rows, date(2026, 3, 1)))


def _cld(path: Path) -> Path:
    svc = {"Event_Type": "Service", "Event_Start_Date": "2025-05-01"}
    rows = [
        cld_row("P1", Date_of_Birth="1945-06-15", Service_Type="Long term support: "
                "Residential care", Service_Component="Long term residential care", **svc),
        cld_row("P2", Date_of_Birth="1935-06-15", Service_Type="Long term support: "
                "Nursing care", Service_Component="Long term nursing care", **svc),
        cld_row("P2", Date_of_Birth="1935-06-15", Service_Type="Long term support: "
                "Residential care", Service_Component="Long term residential care", **svc),
        cld_row("P3", Date_of_Birth="1985-06-15", **svc),
        cld_row("P4", Date_of_Birth="1945-06-15", Event_End_Date="2026-01-31", **svc),
        cld_row("P5", Date_of_Birth="1945-06-15", Date_of_Death="2026-02-01",
                Service_Type="Long term support: Residential care",
                Service_Component="Long term residential care", **svc),
    ]
    # P9's requests end in every month, so the file's derived period is the whole year
    # (the national method reads it from event end dates, cld-r2.md 5.2)
    months = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in (1, 2, 3)]
    rows += [cld_row("P9", Date_of_Birth="1960-06-15", Event_Start_Date=f"{m}-05",
                     Event_End_Date=f"{m}-06") for m in months]
    return write_cld_csv(path, rows, period_start="2025-04-01", period_end="2026-03-31")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("mps")
    lookup = tmp / "lookup.csv"
    lookup.write_text("LTLA22CD,LTLA22NM,UTLA22CD,UTLA22NM\nE07000234,A,E10000034,W\n"
                      "E07000235,B,E10000034,W\n", encoding="utf-8")
    r = openasc(tmp, "ingest", "projections", str(_snpp(tmp / "snpp.zip")), "--lookup",
                str(lookup), "--variant", "five-year migration")
    assert r.returncode == 0, r.stderr
    assert "553 row(s) read = 552 loaded + 1 quarantined; 1 council(s) projected " \
           "2022-2047 (ONS SNPP 2022-based, five-year migration variant)" in r.stdout
    assert "AGE_GROUP 1" in r.stdout
    (tmp / "rates.csv").write_text(RATES, encoding="utf-8")
    r = openasc(tmp, "ingest", "prevalence-rates", str(tmp / "rates.csv"))
    assert r.returncode == 0, r.stderr
    assert "8 rows in = 7 loaded + 1 quarantined" in r.stdout and "source 1" in r.stdout
    r = openasc(tmp, "ingest", "care-directory",
                str(_directory(tmp / "01_March_2026_HSCA_Active_Locations.ods")))
    assert r.returncode == 0, r.stderr
    assert "13 location(s) read = 13 loaded + 0 quarantined (as at 2026-03-01" in r.stdout
    r = openasc(tmp, "ingest", "cld", str(_cld(tmp / "cld.csv")), "--submitted-on",
                "2026-04-20")
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(tmp / "w.duckdb"))  # the mid-2025 estimate = the projection
    con.execute("INSERT INTO population SELECT la_code, year, sex, age, population "
                "FROM population_projections WHERE year = 2025")
    con.close()
    (tmp / "bench.csv").write_text(BENCHMARKS, encoding="utf-8")
    r = openasc(tmp, "ingest", "housing-benchmarks", str(tmp / "bench.csv"), "--la", COUNCIL)
    assert r.returncode == 0, r.stderr
    assert "5 rows in, 4 loaded into housing_benchmarks, 1 quarantined" in r.stdout
    (tmp / "supply.csv").write_text(SUPPLY, encoding="utf-8")
    r = openasc(tmp, "ingest", "housing-supply", str(tmp / "supply.csv"), "--la", COUNCIL)
    assert r.returncode == 0, r.stderr
    assert "5 rows in, 4 loaded into housing_supply, 1 quarantined" in r.stdout
    r = openasc(tmp, "ingest", "cqc-deactivated",
                str(_deactivated(tmp / "01_March_2026_Deactivated_Locations.ods")))
    assert r.returncode == 0, r.stderr
    assert "7 location(s) read = 5 loaded + 2 quarantined (as at 2026-03-01" in r.stdout
    (tmp / "fees.csv").write_text(FEES, encoding="utf-8")
    r = openasc(tmp, "ingest", "fees", str(tmp / "fees.csv"), "--la", COUNCIL)
    assert r.returncode == 0, r.stderr
    assert "8 rows in, 6 loaded into fee_rates, 2 quarantined" in r.stdout
    r = openasc(tmp, "compute", *PERIOD, "--select", "MPS")
    assert r.returncode == 0, r.stderr
    return tmp


@pytest.fixture(scope="module")
def values(warehouse: Path) -> dict:
    return {(c, b): v for (f, c, b), v in export(warehouse).items() if f == "MPS"}


def _v(values: dict, code: str, breakdown: str = "") -> float:
    return float(values[(code, breakdown)][2])


def test_population_change(values: dict) -> None:
    assert _v(values, "MPS-P1") == 4000
    assert _v(values, "MPS-P1", "band=75-84;year=2035") == 1100
    assert _v(values, "MPS-P1", "band=65-74;year=2025") == 0
    assert _v(values, "MPS-D1") == pytest.approx(55.0)
    assert _v(values, "MPS-D1", "year=2030") == pytest.approx(26.0)
    assert _v(values, "MPS-D1", "year=2040") == pytest.approx(84.0)
    assert _v(values, "MPS-D2") == pytest.approx(50.0)
    assert _v(values, "MPS-D2", "year=2040") == pytest.approx(80.0)
    assert _v(values, "MPS-P2", "band=90+;sex=female;year=2035") == 300


def test_need(values: dict, warehouse: Path) -> None:
    assert _v(values, "MPS-N1") == pytest.approx(335)
    assert _v(values, "MPS-N1", "year=2025") == pytest.approx(220)
    assert _v(values, "MPS-N3", "condition=DEM65;year=2030") == pytest.approx(272)
    assert _v(values, "MPS-N3", "condition=DEM65;year=2040") == pytest.approx(398)
    assert _v(values, "MPS-N2") == pytest.approx(75)
    assert not any(b.startswith("condition=NOSRC") for _, b in values)
    published = {(c, b): v for (f, c, b), v in export(warehouse, published=True).items()
                 if f == "MPS"}
    assert float(published[("MPS-N1", "")][2]) == 340
    assert float(published[("MPS-N2", "")][2]) == 80


def test_demand(values: dict) -> None:
    assert _v(values, "MPS-U1") == pytest.approx(0.75)
    assert _v(values, "MPS-U1", "band=75-84;setting=Residential") == pytest.approx(1 / 0.7)
    assert _v(values, "MPS-U1", "band=85+;setting=Nursing") == pytest.approx(1 / 0.3)
    assert _v(values, "MPS-U1", "band=85+;setting=Residential") == 0
    assert _v(values, "MPS-U3", "band=75-84;setting=Residential;year=2035") == 2
    assert _v(values, "MPS-U3", "band=85+;setting=Nursing;year=2035") == 2
    assert _v(values, "MPS-U2") == 3


def test_supply_and_quality(values: dict) -> None:
    assert _v(values, "MPS-S1") == pytest.approx(235.0)
    assert _v(values, "MPS-S2") == pytest.approx(120.0)
    assert _v(values, "MPS-S3") == pytest.approx(115.0)
    assert _v(values, "MPS-S4") == pytest.approx(110 / 235 * 100)
    assert _v(values, "MPS-S5") == pytest.approx(20.0)
    assert _v(values, "MPS-S6") == 8
    assert _v(values, "MPS-S6", "type=nursing") == 3
    assert _v(values, "MPS-S6", "both=registered with and without nursing") == 1
    assert _v(values, "MPS-S7") == 235
    assert _v(values, "MPS-S8") == 1 and _v(values, "MPS-S8", "what=care home beds") == 35
    assert _v(values, "MPS-C1") == 50 and _v(values, "MPS-C1", "what=care homes") == 2
    assert _v(values, "MPS-Q1") == pytest.approx(62.5)
    assert _v(values, "MPS-Q2") == pytest.approx(80.0)
    assert _v(values, "MPS-Q3") == pytest.approx(50.0)
    assert _v(values, "MPS-Q4") == pytest.approx(12.5)
    assert _v(values, "MPS-Q5", "rating=Not yet rated;service=Care homes") == 2
    assert not any(b.startswith("area=") for _, b in values)


def test_demand_against_supply(values: dict) -> None:
    assert _v(values, "MPS-X1") == pytest.approx(364.25)
    assert _v(values, "MPS-X2") == pytest.approx(129.25)
    assert _v(values, "MPS-X1", "year=2030") == pytest.approx(296.1)
    assert _v(values, "MPS-X1", "year=2040") == pytest.approx(432.4)


def test_housing_with_care(values: dict) -> None:
    assert _v(values, "MPS-H2", "tenure=rent;type=EXTRA_CARE;year=2035") == pytest.approx(31)
    assert _v(values, "MPS-H2", "tenure=rent;type=EXTRA_CARE;year=2030") == pytest.approx(25.2)
    assert _v(values, "MPS-H2", "tenure=sale;type=EXTRA_CARE;year=2035") == pytest.approx(15.5)
    assert _v(values, "MPS-H2", "tenure=any;type=SHELTERED;year=2035") == pytest.approx(155)
    assert _v(values, "MPS-H2", "tenure=any;type=DEMENTIA_CARE;year=2035") == \
        pytest.approx(7.75)
    assert _v(values, "MPS-H3", "tenure=rent;type=SHELTERED") == 60
    assert _v(values, "MPS-H3", "tenure=sale;type=SHELTERED") == 40
    assert _v(values, "MPS-H3", "tenure=rent;type=EXTRA_CARE") == 15
    assert _v(values, "MPS-H3", "tenure=all;type=SHELTERED") == 100
    assert _v(values, "MPS-H1", "tenure=rent;type=EXTRA_CARE;year=2035") == pytest.approx(16)
    assert _v(values, "MPS-H1", "tenure=rent;type=EXTRA_CARE;year=2030") == pytest.approx(10.2)
    assert _v(values, "MPS-H1", "tenure=rent;type=EXTRA_CARE;year=2040") == pytest.approx(21.8)
    assert _v(values, "MPS-H1", "tenure=any;type=SHELTERED;year=2035") == pytest.approx(55)
    assert _v(values, "MPS-H1", "tenure=any;type=SHELTERED;year=2030") == pytest.approx(26)
    assert _v(values, "MPS-H1", "tenure=any;type=SHELTERED;year=2040") == pytest.approx(84)
    gaps = {b for c, b in values if c == "MPS-H1"}
    assert not any("EXTRA_CARE" in b and "sale" in b or "DEMENTIA" in b for b in gaps)


def test_fees(values: dict) -> None:
    assert _v(values, "MPS-F1", "service=Residential care 65+") == pytest.approx(850)
    assert _v(values, "MPS-F1", "service=Nursing care 65+") == pytest.approx(1000)
    assert _v(values, "MPS-F2", "service=Home care") == pytest.approx(24.50)
    assert _v(values, "MPS-F3", "service=Residential care 65+;unit=per_week") == \
        pytest.approx(6.25)
    assert _v(values, "MPS-F3", "service=Home care;unit=per_hour") == \
        pytest.approx(1.5 / 23 * 100)
    assert ("MPS-F3", "service=Nursing care 65+;unit=per_week") not in values
    assert not any(b == "service=Day care" for _, b in values)


def test_housing_needs_the_council(warehouse: Path) -> None:
    """The housing files carry no council: without --la (and no council in openasc.toml)
    nothing loads and the message says what to give; the same file again changes nothing."""
    (warehouse / "supply2.csv").write_text(SUPPLY.replace(",15,", ",16,"), encoding="utf-8")
    r = openasc(warehouse, "ingest", "housing-supply", str(warehouse / "supply2.csv"))
    assert r.returncode == 1
    assert "give --la" in r.stderr + r.stdout and "Traceback" not in r.stderr
    r = openasc(warehouse, "ingest", "housing-supply", str(warehouse / "supply.csv"),
                "--la", COUNCIL)
    assert r.returncode == 0 and "already loaded" in r.stdout


def test_statement_prints_the_figures(warehouse: Path) -> None:
    """The document reads the same rows: 85+ from 300 to 450 (50.0%), 235 beds per 1,000."""
    r = openasc(warehouse, "report", "market-position", "--year", "2025-26", "--out",
                str(warehouse / "mps"), "--la", COUNCIL)
    assert r.returncode == 0, r.stderr
    html = (warehouse / "mps" / "market-position.html").read_text("utf-8")
    assert "aged 85 and over is projected to rise from" in html
    assert ">300</span> to <span" in html and ">50.0%</span>" in html
    assert ">235.0</span>" in html and "five-year migration variant" in html
    assert "Draft: not for publication" in html  # no content folder: the examples show
    assert "registration ended in the 12 months" in html
    housing = html[html.index('id="housing"'):]
    assert "Sheltered or retirement housing" in housing and "Test toolkit (2099)" in housing
    assert ">155</span>" in housing and ">55</span>" in housing  # need and gap, 2035
    fees = html[html.index('id="fees"'):]
    assert "Residential care 65+" in fees and "Cabinet decision 2" in fees
    rows = {row.split("</th>")[0]: row for row in fees.split('<th scope="row">')[1:4]}
    assert "£850.00 a week" in rows["Residential care 65+"] and "6.3%" in rows[
        "Residential care 65+"]
    assert "£1,000.00 a week" in rows["Nursing care 65+"] and "<td>-</td>" in rows[
        "Nursing care 65+"]
    assert "£24.50 an hour" in rows["Home care"] and "6.5%" in rows["Home care"]


def test_same_projection_twice_changes_nothing(warehouse: Path) -> None:
    r = openasc(warehouse, "ingest", "projections", str(warehouse / "snpp.zip"),
                "--variant", "five-year migration")
    assert r.returncode == 0 and "already loaded" in r.stdout


def test_the_statement_passes_the_figures_check(warehouse: Path) -> None:
    """The statement openasc writes is checked by `openasc check` against the warehouse it
    came from (HTML and PDF): no arithmetic in it may fail (exit 0, no error). A rating
    table once set 'All adult social care' beside care homes and home care, where it read
    as their total and did not add up."""
    out = warehouse / "mps-check"
    r = openasc(warehouse, "report", "market-position", "--year", "2025-26", "--out",
                str(out), "--la", COUNCIL)
    assert r.returncode == 0, r.stderr
    for doc in ("market-position.html", "market-position.pdf"):
        c = openasc(warehouse, "check", str(out / doc), "--la", COUNCIL, "--year", "2025-26")
        assert c.returncode == 0 and " 0 errors" in c.stdout, c.stdout + c.stderr
