"""The national ASCOF file's survey rows are comparator figures: legacy codes (2016-17 to
2022-23: 1J, 1I(2), 3D(2), 3C) and current ones (1C, 3B, 3C, 5B) become the current codes,
with their margins of error (ascof.md §4.1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from openasc.compare.comparators import import_comparators
from openasc.warehouse import connect

HEADER = ("Geographical Code,Geographical Description,Geographical Level,ONS Code,"
          "Measure Group,Measure Group Description,Disaggregation Level,Measure Type,"
          "Measure Value\n")


@pytest.mark.parametrize(("year", "groups"), [
    ("2019-20", {"1J": "1C", "1I2": "5B", "3D2": "3B", "3C": "3C"}),
    ("2024-25", {"1C": "1C", "5B": "5B", "3B": "3B", "3C": "3C"}),
])
def test_survey_rows_map_to_current_codes(tmp_path: Path, year: str,
                                          groups: dict[str, str]) -> None:
    f = tmp_path / "ascof.csv"
    f.write_text(HEADER + "".join(
        f"304,Bolton,Council,E08000001,{g},x,Total,{t},{v}\n"
        for g in groups for t, v in (("Outcome", 41.5), ("Margin of Error", 3.2))))
    con = connect(tmp_path / "w.duckdb")
    r = import_comparators(con, f, year=year)
    assert (r.rows_in, r.loaded) == (8, 8)
    got = dict(con.execute("SELECT code, margin_of_error FROM comparator_values "
                           "WHERE value = 41.5").fetchall())
    assert got == {code: 3.2 for code in groups.values()}
