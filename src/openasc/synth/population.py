"""A synthetic mid-year population for the synthetic council, in the tidy layout.

Rates per 100,000 need a population of the right size for the synthetic council: about 40
residents for every person in the synthetic CLD file (roughly the ratio of a county's
population to the people its adult social care sees in a year), with an English age
structure. Written as `la_code,year,sex,age,population`, the tidy layout that
`openasc ingest population` accepts.

Each mid-year is written under the council's code on 30 June of that year, as ONS's file for
that year names it: Barnsley's mid-2024 rows are E08000016, not E08000038 (its code from
April 2025), so a re-coded council's synthetic population meets its CLD file for the same
year, which is loaded under the code of the period it covers.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np

from openasc import councils

RESIDENTS_PER_PERSON = 40


def _age_shape() -> np.ndarray:
    """Relative size of each single year of age 0..90 (90 = 90 and over), England-like."""
    ages = np.arange(91)
    shape = np.where(ages < 60, 1.0, np.exp(-((ages - 60) / 22.0) ** 2))
    shape[90] = shape[89] * 4.0  # the 90+ group collects every age above
    return shape / shape.sum()


def write_population(out: Path, people: int, la_code: str, years: list[int],
                     seed: int = 1) -> int:
    """Write persons/male/female by single year of age for each mid-year; returns rows."""
    council = councils.resolve(la_code)
    rng = np.random.default_rng(seed)
    shape = _age_shape()
    rows = 0
    with Path(out).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["la_code", "year", "sex", "age", "population"])
        for i, year in enumerate(sorted(years)):
            # the code in force on 30 June of the year (find falls back to the latest)
            code = (councils.find(council.la_code or council.ons_code, on=date(year, 6, 30))
                    or council).ons_code
            total = people * RESIDENTS_PER_PERSON * (1 + 0.006 * i)
            persons = np.round(shape * total * rng.uniform(0.98, 1.02, size=91)).astype(int)
            female_share = np.clip(0.49 + np.arange(91) * 0.0015, 0.49, 0.7)
            female = np.round(persons * female_share).astype(int)
            male = persons - female
            for sex, values in (("persons", persons), ("male", male), ("female", female)):
                for age, value in enumerate(values):
                    w.writerow([code, year, sex, age, int(value)])
                    rows += 1
    return rows
