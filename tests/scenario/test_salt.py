# ruff: noqa: E501 - rows spell the reference labels in full, one event per line
"""SALT tables from a CLD file, through the real command line (period 2024-25).

Each scenario writes a CLD file, runs `openasc ingest cld` -> `openasc compute` -> `openasc
export metrics --format csv` (test_salt_events.py) and works out every expected cell from
sac-dols-salt.md C3-C5. Everyone is born June 1940 (84 at 31 March 2025: `65 and above`)
unless stated.

Both files are what a council sends in July 2025: submitted 1 July 2025, with bookend reviews
of `BOOKEND` (a service user with nothing else: no SALT table reads his reviews) ending
15 January 2024 and 15 June 2025. The DHSC national method (cld-r2.md §5.2-5.3) derives the
file's period from the months its events end in (fewer than 100 events: first to last such
month), January 2024 - June 2025, and keeps the events of its six whole quarters. So
`cld_events` holds the March 2024 events the scenarios need as "the day before the period"
and the April 2025 events that are "the day after", and the SALT SQL, not the ingest, must
leave them out.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_salt_events import Figures, bookends, compute_and_export, ev, ingest, openasc

REABLE = "Short term support: ST-Max"
COMMUNITY = "Long term support: Community"
NURSING = "Long term support: Nursing care"
RESIDENTIAL = "Long term support: Residential care"
SUBMITTED = "2025-07-01"
FILE_PERIOD = ("2024-07-01", "2025-06-30")
BOOKENDS = ("2024-01-15", "2025-06-15")


def requests_rows() -> list[dict[str, str]]:
    return [
        *bookends(*BOOKENDS),
        # A: new client, hospital discharge -> ST-Max 1 day later -> long-term community.
        ev("A", "Request", "2024-05-01", "2024-05-02", event_outcome="Progress to reablement/ST-Max",
           request_route_of_access="Discharge from hospital"),
        ev("A", "Service", "2024-05-03", "2024-06-10", service_type=REABLE,
           event_outcome="NFA: Support ended as planned"),
        ev("A", "Service", "2024-06-12", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment"),
        # D: two requests 2 days apart -> one cluster; last outcome information and advice.
        ev("D", "Request", "2024-07-01", "2024-07-01", event_outcome="Progress to assessment, review or reassessment",
           request_route_of_access="Community or other route"),
        ev("D", "Request", "2024-07-03", "2024-07-05", request_route_of_access="Community or other route",
           event_outcome="NFA: Information and advice or signposting"),
        # E: next event 43 days later (> 28): out of scope, own outcome has no column.
        ev("E", "Request", "2024-09-01", "2024-09-02", request_route_of_access="Community or other route",
           event_outcome="Progress to support planning or services"),
        ev("E", "Assessment", "2024-10-15", "2024-10-20", event_outcome="NFA: Support declined"),
        # F: assessment 9 days later (<= 28) ending NFA: Support declined.
        ev("F", "Request", "2024-10-01", "2024-10-01", request_route_of_access="Diversion from hospital services",
           event_outcome="Progress to assessment, review or reassessment"),
        ev("F", "Assessment", "2024-10-10", "2024-10-12", event_outcome="NFA: Support declined"),
        # B: existing client (nursing care since 2022): the request is not STS001's; the
        # ST-Max while in nursing care is an STS002b episode.
        ev("B", "Service", "2022-06-01", None, service_type=NURSING),
        ev("B", "Request", "2024-08-01", "2024-08-02", request_route_of_access="Community or other route",
           event_outcome="Progress to reablement/ST-Max"),
        ev("B", "Service", "2024-09-01", "2024-09-20", service_type=REABLE),
        # H: request ended in 2023-24 with an ST-Max sequel that ends in 2024-25, nothing after.
        ev("H", "Request", "2024-03-19", "2024-03-20", request_route_of_access="Discharge from hospital",
           event_outcome="Progress to reablement/ST-Max"),
        ev("H", "Service", "2024-03-21", "2024-04-20", service_type=REABLE,
           event_outcome="NFA: Support declined"),
        # Y: aged 17 at the period end (born January 2008): not counted.
        ev("Y", "Request", "2024-06-01", "2024-06-01", birth_year=2008, birth_month=1,
           request_route_of_access="Community or other route",
           event_outcome="NFA: Information and advice or signposting"),
        # Window boundaries of STS001: requests ending on the first day, the last day, the
        # day before and the day after the period.
        ev("R4", "Request", "2024-04-01", "2024-04-01", request_route_of_access="Transfer from other local authority",
           event_outcome="NFA: Support declined"),
        ev("R1", "Request", "2025-03-31", "2025-03-31", request_route_of_access="Community or other route",
           event_outcome="NFA: Referral to NHS services or NHS funded social care"),
        ev("R3", "Request", "2024-03-31", "2024-03-31", request_route_of_access="Prison",
           event_outcome="NFA: Deceased"),
        ev("R2", "Request", "2025-04-01", "2025-04-01", request_route_of_access="Self-funder",
           event_outcome="NFA: Self-funded client or under 12wk disregard"),
        # Window boundaries of STS002a: ST-Max episodes ending on the last day (S1) and the
        # day after (S2), both after an ST-Max sequel.
        ev("S1", "Request", "2025-02-01", "2025-02-02", request_route_of_access="Discharge from hospital",
           event_outcome="Progress to reablement/ST-Max"),
        ev("S1", "Service", "2025-02-03", "2025-03-31", service_type=REABLE,
           event_outcome="NFA: Support ended as planned"),
        ev("S2", "Request", "2025-02-01", "2025-02-02", request_route_of_access="Discharge from hospital",
           event_outcome="Progress to reablement/ST-Max"),
        ev("S2", "Service", "2025-02-03", "2025-04-01", service_type=REABLE,
           event_outcome="NFA: Support ended as planned"),
        # Window boundaries of STS002b: existing clients' ST-Max ending the day before the
        # period (B2) and starting on its last day, still open (B3).
        ev("B2", "Service", "2022-01-01", None, service_type=NURSING),
        ev("B2", "Service", "2024-03-01", "2024-03-31", service_type=REABLE),
        ev("B3", "Service", "2023-01-01", None, service_type=COMMUNITY),
        ev("B3", "Service", "2025-03-31", None, service_type=REABLE),
    ]


def long_term_rows() -> list[dict[str, str]]:
    ld = dict(birth_year=1994, birth_month=6, gender="Male",
              primary_support_reason="Learning disability support",
              employment_status="Paid: 16 or more hours a week",
              accommodation_status="Settled mainstream housing with family or friends")
    carer = dict(client_type="Unpaid carer")
    direct = "Unpaid carer support: Direct to unpaid carer"
    return [
        *bookends(*BOOKENDS),
        ev("P1", "Service", "2022-01-01", None, service_type=NURSING),
        ev("P1", "Review", "2024-08-01", "2024-08-01", method_of_review="Service user only",
           review_reason="Unplanned: Safeguarding concern"),
        ev("P2", "Service", "2024-06-12", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment"),
        ev("P2", "Review", "2024-11-01", "2024-11-01", method_of_review="Service user only",
           review_reason="Planned"),
        ev("P3", "Service", "2024-04-01", "2024-12-31", service_type=COMMUNITY,
           delivery_mechanism="CASSR commissioned support", event_outcome="NFA: Support ended as planned"),
        ev("P3", "Review", "2024-12-01", "2024-12-01", method_of_review="Service user only",
           review_reason="Planned"),
        ev("P3", "Service", "2025-01-01", None, service_type=RESIDENTIAL),
        ev("P4", "Service", "2023-01-01", "2024-05-31", service_type=COMMUNITY,
           delivery_mechanism=None),
        ev("P4", "Review", "2024-05-01", "2024-05-01", method_of_review="Unpaid carer only",
           review_reason="Unplanned: Other reason"),
        ev("P5", "Service", "2023-01-01", None, service_type=COMMUNITY,
           date_of_death="2024-03-15"),
        ev("P6", "Service", "2024-05-01", None, service_type=COMMUNITY,
           delivery_mechanism="CASSR managed personal budget", **ld),
        # Window boundaries of LTS001a/b/c: ended the day before the year end (P8), on
        # the year end (P9), the day before the year (P11); starts the day after it (P10);
        # began exactly 12 months before the year end (P12) and a day later (P13).
        ev("P8", "Service", "2023-06-01", "2025-03-30", service_type=COMMUNITY),
        ev("P8", "Review", "2024-03-31", "2024-03-31", method_of_review="Service user only",
           review_reason="Unplanned: Other reason"),
        ev("P9", "Service", "2023-06-01", "2025-03-31", service_type=COMMUNITY),
        ev("P9", "Review", "2025-03-31", "2025-03-31", method_of_review="Service user only",
           review_reason="Unplanned: Provider failure"),
        ev("P9", "Review", "2025-04-01", "2025-04-01", method_of_review="Service user only",
           review_reason="Unplanned: Hospital (planned and unplanned episodes)"),
        ev("P10", "Service", "2025-04-01", None, service_type=NURSING),
        ev("P11", "Service", "2023-06-01", "2024-03-31", service_type=RESIDENTIAL),
        ev("P12", "Service", "2024-03-31", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment"),
        ev("P12", "Review", "2024-10-01", "2024-10-01", method_of_review="Service user only",
           review_reason="Planned"),
        ev("P13", "Service", "2024-04-01", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment"),
        # P14: working-age learning disability, service ended the day before the year.
        ev("P14", "Service", "2023-01-01", "2024-03-31", service_type=COMMUNITY,
           **{**ld, "employment_status": "Not in paid employment: Seeking work"}),
        ev("C1", "Assessment", "2024-08-01", "2024-08-03", **carer,
           event_outcome="NFA: Information and advice or signposting"),
        ev("C2", "Request", "2024-05-01", "2024-05-01", **carer),
        ev("C2", "Service", "2024-06-01", None, **carer, service_type=direct,
           delivery_mechanism="Direct payment"),
        ev("C3", "Service", "2024-06-01", "2024-06-01", **carer, service_type=direct,
           delivery_mechanism=None, birth_year=1980),
        # Window boundaries of LTS003: ended the day before the year (C4), on its last day
        # (C5); starts the day after (C6).
        ev("C4", "Assessment", "2024-03-20", "2024-03-31", **carer),
        ev("C5", "Request", "2025-03-31", "2025-03-31", **carer),
        ev("C6", "Service", "2025-04-01", None, **carer, service_type=direct,
           delivery_mechanism="Direct payment"),
    ]


@pytest.fixture(scope="module")
def requests_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Figures]:
    """One ingest and compute shared by the request scenarios (keeps the file fast)."""
    wh = ingest(tmp_path_factory.mktemp("requests"), requests_rows(), SUBMITTED, FILE_PERIOD)
    return wh, compute_and_export(wh)


@pytest.fixture(scope="module")
def long_term_values(tmp_path_factory: pytest.TempPathFactory) -> Figures:
    wh = ingest(tmp_path_factory.mktemp("long_term"), long_term_rows(), SUBMITTED, FILE_PERIOD)
    return compute_and_export(wh)


def test_sts001_requests_from_new_clients_by_route_and_sequel(requests_run: tuple[Path, Figures]) -> None:
    """STS001 (C4): clusters of new clients' requests ending in 2024-25, aged 18+.

    - A: the first later event (ST-Max, 1 day after the request) starts a chain holding
      ST-Max and, 2 days after it, the community service; ST-Max ranks first -> sequel
      `Short term support: ST-Max`, route `Discharge from hospital`.
    - D: 1 July and 3 July are 2 days apart (<= 4): one cluster, counted once, route and
      outcome of the last request; no later event -> own outcome, `NFA: Information and
      advice or signposting` -> `Universal Services/ Signposted to other services`.
    - E: first later event 43 days after the request (> 28) -> own outcome, `Progress to
      support planning or services`, which has no STS001 column -> `Unable to classify`.
    - F: assessment 9 days later, only assessments in the chain, NFA: Support declined ->
      `No Services Provided – other reason`.
    - R4: ends on 1 April 2024, the first day: counted; no later event, own outcome `NFA:
      Support declined` -> `No Services Provided – other reason`, route `Transfer from other
      local authority`.
    - R1: ends on 31 March 2025, the last day: counted; `NFA: Referral to NHS services or
      NHS funded social care` -> `100% NHS Funded Care`.
    - S1, S2: requests ending 2 February 2025, ST-Max the next day -> `Short term support:
      ST-Max`, route `Discharge from hospital` (their episodes differ only for STS002a).
    - Not counted: B (starts while nursing care is open: existing client); H (ended in
      2023-24); R3 (ended 31 March 2024, the day before; else a `Prison` route and a
      `Deceased` column would appear); R2 (ended 1 April 2025, the day after; else a
      `Self-funder` route would appear); Y (under 18).
    The national method changes nothing here: every one of these events is in a quarter the
    file covers, so `cld_events` holds them all and the SQL decides.
    Total 8 = A + D + E + F + R4 + R1 + S1 + S2; ST-Max 3 (A, S1, S2); other reason 2 (F, R4)."""
    values = requests_run[1]
    assert values.table("STS001") == {
        "": 8,
        "what_next=Short term support: ST-Max": 3,
        "what_next=Universal Services/ Signposted to other services": 1,
        "what_next=Unable to classify": 1,
        "what_next=No Services Provided – other reason": 2,
        "what_next=100% NHS Funded Care": 1,
        "route=Discharge from hospital;what_next=Short term support: ST-Max": 3,
        "route=Community or other route;what_next=Universal Services/ Signposted to other services": 1,
        "route=Community or other route;what_next=Unable to classify": 1,
        "route=Diversion from hospital services;what_next=No Services Provided – other reason": 1,
        "route=Transfer from other local authority;what_next=No Services Provided – other reason": 1,
        "route=Community or other route;what_next=100% NHS Funded Care": 1,
        "age_band=65 and above;route=Discharge from hospital;what_next=Short term support: ST-Max": 3,
        "age_band=65 and above;route=Community or other route;what_next=Universal Services/ Signposted to other services": 1,
        "age_band=65 and above;route=Community or other route;what_next=Unable to classify": 1,
        "age_band=65 and above;route=Diversion from hospital services;what_next=No Services Provided – other reason": 1,
        "age_band=65 and above;route=Transfer from other local authority;what_next=No Services Provided – other reason": 1,
        "age_band=65 and above;route=Community or other route;what_next=100% NHS Funded Care": 1,
    }


def test_sts001_headline_is_a_count_with_no_denominator(requests_run: tuple[Path, Figures]) -> None:
    """The exported headline row is numerator 8, empty denominator (a count, contract)."""
    assert requests_run[1].fraction("STS001") == (8, None)


def test_sts002a_what_followed_st_max(requests_run: tuple[Path, Figures]) -> None:
    """STS002a: ST-Max episodes that followed an STS001 ST-Max sequel (this or last year)
    and end in 2024-25.

    - A: episode 3 May - 10 June; the community service starts 2 days after (<= 3) ->
      `Long Term Support (any setting)`; route `Discharge from hospital`.
    - H: its request ended 20 March 2024 (previous year: still in the cohort); episode
      ends 20 April 2024; nothing after -> own outcome `NFA: Support declined` ->
      `No services provided – needs identified but support declined`. (Under the national
      method H's request is in `cld_events` only because the file's derived period starts
      in January 2024; a file covering only 2024-25 would lose it, and H with it.)
    - S1: episode ends 31 March 2025, the last day: counted; nothing after -> own outcome
      `NFA: Support ended as planned`, which has no column of its own -> `No services
      provided – other`; route `Discharge from hospital`.
    - S2: episode ends 1 April 2025, the day after: not counted.
    Total 3; all three came through `Discharge from hospital`; PSR personal care."""
    values = requests_run[1]
    declined = "No services provided – needs identified but support declined"
    other = "No services provided – other"
    assert values[("STS002a", "")] == 3
    assert values[("STS002a", "what_next=Long Term Support (any setting)")] == 1
    assert values[("STS002a", f"what_next={declined}")] == 1
    assert values[("STS002a", f"what_next={other}")] == 1
    assert values[("STS002a", "route=Discharge from hospital;what_next="
                              "Long Term Support (any setting)")] == 1
    assert values[("STS002a", f"route=Discharge from hospital;what_next={declined}")] == 1
    assert values[("STS002a", f"route=Discharge from hospital;what_next={other}")] == 1
    assert values[("STS002a", f"age_band=65 and above;what_next={other}")] == 1
    assert values[("STS002a", f"psr=Physical support: Personal care support;what_next={other}")] == 1
    assert not [b for (c, b) in values.rows if c == "STS002a" and "route=" in b
                and "Discharge from hospital" not in b]


def test_sts002b_existing_clients_st_max_overlapping_the_year(requests_run: tuple[Path, Figures]) -> None:
    """STS002b: ST-Max episodes overlapping 2024-25 that began while a long-term service
    was open. B: 1-20 September 2024 in nursing care: counted. B3: community since 2023,
    ST-Max from 31 March 2025 (the last day), still open: counted. B2: nursing since 2022,
    ST-Max ended 31 March 2024 (the day before the period): not counted. A, H, S1, S2 had
    no long-term service when their ST-Max began. Total 2, both 65 and above."""
    values = requests_run[1]
    assert values.table("STS002b") == {"": 2, "age_band=65 and above": 2}


def test_lts001_long_term_support_in_year_at_end_and_over_12_months(long_term_values: Figures) -> None:
    """LTS001a (in the year, alive at its start): P1 nursing; P2 community direct payment;
    P3 community then residential -> placed once, Residential (higher in the hierarchy);
    P4 community, no mechanism -> mechanism Unknown; P6 (aged 30) community managed
    personal budget; P8 and P9 community commissioned support; P12 and P13 community direct
    payment. Out: P5 died 15 March 2024, before the period (the national method ends his
    open service on his date of death and keeps it, the SQL leaves him out); P10 starts
    1 April 2025, the day after; P11 ended 31 March 2024, the day before.
    Total 9; 18 to 64: 1 (P6); 65 and above: 8; direct payment 3 (P2, P12, P13);
    commissioned support 2 (P8, P9).
    LTS001b (open on 31 March 2025, reference: end >= snapshot or open): P1, P2, P3
    (residential), P6, P9 (ends on 31 March), P12, P13 = 7; P4 ended in May, P8 on 30 March;
    direct payment 3 (P2, P12, P13), commissioned support 1 (P9).
    LTS001c (decision: chain began on or before 31 March 2024): P1 (2022), P9 (June 2023),
    P12 (exactly 31 March 2024) = 3. Not: P13 (1 April 2024, a day short), P2, P6, P3 (31 Dec
    + 1 Jan joined, but the chain began 1 April 2024)."""
    v = long_term_values
    assert v[("LTS001a", "")] == 9
    assert v[("LTS001a", "setting=Nursing")] == 1
    assert v[("LTS001a", "setting=Residential")] == 1
    assert v[("LTS001a", "mechanism=Direct payment;setting=Community")] == 3
    assert v[("LTS001a", "mechanism=Unknown;setting=Community")] == 1
    assert v[("LTS001a", "mechanism=CASSR managed personal budget;setting=Community")] == 1
    assert v[("LTS001a", "mechanism=CASSR commissioned support;setting=Community")] == 2
    assert v[("LTS001a", "age_band=18 to 64")] == 1 and v[("LTS001a", "age_band=65 and above")] == 8
    assert v[("LTS001a", "age_band=18 to 64;mechanism=CASSR managed personal budget;"
                         "psr=Learning disability support;setting=Community")] == 1
    assert v[("LTS001b", "")] == 7 and v[("LTS001b", "setting=Residential")] == 1
    assert v[("LTS001b", "mechanism=CASSR commissioned support;setting=Community")] == 1
    assert v[("LTS001b", "mechanism=Direct payment;setting=Community")] == 3
    assert v[("LTS001b", "carer=No;setting=Nursing")] == 1
    assert v.table("LTS001c") == {
        "": 3, "age_band=65 and above": 3, "setting=Nursing": 1,
        "mechanism=Direct payment;setting=Community": 1,
        "mechanism=CASSR commissioned support;setting=Community": 1,
        "age_band=65 and above;psr=Physical support: Personal care support;setting=Nursing": 1,
        "age_band=65 and above;mechanism=Direct payment;psr=Physical support: Personal care support;setting=Community": 1,
        "age_band=65 and above;mechanism=CASSR commissioned support;psr=Physical support: Personal care support;setting=Community": 1,
    }


def test_lts002_reviews(long_term_values: Figures) -> None:
    """LTS002a (reviews, not people, of LTS001a people, by the service user, ending in the
    year): P1's unplanned safeguarding review = 1; P9's unplanned provider-failure review on
    31 March 2025, the last day = 1; P3's planned review on 1 Dec 2024 was followed by
    residential care from 1 Jan 2025 (by the period end): counted, what_next = Long term
    support: Residential care. Not counted: P4's review was by the carer only; P2's and
    P12's planned reviews led to no care home; P8's review ended 31 March 2024 (the day
    before); P9's hospital review ended 1 April 2025 (the day after). Total 3.
    LTS002b (LTS001c = P1, P9, P12; unplanned and planned reviews): P1's and P9's unplanned
    reviews and P12's planned review = 3."""
    v = long_term_values
    assert v[("LTS002a", "")] == 3
    assert v[("LTS002a", "reason=Unplanned: Safeguarding concern")] == 1
    assert v[("LTS002a", "reason=Unplanned: Provider failure")] == 1
    assert v[("LTS002a", "reason=Planned;what_next=Long term support: Residential care")] == 1
    assert ("LTS002a", "reason=Unplanned: Other reason") not in v.rows
    assert ("LTS002a", "reason=Unplanned: Hospital (planned and unplanned episodes)") not in v.rows
    assert v[("LTS002b", "")] == 3
    assert v[("LTS002b", "reason=Planned")] == 1


