"""Synthetic ASC-FR data file, council budget lines and GDP deflator (tests and the demo only:
no council's real figures are in it).

The ASC-FR file is written as NHS England publishes it (docs/money.md): every council of
England, each region and England, long (one row per line), money in GBP thousands, with a
few cells not submitted (`:`) or suppressed (`*`) as the real files have. Spending follows
each council's adult population (written alongside, so per-head figures are plausible), and
the region and England rows are the sums of their councils, as published totals are.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

from openasc.councils import Council, all_councils, resolve

HEADER = ["GEOGRAPHY_LEVEL", "DATA_LEVEL", "UUID", "FY_ENDING", "CASSR", "GEOGRAPHY_CODE",
          "DH_GEOGRAPHY_NAME", "REGION_GO_CODE", "GEOGRAPHY_NAME", "DimensionGroup",
          "CareType", "FinanceType", "FinanceDescription", "AgeBand", "PrimarySupportReason",
          "SupportSetting", "Purpose", "CarerSupportType", "DataType", "ActivityProvision",
          "ComparativeTotals", "DataSource", "ValueType", "ITEMVALUE"]
BANDS = ("18 to 64", "65 and Over")
SETTINGS = {"18 to 64": {"Nursing": 0.03, "Residential": 0.22, "Community: Direct Payments": 0.25,
                         "Community: Home Care": 0.15, "Supported Accommodation": 0.35},
            "65 and Over": {"Nursing": 0.22, "Residential": 0.38,
                            "Community: Direct Payments": 0.08, "Community: Home Care": 0.30,
                            "Supported Accommodation": 0.02}}
PSRS = {"18 to 64": {"Physical Support": 0.25, "Learning Disability Support": 0.55,
                     "Mental Health Support": 0.17, "Support with Memory and Cognition": 0.03},
        "65 and Over": {"Physical Support": 0.62, "Learning Disability Support": 0.05,
                        "Mental Health Support": 0.08, "Support with Memory and Cognition": 0.25}}
ENGLAND = "E92000001"
# care type, finance type, description, age band, psr, setting, value type
Line = tuple[str, str, str, str, str, str, str]


def adults(council: Council, rng: np.random.Generator) -> tuple[int, int]:
    """A plausible (18-64, 65+) population for a council: sizes vary about tenfold."""
    size = float(np.exp(rng.normal(12.6, 0.55)))
    return int(size * 0.58), int(size * 0.21)


def _council_lines(pop: tuple[int, int], rng: np.random.Generator,
                   growth: float) -> dict[Line, float]:
    """One council-year's lines in pounds (unit costs in pounds per week or hour)."""
    lts = {"18 to 64": pop[0] * rng.uniform(330, 470) * growth,
           "65 and Over": pop[1] * rng.uniform(620, 900) * growth}
    out: dict[Line, float] = {}
    for band, total in lts.items():
        out[("Long Term Care", "Expenditure", "99", band, "99", "99", "")] = total
        shares = np.array(list(SETTINGS[band].values())) * rng.uniform(0.8, 1.2, 5)
        for s, share in zip(SETTINGS[band], shares / shares.sum(), strict=True):
            out[("Long Term Care", "Expenditure", "99", band, "99", s, "")] = total * share
        shares = np.array(list(PSRS[band].values())) * rng.uniform(0.8, 1.2, 4)
        for p, share in zip(PSRS[band], shares / shares.sum(), strict=True):
            out[("Long Term Care", "Expenditure", "99", band, p, "99", "")] = total * share
    lts_all = sum(lts.values())
    others = rng.uniform(0.75, 0.92)
    out[("Long Term Care", "Expenditure", "Provision by Others", "99", "99", "99", "")] = \
        lts_all * others
    out[("Long Term Care", "Expenditure", "Own Provision", "99", "99", "99", "")] = \
        lts_all * (1 - others)
    total = lts_all / rng.uniform(0.62, 0.72)
    out[("Total", "Expenditure", "99", "99", "99", "99", "")] = total
    out[("Total", "Client Contributions", "99", "99", "99", "99", "")] = \
        total * rng.uniform(0.11, 0.17)
    for setting, (low, high) in {"Residential": (750, 1050), "Nursing": (850, 1200)}.items():
        weeks = float(round(pop[1] * rng.uniform(0.011, 0.017)))
        cost = weeks * rng.uniform(low, high) * growth
        base = ("Long Term Care", "Expenditure", "99", "65 and Over", "99", setting)
        out[(*base, "NUMERATOR")] = cost
        out[(*base, "DENOMINATOR")] = weeks
        out[(*base, "UNIT COST")] = cost / weeks
    out[("Long Term Care", "Expenditure", "Provision by Others", "99", "99",
         "Community: Home Care", "UNIT COST")] = rng.uniform(21.5, 26.5) * growth
    return out


def _row(level: str, code: str, cassr: str, name: str, region: str, fy_ending: int,
         line: Line, value: float | str, uuid: int) -> list[object]:
    care, finance, desc, age, psr, setting, vtype = line
    data_level = "Income" if finance == "Client Contributions" else "Gross Current Expenditure"
    if isinstance(value, str):
        item: object = value
    elif vtype == "":
        item = round(value / 1000, 3)  # GBP thousands, as published
    else:
        item = round(value, 2)
    return [level, data_level, uuid, fy_ending, cassr, code, name if cassr else "", region,
            "" if cassr else name, "synthetic", care, finance, desc, age, psr, setting, "99",
            "99", "99", "99", "99", "99", vtype, item]


