"""ASCOF 2A scenarios, the sequel (ascof.md §2.1 step 4, in its order): death, hospital,
services in the sequel window, concluding outcomes, nested events and equipment.

Period 2024-04-01 to 2025-03-31 throughout. Unless a test says otherwise the person was born
1940-06-15 (cldfile default; proxy birth 1940-06-01, so 84 at any 2024 cluster end: band
65 and above), has no death date and no other events. "N/D" is numerator/denominator of
the headline row (all ages).
"""

from __future__ import annotations

import pytest
from ascof_harness import cld_row, scenario, service

# slow: the module's batch takes over 10 s to build (scripts/test.sh --quick leaves it out)
pytestmark = [pytest.mark.usefixtures("ascof_batch"), pytest.mark.slow]

ST = "Short term support: ST-Max"
COMMUNITY = "Long term support: Community"
ENDED = "NFA: Support ended as planned"
PLANNING = "Progress to support planning or services"


def stmax(person: str, start: str, end: str | None, outcome: str, **fields: str) -> dict:
    return service(person, ST, start, end, component="Reablement", outcome=outcome, **fields)


def test_death_within_seven_days_of_the_end_is_deceased(tmp_path):
    """Worked example B variant: cluster 09-01→09-28; death 2024-10-03 = end + 5 → step 1
    `NFA: Deceased` → excluded from N and D, although the outcome was ended as planned.
    N/D = 0/0."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", ENDED, Date_of_Death="2024-10-03"),
    ])
    assert f.get("2A") == (0, 0)


def test_death_eight_days_after_the_end_is_not_the_sequel(tmp_path):
    """Death 2024-10-06 = end + 8 > 7 → not step 1; no candidates; ended as planned (usable)
    → N and D. N/D = 1/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", ENDED, Date_of_Death="2024-10-06"),
    ])
    assert f.get("2A") == (1, 1)


def test_admitted_to_hospital_comes_before_a_service_sequel(tmp_path):
    """Cluster outcome `Admitted to hospital`; a community LTS starts 2 days after the end.
    Step 2 (hospital) is decided before step 3 (services) → `Admitted to hospital` →
    excluded. N/D = 0/0."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", "Admitted to hospital"),
        service("P", COMMUNITY, "2024-09-30"),
    ])
    assert f.get("2A") == (0, 0)


def test_best_ranked_service_sequel_wins(tmp_path):
    """Two candidate services: `Short term support: Ongoing low level` (rank 6) from 09-29
    and `Short term support: Other short term` (rank 7) from 09-30, both running after the
    end 09-28 → rank 6 → ongoing low level → N and D. N/D = 1/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", PLANNING),
        service("P", "Short term support: Ongoing low level", "2024-09-29", "2024-11-01",
                component="Equipment", outcome=ENDED),
        service("P", "Short term support: Other short term", "2024-09-30", "2024-10-20",
                component="Other short term support", outcome=ENDED),
    ])
    assert f.get("2A") == (1, 1)


def test_other_short_term_residential_becomes_residential_or_nursing_care(tmp_path):
    """Candidate `Short term support: Other short term` with component `Short term
    residential care` → final outcome `Short term support: Residential or Nursing care` →
    D only. N/D = 0/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", ENDED),
        service("P", "Short term support: Other short term", "2024-09-29", "2024-10-20",
                component="Short term residential care", outcome=ENDED),
    ])
    assert f.get("2A") == (0, 1)


def test_qualifying_request_gives_the_concluding_outcome(tmp_path):
    """Cluster outcome `Continuation of support or services` (unusable). A request
    2024-10-01 (start ≤ end + 7, end 10-01 > 09-28) with outcome `NFA: Information and
    advice or signposting` (rank 10, usable) → qualifying → 4b → I&A → N and D. 4a enters
    too (there is a qualifying candidate) but its rank 105 loses. N/D = 1/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", "Continuation of support or services"),
        cld_row("P", Event_Type="Request", Event_Start_Date="2024-10-01",
                Event_End_Date="2024-10-01",
                Event_Outcome="NFA: Information and advice or signposting"),
    ])
    assert f.get("2A") == (1, 1)


