"""De-duplication in three steps (cld-r2.md §5.7): unique events, cropping of services left
open, and the choice of one record per event."""

from __future__ import annotations

from datetime import date

import pytest
from national_fixtures import add_record, add_submission, rows, warehouse

from openasc.ingest.national import rebuild

Q = (date(2024, 4, 1), date(2024, 6, 30))
BASE = {
    "Request": {"event_start_date": date(2024, 4, 2), "event_end_date": date(2024, 4, 9),
                "request_route_of_access": "Community or other route"},
    "Assessment": {"event_start_date": date(2024, 4, 2), "event_end_date": date(2024, 5, 9),
                   "assessment_type": "Long term assessment"},
    "Service": {"event_start_date": date(2024, 4, 2), "event_end_date": date(2024, 5, 9),
                "service_type": "Long term support: Community",
                "service_component": "Home support or domiciliary care"},
    "Review": {"event_start_date": date(2024, 4, 2), "event_end_date": date(2024, 5, 9),
               "review_reason": "Planned"},
}


def _one_file(tmp_path):
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), Q)
    return con


# (event type, field, other value, events expected in the joined table)
STEP_ONE = [
    ("Request", "person", "P2", 2),
    ("Request", "event_start_date", date(2024, 4, 3), 2),
    ("Request", "event_end_date", date(2024, 4, 10), 2),
    ("Request", "client_type", "Unpaid carer", 2),
    ("Request", "request_route_of_access", "Discharge from hospital", 2),
    ("Request", "assessment_type", "Short term assessment", 1),
    ("Request", "event_outcome", "NFA: Other", 1),
    ("Assessment", "assessment_type", "Short term assessment", 2),
    ("Assessment", "event_end_date", date(2024, 5, 10), 2),
    ("Assessment", "request_route_of_access", "Discharge from hospital", 1),
    ("Service", "service_type", "Long term support: Residential care", 2),
    ("Service", "service_component", "Equipment", 2),
    ("Service", "event_end_date", date(2024, 5, 10), 1),
    ("Service", "delivery_mechanism", "Direct payment", 1),
    ("Service", "unit_cost", 99, 1),
    ("Service", "la_person_pseudo", "other-la-id", 1),
    ("Review", "event_end_date", date(2024, 5, 10), 2),
    ("Review", "review_reason", "Unplanned: Other reason", 1),
]


@pytest.mark.parametrize(("event_type", "field", "other", "expected"), STEP_ONE)
def test_step_one_identifying_fields(tmp_path, event_type, field, other, expected):
    """Two records of one `event_type` in one file, equal except for `field`. They are one
    event (1) when `field` is not identifying for that type, two (2) when it is (§5.7 table:
    LA, combined person ID, start, client type for all; corrected end date for requests,
    assessments, reviews; route for requests; assessment type for assessments; service type
    and component for services). The council person ID is not a key: the combined person ID
    (`person_id`) is, so two LA IDs under one NHS number are one person.
    """
    con = _one_file(tmp_path)
    add_record(con, 1, event_type=event_type, **BASE[event_type])
    add_record(con, 1, event_type=event_type, **{**BASE[event_type], field: other})
    rebuild(con)
    assert con.execute("SELECT count(*) FROM cld_events").fetchone()[0] == expected


