"""The ASCOF harness's own arithmetic (tests/scenario/ascof_harness.py)."""

from __future__ import annotations

from ascof_harness import dob_for_age


def test_dob_for_age_gives_the_age_by_the_proxy_rule() -> None:
    """dob_for_age(70) on 2025-03-31 = 1954-09-15 → proxy birth date 1954-09-01 →
    25,778 days / 365.25 = 70.6 → age 70; likewise 64 → 1960-09-15 → 64.6 → 64."""
    from datetime import date

    assert dob_for_age(70) == "1954-09-15"
    for age in (17, 18, 64, 65, 70, 95):
        proxy = date.fromisoformat(dob_for_age(age)).replace(day=1)
        assert int((date(2025, 3, 31) - proxy).days // 365.25) == age
