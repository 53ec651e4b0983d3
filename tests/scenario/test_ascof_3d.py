"""ASCOF 3D scenarios (four parts), worked through ascof.md §2.5.

Period 2024-04-01 to 2025-03-31. Clients are a snapshot on 2025-03-31; carers any time in
the year. Unless stated people are born 1940-06-15 (84 → 65 and above).
"""

from __future__ import annotations

import pytest
from ascof_harness import cld_row, scenario, service

# slow: the module's batch takes over 10 s to build (scripts/test.sh --quick leaves it out)
pytestmark = [pytest.mark.usefixtures("ascof_batch"), pytest.mark.slow]

COMMUNITY = "Long term support: Community"
RES = "Long term support: Residential care"
PRISON = "Long term support: Prison"
TO_CARER = "Unpaid carer support: Direct to unpaid carer"
CARER = {"Client_Type": "Unpaid carer", "Date_of_Birth": "1970-06-15"}


def community(person: str, mechanism: str, component: str = "Home support or domiciliary care",
              start: str = "2024-01-01", end: str | None = None, **kw: str) -> dict:
    return service(person, COMMUNITY, start, end, component=component,
                   Delivery_Mechanism=mechanism, **kw)


def test_example_a_residential_outranks_a_direct_payment(tmp_path):
    """ascof.md §2.5 (a): community direct payment and residential placement both open on
    2025-03-31 → best rank 2 (residential) → not community → not in D. Parts 1a/2a N/D = 0/0."""
    f = scenario(tmp_path, [
        community("P", "Direct payment", component="Direct payment"),
        service("P", RES, "2024-06-01", component="Long term residential care"),
    ])
    assert f.get("3D", "part=1a") == (0, 0)
    assert f.get("3D", "part=2a") == (0, 0)
    assert not f.has("3D", "")


def test_example_b_direct_payment_component_gives_rank_3(tmp_path):
    """(b): community commissioned support (rank 5) plus a row with component `Direct
    payment` (treated as mechanism direct payment → rank 3) → best 3 → D, N(1a), N(2a).
    1a = 1/1, 2a = 1/1; 65+ rows the same; 18-64 rows 0/0."""
    f = scenario(tmp_path, [
        community("P", "CASSR commissioned support"),
        community("P", "CASSR commissioned support", component="Direct payment"),
    ])
    assert f.get("3D", "part=1a") == (1, 1)
    assert f.get("3D", "part=2a") == (1, 1)
    assert f.get("3D", "age_band=65 and above;part=1a") == (1, 1)
    assert f.get("3D", "age_band=18 to 64;part=1a") == (0, 0)


def test_managed_budget_and_commissioned_support(tmp_path):
    """A: managed personal budget → rank 4 → D, N(1a) not N(2a). B: commissioned only →
    rank 5 → D only. 1a = 1/2; 2a = 0/2."""
    f = scenario(tmp_path, [
        community("A", "CASSR managed personal budget"),
        community("B", "CASSR commissioned support"),
    ])
    assert f.get("3D", "part=1a") == (1, 2)
    assert f.get("3D", "part=2a") == (0, 2)


def test_snapshot_is_taken_on_the_period_end(tmp_path):
    """A: direct payment ended 2025-03-30 → not open on 03-31 → out. B: direct payment ended
    2025-03-31 → end ≥ period end → in (rank 3). C: direct payment starting 2025-03-31 → in.
    1a = 2/2."""
    ended = "NFA: Support ended as planned"
    f = scenario(tmp_path, [
        community("A", "Direct payment", end="2025-03-30", Event_Outcome=ended),
        community("B", "Direct payment", end="2025-03-31", Event_Outcome=ended),
        community("C", "Direct payment", start="2025-03-31"),
    ])
    assert f.get("3D", "part=1a") == (2, 2)


def test_prison_direct_payment_is_not_community(tmp_path):
    """A prison LTS with a direct-payment component → rank 9 (blank, includes direct payment)
    → not community → not in D. 1a = 0/0."""
    f = scenario(tmp_path, [
        service("P", PRISON, "2024-01-01", component="Direct payment",
                Delivery_Mechanism="Direct payment"),
    ])
    assert f.get("3D", "part=1a") == (0, 0)


def test_client_age_bands_and_under_18(tmp_path):
    """A: 30 with a direct payment → 18 to 64. B: 17 (born 2007-09-15) with a direct payment
    → dropped. C: 84 commissioned → 65+. 1a: total 1/2; 18-64 1/1; 65+ 0/1."""
    f = scenario(tmp_path, [
        community("A", "Direct payment", Date_of_Birth="1994-06-15"),
        community("B", "Direct payment", Date_of_Birth="2007-09-15"),
        community("C", "CASSR commissioned support"),
    ])
    assert f.get("3D", "part=1a") == (1, 2)
    assert f.get("3D", "age_band=18 to 64;part=1a") == (1, 1)
    assert f.get("3D", "age_band=65 and above;part=1a") == (0, 1)


