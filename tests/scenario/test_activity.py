# ruff: noqa: E501 - rows spell the reference labels in full, one event per line
"""ACTIVITY measures (docs/measures-activity.md) through `openasc compute` and
`openasc export metrics`, period 2024-25. People born June 1940 unless stated."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_salt_events import compute_values, ev, openasc, write_events

COMMUNITY = "Long term support: Community"
NURSING = "Long term support: Nursing care"


def scenario(tmp_path: Path) -> Path:
    return write_events(tmp_path / "wh.duckdb", [
        ev("A", "Request", "2024-05-01", "2024-05-02", request_route_of_access="Discharge from hospital",
           event_outcome="Progress to reablement/ST-Max"),
        ev("A", "Assessment", "2024-05-01", "2024-05-11"),
        ev("A", "Service", "2024-05-12", "2024-06-10", service_type="Short term support: ST-Max"),
        ev("A", "Service", "2024-06-12", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment"),
        ev("D", "Request", "2024-07-01", "2024-07-01", request_route_of_access="Community or other route",
           event_outcome="NFA: Information and advice or signposting"),
        ev("K", "Request", "2024-08-01", "2024-08-02", birth_year=2005, birth_month=1,
           request_route_of_access="Planned entry (transition)",
           event_outcome="Progress to assessment, review or reassessment"),
        ev("K", "Assessment", "2024-08-05", "2024-09-30", birth_year=2005, birth_month=1),
        ev("K", "Service", "2024-10-10", None, service_type=COMMUNITY, birth_year=2005,
           birth_month=1),
        ev("M", "Request", "2025-02-20", "2025-02-21", request_route_of_access="Community or other route",
           event_outcome="Progress to assessment, review or reassessment"),
        ev("M", "Assessment", "2025-03-01", "2025-04-15"),
        ev("P1", "Service", "2022-01-01", None, service_type=NURSING),
        ev("P1", "Review", "2024-08-01", "2024-08-01", review_reason="Planned",
           method_of_review="Service user only"),
        ev("P7", "Service", "2022-01-01", None, service_type=NURSING),
        ev("C1", "Request", "2024-06-01", "2024-06-01", client_type="Unpaid carer"),
        ev("C1", "Assessment", "2024-06-05", "2024-06-20", client_type="Unpaid carer"),
    ])


def test_requests_and_what_followed(tmp_path: Path) -> None:
    """Service users' requests ending in 2024-25: A, D, K, M = 4 (ACT-REQ-001); routes
    Discharge from hospital 1 (A), Community or other route 2 (D, M), Planned entry
    (transition) 1 (K). All four are new clients (no open long-term service) aged 18+:
    ACT-REQ-002 = 4. Sequels (STS001): A -> ST-Max 10 days later (short-term); D -> own
    outcome information and advice; K -> assessment only, no NFA -> unable to classify; M ->
    likewise. ACT-REQ-003 = 1/4 = 25%, ACT-REQ-004 = 1/4 = 25%, ACT-REQ-005 = 0/4 = 0%.
    Transitions: K, born January 2005, is 19 at the request: ACT-TRN-001 = 1."""
    v = compute_values(scenario(tmp_path), "ACTIVITY")
    assert v[("ACT-REQ-001", "")] == 4
    assert v[("ACT-REQ-001", "route=Community or other route")] == 2
    assert v[("ACT-REQ-001", "outcome=Progress to assessment, review or reassessment")] == 2
    assert v[("ACT-REQ-002", "")] == 4
    assert v[("ACT-REQ-003", "")] == 25 and v[("ACT-REQ-004", "")] == 25
    assert v[("ACT-REQ-005", "")] == 0
    assert v[("ACT-TRN-001", "")] == 1


def test_waiting_times(tmp_path: Path) -> None:
    """Request -> assessment end, for assessments ending in the period: A 1 May -> 11 May =
    10 days; K 1 Aug -> 30 Sep = 60 days (M's ends after the period). Median (10+60)/2 = 35,
    mean 35, 90th percentile 10 + 0.9 x 50 = 55.
    Assessment end -> first service: A 11 May -> ST-Max 12 May = 1; K 30 Sep -> 10 Oct = 10.
    Median 5.5, mean 5.5, 90th percentile 1 + 0.9 x 9 = 9.1. Two waits each (numerator)."""
    v = compute_values(scenario(tmp_path), "ACTIVITY")
    assert [v[(f"ACT-WAIT-00{i}", "")] for i in (1, 2, 3)] == [35, 35, pytest.approx(55)]
    assert [v[(f"ACT-WAIT-00{i}", "")] for i in (4, 5, 6)] == [5.5, 5.5, pytest.approx(9.1)]


def test_long_term_reviews_carers_and_open_assessments(tmp_path: Path) -> None:
    """Long-term support in the year: A (community, direct payment), K (community, no
    mechanism), P1 and P7 (nursing) = 4; all open on 31 March 2025: 4. 12 months or more
    at the period end: P1, P7 (since 2022); P1 reviewed in the period: 1/2 = 50%.
    Carers: C1's request and assessment: 1 and 1. Open at the period end: M's assessment
    (1 March - 15 April 2025): 1 person."""
    v = compute_values(scenario(tmp_path), "ACTIVITY")
    assert v[("ACT-LTS-001", "")] == 4 and v[("ACT-LTS-002", "")] == 4
    assert v[("ACT-LTS-001", "setting=Nursing")] == 2
    assert v[("ACT-LTS-001", "mechanism=Direct payment;setting=Community")] == 1
    assert v[("ACT-LTS-001", "mechanism=Unknown;setting=Community")] == 1
    assert v[("ACT-REV-001", "")] == 50
    assert v[("ACT-CAR-001", "")] == 1 and v[("ACT-CAR-002", "")] == 1
    assert v[("ACT-ASM-001", "")] == 1


def test_exported_rows_follow_the_contract(tmp_path: Path) -> None:
    """After compute, `export metrics --format csv` prints ACT-REQ-003 as numerator 1,
    denominator 4, value 25, unit percent; a count has an empty denominator."""
    wh = scenario(tmp_path)
    compute_values(wh, "ACTIVITY")
    out = tmp_path / "m.csv"
    done = openasc("--warehouse", str(wh), "export", "metrics", "--format", "csv", "--out",
                   str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {(r["code"], r["breakdown"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    r = rows[("ACT-REQ-003", "")]
    assert (r["la_code"], r["numerator"], r["denominator"], r["value"], r["unit"]) == (
        "E10000034", "1", "4", "25", "percent")
    assert rows[("ACT-REQ-001", "")]["denominator"] == ""