def write_finance(out: Path, la_code: str, years: list[int], seed: int = 1,
                  population_csv: Path | None = None) -> list[Path]:
    """Write `ascfr.csv` (published layout), `budget.csv` for the council, `deflator.csv` and
    `population-adults.csv` (every other council's adults); return the paths.

    With `population_csv` (the council's own tidy population file), the council's spending
    follows that population, so its per-head figures are plausible whatever its size."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    me = resolve(la_code)
    own_pop = own_adults(population_csv, me.ons_code) if population_csv else {}
    places = [c for c in all_councils() if any(c.valid_on(date(y + 1, 3, 31)) for y in years)]
    pops = {c.ons_code: adults(c, rng) for c in places}
    rows: list[list[object]] = []
    uuid = 0
    for y in sorted(years):
        growth = 1.06 ** (y - min(years))
        sums: dict[tuple[str, Line], float] = defaultdict(float)
        for c in places:
            if not c.valid_on(date(y + 1, 3, 31)):
                continue
            pop = own_pop.get(y, pops[c.ons_code]) if c.ons_code == me.ons_code \
                else pops[c.ons_code]
            # the same council draws alike each year (seeded by its place in the list), so
            # its spending moves with growth, not at random, from one year to the next
            same = np.random.default_rng([seed, places.index(c)])
            for line, value in _council_lines(pop, same, growth).items():
                uuid += 1
                for area in (c.region_code, ENGLAND):
                    sums[(area, line)] += value
                cell: float | str = value
                if c.ons_code != me.ons_code and rng.random() < 0.01:
                    cell = ":" if line[6] != "UNIT COST" else "*"
                rows.append(_row("Local Authority", c.ons_code, c.la_code, c.name,
                                 c.region_code, y + 1, line, cell, uuid))
        names = {c.region_code: c.region for c in places} | {ENGLAND: "England"}
        counts = {a: sum(1 for c in places if c.valid_on(date(y + 1, 3, 31)) and
                         a in (c.region_code, ENGLAND)) for a in {c.region_code for c in places}
                  | {ENGLAND}}
        for (area, line), value in sorted(sums.items()):
            uuid += 1
            level = "England" if area == ENGLAND else "Region"
            if line[6] == "UNIT COST":  # the area's published rate: residential and nursing
                if line[5] in ("Residential", "Nursing"):  # sum / sum, home care the mean
                    value = sums[(area, (*line[:6], "NUMERATOR"))] / sums[
                        (area, (*line[:6], "DENOMINATOR"))]
                else:
                    value = value / counts[area]
            rows.append(_row(level, area, "", names[area], "" if area == ENGLAND else area,
                             y + 1, line, value, uuid))
    paths = [out / "ascfr.csv", out / "budget.csv", out / "deflator.csv",
             out / "population-adults.csv"]
    _write(paths[0], HEADER, rows)
    _write(paths[1], ["fy", "line_code", "line_label", "category", "age_band", "psr",
                      "budget_type", "flow", "income_type", "amount_gbp"],
           _budget(rng, years))
    _write(paths[2], ["year", "deflator_index"],
           [[f"{y}-{(y + 1) % 100:02d}", round(100 * 1.025 ** (y - 2020), 3)]
            for y in range(min(years) - 1, max(years) + 1)])
    _write(paths[3], ["la_code", "year", "sex", "age", "population"],
           [[code, y, "persons", age, round(n)]
            for code, (p1864, p65) in sorted(pops.items()) if code != me.ons_code
            for y in sorted(years)
            for age, n in [*((a, p1864 / 47) for a in range(18, 65)),
                           *((a, p65 / 26) for a in range(65, 91))]])
    return paths


def own_adults(path: Path, ons: str) -> dict[int, tuple[int, int]]:
    got: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    with Path(path).open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["la_code"] == ons and r["sex"].lower() == "persons" and int(r["age"]) >= 18:
                got[int(r["year"])][int(r["age"]) >= 65] += int(r["population"])
    return {y: (v[0], v[1]) for y, v in got.items()}


def _budget(rng: np.random.Generator, years: list[int]) -> list[list[object]]:
    lines = [("ASC101", "Residential care - older people", "lts_residential", "65+"),
             ("ASC102", "Nursing care - older people", "lts_nursing", "65+"),
             ("ASC103", "Home care", "lts_home_care", "all"),
             ("ASC104", "Direct payments", "lts_direct_payments", "all"),
             ("ASC105", "Reablement", "st_max", "all"),
             ("ASC106", "Assessment and care management", "staffing_assessment", "all")]
    rows: list[list[object]] = []
    for y in sorted(years):
        fy = f"{y}-{(y + 1) % 100:02d}"
        for code, label, category, band in lines:
            revised = float(round(rng.uniform(2e6, 4e7)))
            rows.append([fy, code, label, category, band, "all", "revised", "expenditure", "",
                         revised])
            rows.append([fy, code, label, category, band, "all", "outturn", "expenditure", "",
                         float(round(revised * rng.uniform(0.95, 1.08)))])
        rows.append([fy, "ASC900", "Client contributions", "other", "all", "all", "outturn",
                     "income", "client_contributions", float(round(rng.uniform(1e7, 3e7)))])
    return rows


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
