"""Small-base suppression of survey measures through the one disclosure path
(metrics/disclosure.py): a figure whose margin-of-error row says it rests on fewer than 5
respondents is published as [c] in every column, and so is the other cell of its breakdown,
so that the hidden one cannot be recovered from the headline (the carers' survey rule:
"both genders are suppressed if either has base < 3", ascof.md §5, with openasc's threshold
of 5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openasc.metrics.disclosure import published_rows
from openasc.warehouse import connect

P = (date(2024, 4, 1), date(2025, 3, 31))


def test_small_base_hides_the_cell_and_its_complement(tmp_path: Path) -> None:
    """1B for one council: headline 550 of 1000 weighted (base 16), Male 145 of 385 on a
    base of 3 respondents, Female 405 of 615 on 13. Weighted counts are large, so without
    the base nothing would be hidden. Published: the headline and its margin as computed
    (counts to the nearest 5); Male [c] everywhere, its margin row [c]; Female [c] too
    (secondary: Male = headline - Female otherwise)."""
    con = connect(tmp_path / "w.duckdb")
    rows = [
        ("", 550, 1000, 55.0), ("measure_part=margin_of_error", 16, None, 30.19),
        ("sex=Male", 145, 385, 14500 / 385), ("measure_part=margin_of_error;sex=Male", 3,
                                              None, 20.1),
        ("sex=Female", 405, 615, 40500 / 615),
        ("measure_part=margin_of_error;sex=Female", 13, None, 12.3),
    ]
    con.executemany("INSERT INTO metric_values VALUES ('ASCOF', '1B', 'E10000034', ?, ?, ?, ?, "
                    "?, ?, 'percent', 'r')", [[*P, *r] for r in rows])
    got = {r["breakdown"]: (r["numerator"], r["denominator"], r["value"])
           for r in published_rows(con, "family = 'ASCOF' AND code = '1B'")}
    assert got[""] == (550, 1000, 55)
    assert got["measure_part=margin_of_error"][0] == 15
    assert str(got["measure_part=margin_of_error"][2]) == "30.2"
    assert got["sex=Male"] == ("[c]", "[c]", "[c]")
    assert got["measure_part=margin_of_error;sex=Male"][0] == "[c]"
    assert got["measure_part=margin_of_error;sex=Male"][2] == "[c]"
    assert got["sex=Female"][2] == "[c]"
