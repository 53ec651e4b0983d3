"""The disclosure rules (docs/disclosure.md) on small hand-made breakdowns.

Each case is worked by hand from the rules, not from the module: counts to the nearest 5
(halves up); a count under 5 is [c] (zero too for SAC); a count of 1-4 in a breakdown
is [c] and so are the smallest other cells of its breakdown, at least one and until the
hidden cells add up to 10 or more, while a zero hidden by SAC's zero rule hides only itself
(no person stands behind it, so there is nothing to recover); a percentage from the published
counts; a percentage whose complement (denominator − numerator) is 1-4 is [c].
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openasc.metrics.disclosure import published_rows, rule_for
from openasc.warehouse import connect

LA = "E10000034"
ROWS = [
    # family, code, breakdown, numerator, denominator, value, unit
    # 2A: 37 of 38 -> 35, 40; the complement 1 would tell the one person apart -> [c]
    ("ASCOF", "2A", "", 37, 38, 37 / 38 * 100, "percent"),
    # 2A by age: 20 of 30 and 17 of 25, neither small -> shown, values from
    # the published counts: 20/30 -> 20, 30 -> 66.7; 17/25 -> 15, 25 -> 60.0
    ("ASCOF", "2A", "age_band=18 to 64", 20, 30, 20 / 30 * 100, "percent"),
    ("ASCOF", "2A", "age_band=65 and above", 17, 25, 17 / 25 * 100, "percent"),
    # SG1b by sex: 0 women (SAC suppresses zero) -> [c] for women only; 12 men -> 10 is
    # shown beside the headline 12 -> 10: "total - men" tells only that there were no
    # women, which discloses nobody
    ("SAC", "SG1b", "", 12, None, 12, "count"),
    ("SAC", "SG1b", "sex=Female", 0, None, 0, "count"),
    ("SAC", "SG1b", "sex=Male", 12, None, 12, "count"),
    # SG1a by age: 3 people aged 65-74 -> [c], and so every band of the breakdown (else
    # 3 = 15 - 12 would be recovered); 0 aged 18-64 -> [c] as well
    ("SAC", "SG1a", "", 15, None, 15, "count"),
    ("SAC", "SG1a", "age_band=18-64", 0, None, 0, "count"),
    ("SAC", "SG1a", "age_band=65-74", 3, None, 3, "count"),
    ("SAC", "SG1a", "age_band=75-84", 12, None, 12, "count"),
    # STS001 by what followed: 3 deceased -> [c]; the smallest other cell (26) is hidden with
    # it (3 + 26 = 29 >= 10), so total - shown cells gives only 29 give or take the rounding
    # of five printed counts; 400 -> 400 and 512 -> 510 are shown
    ("SALT", "STS001", "", 941, None, 941, "count"),
    ("SALT", "STS001", "what_next=Deceased", 3, None, 3, "count"),
    ("SALT", "STS001", "what_next=Ongoing low level", 26, None, 26, "count"),
    ("SALT", "STS001", "what_next=Long term", 400, None, 400, "count"),
    ("SALT", "STS001", "what_next=Universal", 512, None, 512, "count"),
    # STS001 by age: 1 and 1 -> [c] (sum 2); the next smallest, 5, is hidden too (at least
    # one other), and still 2 + 5 < 10, so 300 is hidden as well: printed, "5" beside a
    # total of 5 and two cells of 1-4 would pin both (7 = 5 + 1 + 1)
    ("SALT", "STS001", "age_band=18 to 64", 1, None, 1, "count"),
    ("SALT", "STS001", "age_band=65 to 74", 1, None, 1, "count"),
    ("SALT", "STS001", "age_band=75 to 84", 5, None, 5, "count"),
    ("SALT", "STS001", "age_band=85 and above", 300, None, 300, "count"),
    # the same shape for a CLD measure: zero is shown, nothing is small -> 0, 10, 10
    ("SALT", "STS002b", "", 12, None, 12, "count"),
    ("SALT", "STS002b", "age_band=18 to 64", 0, None, 0, "count"),
    ("SALT", "STS002b", "age_band=65 and above", 12, None, 12, "count"),
]


def _published(tmp_path: Path) -> dict[tuple[str, str, str], tuple]:
    con = connect(tmp_path / "wh.duckdb")
    con.executemany("INSERT INTO metric_values VALUES (?, ?, ?, DATE '2024-04-01', "
                    "DATE '2025-03-31', ?, ?, ?, ?, ?, 'run-1')",
                    [(f, c, LA, b, n, d, v, u) for f, c, b, n, d, v, u in ROWS])
    rows = published_rows(con)
    con.close()
    return {(r["family"], r["code"], r["breakdown"]): (r["numerator"], r["denominator"],
                                                        r["value"]) for r in rows}


def test_complement_of_one_to_four_is_suppressed(tmp_path: Path) -> None:
    got = _published(tmp_path)
    assert got[("ASCOF", "2A", "")] == (35, 40, "[c]")
    assert got[("ASCOF", "2A", "age_band=18 to 64")] == (20, 30, Decimal("66.7"))
    assert got[("ASCOF", "2A", "age_band=65 and above")] == (15, 25, Decimal("60.0"))


def test_a_small_count_hides_its_breakdown_and_a_zero_only_itself(tmp_path: Path) -> None:
    got = _published(tmp_path)
    assert got[("SAC", "SG1b", "")] == (10, None, Decimal(10))
    assert got[("SAC", "SG1b", "sex=Female")] == ("[c]", None, "[c]")
    assert got[("SAC", "SG1b", "sex=Male")] == (10, None, Decimal(10))
    assert got[("SAC", "SG1a", "")] == (15, None, Decimal(15))
    for band in ("18-64", "65-74", "75-84"):
        assert got[("SAC", "SG1a", f"age_band={band}")] == ("[c]", None, "[c]")


def test_secondary_suppression_hides_the_smallest_cells_until_ten(tmp_path: Path) -> None:
    got = _published(tmp_path)
    assert got[("SALT", "STS001", "")] == (940, None, Decimal(940))
    assert got[("SALT", "STS001", "what_next=Deceased")] == ("[c]", None, "[c]")
    assert got[("SALT", "STS001", "what_next=Ongoing low level")] == ("[c]", None, "[c]")
    assert got[("SALT", "STS001", "what_next=Long term")] == (400, None, Decimal(400))
    assert got[("SALT", "STS001", "what_next=Universal")] == (510, None, Decimal(510))
    for band in ("18 to 64", "65 to 74", "75 to 84", "85 and above"):
        assert got[("SALT", "STS001", f"age_band={band}")] == ("[c]", None, "[c]")
    assert got[("SALT", "STS002b", "age_band=18 to 64")] == (0, None, Decimal(0))
    assert got[("SALT", "STS002b", "age_band=65 and above")] == (10, None, Decimal(10))


def test_rules_are_data_per_family_and_measure() -> None:
    """disclosure.yaml: SAC and DoLS suppress zeros and print whole numbers; ASCOF keeps
    the measure's precision (2D: 2 decimals, the catalogue's)."""
    assert rule_for("SAC", "S42")["suppress_zero"] and rule_for("SAC", "S42")["decimals"] == 0
    assert rule_for("DOLS")["suppress_zero"]
    assert not rule_for("ASCOF", "2D")["suppress_zero"]
    assert rule_for("ASCOF", "2D")["decimals"] == 2
    assert rule_for("ASCOF", "2A")["rounding_base"] == 5
