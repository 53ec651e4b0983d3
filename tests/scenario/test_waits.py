# ruff: noqa: E501 - events spell the CLD values in full, one event per line
"""WAITS: DHSC's waiting times method (Waiting_times/waiting_times_method.sql, v1.1), one
rule at a time, each on one person (event_table.py), period 2024-25 unless stated.

The person of `base()` is 70 at every event (band `65 and above`):
request 1 May 2024 (progress to assessment) -> long-term assessment 11 May 2024 (progress to
support planning) -> long-term community service 10 June 2024. Stage 2.1 orders the chain
request (1), assessment (2), service (3). The first response is the assessment: 1 May -> 11
May = 10 days (W1); the first service: 1 May -> 10 June = 30 + 10 = 40 days (W2). Both end
in April-June 2024, DHSC's Q1 2024-25, labelled `2024-Q1`.
"""

from __future__ import annotations

from typing import Any

import pytest
from event_table import event, run

PROGRESS = "Progress to assessment, review or reassessment"
PLANNING = "Progress to support planning or services"
COMMUNITY = "Long term support: Community"
BAND_Q1 = "age_band=65 and above;quarter=2024-Q1"


def request(start: str = "2024-05-01", person: str = "A", **f: Any) -> dict:
    return event(person, "Request", start, start, **{"event_outcome": PROGRESS, **f})


def assessment(start: str = "2024-05-11", person: str = "A", **f: Any) -> dict:
    return event(person, "Assessment", start, start, **{
        "assessment_type": "Long term assessment", "event_outcome": PLANNING, **f})


def service(start: str = "2024-06-10", end: str | None = None, person: str = "A",
            **f: Any) -> dict:
    return event(person, "Service", start, end, **{"service_type": COMMUNITY, **f})


def base(**request_fields: Any) -> list[dict]:
    return [request(**request_fields), assessment(), service()]


def waits(rows: list[dict], period: tuple[str, str] | None = None) -> dict:
    return run("waits.sql", rows, **({"period": period} if period else {}))


def test_the_base_person_waits_10_days_for_a_response_and_40_for_a_service() -> None:
    """As the module docstring works out. W3 counts both waits (1 + 1); DHSC's figure is the
    age band and quarter row; the type of first response is a long-term assessment, of first
    service long-term community support; the cohort holds one request, one assessment and
    one service."""
    got = waits(base())
    assert got[("W1", BAND_Q1)] == (1, 10) and got[("W1", "")] == (1, 10)
    assert got[("W2", BAND_Q1)] == (1, 40)
    assert got[("W3", "")] == (2, 2) and got[("W3", "wait=first service")] == (1, 1)
    assert got[("WD1", "response=Long term assessment")] == (1, 1)
    assert got[("WD2", f"service={COMMUNITY}")] == (1, 1)
    assert [got[("WD3", f"event={e}")][0] for e in ("Request", "Assessment", "Service")] == [1, 1, 1]


@pytest.mark.parametrize(("age", "band"), [(24, None), (25, "25 to 64"), (64, "25 to 64"),
                                           (65, "65 and above")])
def test_cohort_age_is_25_and_over_at_the_request(age: int, band: str | None) -> None:
    """Stage 1.3b keeps a request only if the person was 25+ at its start; stage 2.1 keeps a
    follow-up only if 25+ at its start; the band is DHSC's working-age band of the event
    ending the wait, `18 to 64` relabelled `25 to 64`. Aged 24 throughout: no wait at all.
    25 or 64: one wait in `25 to 64`; 65: `65 and above`."""
    rows = [dict(r, der_age_event_start=age, der_age=age,
                 der_working_age_band="18 to 64" if age < 65 else "65 and above")
            for r in base()]
    got = waits(rows)
    if band is None:
        assert ("W1", "") not in got
    else:
        assert got[("W1", f"age_band={band}")] == (1, 10)


def test_a_follow_up_before_25_is_no_first_response() -> None:
    """The request at 25 but the assessment recorded at 24 (age at its start): stage 2.1
    leaves the assessment out, so the service is the first response (stage 3.2):
    1 May -> 10 June = 40 days for both W1 and W2."""
    rows = [dict(request(), der_age_event_start=25), dict(assessment(), der_age_event_start=24),
            dict(service(), der_age_event_start=25)]
    got = waits(rows)
    assert got[("W1", "")] == (1, 40) and got[("WD1", "response=Service")] == (1, 1)