def test_lts003_carers_once_at_the_highest_support(long_term_values: Figures) -> None:
    """C1: assessment ending information and advice -> `Information, Advice and Other
    Universal Services / Signposting`. C2: a request (information) and a direct service by
    direct payment -> `Direct Payment only` (higher). C3: direct service, no mechanism ->
    `Support Direct to Carer: Unknown Delivery Mech`, aged 44 -> 18 to 64. C5: a request
    ending 31 March 2025, the last day -> information. Not counted: C4's assessment ended
    31 March 2024 (the day before), C6's service starts 1 April 2025 (the day after; it
    would have been a second direct payment). Total 4; information 2 (C1, C5)."""
    v = long_term_values
    assert v[("LTS003", "")] == 4
    assert v[("LTS003", "support=Direct Payment only")] == 1
    assert v[("LTS003", "support=Information, Advice and Other Universal Services / "
                        "Signposting")] == 2
    assert v[("LTS003", "age_band=18 to 64;support=Support Direct to Carer: Unknown "
                        "Delivery Mech")] == 1
    assert ("LTS003", "support=No Direct Support Provided to Carer") not in v.rows


def test_lts004_working_age_learning_disability(long_term_values: Figures) -> None:
    """Only P6 is 18-64 with PSR learning disability support and a long-term service in the
    year: 1 person, male, paid 16 or more hours a week (part 1), settled mainstream housing
    with family (part 2a). P14 (also learning disability, 30, seeking work) had his service
    end on 31 March 2024, the day before the year: not counted."""
    assert long_term_values.table("LTS004") == {
        "": 1,
        "employment=Paid: 16 or more hours a week;part=1;sex=Male": 1,
        "accommodation=Settled mainstream housing with family or friends;part=2a;sex=Male": 1,
    }


