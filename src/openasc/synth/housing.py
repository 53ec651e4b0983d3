"""Synthetic specialist housing inputs for the market position statement's demo and tests.

`openasc synth housing` writes `housing_benchmarks.csv` and `housing_supply.csv` in the
layouts the council supplies (docs/market-position.md, "Housing with care"). openasc ships
no planning ratios, so these are made up and say so in their source column: they must never
be read as a toolkit's figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

# type, tenure, made-up ratio per 1,000 aged 75+, range of made-up units today
_TYPES = (
    ("SHELTERED", "rent", 60.0, (1500, 3000)),
    ("SHELTERED", "sale", 45.0, (800, 1800)),
    ("EXTRA_CARE", "rent", 15.0, (200, 500)),
    ("EXTRA_CARE", "sale", 10.0, (50, 250)),
    ("DEMENTIA_CARE", "any", 8.0, (150, 400)),
)
SOURCE = "Synthetic ratio made up for the openasc demo - not a planning ratio"


def write_housing(out: Path, as_at: str = "2025-03-31", seed: int = 1) -> tuple[Path, Path]:
    """Write both files into folder `out`; returns their paths (benchmarks, supply)."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    bench, supply = out / "housing_benchmarks.csv", out / "housing_supply.csv"
    with bench.open("w", newline="", encoding="utf-8") as b, \
            supply.open("w", newline="", encoding="utf-8") as s:
        wb, ws = csv.writer(b), csv.writer(s)
        wb.writerow(["type_code", "tenure", "per_1000_75plus", "source"])
        ws.writerow(["type_code", "tenure", "units", "as_at", "source"])
        for code, tenure, ratio, (low, high) in _TYPES:
            wb.writerow([code, tenure, ratio, SOURCE])
            ws.writerow([code, tenure, int(rng.integers(low, high)), as_at,
                         "Synthetic housing register for the openasc demo"])
    return bench, supply
