"""The synthetic population names each mid-year's council as ONS's file for that year does."""

from __future__ import annotations

import csv
from pathlib import Path

from openasc.synth.population import write_population


def _codes_by_year(path: Path) -> dict[str, set[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        out: dict[str, set[str]] = {}
        for row in csv.DictReader(fh):
            out.setdefault(row["year"], set()).add(row["la_code"])
        return out


def test_a_recoded_council_s_mid_years_carry_the_code_of_their_day(tmp_path: Path) -> None:
    """Barnsley (NHS council code 204) was E08000016 until 31 March 2025 and is E08000038
    from 1 April 2025 (councils.csv). Asked for by its current code, its mid-2024 rows
    (30 June 2024) are E08000016 and its mid-2025 rows (30 June 2025) E08000038; a council
    never re-coded (Worcestershire, E10000034) keeps its code every year. Before this, every
    year was written as E08000038, so the national benchmark's 2024-25 CLD (loaded as
    E08000016) found no population and ASCOF 2B/2C were not computable for Barnsley."""
    barnsley = tmp_path / "barnsley.csv"
    rows = write_population(barnsley, people=100, la_code="E08000038", years=[2024, 2025])
    assert rows == 2 * 3 * 91  # two years, persons/male/female, ages 0..90
    assert _codes_by_year(barnsley) == {"2024": {"E08000016"}, "2025": {"E08000038"}}
    worcs = tmp_path / "worcs.csv"
    write_population(worcs, people=100, la_code="416", years=[2023, 2024])
    assert _codes_by_year(worcs) == {"2023": {"E10000034"}, "2024": {"E10000034"}}