def test_sts003_and_sts004_are_listed_as_not_implemented(requests_run: tuple[Path, Figures]) -> None:
    """STS003 (no source defines it) and STS004 (not in CLD) are in the catalogue, and
    `openasc metrics list` says why they are not implemented; compute exports no figure
    for them."""
    wh, values = requests_run
    # a wide terminal keeps each measure of the printed table on one line
    done = openasc("metrics", "list", "--family", "SALT", cwd=wh.parent,
                   env={**os.environ, "COLUMNS": "400"})
    assert done.returncode == 0, done.stderr
    lines = {ln.split()[3]: ln for ln in done.stdout.splitlines()
             if len(ln.split()) > 3 and ln.split()[3].startswith(("STS", "LTS"))}
    assert "not implemented" in lines["STS003"] and "not implemented" in lines["STS004"]
    assert all("implemented" in lines[c] and "not implemented" not in lines[c] for c in (
        "STS001", "STS002a", "STS002b", "LTS001a", "LTS001b", "LTS001c", "LTS002a",
        "LTS002b", "LTS003", "LTS004"))
    assert not [k for k in values.rows if k[0] in ("STS003", "STS004")]


def test_export_salt_writes_the_national_layout(requests_run: tuple[Path, Figures]) -> None:
    """`openasc export salt` after compute: STS001 table 1b (65+) has A's, S1's and S2's
    requests in the `Discharge from hospital` row and the ST-Max column."""
    wh = requests_run[0]
    out = wh.parent / "salt.xlsx"
    done = openasc("--warehouse", str(wh), "export", "salt", "--out", str(out), cwd=wh.parent)
    assert done.returncode == 0, done.stderr
    from openpyxl import load_workbook

    ws = load_workbook(out)["STS001"]
    cells = {(r[0], r[1]): r[2:] for r in ws.iter_rows(values_only=True) if r[0]}
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Table")
    col = header.index("Short Term Support to Maximise Independence") - 2
    assert cells[("1b (65 and above)", "Discharge from hospital")][col] == 3