def test_example_c_carer_with_managed_budget_is_rank_2(tmp_path):
    """(c): carer K (54) with an assessment in May (rank 6) and a direct-to-carer service
    through a managed personal budget, component respite, in August (rank 2) → best 2 →
    D, N(1b), not N(2b). 1b = 1/1; 2b = 0/1; 18-64 1b = 1/1."""
    f = scenario(tmp_path, [
        cld_row("K", Event_Type="Assessment", Event_Start_Date="2024-05-01",
                Event_End_Date="2024-05-01", Assessment_Type="Unpaid carer assessment",
                **CARER),
        service("K", TO_CARER, "2024-08-01", "2024-08-31", component="Unpaid carer respite",
                Delivery_Mechanism="CASSR managed personal budget",
                Event_Outcome="NFA: Support ended as planned", **CARER),
    ])
    assert f.get("3D", "part=1b") == (1, 1)
    assert f.get("3D", "part=2b") == (0, 1)
    assert f.get("3D", "age_band=18 to 64;part=1b") == (1, 1)


def test_example_d_information_only_carer_is_not_counted(tmp_path):
    """(d): carer with only an assessment whose outcome is `NFA: Information and advice or
    signposting` → rank 5 → not in D. Carer J with a direct payment → rank 1 → D, N(1b),
    N(2b). 1b = 1/1; 2b = 1/1."""
    f = scenario(tmp_path, [
        cld_row("I", Event_Type="Assessment", Event_Start_Date="2024-05-01",
                Event_End_Date="2024-05-01", Assessment_Type="Unpaid carer assessment",
                Event_Outcome="NFA: Information and advice or signposting", **CARER),
        service("J", TO_CARER, "2024-08-01", "2024-08-31", component="Unpaid carer respite",
                Delivery_Mechanism="Direct payment",
                Event_Outcome="NFA: Support ended as planned", **CARER),
    ])
    assert f.get("3D", "part=1b") == (1, 1)
    assert f.get("3D", "part=2b") == (1, 1)


def test_carer_commissioned_and_unknown_mechanism(tmp_path):
    """A: direct-to-carer, commissioned support, component respite → rank 3 → D only.
    B: direct-to-carer, no mechanism, component respite → rank 4 (unknown delivery
    mechanism) → excluded from N and D. 1b = 0/1."""
    f = scenario(tmp_path, [
        service("A", TO_CARER, "2024-08-01", "2024-08-31", component="Unpaid carer respite",
                Delivery_Mechanism="CASSR commissioned support",
                Event_Outcome="NFA: Support ended as planned", **CARER),
        service("B", TO_CARER, "2024-08-01", "2024-08-31", component="Unpaid carer respite",
                Delivery_Mechanism=None, Event_Outcome="NFA: Support ended as planned",
                **CARER),
    ])
    assert f.get("3D", "part=1b") == (0, 1)


def test_carer_support_outside_the_year_is_not_counted(tmp_path):
    """Carer support with a direct payment 2024-01-01→2024-03-31 ends before the period →
    not overlapping → not counted; another carer's ending 2024-04-01 → counted (rank 1).
    2b = 1/1."""
    f = scenario(tmp_path, [
        service("A", TO_CARER, "2024-01-01", "2024-03-31", component="Unpaid carer respite",
                Delivery_Mechanism="Direct payment",
                Event_Outcome="NFA: Support ended as planned", **CARER),
        service("B", TO_CARER, "2024-01-01", "2024-04-01", component="Unpaid carer respite",
                Delivery_Mechanism="Direct payment",
                Event_Outcome="NFA: Support ended as planned", **CARER),
    ])
    assert f.get("3D", "part=2b") == (1, 1)


def test_community_support_with_no_mechanism_is_counted_as_unknown(tmp_path):
    """DHSC's 3D unknowns (3D-UNKNOWN). A: community support, no delivery mechanism, home
    support → rank 6 → unknown (in parts 1a/2a's denominators). B: no mechanism but the
    component `Direct payment` → rank 3, not unknown. C: managed personal budget.
    3D-UNKNOWN = 1; part 1a = 2/3 (B, C), 2a = 1/3 (B)."""
    f = scenario(tmp_path, [
        community("A", None),
        community("B", None, component="Direct payment"),
        community("C", "CASSR managed personal budget"),
    ])
    assert f.get("3D-UNKNOWN") == (1, None)
    assert f.get("3D", "part=1a") == (2, 3)
    assert f.get("3D", "part=2a") == (1, 3)
