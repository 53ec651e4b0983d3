"""ASCOF 2B/2C scenarios, worked through ascof.md §2.2.

Period 2024-04-01 to 2025-03-31; population mid-2024 (the latest mid-year loaded, as DHSC),
persons, 1,000 at every single age 18 to 90 (90 = 90 and over): 18 to 64 is 47 ages →
47,000; 65 and above is 26 ages → 26,000. Unless stated, people are born 1940-06-15 (84 in
2024, band 65 and above) and services use component `Long term residential care` /
`Long term nursing care`.
"""

from __future__ import annotations

import pytest
from ascof_harness import scenario, service

# slow: the module's batch takes over 10 s to build (scripts/test.sh --quick leaves it out)
pytestmark = [pytest.mark.usefixtures("ascof_batch"), pytest.mark.slow]

RES = "Long term support: Residential care"
NUR = "Long term support: Nursing care"
POPULATION = {age: 1000 for age in range(18, 91)} | {age: 500 for age in range(0, 18)}


def res(person: str, start: str, end: str | None = None, **kw: str) -> dict:
    return service(person, RES, start, end, component="Long term residential care", **kw)


def nur(person: str, start: str, end: str | None = None, **kw: str) -> dict:
    return service(person, NUR, start, end, component="Long term nursing care", **kw)


def test_worked_example_earlier_stay_76_days_before_is_existing(tmp_path):
    """ascof.md §2.2 example: Q, 75. Residential R 2023-10-01→2024-02-15; nursing N from
    2024-05-01. N starts in the year; R ended diff(02-15, 05-01) = 76 < 365 days before →
    existing → Q not counted. 2C N/D = 0/26,000; 2B 0/47,000."""
    f = scenario(tmp_path, [
        res("Q", "2023-10-01", "2024-02-15", Date_of_Birth="1949-01-15"),
        nur("Q", "2024-05-01", Date_of_Birth="1949-01-15"),
    ], population=POPULATION)
    assert f.get("2C") == (0, 26000)
    assert f.get("2B") == (0, 47000)


def test_worked_example_earlier_stay_377_days_before_is_new(tmp_path):
    """Q's earlier residential stay ended 2023-04-20: diff to 2024-05-01 = 377 ≥ 365 → N is
    new → Q counted once in 2C (age 75 at admission). 2C = 1 / 26,000 × 100,000 =
    3.846153..."""
    f = scenario(tmp_path, [
        res("Q", "2023-04-01", "2023-04-20", Date_of_Birth="1949-01-15"),
        nur("Q", "2024-05-01", Date_of_Birth="1949-01-15"),
    ], population=POPULATION)
    assert f.get("2C") == (1, 26000)
    assert f.value("2C") == pytest.approx(100000 / 26000)


@pytest.mark.parametrize(("earlier_end", "counted"), [("2023-05-02", 1), ("2023-05-03", 0)])
def test_the_365_day_rule_at_its_boundary(tmp_path, earlier_end, counted):
    """Admission 2024-05-01. Earlier stay ending 2023-05-02: diff = 365, not < 365 → new →
    counted (1). Ending 2023-05-03: diff = 364 < 365 → existing (0)."""
    f = scenario(tmp_path, [
        res("P", "2023-04-05", earlier_end),
        res("P", "2024-05-01"),
    ], population=POPULATION)
    assert f.get("2C") == (counted, 26000)


def test_residential_to_nursing_transfer_counts_once(tmp_path):
    """Residential 2024-04-10→2024-06-30 (no earlier stay → new, counted); nursing from
    2024-07-01: the residential stay started before and ended 1 day before (< 365) →
    existing (a transfer). One person → 2C N = 1."""
    f = scenario(tmp_path, [
        res("P", "2024-04-10", "2024-06-30"),
        nur("P", "2024-07-01"),
    ], population=POPULATION)
    assert f.get("2C") == (1, 26000)


