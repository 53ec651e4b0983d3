"""DHSC: the event counts of DHSC's dashboard pages (2.Services_fact.sql -
5.Reviews_fact.sql) over the single-submission table (event_table.py), period 2024-25.

Person L has long-term community support from 1 December 2022, still open; person N has
none. Everyone is 70 unless stated (band `65 to 74`).
"""

from __future__ import annotations

from typing import Any

import pytest
from event_table import event, run

COMMUNITY = "Long term support: Community"
LTS = event("L", "Service", "2022-12-01", None, service_type=COMMUNITY,
            service_component="Home support or domiciliary care",
            delivery_mechanism="CASSR commissioned support")


def counts(*rows: dict[str, Any]) -> dict[tuple[str, str], float | None]:
    got = run("dhsc_events.sql", list(rows), table="cld_events_single")
    return {k: n for k, (n, _) in got.items()}


def test_completed_events_count_when_they_end_in_the_period() -> None:
    """Requests, assessments and reviews count in the period they end in: N's request of
    30 March - 2 April 2025 is outside 2024-25; 30 March 2024 - 2 April 2024 is inside.
    There are no assessments or reviews: their headlines are 0."""
    got = counts(event("N", "Request", "2025-03-30", "2025-04-02"),
                 event("N", "Request", "2024-03-30", "2024-04-02"))
    assert got[("DHSC-REQ-1", "")] == 1
    # a page with no events says 0, not nothing
    assert got[("DHSC-ASM-1", "")] == 0 and got[("DHSC-REV-1", "")] == 0


def test_services_count_when_active_in_the_period() -> None:
    """L's open service (from 2022) counts; N's service ended 31 March 2024 does not; one
    starting 31 March 2025 does. The open one's outcome row reads `Open at the period end`;
    a service that ended in the period shows its outcome."""
    got = counts(LTS,
                 event("N", "Service", "2023-01-01", "2024-03-31", service_type=COMMUNITY),
                 event("N", "Service", "2025-03-31", None, service_type=COMMUNITY),
                 event("M", "Service", "2024-05-01", "2024-06-01", service_type=COMMUNITY,
                       event_outcome="NFA: Support ended as planned"))
    assert got[("DHSC-SRV-1", "")] == 3
    assert got[("DHSC-SRV-1", "outcome=Open at the period end")] == 2
    assert got[("DHSC-SRV-1", "outcome=NFA: Support ended as planned")] == 1
    assert got[("DHSC-SRV-1", "mechanism=CASSR commissioned support")] == 1
    assert got[("DHSC-SRV-1", "mechanism=Unknown")] == 2


@pytest.mark.parametrize(("person", "start", "in_lts"), [
    ("L", "2024-06-01", "Yes"),   # while the long-term service is open
    ("L", "2022-12-01", "Yes"),   # the day it starts
    ("L", "2022-11-30", "No"),    # the day before (ending in the period: a long assessment)
    ("N", "2024-06-01", "No"),    # a person with no long-term service
])
def test_already_in_long_term_support_when_the_event_started(person: str, start: str,
                                                             in_lts: str) -> None:
    """DHSC's LTS flag: the assessment started on or after a long-term service's start and
    on or before its end (or it is open). Each assessment ends 1 July 2024."""
    got = counts(LTS, event(person, "Assessment", start, "2024-07-01",
                            assessment_type="Long term assessment"))
    assert got[("DHSC-ASM-1", f"in_lts={in_lts}")] == 1


def test_assessment_breakdowns() -> None:
    """Two assessments of N: long-term, eligible needs, progress to support planning; and a
    short-term conversation closed with information and advice, eligibility blank. By type
    1 + 1; eligible needs Yes 1, Unknown 1; conversation Yes 1, No 1; outcome group NFA 1
    and the other outcome as itself."""
    got = counts(
        event("N", "Assessment", "2024-05-01", "2024-05-10",
              assessment_type="Long term assessment", eligible_needs_identified="Yes",
              event_outcome="Progress to support planning or services"),
        event("N", "Assessment", "2024-06-01", "2024-06-01",
              assessment_type="Short term assessment", is_conversation=True,
              event_outcome="NFA: Information and advice or signposting"))
    assert got[("DHSC-ASM-1", "")] == 2
    assert got[("DHSC-ASM-1", "eligible_needs=Yes")] == 1
    assert got[("DHSC-ASM-1", "eligible_needs=Unknown")] == 1
    assert got[("DHSC-ASM-1", "conversation=Yes")] == 1
    assert got[("DHSC-ASM-1", "outcome_group=NFA")] == 1
    assert got[("DHSC-ASM-1", "outcome_group=Progress to support planning or services")] == 1
    assert got[("DHSC-ASM-1", "age_band=65 to 74")] == 2
    assert got[("DHSC-ASM-1", "working_age_band=65 and above")] == 2


def test_reviews_planned_and_unplanned() -> None:
    """L's planned review, unplanned (hospital) review and a review of short-term support:
    review types `Planned review of long term support`, `Unplanned`, `Review of short term
    support`, one each; all three while in long-term support."""
    got = counts(LTS,
                 event("L", "Review", "2024-05-01", "2024-05-01", review_reason="Planned"),
                 event("L", "Review", "2024-08-01", "2024-08-02",
                       review_reason="Unplanned: Hospital"),
                 event("L", "Review", "2024-09-01", "2024-09-01",
                       review_reason="Review of short term support",
                       review_outcomes_achieved="Fully met"))
    assert got[("DHSC-REV-1", "")] == 3
    for kind in ("Planned review of long term support", "Unplanned",
                 "Review of short term support"):
        assert got[("DHSC-REV-1", f"review_type={kind}")] == 1
    assert got[("DHSC-REV-1", "in_lts=Yes")] == 3
    assert got[("DHSC-REV-1", "outcomes_achieved=Fully met")] == 1


def test_short_term_support_other_than_st_max() -> None:
    """ST-Max, ongoing low level and other short term, one each: DHSC-SRV-2 counts the two
    that are not ST-Max; carers' and service users' alike."""
    got = counts(*(event("N", "Service", "2024-05-01", "2024-06-01", service_type=t,
                         client_type=c)
                   for t, c in (("Short term support: ST-Max", "Service user"),
                                ("Short term support: Ongoing low level", "Service user"),
                                ("Short term support: Other short term", "Unpaid carer"))))
    assert got[("DHSC-SRV-2", "")] == 2
    assert got[("DHSC-SRV-2", "client_type=Unpaid carer")] == 1
    assert got[("DHSC-SRV-1", "service_group=Short term support")] == 3
