"""Synthetic sub-national population projections in the layout ONS publishes.

`openasc synth projections` writes what the ONS SNPP zip holds - `<base> SNPP Population
persons.csv`, `... males.csv`, `... females.csv`, each `AREA_CODE, AREA_NAME, COMPONENT,
SEX, AGE_GROUP, <base> ... <base+25>` with 92 rows per district (0..89, `90 and over`, `All
ages`) - for every English council valid at the boundary date, plus the district-to-council
lookup the ingest needs. Unitaries, metropolitan districts and London boroughs are their own
district; each county gets synthetic districts coded `E0790xxxx` (a range ONS has not used),
so nothing here can be mistaken for a real district. The 2018-based layout also carries
county, region and England rows, as the real 2018 files do.

Every number is made up: an England-like age shape, a council size, growth that ages the
population a little each year.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import numpy as np

from openasc import councils

AGES = [str(a) for a in range(90)] + ["90 and over"]


def _age_shape() -> np.ndarray:
    ages = np.arange(91)
    shape = np.where(ages < 60, 1.0, np.exp(-((ages - 60) / 22.0) ** 2))
    shape[90] = shape[89] * 4.0
    return shape / shape.sum()


def districts(base: int, only: list[str] | None = None,
              seed: int = 1) -> list[tuple[str, str, str, float]]:
    """(district code, name, council code, 2022-size) for every council on the release's
    boundaries (1 April of the year after the base), or only the councils named."""
    rng = np.random.default_rng(seed)
    on = date(base + 1, 4, 1)
    wanted = {councils.resolve(c, on=on).ons_code for c in only} if only else None
    out: list[tuple[str, str, str, float]] = []
    serial = 0
    for c in councils.all_councils():
        if not c.valid_on(on) or (wanted is not None and c.ons_code not in wanted):
            continue
        size = float(rng.uniform(150_000, 450_000))
        if c.council_type == "county":
            n = int(rng.integers(4, 12))
            for i in range(n):
                serial += 1
                out.append((f"E0790{serial:04d}", f"{c.name} district {i + 1}", c.ons_code,
                            size * 1.6 / n))
        else:
            out.append((c.ons_code, c.name, c.ons_code, size))
    return out


def _cube(areas: list[tuple[str, str, str, float]], years: int, seed: int) -> np.ndarray:
    """population[area, sex(male, female), age, year], 3 decimals, ageing each year."""
    rng = np.random.default_rng(seed + 1)
    shape = _age_shape()
    sizes = np.array([a[3] for a in areas])
    t = np.arange(years)
    # older ages grow faster: 0.2% a year under 65 rising to 3% a year at 90+
    growth = 1 + np.clip((np.arange(91) - 55) / 35, 0, 1)[:, None] * 0.028 * t[None, :] \
        + 0.002 * t[None, :]
    female_share = np.clip(0.49 + np.arange(91) * 0.0015, 0.49, 0.7)
    noise = rng.uniform(0.97, 1.03, size=(len(areas), 91))
    persons = sizes[:, None, None] * (shape[None, :, None] * noise[:, :, None]) \
        * growth[None, :, :]
    female = persons * female_share[None, :, None]
    male = persons - female
    return np.round(np.stack([male, female], axis=1), 3)


def _rows(areas: list[tuple[str, str, str, float]], cube: np.ndarray,
          sex: str) -> list[list[str]]:
    out: list[list[str]] = []
    for a, (code, name, _council, _size) in enumerate(areas):
        values = cube[a].sum(axis=0) if sex == "persons" else cube[a, 0 if sex == "males" else 1]
        for age, label in enumerate(AGES):
            out.append([code, name, "Population", sex, label,
                        *(f"{v:.3f}" for v in values[age])])
        out.append([code, name, "Population", sex, "All ages",
                    *(f"{v:.3f}" for v in values.sum(axis=0))])
    return out


def _higher(areas: list[tuple[str, str, str, float]], cube: np.ndarray
            ) -> tuple[list[tuple[str, str, str, float]], np.ndarray]:
    """County, region and England rows (the 2018 layout carries them), summed exactly."""
    groups: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for i, (_code, _name, council, _s) in enumerate(areas):
        c = councils.resolve(council)
        if c.council_type == "county":
            groups.setdefault(c.ons_code, []).append(i)
            names[c.ons_code] = c.name
        groups.setdefault(c.region_code, []).append(i)
        names[c.region_code] = c.region
        groups.setdefault("E92000001", []).append(i)
        names["E92000001"] = "England"
    codes = sorted(groups)
    return ([(k, names[k], k, 0.0) for k in codes],
            np.stack([cube[groups[k]].sum(axis=0) for k in codes]))


def write_projections(out: Path, base: int = 2022, only: list[str] | None = None,
                      years: int = 26, seed: int = 1) -> tuple[Path, Path, int]:
    """Write the ONS-style zip at `out` and `lookup.csv` beside it; returns both paths and
    the number of district rows per sex file."""
    areas = districts(base, only, seed)
    cube = _cube(areas, years, seed)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP",
              *(str(base + i) for i in range(years))]
    with_higher = base < 2020
    extra = _higher(areas, cube) if with_higher else None
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for sex in ("persons", "males", "females"):
            buf = io.StringIO()
            buf.write(",".join(f'"{h}"' for h in header) + "\n")  # quoted header, as ONS
            w = csv.writer(buf, lineterminator="\n")
            w.writerows(_rows(areas, cube, sex))
            if extra is not None:
                w.writerows(_rows(extra[0], extra[1], sex))
            z.writestr(f"{base} SNPP Population {sex}.csv", buf.getvalue())
    lookup = out.with_name("lookup.csv")
    with lookup.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["LTLA22CD", "LTLA22NM", "UTLA22CD", "UTLA22NM"])
        for code, name, council, _s in areas:
            w.writerow([code, name, council, councils.resolve(council).name])
    return out, lookup, len(areas) * 92
