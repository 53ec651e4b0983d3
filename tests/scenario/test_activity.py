# ruff: noqa: E501 - rows spell the reference labels in full, one event per line
"""ACTIVITY measures (docs/measures-activity.md) from a CLD file, through the real command
line: `openasc ingest cld` -> `openasc compute` -> `openasc export metrics --format csv`
(test_salt_events.py), period 2024-25. People born June 1940 unless stated.

The file is what a council sends in July 2025 (submitted 1 July 2025), with bookend reviews
of `BOOKEND` (a service user with no long-term service, request or assessment, so that no
ACTIVITY measure reads them) ending 15 January 2024 and 15 June 2025. The DHSC national
method (cld-r2.md §5.2-5.3) derives the file's period from the months its events end in,
January 2024 - June 2025, and keeps the events of those whole quarters: M's assessment,
which ends on 15 April 2025, is in `cld_events` only because the file reaches June 2025.
"""

from __future__ import annotations

import pytest
from test_salt_events import Figures, bookends, compute_and_export, ev, ingest

COMMUNITY = "Long term support: Community"
NURSING = "Long term support: Nursing care"


def rows(ends: tuple[str, str] = ("2024-01-15", "2025-06-15")) -> list[dict[str, str]]:
    return [
        *bookends(*ends),
        ev("A", "Request", "2024-05-01", "2024-05-02", request_route_of_access="Discharge from hospital",
           event_outcome="Progress to reablement/ST-Max"),
        ev("A", "Assessment", "2024-05-01", "2024-05-11"),
        ev("A", "Service", "2024-05-12", "2024-06-10", service_type="Short term support: ST-Max",
           event_outcome="NFA: Support ended as planned"),
        ev("A", "Service", "2024-06-12", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment"),
        ev("D", "Request", "2024-07-01", "2024-07-01", request_route_of_access="Community or other route",
           event_outcome="NFA: Information and advice or signposting"),
        ev("K", "Request", "2024-08-01", "2024-08-02", birth_year=2005, birth_month=1,
           request_route_of_access="Planned entry (transition)",
           event_outcome="Progress to assessment, review or reassessment"),
        ev("K", "Assessment", "2024-08-05", "2024-09-30", birth_year=2005, birth_month=1),
        ev("K", "Service", "2024-10-10", None, service_type=COMMUNITY, birth_year=2005,
           birth_month=1, delivery_mechanism=None),
        ev("M", "Request", "2025-02-20", "2025-02-21", request_route_of_access="Community or other route",
           event_outcome="Progress to assessment, review or reassessment"),
        ev("M", "Assessment", "2025-03-01", "2025-04-15"),
        # R9: a request ending 1 April 2025, the day after the period: in no figure.
        ev("R9", "Request", "2025-04-01", "2025-04-01", request_route_of_access="Self-funder",
           event_outcome="NFA: Information and advice or signposting"),
        ev("P1", "Service", "2022-01-01", None, service_type=NURSING),
        ev("P1", "Review", "2024-08-01", "2024-08-01", review_reason="Planned",
           method_of_review="Service user only"),
        ev("P7", "Service", "2022-01-01", None, service_type=NURSING),
        ev("C1", "Request", "2024-06-01", "2024-06-01", client_type="Unpaid carer"),
        ev("C1", "Assessment", "2024-06-05", "2024-06-20", client_type="Unpaid carer"),
    ]


@pytest.fixture(scope="module")
def v(tmp_path_factory: pytest.TempPathFactory) -> Figures:
    """One ingest, compute and export shared by every test of the file (keeps it fast)."""
    wh = ingest(tmp_path_factory.mktemp("activity"), rows(), submitted_on="2025-07-01",
                file_period=("2024-07-01", "2025-06-30"))
    return compute_and_export(wh)


def test_requests_and_what_followed(v: Figures) -> None:
    """Service users' requests ending in 2024-25: A, D, K, M = 4 (ACT-REQ-001); routes
    Discharge from hospital 1 (A), Community or other route 2 (D, M), Planned entry
    (transition) 1 (K). All four are new clients (no open long-term service) aged 18+:
    ACT-REQ-002 = 4. Sequels (STS001): A -> ST-Max 10 days later (short-term); D -> own
    outcome information and advice; K -> assessment only, no NFA -> unable to classify; M ->
    likewise. ACT-REQ-003 = 1/4 = 25%, ACT-REQ-004 = 1/4 = 25%, ACT-REQ-005 = 0/4 = 0%.
    Transitions: K, born January 2005, is 19 at the request: ACT-TRN-001 = 1.
    R9's request ends 1 April 2025, the day after the period: it is in `cld_events` (the
    file covers April 2025) but in no figure; else `route=Self-funder` would appear."""
    assert v[("ACT-REQ-001", "")] == 4
    assert v[("ACT-REQ-001", "route=Community or other route")] == 2
    assert v[("ACT-REQ-001", "outcome=Progress to assessment, review or reassessment")] == 2
    assert v[("ACT-REQ-002", "")] == 4
    assert v[("ACT-REQ-003", "")] == 25 and v[("ACT-REQ-004", "")] == 25
    assert v[("ACT-REQ-005", "")] == 0
    assert v[("ACT-TRN-001", "")] == 1
    assert ("ACT-REQ-001", "route=Self-funder") not in v.rows


def test_waiting_times(v: Figures) -> None:
    """Request -> assessment end, for assessments ending in the period: A 1 May -> 11 May =
    10 days; K 1 Aug -> 30 Sep = 60 days (M's ends after the period). Median (10+60)/2 = 35,
    mean 35, 90th percentile 10 + 0.9 x 50 = 55.
    Assessment end -> first service: A 11 May -> ST-Max 12 May = 1; K 30 Sep -> 10 Oct = 10.
    Median 5.5, mean 5.5, 90th percentile 1 + 0.9 x 9 = 9.1. Two waits each (numerator)."""
    assert [v[(f"ACT-WAIT-00{i}", "")] for i in (1, 2, 3)] == [35, 35, pytest.approx(55)]
    assert [v[(f"ACT-WAIT-00{i}", "")] for i in (4, 5, 6)] == [5.5, 5.5, pytest.approx(9.1)]


def test_long_term_reviews_carers_and_open_assessments(v: Figures) -> None:
    """Long-term support in the year: A (community, direct payment), K (community, no
    mechanism), P1 and P7 (nursing) = 4; all open on 31 March 2025: 4. 12 months or more
    at the period end: P1, P7 (since 2022); P1 reviewed in the period: 1/2 = 50%.
    Carers: C1's request and assessment: 1 and 1. Open at the period end: M's assessment
    (1 March - 15 April 2025): 1 person. It counts only because the file, submitted in July
    2025, covers April-June 2025: the national method keeps a completed assessment only in
    a quarter it ends in, and never keeps one without an end date, so a file covering just
    2024-25 would give 0 (the measure is a lower bound, as its method notes say)."""
    assert v[("ACT-LTS-001", "")] == 4 and v[("ACT-LTS-002", "")] == 4
    assert v[("ACT-LTS-001", "setting=Nursing")] == 2
    assert v[("ACT-LTS-001", "mechanism=Direct payment;setting=Community")] == 1
    assert v[("ACT-LTS-001", "mechanism=Unknown;setting=Community")] == 1
    assert v[("ACT-REV-001", "")] == 50
    assert v[("ACT-CAR-001", "")] == 1 and v[("ACT-CAR-002", "")] == 1
    assert v[("ACT-ASM-001", "")] == 1


def test_exported_rows_follow_the_contract(v: Figures) -> None:
    """`export metrics --format csv` prints ACT-REQ-003 as numerator 1 (D), denominator 4
    (A, D, K, M), value 25, unit percent, for council E10000034; a count (ACT-REQ-001) has
    an empty denominator."""
    r = v.rows[("ACT-REQ-003", "")]
    assert (r["la_code"], r["numerator"], r["denominator"], r["value"], r["unit"]) == (
        "E10000034", "1", "4", "25", "percent")
    assert v.rows[("ACT-REQ-001", "")]["denominator"] == ""


def test_carers_supported_by_type_of_support(v: Figures) -> None:
    """ACT-CAR-003 (the LTS003 method): C1 had a request (information and advice, rank 5)
    and an assessment ending `Progress to support planning or services` (no direct support,
    rank 6): counted once at the higher, `Information, Advice and Other Universal Services /
    Signposting`; born June 1940 -> 65 and above. Total 1."""
    info = "support=Information, Advice and Other Universal Services / Signposting"
    assert v.table("ACT-CAR-003") == {"": 1, info: 1, f"age_band=65 and above;{info}": 1}


def test_a_file_covering_only_the_year_loses_assessments_open_at_its_end(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The same events in the file a council sends in May 2025 (bookends 15 April 2024 and
    15 March 2025, submitted 1 May 2025): the derived period is April 2024 - April 2025
    (every month with an event ending before May counts), whose whole quarters are the four
    of 2024-25, so `cld_events` keeps only completed events ending in 2024-25. M's
    assessment (ends 15 April 2025) and R9's request (1 April 2025) are dropped by ingest:
    ACT-ASM-001 = 0 (the lower bound its method notes describe). Nothing else changes:
    M's request now has no later event at all -> own outcome `Progress to assessment,
    review or reassessment` -> unable to classify, as before; ACT-REQ-001 = 4 and the waits
    (A and K only) stay 35 and 5.5 days."""
    wh = ingest(tmp_path_factory.mktemp("may_file"), rows(("2024-04-15", "2025-03-15")),
                submitted_on="2025-05-01")
    v = compute_and_export(wh)
    assert v[("ACT-ASM-001", "")] == 0
    assert v[("ACT-REQ-001", "")] == 4 and v[("ACT-REQ-003", "")] == 25
    assert v[("ACT-WAIT-001", "")] == 35 and v[("ACT-WAIT-004", "")] == 5.5
