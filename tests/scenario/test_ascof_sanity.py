"""Sanity check on a synthetic council: every ASCOF measure computes and lands in a
plausible national range.

3,000 synthetic people (`openasc synth cld`), a population of the matching size
(`openasc.synth.population`), the real ingest, compute and export. The ranges are wide —
England's 2024-25 values are inside them with room (2A ≈ 80 %, 2B ≈ 14 and 2C ≈ 560 per
100,000, 2E 18-64 ≈ 80 %, 3D 1a ≈ 92 %, 2a ≈ 26 %) — so a failure means a measure or the
generator is wrong, not that the council is unusual.
"""

from __future__ import annotations

import csv

from ascof_harness import LA_CASSR, LA_ONS, _invoke

from openasc.synth.population import write_population

RANGES = {
    ("2A", ""): (60, 95),
    ("2B", ""): (3, 60),
    ("2C", ""): (150, 1500),
    ("2E", "age_band=18 to 64"): (40, 99),
    ("2E", "age_band=65 and above"): (20, 95),
    ("2E-LD", "age_band=18 to 64"): (40, 100),
    ("3D", "part=1a"): (60, 100),
    ("3D", "part=2a"): (5, 60),
    ("3D", "part=1b"): (50, 100),
    ("3D", "part=2b"): (20, 100),
}


def test_synthetic_council_gives_plausible_ascof_values(tmp_path):
    """Each headline (or band/part total) has a positive denominator and a value in range;
    2D is not computable without a discharges file."""
    wh = ["--warehouse", str(tmp_path / "wh" / "openasc.duckdb")]
    cld = tmp_path / "synth.csv"
    _invoke(["synth", "cld", "--out", str(cld), "--people", "3000", "--la-code", LA_CASSR,
             "--year", "2024-25", "--seed", "7"])
    _invoke([*wh, "ingest", "cld", str(cld), "--submitted-on", "2025-04-20"])
    pop = tmp_path / "population.csv"
    write_population(pop, 3000, LA_CASSR, [2023, 2024])
    _invoke([*wh, "ingest", "population", str(pop)])
    output = _invoke([*wh, "compute", "--from", "2024-04-01", "--to", "2025-03-31",
                      "--la", LA_CASSR])
    out = tmp_path / "metrics.csv"
    _invoke([*wh, "export", "metrics", "--format", "csv", "--out", str(out)])
    with out.open(newline="") as fh:
        rows = {(r["code"], r["breakdown"]): r for r in csv.DictReader(fh)
                if r["family"] == "ASCOF" and r["la_code"] == LA_ONS}
    problems = []
    for key, (low, high) in RANGES.items():
        row = rows.get(key)
        if row is None:
            problems.append(f"{key}: no row")
            continue
        if not row["denominator"] or float(row["denominator"]) <= 0:
            problems.append(f"{key}: denominator {row['denominator']!r}")
            continue
        value = float(row["value"])
        if not low <= value <= high:
            problems.append(f"{key}: {value:.1f} outside {low}-{high} "
                            f"({row['numerator']}/{row['denominator']})")
    assert not problems, "; ".join(problems)
    assert not any(code == "2D" for code, _ in rows)
    assert "2D" in output