def test_candidate_ended_as_planned_does_not_qualify(tmp_path):
    """Cluster outcome `Continuation of support or services` (unusable). The only candidate
    is a review 10-01→10-02 with outcome `NFA: Support ended as planned`: not qualifying.
    There is a candidate, so 4a does not enter on the 'no candidates' rule, and none
    qualifies; no nested events; no equipment → step 6 → Continuation → unable to
    classify → N/D = 0/0."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", "Continuation of support or services"),
        cld_row("P", Event_Type="Review", Event_Start_Date="2024-10-01",
                Event_End_Date="2024-10-02", Event_Outcome=ENDED),
    ])
    assert f.get("2A") == (0, 0)


def test_lower_ranked_concluding_outcome_wins(tmp_path):
    """Cluster outcome `NFA: Self-funded client or under 12wk disregard` (rank 9, usable);
    qualifying request 10-01 with `NFA: Information and advice or signposting` (rank 10).
    Lowest rank: 9 (4a) → self-funded → excluded. N/D = 0/0. If the ranks were the other
    way round (next test) the request would win."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28",
              "NFA: Self-funded client or under 12wk disregard"),
        cld_row("P", Event_Type="Request", Event_Start_Date="2024-10-01",
                Event_End_Date="2024-10-01",
                Event_Outcome="NFA: Information and advice or signposting"),
    ])
    assert f.get("2A") == (0, 0)


def test_candidate_outranks_a_declined_cluster_outcome(tmp_path):
    """Cluster outcome `NFA: Support declined` (rank 12); qualifying request with I&A
    (rank 10) → 4b wins → I&A → N and D. N/D = 1/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", "NFA: Support declined"),
        cld_row("P", Event_Type="Request", Event_Start_Date="2024-10-01",
                Event_End_Date="2024-10-01",
                Event_Outcome="NFA: Information and advice or signposting"),
    ])
    assert f.get("2A") == (1, 1)


def test_nested_review_ending_eight_days_before_the_end_gives_its_outcome(tmp_path):
    """Worked example B variant: cluster 09-01→09-28, outcome Continuation (unusable), no
    candidates. Review 09-10→09-20 (start ≥ 09-01, end > 09-01, end ≤ 09-28, diff(09-20,
    09-28) = 8 < 14) with I&A → 4c → I&A → N and D. N/D = 1/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", "Continuation of support or services"),
        cld_row("P", Event_Type="Review", Event_Start_Date="2024-09-10",
                Event_End_Date="2024-09-20",
                Event_Outcome="NFA: Information and advice or signposting"),
    ])
    assert f.get("2A") == (1, 1)


def test_nested_review_ending_fourteen_days_before_the_end_is_ignored(tmp_path):
    """Review ends 09-14: diff(09-14, 09-28) = 14, not < 14 → not a 4c candidate → step 6
    → Continuation → unable to classify. N/D = 0/0."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", "Continuation of support or services"),
        cld_row("P", Event_Type="Review", Event_Start_Date="2024-09-10",
                Event_End_Date="2024-09-14",
                Event_Outcome="NFA: Information and advice or signposting"),
    ])
    assert f.get("2A") == (0, 0)


def test_equipment_during_reablement_is_ongoing_low_level(tmp_path):
    """Worked example B: cluster 09-01→09-28, Continuation (unusable), nothing after it;
    nested `Short term support: Other short term` with component `Equipment` 09-02→09-03
    → step 5 → `Short term support: Ongoing low level` → N and D. N/D = 1/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-09-01", "2024-09-28", "Continuation of support or services"),
        service("P", "Short term support: Other short term", "2024-09-02", "2024-09-03",
                component="Equipment", outcome=ENDED),
    ])
    assert f.get("2A") == (1, 1)