@pytest.mark.parametrize(("earlier", "counted"), [
    # long-term support ending 1 December 2023: within 12 months before 1 May 2024 -> existing
    (service("2022-01-01", "2023-12-01"), False),
    # long-term support ending 30 April 2023: 12 months and a day before -> new client
    (service("2022-01-01", "2023-04-30"), True),
    # long-term support still open -> existing
    (service("2022-01-01", None), False),
    # ST-Max ending 15 February 2024: within 3 months before 1 May 2024 (from 1 February) -> existing
    (service("2024-01-01", "2024-02-15", service_type="Short term support: ST-Max"), False),
    # ST-Max ending 15 January 2024: more than 3 months before -> new client
    (service("2024-01-01", "2024-01-15", service_type="Short term support: ST-Max"), True),
    # other short-term support within 3 months -> existing
    (service("2024-01-01", "2024-03-15", service_type="Short term support: Other short term"), False),
    # ongoing low-level support still open: not in DHSC's list -> new client
    (service("2024-01-01", None, service_type="Short term support: Ongoing low level"), True),
])
def test_a_request_from_an_existing_client_starts_no_wait(earlier: dict, counted: bool) -> None:
    """Stage 1.3c drops a request when a service started before it and is long-term support
    ending no earlier than 12 months before the request (or open), or ST-Max / other
    short-term support ending no earlier than 3 months before (or open). The base person
    otherwise waits 10 days."""
    got = waits([earlier, *base()])
    assert (("W1", "") in got) is counted
    if counted:
        assert got[("W1", "")] == (1, 10)


@pytest.mark.parametrize(("outcome", "counted"), [
    ("NFA: Information and advice or signposting", False),
    ("Admitted to hospital", False),
    (None, False),
    (PLANNING, True),
])
def test_a_request_closed_without_progress_starts_no_wait(outcome: str | None,
                                                           counted: bool) -> None:
    """Stage 1.4 keeps requests whose grouped outcome is not `NFA` nor `Admitted to
    hospital`; a request with no outcome fails DHSC's `NOT IN` too."""
    rows = [request(event_outcome=outcome), assessment(), service()]
    assert (("W1", "") in waits(rows)) is counted


def test_a_carers_request_starts_no_wait() -> None:
    """Stage 1.3a: service users' requests only."""
    assert ("W1", "") not in waits(base(client_type="Unpaid carer"))


def test_a_request_made_while_an_earlier_one_is_being_followed_up_starts_no_wait() -> None:
    """Stage 3.4. Request 1 May, request 5 May, assessment 20 May, service 1 July 2024:
    chain R1(1) R2(2) A(3) S(4). Both requests link to A and S; R2's predecessor reaches
    order max(3, 4) = 4 > 2, so R2 overlaps and only R1 waits: 19 days to the assessment,
    30 + 31 = 61 days to the service. One wait each, not two."""
    rows = [request("2024-05-01"), request("2024-05-05"), assessment("2024-05-20"),
            service("2024-07-01")]
    got = waits(rows)
    assert got[("W1", "")] == (1, 19) and got[("W2", "")] == (1, 61)


def test_a_request_after_the_earlier_ones_follow_up_starts_a_new_wait() -> None:
    """Request 1 May, assessment 10 May, ST-Max 20-25 May; request 1 September, assessment
    10 September 2024 (no service after). The ST-Max ended more than 3 months before the
    second request, so it is still a new client's. Chain R1(1) A(2) S(3) R2(4) A2(5). R2:
    predecessor's furthest follow-up 3 < 4, its response 5 > every earlier response 2: a new
    wait. W1 = two waits of 9 days (quarters 2024-Q1 and 2024-Q2); W2 = R1's 19 days only."""
    rows = [request("2024-05-01"), assessment("2024-05-10"),
            service("2024-05-20", "2024-05-25", service_type="Short term support: ST-Max"),
            request("2024-09-01"), assessment("2024-09-10")]
    got = waits(rows)
    assert got[("W1", "")] == (2, 9)
    assert got[("W1", "quarter=2024-Q2")] == (1, 9)
    assert got[("W2", "")] == (1, 19)


def test_a_service_before_any_assessment_is_the_first_response() -> None:
    """Stage 3.2: request 1 May, ST-Max 4 May, assessment 20 May 2024. The service comes
    before the assessment, so it is the first response: W1 = W2 = 3 days; type of first
    response `Service`."""
    rows = [request(), service("2024-05-04", "2024-05-30",
                               service_type="Short term support: ST-Max"),
            assessment("2024-05-20")]
    got = waits(rows)
    assert got[("W1", "")] == (1, 3) and got[("W2", "")] == (1, 3)
    assert got[("WD1", "response=Service")] == (1, 1)
    assert got[("WD2", "service=Short term support: ST-Max")] == (1, 1)


def test_on_one_day_the_request_comes_before_the_assessment_and_the_service() -> None:
    """Stage 2.1 orders events of one day request, assessment, service: all three on
    1 May 2024 give a first response (the assessment) and a first service of 0 days."""
    got = waits([request(), assessment("2024-05-01"), service("2024-05-01")])
    assert got[("W1", "")] == (1, 0) and got[("WD1", "response=Long term assessment")] == (1, 1)
    assert got[("W2", "")] == (1, 0)


