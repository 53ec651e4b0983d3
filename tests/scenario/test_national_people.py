"""Latest person details (cld-r2.md §5.8, ascof.md §2.0.2) in `cld_people`."""

from __future__ import annotations

from datetime import date

import pytest
from national_fixtures import add_record, add_submission, rows, warehouse

from openasc.ingest.national import rebuild

SVC = {"event_type": "Service", "service_type": "Long term support: Community",
       "service_component": "Equipment"}


def _req(day: int) -> dict:
    """A request that starts and ends on the given day of May 2024 (in period 2)."""
    return {"event_type": "Request", "event_start_date": date(2024, 5, day),
            "event_end_date": date(2024, 5, day)}


@pytest.fixture
def con(tmp_path):
    """Two reference periods: file 1 for Jul-Sep 2023 (ends 2023-09-30), file 2 for
    Oct 2023 - Sep 2024 (ends 2024-09-30, the later one)."""
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_submission(con, 2, date(2024, 10, 20), (date(2023, 10, 1), date(2024, 9, 30)))
    return con


def _person(con, person: str = "P1") -> dict:
    found = rows(con, "SELECT * FROM cld_people WHERE person_id = ?", [person])
    assert len(found) == 1
    return found[0]


def test_known_value_beats_a_later_unknown(con):
    """Gender `Male` on a request in period 1 (2023-08-10); `Unknown` on a request in the later
    period 2 (2024-05-10). Known first, so `Male` although it is older."""
    add_record(con, 1, gender="Male", event_type="Request",
               event_start_date=date(2023, 8, 10), event_end_date=date(2023, 8, 10))
    add_record(con, 2, gender="Unknown", **_req(10))
    rebuild(con)
    assert _person(con)["gender"] == "Male"


def test_later_reference_period_then_later_end_then_later_start(con):
    """Each attribute on its own ranking:
    - gender: `Male` in period 1, `Female` in period 2 -> `Female` (later period);
    - employment: in period 2, an open service says `Paid: Less than 16 hours a week`, a
      request ended 2024-05-10 says `Not in paid employment: Seeking work`; open counts as
      the latest end -> `Paid: Less than 16 hours a week`;
    - PSR: in period 2, two requests ending 2024-05-12, started 2024-05-01 (`Mental health
      support`) and 2024-05-03 (`Learning disability support`) -> later start: `Learning
      disability support`.
    """
    add_record(con, 1, gender="Male", event_type="Request",
               event_start_date=date(2023, 8, 1), event_end_date=date(2023, 8, 2))
    add_record(con, 2, gender="Female", event_start_date=date(2024, 1, 5),
               employment_status="Paid: Less than 16 hours a week", **SVC)
    add_record(con, 2, gender="Female", employment_status="Not in paid employment: Seeking work",
               **_req(10))
    add_record(con, 2, gender="Female", primary_support_reason="Mental health support",
               event_type="Request", event_start_date=date(2024, 5, 1),
               event_end_date=date(2024, 5, 12))
    add_record(con, 2, gender="Female", primary_support_reason="Learning disability support",
               event_type="Request", event_start_date=date(2024, 5, 3),
               event_end_date=date(2024, 5, 12))
    rebuild(con)
    p = _person(con)
    assert (p["gender"], p["employment_status"], p["primary_support_reason"]) == (
        "Female", "Paid: Less than 16 hours a week", "Learning disability support")


def test_disagreement_at_the_top_becomes_unknown(con):
    """Two requests in period 2 with the same start and end (but different routes, so two
    events): ethnicity `White: Irish` vs `Asian or Asian British: Indian` -> `Unknown`, group
    `Unknown`; gender agrees (`Female`) -> `Female`."""
    add_record(con, 2, ethnicity="White: Irish", request_route_of_access="Prison", **_req(10))
    add_record(con, 2, ethnicity="Asian or Asian British: Indian",
               request_route_of_access="Community or other route", **_req(10))
    rebuild(con)
    p = _person(con)
    assert (p["ethnicity"], p["ethnicity_grouped"], p["gender"]) == (
        "Unknown", "Unknown", "Female")


def test_carer_support_reason_ranks_with_the_unknowns(con):
    """PSR `Social support: Support to unpaid carer` (period 2) loses to `Mental health
    support` (period 1), as an unknown would; ethnicity is grouped from the chosen value."""
    add_record(con, 1, primary_support_reason="Mental health support", event_type="Request",
               event_start_date=date(2023, 8, 1), event_end_date=date(2023, 8, 2))
    add_record(con, 2, primary_support_reason="Social support: Support to unpaid carer",
               **_req(10))
    rebuild(con)
    p = _person(con)
    assert (p["primary_support_reason"], p["ethnicity_grouped"]) == (
        "Mental health support", "White")


