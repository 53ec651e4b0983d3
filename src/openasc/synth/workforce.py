"""Synthetic Skills for Care workforce figures in the tidy form (tests and the demo only: no
real figures). Every council area, each region and England, for each year: the published
rates WF-1 to WF-7 read, and filled posts. A few council cells are suppressed, as in the
real download (`suppressed` true, value blank). Region and England rates are weighted by
filled posts, as Skills for Care's own estimates for larger areas are; filled posts sum.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

from openasc.councils import all_councils

ENGLAND = "E92000001"
ALL = ("All sectors", "All services", "All job roles")
# metric -> (sector, service, job role, England-typical value, spread)
RATES = {
    "vacancy_rate": (*ALL, 8.3, 2.0),
    "turnover_rate": (*ALL, 24.8, 4.5),
    "sickness_days_mean": (*ALL, 5.6, 1.2),
    "zero_hours_pct": (*ALL, 21.0, 7.0),
}
CARE_WORKER = {
    ("turnover_rate", "All sectors", "Domiciliary care", "Care worker"): (33.0, 6.0),
    ("median_hourly_pay_gbp", "Independent", "All services", "Care worker"): (11.9, 0.5),
}


def write_workforce(out: Path, years: list[int], seed: int = 1, la_code: str | None = None,
                    population_csv: Path | None = None) -> list[Path]:
    """Write `workforce.csv` (tidy form); return its path in a list. With `la_code` and its
    tidy `population_csv`, that council's filled posts follow its population aged 65+ (about
    18 per 100), so its WF-4 is plausible whatever its size."""
    from openasc.councils import resolve
    from openasc.synth.finance import own_adults

    own = (resolve(la_code).ons_code, own_adults(population_csv, resolve(la_code).ons_code)) \
        if la_code and population_csv else ("", {})
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    series = {**{(m, *v[:3]): v[3:] for m, v in RATES.items()}, **CARE_WORKER}
    rows: list[list[object]] = []
    for y in sorted(years):
        period = f"{y}/{(y + 1) % 100:02d}"
        weighted: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for c in all_councils():
            if not c.valid_on(date(y + 1, 3, 31)):
                continue
            posts = float(round(np.exp(rng.normal(9.3, 0.55))))
            if c.ons_code == own[0] and y in own[1]:
                posts = float(round(own[1][y][1] * 0.18))
            rows.append([c.ons_code, period, *ALL, "filled_posts", posts, "false"])
            weighted[("filled_posts", *ALL, c.region_code)][0] += posts
            for key, (mean, sd) in series.items():
                value = round(max(float(rng.normal(mean, sd)), 0.1), 2 if "pay" in key[0] else 1)
                hidden = rng.random() < 0.02
                rows.append([c.ons_code, period, *key[1:], key[0],
                             "" if hidden else value, "true" if hidden else "false"])
                if not hidden:
                    w = weighted[(*key, c.region_code)]
                    w[0] += value * posts
                    w[1] += posts
        areas: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for (*key, region), (num, den) in weighted.items():
            for area in (region, ENGLAND):
                areas[(area, *key)][0] += num
                areas[(area, *key)][1] += den
        for (area, metric, *rest), (num, den) in sorted(areas.items()):
            value = num if metric == "filled_posts" else round(num / den, 2)
            rows.append([area, period, *rest, metric, value, "false"])
    path = out / "workforce.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["area_code", "period", "sector", "service", "job_role", "metric", "value",
                    "suppressed"])
        w.writerows(rows)
    return [path]
