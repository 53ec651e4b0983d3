"""ASCOF 2E (and 2E-LD) scenarios, worked through ascof.md §2.4.

Period 2024-04-01 to 2025-03-31. Rows are per age band and sex; there is no all-age row.
Unless stated: born 1940-06-15 (84 → 65 and above), female, primary support reason
physical support, one long-term community service (home support) open from 2024-01-01.
"""

from __future__ import annotations

import pytest
from ascof_harness import scenario, service

# slow: the module's batch takes over 10 s to build (scripts/test.sh --quick leaves it out)
pytestmark = [pytest.mark.usefixtures("ascof_batch"), pytest.mark.slow]

COMMUNITY = "Long term support: Community"
RES = "Long term support: Residential care"
OLD = "age_band=65 and above"
YOUNG = "age_band=18 to 64"


def test_worked_example_unknown_status_home_support_is_presumed_at_home(tmp_path):
    """ascof.md §2.4 example: 70-year-old (born 1954-06-15 → 70 at 2025-03-31), community
    LTS open all year, latest known status `Unknown`. Latest service: community, component
    home support → `Unknown: Presumed at home` → settled → N and D (65 and above).
    65+ N/D = 1/1; no headline row."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", component="Home support or domiciliary care",
                Accommodation_Status="Unknown", Date_of_Birth="1954-06-15"),
    ])
    assert f.get("2E", OLD) == (1, 1)
    assert f.get("2E", OLD + ";sex=Female") == (1, 1)
    assert f.get("2E", OLD + ";sex=Male") == (0, 0)
    assert not f.has("2E", "")


def test_latest_service_residential_derives_registered_care_home(tmp_path):
    """Status `Unknown`; community home support 2024-01-01→2024-06-30, then residential from
    2024-07-01 (open). Latest service (open first) = residential → `Registered care home`
    → not settled → D only. 65+ N/D = 0/1."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", "2024-06-30",
                component="Home support or domiciliary care", Accommodation_Status="Unknown",
                Event_Outcome="NFA: Support ended as planned"),
        service("P", RES, "2024-07-01", component="Long term residential care",
                Accommodation_Status="Unknown"),
    ])
    assert f.get("2E", OLD) == (0, 1)


def test_known_status_is_used_before_any_derivation(tmp_path):
    """A: status `Tenant: Private landlord` (settled) → N and D. B: status `Registered care
    home` (not settled) with community home support → the known status wins → D only.
    65+ N/D = 1/2."""
    f = scenario(tmp_path, [
        service("A", COMMUNITY, "2024-01-01", Accommodation_Status="Tenant: Private landlord"),
        service("B", COMMUNITY, "2024-01-01", Accommodation_Status="Registered care home"),
    ])
    assert f.get("2E", OLD) == (1, 2)


def test_community_without_a_mappable_component_is_presumed_in_community(tmp_path):
    """Status `Unknown`; community LTS, component `Day support` (not mappable) → `Unknown:
    Presumed in community` → not settled → D only. 65+ N/D = 0/1."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", component="Day support",
                Accommodation_Status="Unknown"),
    ])
    assert f.get("2E", OLD) == (0, 1)


def test_shared_lives_component_is_settled(tmp_path):
    """Status `Unknown`; community LTS, component `Shared Lives` → `Shared Lives scheme` →
    settled → N and D. 65+ N/D = 1/1."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", component="Shared Lives",
                Accommodation_Status="Unknown"),
    ])
    assert f.get("2E", OLD) == (1, 1)