def test_birth_and_death_dates(con):
    """Birth year/month: complete first, then later period, then the earliest date: period 2
    says 1950-06 and 1949-12 (both complete) -> 1949-12; period 1's 1940-01 is older data.
    Date of death: known first, then later period, then latest: period 2 says 2024-05-20 and
    NULL -> 2024-05-20."""
    add_record(con, 1, birth_year=1940, birth_month=1, event_type="Request",
               event_start_date=date(2023, 8, 1), event_end_date=date(2023, 8, 2))
    add_record(con, 2, birth_year=1950, birth_month=6, date_of_death=date(2024, 5, 20),
               **_req(10))
    add_record(con, 2, birth_year=1949, birth_month=12, **_req(11))
    rebuild(con)
    p = _person(con)
    assert (p["birth_year"], p["birth_month"], p["date_of_death"]) == (1949, 12, date(2024, 5, 20))


def test_no_known_value_takes_the_latest_rows_own_value(con):
    """Gender is never known. P1: `Unknown` on 2024-05-10, then on 2024-05-12 two requests
    (two routes, so two events) say `No data: Undeclared or not known` and nothing -> the
    latest rows' value, a blank not counting as a disagreement. P2: its two latest rows say
    `Unknown` and `Invalid and not mapped` -> `Unknown`."""
    add_record(con, 2, gender="Unknown", **_req(10))
    add_record(con, 2, gender="No data: Undeclared or not known",
               request_route_of_access="Prison", **_req(12))
    add_record(con, 2, gender=None, request_route_of_access="Community or other route",
               **_req(12))
    add_record(con, 2, person="P2", gender="Unknown", request_route_of_access="Prison",
               **_req(12))
    add_record(con, 2, person="P2", gender="Invalid and not mapped",
               request_route_of_access="Community or other route", **_req(12))
    rebuild(con)
    assert _person(con)["gender"] == "No data: Undeclared or not known"
    assert _person(con, "P2")["gender"] == "Unknown"


def test_pseudonym_and_postcode_latest_known_then_latest_loaded(con):
    """Person N1 (combined ID): two requests on 2024-05-10 (L1/AB1 loaded first, L2/CD2
    second) and a later one on 2024-05-12 with neither field -> the latest rows that have
    them, and of those the one loaded last: L2, CD2."""
    add_record(con, 2, person="N1", la_person_pseudo="L1", postcode_district="AB1",
               request_route_of_access="Prison", **_req(10))
    add_record(con, 2, person="N1", la_person_pseudo="L2", postcode_district="CD2",
               request_route_of_access="Community or other route", **_req(10))
    add_record(con, 2, person="N1", la_person_pseudo=None, postcode_district=None, **_req(12))
    rebuild(con)
    p = _person(con, "N1")
    assert (p["la_person_pseudo"], p["postcode_district"]) == ("L2", "CD2")


def test_complete_birth_date_and_later_file_death_date_win(con):
    """Birth: file 2 (later) gives only the year 1950, file 1 the complete 1940-01 ->
    complete first: 1940-01. Death: file 1 says 2024-06-01, file 2 says 2024-05-20 -> the
    later file before the later date: 2024-05-20."""
    add_record(con, 1, birth_year=1940, birth_month=1, date_of_death=date(2024, 6, 1),
               event_type="Request", event_start_date=date(2023, 8, 1),
               event_end_date=date(2023, 8, 2))
    add_record(con, 2, birth_year=1950, birth_month=None, date_of_death=date(2024, 5, 20),
               **_req(10))
    rebuild(con)
    p = _person(con)
    assert (p["birth_year"], p["birth_month"], p["date_of_death"]) == (1940, 1, date(2024, 5, 20))


