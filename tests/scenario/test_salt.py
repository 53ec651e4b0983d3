# ruff: noqa: E501 - rows spell the reference labels in full, one event per line
"""SALT tables rebuilt from CLD events, driven through `openasc compute` (period 2024-25).

Each scenario states the events and works out every expected cell from sac-dols-salt.md
C3-C5. Everyone is born June 1940 (84 at 31 March 2025: `65 and above`) unless stated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_salt_events import compute_values, ev, openasc, write_events

REABLE = "Short term support: ST-Max"
COMMUNITY = "Long term support: Community"
NURSING = "Long term support: Nursing care"
RESIDENTIAL = "Long term support: Residential care"


def requests_scenario(tmp_path: Path) -> Path:
    return write_events(tmp_path / "wh.duckdb", [
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
    ])


@pytest.fixture(scope="module")
def requests_values(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One compute run shared by the request scenarios (keeps the file fast)."""
    return compute_values(requests_scenario(tmp_path_factory.mktemp("requests")), "SALT")


@pytest.fixture(scope="module")
def long_term_values(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return compute_values(long_term_scenario(tmp_path_factory.mktemp("long_term")), "SALT")


def test_sts001_requests_from_new_clients_by_route_and_sequel(requests_values: dict) -> None:
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
    - B: starts while nursing care is open: existing client, not counted. H: ended in
      2023-24. Y: under 18.
    Total 4 = A + D + E + F."""
    values = requests_values
    sts001 = {b: v for (c, b), v in values.items() if c == "STS001"}
    assert sts001 == {
        "": 4,
        "what_next=Short term support: ST-Max": 1,
        "what_next=Universal Services/ Signposted to other services": 1,
        "what_next=Unable to classify": 1,
        "what_next=No Services Provided – other reason": 1,
        "route=Discharge from hospital;what_next=Short term support: ST-Max": 1,
        "route=Community or other route;what_next=Universal Services/ Signposted to other services": 1,
        "route=Community or other route;what_next=Unable to classify": 1,
        "route=Diversion from hospital services;what_next=No Services Provided – other reason": 1,
        "age_band=65 and above;route=Discharge from hospital;what_next=Short term support: ST-Max": 1,
        "age_band=65 and above;route=Community or other route;what_next=Universal Services/ Signposted to other services": 1,
        "age_band=65 and above;route=Community or other route;what_next=Unable to classify": 1,
        "age_band=65 and above;route=Diversion from hospital services;what_next=No Services Provided – other reason": 1,
    }


def test_sts002_what_followed_st_max(requests_values: dict) -> None:
    """STS002a: ST-Max episodes that followed an STS001 ST-Max sequel (this or last year)
    and end in 2024-25.

    - A: episode 3 May - 10 June; the community service starts 2 days after (<= 3) ->
      `Long Term Support (any setting)`; route `Discharge from hospital`.
    - H: its request ended 20 March 2024 (previous year: still in the cohort); episode
      ends 20 April 2024; nothing after -> own outcome `NFA: Support declined` ->
      `No services provided – needs identified but support declined`.
    STS002b: B's ST-Max (1-20 September) began while nursing care was open: 1 episode."""
    values = requests_values
    declined = "No services provided – needs identified but support declined"
    assert values[("STS002a", "")] == 2
    assert values[("STS002a", "what_next=Long Term Support (any setting)")] == 1
    assert values[("STS002a", f"what_next={declined}")] == 1
    assert values[("STS002a", "route=Discharge from hospital;what_next="
                              "Long Term Support (any setting)")] == 1
    assert values[("STS002a", f"route=Discharge from hospital;what_next={declined}")] == 1
    assert values[("STS002b", "")] == 1 and values[("STS002b", "age_band=65 and above")] == 1


def long_term_scenario(tmp_path: Path) -> Path:
    ld = dict(birth_year=1994, birth_month=6, gender="Male",
              primary_support_reason="Learning disability support",
              employment_status="Paid: 16 or more hours a week",
              accommodation_status="Settled mainstream housing with family or friends")
    return write_events(tmp_path / "wh.duckdb", [
        ev("P1", "Service", "2022-01-01", None, service_type=NURSING),
        ev("P1", "Review", "2024-08-01", "2024-08-01", method_of_review="Service user only",
           review_reason="Unplanned: Safeguarding concern"),
        ev("P2", "Service", "2024-06-12", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment"),
        ev("P2", "Review", "2024-11-01", "2024-11-01", method_of_review="Service user only",
           review_reason="Planned"),
        ev("P3", "Service", "2024-04-01", "2024-12-31", service_type=COMMUNITY,
           delivery_mechanism="CASSR commissioned support"),
        ev("P3", "Review", "2024-12-01", "2024-12-01", method_of_review="Service user only",
           review_reason="Planned"),
        ev("P3", "Service", "2025-01-01", None, service_type=RESIDENTIAL),
        ev("P4", "Service", "2023-01-01", "2024-05-31", service_type=COMMUNITY),
        ev("P4", "Review", "2024-05-01", "2024-05-01", method_of_review="Unpaid carer only",
           review_reason="Unplanned: Other reason"),
        ev("P5", "Service", "2023-01-01", None, service_type=COMMUNITY,
           date_of_death="2024-03-15"),
        ev("P6", "Service", "2024-05-01", None, service_type=COMMUNITY,
           delivery_mechanism="CASSR managed personal budget", **ld),
        ev("C1", "Assessment", "2024-08-01", "2024-08-03", client_type="Unpaid carer",
           event_outcome="NFA: Information and advice or signposting"),
        ev("C2", "Request", "2024-05-01", "2024-05-01", client_type="Unpaid carer"),
        ev("C2", "Service", "2024-06-01", None, client_type="Unpaid carer",
           service_type="Unpaid carer support: Direct to unpaid carer",
           delivery_mechanism="Direct payment"),
        ev("C3", "Service", "2024-06-01", "2024-06-01", client_type="Unpaid carer",
           service_type="Unpaid carer support: Direct to unpaid carer", birth_year=1980),
    ])


def test_lts001_long_term_support_in_year_at_end_and_over_12_months(long_term_values: dict) -> None:
    """LTS001a (in the year, alive at its start): P1 nursing; P2 community direct payment;
    P3 community then residential -> placed once, Residential (higher in the hierarchy);
    P4 community, no mechanism -> mechanism Unknown; P6 (aged 30) community managed
    personal budget. P5 died before the period: out. Total 5; 18 to 64: 1 (P6).
    LTS001b (open on 31 March 2025): P1, P2, P3 (residential), P6 = 4; P4 ended.
    LTS001c: P1 only, the chains of P2, P3 (1 April 2024 - ...: 31 Dec + 1 Jan joined,
    but began less than 12 months before) and P6 are too recent. Total 1."""
    v = long_term_values
    assert v[("LTS001a", "")] == 5
    assert v[("LTS001a", "setting=Nursing")] == 1
    assert v[("LTS001a", "setting=Residential")] == 1
    assert v[("LTS001a", "mechanism=Direct payment;setting=Community")] == 1
    assert v[("LTS001a", "mechanism=Unknown;setting=Community")] == 1
    assert v[("LTS001a", "mechanism=CASSR managed personal budget;setting=Community")] == 1
    assert v[("LTS001a", "age_band=18 to 64")] == 1 and v[("LTS001a", "age_band=65 and above")] == 4
    assert v[("LTS001a", "age_band=18 to 64;mechanism=CASSR managed personal budget;"
                         "psr=Learning disability support;setting=Community")] == 1
    assert v[("LTS001b", "")] == 4 and v[("LTS001b", "setting=Residential")] == 1
    assert v[("LTS001b", "carer=No;setting=Nursing")] == 1
    assert v[("LTS001c", "")] == 1 and v[("LTS001c", "setting=Nursing")] == 1


def test_lts002_reviews(long_term_values: dict) -> None:
    """LTS002a: P1's unplanned safeguarding review (service user only) = 1; P4's review was
    by the carer only: not counted; P2's planned review led nowhere: not counted; P3's
    planned review on 1 Dec 2024 was followed by residential care from 1 Jan 2025 (by the
    period end): counted, what_next = Long term support: Residential care. Total 2.
    LTS002b (LTS001c = P1): the unplanned review = 1."""
    v = long_term_values
    assert v[("LTS002a", "")] == 2
    assert v[("LTS002a", "reason=Unplanned: Safeguarding concern")] == 1
    assert v[("LTS002a", "reason=Planned;what_next=Long term support: Residential care")] == 1
    assert v[("LTS002b", "")] == 1


def test_lts003_carers_once_at_the_highest_support(long_term_values: dict) -> None:
    """C1: assessment ending information and advice -> `Information, Advice and Other
    Universal Services / Signposting`. C2: a request (information) and a direct service by
    direct payment -> `Direct Payment only` (higher). C3: direct service, no mechanism ->
    `Support Direct to Carer: Unknown Delivery Mech`, aged 44 -> 18 to 64. Total 3."""
    v = long_term_values
    assert v[("LTS003", "")] == 3
    assert v[("LTS003", "support=Direct Payment only")] == 1
    assert v[("LTS003", "support=Information, Advice and Other Universal Services / "
                        "Signposting")] == 1
    assert v[("LTS003", "age_band=18 to 64;support=Support Direct to Carer: Unknown "
                        "Delivery Mech")] == 1


def test_lts004_working_age_learning_disability(long_term_values: dict) -> None:
    """Only P6 is 18-64 with PSR learning disability support: 1 person, male, paid 16 or
    more hours a week (part 1), settled mainstream housing with family (part 2a)."""
    v = long_term_values
    assert {b: n for (c, b), n in v.items() if c == "LTS004"} == {
        "": 1,
        "employment=Paid: 16 or more hours a week;part=1;sex=Male": 1,
        "accommodation=Settled mainstream housing with family or friends;part=2a;sex=Male": 1,
    }


def test_export_salt_writes_the_national_layout(tmp_path: Path) -> None:
    """`openasc export salt` after compute: STS001 table 1b (65+) has A's request in the
    `Discharge from hospital` row and the ST-Max column."""
    wh = requests_scenario(tmp_path)
    compute_values(wh, "SALT")
    out = tmp_path / "salt.xlsx"
    done = openasc("--warehouse", str(wh), "export", "salt", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    from openpyxl import load_workbook

    ws = load_workbook(out)["STS001"]
    cells = {(r[0], r[1]): r[2:] for r in ws.iter_rows(values_only=True) if r[0]}
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Table")
    col = header.index("Short Term Support to Maximise Independence") - 2
    assert cells[("1b (65 and above)", "Discharge from hospital")][col] == 1