def test_a_request_with_no_follow_up_has_no_wait() -> None:
    """Only a request: no first response, no first service (it still counts in the cohort,
    WD3 `event=Request`)."""
    got = waits([request()])
    assert ("W1", "") not in got and ("W2", "") not in got
    assert got[("WD3", "event=Request")] == (1, 1)


@pytest.mark.parametrize(("outcomes", "served"), [
    (["NFA: Support declined"], False),
    (["NFA: Support declined", PLANNING], True),
    (["Progress to reablement/ST-Max"], True),
])
def test_a_service_after_assessments_that_led_nowhere_is_not_the_first_service(
        outcomes: list[str], served: bool) -> None:
    """Stage 2.3b/3.3: consecutive assessments form a block; when the first response is an
    assessment whose block has no outcome towards a service (reablement, support planning,
    continuation), the later service is not this request's first service. One assessment
    declined: no W2 (W1 still 10 days). Declined then support planning (one block): the
    service counts (40 days). Reablement: counts."""
    rows = [request()]
    rows += [assessment(f"2024-05-{11 + i}", event_outcome=o) for i, o in enumerate(outcomes)]
    rows.append(service())
    got = waits(rows)
    assert got[("W1", "")] == (1, 10)
    assert (got.get(("W2", "")) == (1, 40)) is served and ((("W2", "") in got) is served)


def test_a_release_1_conversation_is_its_own_first_response() -> None:
    """Stage 3.1: a request starting before 1 July 2025 (Release 1), flagged a conversation,
    whose outcome indicates progress, with no assessment starting after it, is its own first
    response: request 1 March 2025 (support planning), service 20 March 2025: W1 = 0 days
    (type `Request`), W2 = 19 days."""
    rows = [request("2025-03-01", is_conversation=True, event_outcome=PLANNING),
            service("2025-03-20")]
    got = waits(rows)
    assert got[("W1", "")] == (1, 0) and got[("WD1", "response=Request")] == (1, 1)
    assert got[("W2", "")] == (1, 19)


def test_a_release_2_conversation_waits_like_any_request() -> None:
    """The same on 2 July 2025 (Release 2) and service 21 July 2025, period 2025-26: the
    conversation rule does not apply, the service is the first response: W1 = W2 = 19."""
    rows = [request("2025-07-02", is_conversation=True, event_outcome=PLANNING),
            service("2025-07-21")]
    got = waits(rows, period=("2025-04-01", "2026-03-31"))
    assert got[("W1", "")] == (1, 19) and got[("WD1", "response=Service")] == (1, 1)


def test_a_conversation_with_an_assessment_the_same_day_is_answered_by_it() -> None:
    """Stage 3.1 needs the request to start before the assessment: on the same day the
    assessment is the first response (0 days, type long-term assessment)."""
    rows = [request("2025-03-01", is_conversation=True, event_outcome=PLANNING),
            assessment("2025-03-01")]
    got = waits(rows)
    assert got[("WD1", "response=Long term assessment")] == (1, 1) and got[("W1", "")] == (1, 0)


def test_a_wait_counts_in_the_quarter_its_ending_event_starts() -> None:
    """Stage 4.1 dates a wait by the event that ends it. Request 20 March 2024, assessment
    2 April 2024 (13 days): in 2024-Q1 of 2024-25 though the request was in 2023-24.
    Request 20 December 2024, assessment 15 January 2025: 26 days in `2024-Q4` (DHSC's Q4
    2024-25). Request 20 March 2025, assessment 2 April 2025: outside 2024-25."""
    rows = [request("2024-03-20", "P"), assessment("2024-04-02", "P"),
            request("2024-12-20", "Q"), assessment("2025-01-15", "Q"),
            request("2025-03-20", "R"), assessment("2025-04-02", "R")]
    got = waits(rows)
    assert got[("W1", "quarter=2024-Q1")] == (1, 13)
    assert got[("W1", "quarter=2024-Q4")] == (1, 26)
    assert got[("W1", "")] == (2, 19.5)


def test_the_median_interpolates_between_the_middle_waits() -> None:
    """Four people waiting 10, 20, 30, 100 days to a first response in April-June 2024:
    DHSC's PERCENTILE_CONT(0.5) = (20 + 30) / 2 = 25; numerator 4 waits."""
    rows = []
    for person, day in (("P", 11), ("Q", 21), ("R", 31)):
        rows += [request("2024-05-01", person), assessment(f"2024-05-{day}", person)]
    rows += [request("2024-05-01", "S"), assessment("2024-08-09", "S")]
    got = waits(rows)
    assert got[("W1", "")] == (4, 25)
    assert got[("W1", "quarter=2024-Q1")] == (3, 20)