def test_self_funded_admission_is_not_counted_but_is_history(tmp_path):
    """Admission 2024-05-01→2024-06-01 with outcome `NFA: Self-funded client or under 12wk
    disregard` → not an admission (step 2). But it is a candidate service, so a second
    admission 2024-09-01 has an earlier stay ended 92 days before (< 365) → existing.
    2C N = 0. A second person S's only admission is self-funded → 0. Total 0."""
    f = scenario(tmp_path, [
        res("P", "2024-05-01", "2024-06-01",
            Event_Outcome="NFA: Self-funded client or under 12wk disregard"),
        res("P", "2024-09-01"),
        res("S", "2024-05-01", "2024-06-01",
            Event_Outcome="NFA: Self-funded client or under 12wk disregard"),
    ], population=POPULATION)
    assert f.get("2C") == (0, 26000)


def test_age_is_taken_at_the_admission(tmp_path):
    """Born 1959-08-15 → proxy 1959-08-01. Admission 2024-05-01: age floor(23,650 / 365.25)
    = 64 → 2B, although 65 by the period end. 2B N = 1, 2C N = 0;
    2B = 1 / 47,000 × 100,000 = 2.1276..."""
    f = scenario(tmp_path, [res("P", "2024-05-01", Date_of_Birth="1959-08-15")],
                 population=POPULATION)
    assert f.get("2B") == (1, 47000)
    assert f.get("2C") == (0, 26000)
    assert f.value("2B") == pytest.approx(100000 / 47000)


def test_under_18_at_admission_is_excluded(tmp_path):
    """Born 2007-01-15 → 17 on 2024-05-01 → dropped. A 30-year-old (born 1994-01-15) with a
    new admission 2024-05-01 → 2B. 2B N = 1."""
    f = scenario(tmp_path, [
        res("Y", "2024-05-01", Date_of_Birth="2007-01-15"),
        res("A", "2024-05-01", Date_of_Birth="1994-01-15"),
    ], population=POPULATION)
    assert f.get("2B") == (1, 47000)


def test_admission_window_is_the_period_inclusive(tmp_path):
    """Admissions starting 2024-03-31 (the day before the period) → not in the year;
    2024-04-01 and 2025-03-31 (first and last days) → counted. Three people, no history.
    2C N = 2."""
    f = scenario(tmp_path, [
        res("A", "2024-03-31"),
        res("B", "2024-04-01"),
        res("C", "2025-03-31"),
    ], population=POPULATION)
    assert f.get("2C") == (2, 26000)


def test_several_new_admissions_of_one_person_count_once(tmp_path):
    """Two people. P: residential 2024-05-01→2024-05-20 (new) — and that is P's only new
    admission in the year; a later nursing stay 2024-12-01 has the May stay ended 195 days
    before → existing. R: one new admission. Distinct people → 2C N = 2."""
    f = scenario(tmp_path, [
        res("P", "2024-05-01", "2024-05-20"),
        nur("P", "2024-12-01"),
        res("R", "2024-06-01"),
    ], population=POPULATION)
    assert f.get("2C") == (2, 26000)


def test_without_population_2b_and_2c_are_not_computable(tmp_path):
    """No population loaded → the engine lists 2B and 2C as not computable (requires
    population) and writes no row for them; 2A still computes."""
    f = scenario(tmp_path, [res("P", "2024-05-01")])
    assert not f.has("2B") and not f.has("2C")
    assert "ASCOF 2B: not computable for" in f.compute_output
    assert "population has no rows" in f.compute_output
    assert f.has("2A")


def test_the_latest_mid_year_estimate_is_the_denominator_of_every_period(tmp_path):
    """DHSC's 2B/2C procedure reads one mid-year table (its mid-2024 estimates) whatever the
    period, so openasc takes the council's latest mid-year loaded: with mid-2023 at 1,000 and
    mid-2025 at 2,000 at every age, 2024-25 divides by mid-2025: 65 and above = 26 ages x
    2,000 = 52,000 (not mid-2023's 26,000, and no mid-2024 is needed). One new admission:
    2C = 1 / 52,000 x 100,000 = 1.9."""
    population = ({(2023, age): 1000 for age in range(18, 91)}
                  | {(2025, age): 2000 for age in range(18, 91)})
    f = scenario(tmp_path, [res("P", "2024-05-01")], population=population)
    assert f.get("2C") == (1, 52000)
    assert f.value("2C") == pytest.approx(1.9, abs=0.05)