def test_two_tied_latest_components_leave_no_single_component(tmp_path):
    """Status `Unknown`; two community services both open from 2024-01-01, components home
    support and Shared Lives: tied on end, type rank, mappability and start → both rank 1.
    One distinct type (community) but two distinct mappable components → no component →
    `Unknown: Presumed in community` → D only. 65+ N/D = 0/1."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", component="Home support or domiciliary care",
                Accommodation_Status="Unknown"),
        service("P", COMMUNITY, "2024-01-01", component="Shared Lives",
                Accommodation_Status="Unknown"),
    ])
    assert f.get("2E", OLD) == (0, 1)


def test_bands_and_sex_rows(tmp_path):
    """M: male, 30 (born 1994-06-15), settled (owner occupier). W: female, 40 (born
    1984-06-15), `Registered care home` with a residential service. O: female, 84, settled.
    18 to 64: N/D = 1/2; male 1/1; female 0/1. 65+: 1/1 (female 1/1, male 0/0)."""
    f = scenario(tmp_path, [
        service("M", COMMUNITY, "2024-01-01", Gender="Male", Date_of_Birth="1994-06-15"),
        service("W", RES, "2024-01-01", component="Long term residential care",
                Accommodation_Status="Registered care home", Date_of_Birth="1984-06-15"),
        service("O", COMMUNITY, "2024-01-01"),
    ])
    assert f.get("2E", YOUNG) == (1, 2)
    assert f.get("2E", YOUNG + ";sex=Male") == (1, 1)
    assert f.get("2E", YOUNG + ";sex=Female") == (0, 1)
    assert f.get("2E", OLD) == (1, 1)
    assert f.get("2E", OLD + ";sex=Male") == (0, 0)


def test_cohort_is_long_term_support_overlapping_the_period(tmp_path):
    """A: LTS 2023-06-01→2024-03-31 (ended the day before the period) → not in the cohort.
    B: LTS 2023-06-01→2024-04-01 (ends on the first day) → in. C: LTS from 2025-03-31 (the
    last day) → in. All settled, 65+. N/D = 2/2."""
    ended = "NFA: Support ended as planned"
    f = scenario(tmp_path, [
        service("A", COMMUNITY, "2023-06-01", "2024-03-31", outcome=ended),
        service("B", COMMUNITY, "2023-06-01", "2024-04-01", outcome=ended),
        service("C", COMMUNITY, "2025-03-31"),
    ])
    assert f.get("2E", OLD) == (2, 2)


def test_age_is_taken_at_the_latest_service_end(tmp_path):
    """Born 1959-08-15 → proxy 1959-08-01. Only LTS ended 2024-06-30 → age at 06-30 = 64
    → 18 to 64 (at the period end the person would be 65). 18-64 N/D = 1/1; 65+ 0/0."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", "2024-06-30", Date_of_Birth="1959-08-15",
                outcome="NFA: Support ended as planned"),
    ])
    assert f.get("2E", YOUNG) == (1, 1)
    assert f.get("2E", OLD) == (0, 0)


def test_learning_disability_variant(tmp_path):
    """L: 30, primary support reason `Learning disability support`, settled → 2E-LD N and D.
    K: 30, learning disability, `Registered care home` → 2E-LD D only. E: 70 with learning
    disability → not in 2E-LD (18 to 64 only) but in 2E 65+. X: 30, physical support → 2E
    only. 2E-LD 18-64 N/D = 1/2; 2E 18-64 = 2/3; 2E 65+ = 1/1."""
    ld = "Learning disability support"
    f = scenario(tmp_path, [
        service("L", COMMUNITY, "2024-01-01", Primary_Support_Reason=ld,
                Date_of_Birth="1994-06-15"),
        service("K", RES, "2024-01-01", component="Long term residential care",
                Primary_Support_Reason=ld, Accommodation_Status="Registered care home",
                Date_of_Birth="1994-06-15"),
        service("E", COMMUNITY, "2024-01-01", Primary_Support_Reason=ld,
                Date_of_Birth="1954-06-15"),
        service("X", COMMUNITY, "2024-01-01", Date_of_Birth="1994-06-15"),
    ])
    assert f.get("2E-LD", YOUNG) == (1, 2)
    assert f.get("2E", YOUNG) == (2, 3)
    assert f.get("2E", OLD) == (1, 1)
    assert not f.has("2E-LD", OLD)


def test_unknown_accommodation_is_counted_beside_2e(tmp_path):
    """DHSC's 2E unknowns (2E-UNKNOWN). A: `Unknown` with home support → presumed at home
    (unknown, though settled). B: `Unknown` with day support → presumed in community. C:
    `Tenant: Private landlord` (known). D: `Unknown`, latest service residential → derived
    `Registered care home` (known). 2E-UNKNOWN = 2 (A, B); 2E 65+ = 2/4 (A, C settled)."""
    f = scenario(tmp_path, [
        service("A", COMMUNITY, "2024-01-01", component="Home support or domiciliary care",
                Accommodation_Status="Unknown"),
        service("B", COMMUNITY, "2024-01-01", component="Day support",
                Accommodation_Status="Unknown"),
        service("C", COMMUNITY, "2024-01-01", Accommodation_Status="Tenant: Private landlord"),
        service("D", RES, "2024-07-01", component="Long term residential care",
                Accommodation_Status="Unknown"),
    ])
    assert f.get("2E-UNKNOWN") == (2, None)
    assert f.get("2E", OLD) == (2, 4)