@pytest.mark.parametrize(("field", "first", "second", "expected"), [
    ("delivery_mechanism", "Direct payment", "CASSR commissioned support", 2),
    ("delivery_mechanism", None, "", 1),
    ("unit_cost", 10.5, 10.50, 1),
    ("unit_cost", 10.5, None, 2),
    ("cost_frequency_unit_type", "Weekly", "Hourly", 2),
    ("planned_units_per_week", 7, 7.01, 2),
])
def test_single_table_also_splits_services_by_delivery_and_cost(
        tmp_path, field, first, second, expected):
    """In the single-submission table services are also split by delivery mechanism, unit
    cost, cost frequency and planned units (blanks as empty strings, costs at 2 dp): 10.5 and
    10.50 are one cost, 10.50 and blank are two; NULL and '' delivery mechanisms are one.
    The joined table ignores these fields (one event in every case) and drops the costs.
    The file covers 2023-07-01..2024-06-30, so both tables hold it.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_record(con, 1, event_type="Service", **BASE["Service"], **{field: first})
    add_record(con, 1, event_type="Service", **BASE["Service"], **{field: second})
    rebuild(con)
    assert con.execute("SELECT count(*) FROM cld_events_single").fetchone()[0] == expected
    assert con.execute("SELECT count(*) FROM cld_events").fetchone()[0] == 1
    assert con.execute(
        "SELECT count(*) FROM cld_events WHERE unit_cost IS NOT NULL "
        "OR cost_frequency_unit_type IS NOT NULL OR planned_units_per_week IS NOT NULL"
    ).fetchone()[0] == 0


def test_single_table_keeps_costs(tmp_path):
    """Costs survive in the single-submission table (used for cost analysis)."""
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_record(con, 1, event_type="Service", **BASE["Service"], unit_cost=812.25,
               cost_frequency_unit_type="Weekly")
    rebuild(con)
    assert con.execute(
        "SELECT unit_cost, cost_frequency_unit_type FROM cld_events_single"
    ).fetchone() == (pytest.approx(812.25), "Weekly")


def _two_quarters(tmp_path):
    """File 1 (imported 2024-07-20, derived 2023-07-01..2024-06-30) is chosen for Jul-Sep 2023
    only; file 2 (imported 2024-10-20, derived 2023-10-01..2024-09-30) for Oct 2023 - Sep 2024.
    Reference periods: 1 = 2023-07-01..2023-09-30 (not the last), 2 = 2023-10-01..2024-09-30.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_submission(con, 2, date(2024, 10, 20), (date(2023, 10, 1), date(2024, 9, 30)))
    return con


SVC = {"event_type": "Service", "service_type": "Long term support: Community",
       "service_component": "Home support or domiciliary care"}


def test_step_two_crops_services_open_at_the_end_of_a_period_that_do_not_reappear(tmp_path):
    """Reference period 1 ends 2023-09-30; period 2 starts the next day.

    - S1: open in file 1 and open in file 2 -> file 2's record wins (later period): open;
    - S2: open in file 1, absent from file 2 -> end cropped to 2023-09-30;
    - S3: file 1 says it ends 2023-12-31 (after the period end: still open at it), absent
      from file 2 -> cropped to 2023-09-30;
    - S4: ended 2023-09-10 inside period 1 -> unchanged;
    - S5: only in file 2, open, in the last period -> never cropped: open;
    - S6: open in file 1; file 2 has the same person and start but another component, which
      is another event -> file 1's S6 cropped to 2023-09-30; file 2's stays open.
    """
    con = _two_quarters(tmp_path)
    add_record(con, 1, person="S1", event_start_date=date(2023, 8, 1), **SVC)
    add_record(con, 2, person="S1", event_start_date=date(2023, 8, 1), **SVC)
    add_record(con, 1, person="S2", event_start_date=date(2023, 8, 5), **SVC)
    add_record(con, 1, person="S3", event_start_date=date(2023, 8, 10),
               event_end_date=date(2023, 12, 31), **SVC)
    add_record(con, 1, person="S4", event_start_date=date(2023, 8, 15),
               event_end_date=date(2023, 9, 10), **SVC)
    add_record(con, 2, person="S5", event_start_date=date(2023, 11, 1), **SVC)
    add_record(con, 1, person="S6", event_start_date=date(2023, 8, 20), **SVC)
    add_record(con, 2, person="S6", event_start_date=date(2023, 8, 20),
               **{**SVC, "service_component": "Equipment"})
    rebuild(con)
    got = {(r["person_id"], r["submission_id"]): r["der_event_end_date"] for r in rows(
        con, "SELECT person_id, submission_id, der_event_end_date FROM cld_events")}
    assert got == {
        ("S1", 2): None,
        ("S2", 1): date(2023, 9, 30),
        ("S3", 1): date(2023, 9, 30),
        ("S4", 1): date(2023, 9, 10),
        ("S5", 2): None,
        ("S6", 1): date(2023, 9, 30),
        ("S6", 2): None,
    }
    s3 = rows(con, "SELECT event_end_date FROM cld_events WHERE person_id = 'S3'")[0]
    assert s3["event_end_date"] == date(2023, 12, 31)  # the submitted date is kept beside it


