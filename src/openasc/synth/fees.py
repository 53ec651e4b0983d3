"""Synthetic fee rates for the market position statement's demo and tests.

`openasc synth fees` writes `fees.csv` in the layout the council supplies
(docs/market-position.md, "Fees we pay"): each service's rate for three years from April
`first_year`, each year's uplift made up. The source column says they are made up.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

# service, unit, made-up starting rate in pounds
_SERVICES = (
    ("Residential care 65+", "per_week", 780.0),
    ("Nursing care 65+ (excluding FNC)", "per_week", 880.0),
    ("Residential care 18-64", "per_week", 1250.0),
    ("Home care", "per_hour", 21.50),
    ("Supported living", "per_hour", 20.00),
)
SOURCE = "Synthetic fee schedule made up for the openasc demo"


def write_fees(out: Path, first_year: int = 2023, seed: int = 1) -> Path:
    """Write `fees.csv` into folder `out` and return its path."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "fees.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["service_type", "rate", "unit", "effective_from", "source"])
        for service, unit, rate in _SERVICES:
            for k in range(3):
                w.writerow([service, f"{rate:.2f}", unit, f"{first_year + k}-04-01", SOURCE])
                rate *= 1 + float(rng.uniform(0.03, 0.09))
    return path