@pytest.mark.parametrize(("services", "expected"), [
    ([("Long term support: Nursing care", "Equipment")], "Registered nursing home"),
    ([("Long term support: Residential care", "Equipment")], "Registered care home"),
    ([("Short term support: Other short term", "Shared Lives")], "Shared Lives scheme"),
    ([("Long term support: Community", "Extra care housing")],
     "Sheltered housing, extra care housing or other sheltered housing"),
    ([("Long term support: Community", "Community supported living")],
     "Supported accommodation, supported lodgings or supported group home"),
    ([("Long term support: Community", "Home support or domiciliary care")],
     "Unknown: Presumed at home"),
    ([("Long term support: Community", "Equipment")], "Unknown: Presumed in community"),
    ([("Long term support: Community", "Shared Lives"),
      ("Long term support: Community", "Extra care housing")], "Unknown: Presumed in community"),
    ([("Long term support: Prison", "Equipment")],
     "Prison, young offenders institution or detention centre"),
    ([("Short term support: ST-Max", "Reablement")], "Unknown"),
    ([("Long term support: Community", "Home support or domiciliary care"),
      ("Long term support: Nursing care", "Equipment")], "Registered nursing home"),
    ([("Long term support: Community", "Equipment"),
      ("Long term support: Community", "Shared Lives")], "Shared Lives scheme"),
])
def test_unknown_accommodation_is_inferred_from_the_latest_service(con, services, expected):
    """Recorded status `Unknown` everywhere; open services from 2024-01-05 in period 2 (all
    tied). The first rule that applies (ascof.md §2.4 step 4): nursing -> nursing home;
    residential -> care home; component Shared Lives / extra care / supported living -> the
    matching status; community + home support -> presumed at home; community with no single
    mappable component (none, or two different ones tied) -> presumed in community; prison ->
    prison; otherwise `Unknown`. Among services with the same end, the lower setting rank
    (nursing before community), then a mappable component, comes first."""
    for stype, component in services:
        add_record(con, 2, accommodation_status="Unknown", event_type="Service",
                   event_start_date=date(2024, 1, 5), service_type=stype,
                   service_component=component)
    rebuild(con)
    assert _person(con)["accommodation_status"] == expected


def test_accommodation_inference_uses_the_latest_service_only(con):
    """Recorded status invalid. Services in period 2: residential care ended 2024-03-01;
    community + home support open (latest end: open first) -> presumed at home. A known
    status on any row would have been kept instead: person P2 has `Registered care home`
    recorded on a request and an open nursing service -> `Registered care home`."""
    add_record(con, 2, accommodation_status="Invalid and not mapped", event_type="Service",
               event_start_date=date(2024, 1, 5), event_end_date=date(2024, 3, 1),
               service_type="Long term support: Residential care", service_component="Equipment")
    add_record(con, 2, accommodation_status="Invalid and not mapped", event_type="Service",
               event_start_date=date(2023, 12, 5), service_type="Long term support: Community",
               service_component="Home support or domiciliary care")
    add_record(con, 2, person="P2", accommodation_status="Registered care home", **_req(3))
    add_record(con, 2, person="P2", accommodation_status="Unknown", event_type="Service",
               event_start_date=date(2024, 1, 5), service_type="Long term support: Nursing care",
               service_component="Equipment")
    rebuild(con)
    assert _person(con)["accommodation_status"] == "Unknown: Presumed at home"
    assert _person(con, "P2")["accommodation_status"] == "Registered care home"


def test_has_unpaid_carer_from_carer_rows_linking_to_the_person(con):
    """P1 records `No`, but a known-by-association carer row in file 2 links to P1's council
    person pseudonym -> `Yes`. P2 records `No` and nobody links to them -> `No`. P3 is linked
    only from file 1's carer row, and file 1 is chosen (Jul-Sep 2023) -> `Yes` as well.
    The carer (known by association only) has no events, so is not a person here."""
    add_record(con, 2, person="P1", has_unpaid_carer="No", **_req(10))
    add_record(con, 2, person="P2", has_unpaid_carer="No", **_req(11))
    add_record(con, 2, person="P3", has_unpaid_carer="No", **_req(12))
    add_record(con, 2, person="C1", client_type="Unpaid carer known by association",
               adult_1_linked_person_pseudo="P1")
    add_record(con, 1, person="C2", client_type="Unpaid carer", event_type="Assessment",
               event_start_date=date(2023, 8, 1), event_end_date=date(2023, 8, 3),
               adult_2_linked_person_pseudo="P3")
    rebuild(con)
    got = {r["person_id"]: r["has_unpaid_carer"]
           for r in rows(con, "SELECT person_id, has_unpaid_carer FROM cld_people")}
    assert got == {"P1": "Yes", "P2": "No", "P3": "Yes", "C2": "Unknown"}


def test_one_row_per_council_and_combined_person_id(con):
    """Two rows under one combined person ID (NHS number pseudonym) but different council IDs
    are one person; the same council ID under two combined IDs are two people."""
    add_record(con, 2, person="N1", la_person_pseudo="L1", **_req(10))
    add_record(con, 2, person="N1", la_person_pseudo="L2", **_req(11))
    add_record(con, 2, person="N2", la_person_pseudo="L3", **_req(12))
    add_record(con, 2, person="N3", la_person_pseudo="L3", **_req(13))
    rebuild(con)
    assert [r["person_id"] for r in rows(con, "SELECT person_id FROM cld_people")] == [
        "N1", "N2", "N3"]
