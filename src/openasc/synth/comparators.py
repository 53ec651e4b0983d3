"""Synthetic comparator data: every council of England, every measure of the declared set,
several years, with plausible spread between councils and drift over time.

For tests and the demo only (no council's real figures are in it). Each council gets a
lasting position for each measure (some councils do well on a measure year after year), a
gentle trend of its own and yearly noise, so that ranks, quartiles, changes and 3-year
trends all occur. Written in the tidy comparator layout (docs/comparisons.md).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np

from openasc.compare.measure_set import MeasureSet, load_measure_set
from openasc.councils import all_councils

# England-level typical value and spread between councils, per unit (a plausible scale for
# measures the table below does not name).
TYPICAL: dict[tuple[str, str, str], tuple[float, float]] = {
    ("ASCOF", "1A", ""): (19.0, 0.5), ("ASCOF", "1B", ""): (77.0, 3.5),
    ("ASCOF", "1D", ""): (7.3, 0.4), ("ASCOF", "2A", ""): (78.0, 8.0),
    ("ASCOF", "2B", ""): (14.5, 5.0), ("ASCOF", "2C", ""): (560.0, 130.0),
    ("ASCOF", "2D", ""): (82.0, 6.0), ("ASCOF", "2E", "age_band=18 to 64"): (81.0, 6.0),
    ("ASCOF", "3A", ""): (67.0, 4.0), ("ASCOF", "3D", "part=1a"): (92.0, 6.0),
    ("ASCOF", "3D", "part=2a"): (26.0, 7.0), ("ASCOF", "4A", ""): (71.0, 3.5),
    ("ASCOF", "4B", ""): (87.0, 3.0), ("ASCOF", "5A", ""): (45.0, 4.0),
    ("SAC", "CONCERNS_PER_100K", ""): (1300.0, 500.0), ("SAC", "S42_PER_100K", ""): (390.0, 150.0),
    ("SAC", "CONVERSION_RATE", ""): (31.0, 14.0), ("DOLS", "RECEIVED_PER_100K", ""): (700.0, 250.0),
    ("DOLS", "COMPLETED_PER_100K", ""): (650.0, 240.0),
    ("DOLS", "STANDARD_21_DAYS", ""): (20.0, 12.0),
}
SURVEY = {"1A", "1B", "1D", "3A", "4A", "4B", "5A"}  # carry a margin of error
# Families whose national figures come with their own national files (ASC-FR, Skills for
# Care, LGSCO: synth/finance.py, workforce.py, complaints.py), not with comparator files.
NATIONAL_FILE_FAMILIES = {"FIN", "WF", "CMP"}


def synth_comparators(out: Path, years: list[int], seed: int = 1,
                      measure_set: MeasureSet | None = None) -> int:
    """Write the file; return the number of rows."""
    ms = measure_set or load_measure_set()
    rng = np.random.default_rng(seed)
    rows = []
    for m in ms.measures:
        if m.family in NATIONAL_FILE_FAMILIES:
            continue
        mean, sd = TYPICAL.get(m.key, (50.0 if m.unit == "percent" else 100.0, 10.0))
        for c in all_councils():
            position = rng.normal(0, 1)
            trend = rng.normal(0, 0.25)
            for y in years:
                start, end = date(y, 4, 1), date(y + 1, 3, 31)
                if not c.valid_on(end):
                    continue
                z = position + trend * (y - years[0]) + rng.normal(0, 0.3)
                value = mean + sd * z
                if m.unit == "percent":
                    value = float(np.clip(value, 1.0, 99.5))
                value = max(value, 0.1)
                if m.unit in ("percent", "per_100k"):
                    den = float(rng.integers(400, 4000) if m.unit == "percent"
                                else rng.integers(60_000, 900_000))
                    factor = 100.0 if m.unit == "percent" else 100_000.0
                    num = float(round(value * den / factor))
                    value = num / den * factor
                else:
                    num = den = None
                moe = round(float(rng.uniform(1.5, 4.0)) * (0.15 if m.unit == "score" else 1), 1) \
                    if m.family == "ASCOF" and m.code in SURVEY else None
                rows.append((m.family, m.code, c.ons_code, start, end, m.breakdown, num, den,
                               value, m.unit, moe))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[5]))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["family", "code", "la_code", "period_start", "period_end", "breakdown",
                    "numerator", "denominator", "value", "unit", "margin_of_error"])
        w.writerows(rows)
    return len(rows)