def test_step_three_latest_reference_period_first(tmp_path):
    """A service open in both files is one event. File 1's record was loaded *later*
    (record ID 900 vs 100), so every later key would favour it, but file 2's reference period
    ends later (2024-09-30 vs 2023-09-30) and that comes first: record 100 is kept.
    """
    con = _two_quarters(tmp_path)
    add_record(con, 2, person="X", record_id=100, event_start_date=date(2023, 8, 1), **SVC)
    add_record(con, 1, person="X", record_id=900, event_start_date=date(2023, 8, 1), **SVC)
    rebuild(con)
    assert rows(con, "SELECT record_id, reference_period_end FROM cld_events") == [
        {"record_id": 100, "reference_period_end": date(2024, 9, 30)}]


def test_step_three_open_then_latest_end_first(tmp_path):
    """Services of one event in one file (end date is not a service key):
    - open (record 1) vs ended 2024-06-01 (record 2): the open one wins despite its lower ID;
    - ended 2024-05-01 (record 3) vs ended 2024-06-01 (record 4): with the open one removed
      the later end wins. Checked in two separate events (people A and B).
    """
    con = _one_file(tmp_path)
    start = date(2024, 4, 2)
    add_record(con, 1, person="A", record_id=1, event_start_date=start, **SVC)
    add_record(con, 1, person="A", record_id=2, event_start_date=start,
               event_end_date=date(2024, 6, 1), **SVC)
    add_record(con, 1, person="B", record_id=4, event_start_date=start,
               event_end_date=date(2024, 5, 1), **SVC)
    add_record(con, 1, person="B", record_id=3, event_start_date=start,
               event_end_date=date(2024, 6, 1), **SVC)
    rebuild(con)
    assert sorted(r["record_id"] for r in rows(con, "SELECT record_id FROM cld_events")) == [1, 3]


def test_step_three_outcome_hierarchy_then_conversation_then_record_id(tmp_path):
    """Requests of one event each (same key), in one file:
    - A: `NFA: Other` (rank 17, record 2) vs `Admitted to hospital` (rank 6, record 1)
      -> record 1;
    - B: `Invalid and not mapped` (unranked: 999, record 4) vs `NFA: Other` (17, record 3)
      -> record 3;
    - C: same outcome; conversation (record 5) vs not (record 6) -> record 5;
    - D: same outcome, no conversation, records 7 and 8 -> record 8 (most recently loaded).
    """
    con = _one_file(tmp_path)
    req = {"event_type": "Request", **BASE["Request"]}
    for person, rid, outcome, conv in [
        ("A", 2, "NFA: Other", False), ("A", 1, "Admitted to hospital", False),
        ("B", 4, "Invalid and not mapped", False), ("B", 3, "NFA: Other", False),
        ("C", 5, "NFA: Other", True), ("C", 6, "NFA: Other", False),
        ("D", 7, "NFA: Other", False), ("D", 8, "NFA: Other", False),
    ]:
        add_record(con, 1, person=person, record_id=rid, event_outcome=outcome,
                   is_conversation=conv, **req)
    rebuild(con)
    chosen = {r["person_id"]: r["record_id"]
              for r in rows(con, "SELECT person_id, record_id FROM cld_events")}
    assert chosen == {"A": 1, "B": 3, "C": 5, "D": 8}


def test_repeated_event_across_quarterly_files_counts_once(tmp_path):
    """A request ending 2023-11-10 is in both files (file 1 covers to June 2024) but file 1
    speaks only for Jul-Sep 2023, so its copy is filtered out there; file 2's copy is the
    one event. A request ending 2023-08-10 is in both files: only file 1's period holds it.
    Two events in all, one from each file.
    """
    con = _two_quarters(tmp_path)
    for sid in (1, 2):
        add_record(con, sid, person="late", event_type="Request",
                   event_start_date=date(2023, 11, 1), event_end_date=date(2023, 11, 10))
        add_record(con, sid, person="early", event_type="Request",
                   event_start_date=date(2023, 8, 1), event_end_date=date(2023, 8, 10))
    rebuild(con)
    got = {r["person_id"]: r["submission_id"]
           for r in rows(con, "SELECT person_id, submission_id FROM cld_events")}
    assert got == {"late": 2, "early": 1}
