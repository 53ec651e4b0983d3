"""Event filtering to the reference period, the death-corrected end date and the derived
fields (cld-r2.md §5.4, §5.6).

One file, imported 2024-07-20 with derived period 2024-04-01..2024-06-30, so the joined table
has one reference period: 2024-04-01..2024-06-30 (and no cropping: it is the last one).
"""

from __future__ import annotations

from datetime import date

import pytest
from national_fixtures import add_record, add_submission, rows, warehouse

from openasc.ingest.national import rebuild

Q = (date(2024, 4, 1), date(2024, 6, 30))


@pytest.fixture
def con(tmp_path):
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), Q)
    return con


def _kept(con) -> dict[str, dict]:
    """The joined table keyed by the `person` each test gives its rows."""
    return {r["person_id"]: r for r in rows(con, "SELECT * FROM cld_events")}


@pytest.mark.parametrize("event_type", ["Request", "Assessment", "Review"])
def test_completed_events_must_end_in_the_period(con, event_type):
    """Requests, assessments and reviews: start <= 2024-06-30 and end within the period.

    ends 2024-03-31 -> out;  started 2024-03-25, ends 2024-04-02 -> in;
    ends 2024-06-30 -> in (inclusive);  ends 2024-07-01 -> out;  no end date -> out;
    no start date -> out.
    """
    cases = {
        "ended-before": (date(2024, 3, 20), date(2024, 3, 31)),
        "started-before": (date(2024, 3, 25), date(2024, 4, 2)),
        "ends-on-last-day": (date(2024, 6, 1), date(2024, 6, 30)),
        "ends-after": (date(2024, 6, 20), date(2024, 7, 1)),
        "open": (date(2024, 5, 1), None),
        "no-start": (None, date(2024, 5, 1)),
    }
    for person, (start, end) in cases.items():
        add_record(con, 1, person=person, event_type=event_type,
                   event_start_date=start, event_end_date=end)
    rebuild(con)
    assert sorted(_kept(con)) == ["ends-on-last-day", "started-before"]


def test_services_active_at_any_time_in_the_period_are_kept(con):
    """Services: start <= 2024-06-30 and (end >= 2024-04-01 or open).

    2024-01-01..2024-03-31 -> out (ended before);  2024-01-01..open -> in;
    2024-01-01..2024-04-01 -> in;  2024-05-01..2024-09-01 -> in (ends after);
    2024-07-01..open -> out (starts after).
    """
    cases = {
        "ended-before": (date(2024, 1, 1), date(2024, 3, 31)),
        "open-from-before": (date(2024, 1, 1), None),
        "ends-first-day": (date(2024, 1, 1), date(2024, 4, 1)),
        "ends-after": (date(2024, 5, 1), date(2024, 9, 1)),
        "starts-after": (date(2024, 7, 1), None),
    }
    for person, (start, end) in cases.items():
        add_record(con, 1, person=person, event_type="Service", event_start_date=start,
                   event_end_date=end, service_type="Long term support: Community",
                   service_component="Home support or domiciliary care")
    rebuild(con)
    assert sorted(_kept(con)) == ["ends-after", "ends-first-day", "open-from-before"]


def test_end_date_corrected_for_death_and_rows_dropped_for_early_death(con):
    """Corrected end date (§5.4), using the CLD date of death (no ONS linkage locally):

    - open service from 2024-02-01, died 2024-05-10 -> end 2024-05-10 (kept);
    - request 2024-04-01..2024-05-20, died 2024-05-10 (between) -> end 2024-05-10;
    - request 2024-04-01..2024-04-20, died 2024-06-01 (after the end) -> end unchanged;
    - open service from 2024-05-01, died 2024-05-01 (not *after* the start) -> stays open;
    - open service from 2024-05-01, died 2024-04-15 (before the event start) -> dropped;
    - open service from 2024-03-15, died 2024-03-15: the end stays open, so the service
      filter alone would keep it, but the death is before the period start -> dropped.
    """
    svc = {"event_type": "Service", "service_type": "Long term support: Community",
           "service_component": "Home support or domiciliary care"}
    add_record(con, 1, person="svc-died", event_start_date=date(2024, 2, 1),
               date_of_death=date(2024, 5, 10), **svc)
    add_record(con, 1, person="req-died", event_type="Request",
               event_start_date=date(2024, 4, 1), event_end_date=date(2024, 5, 20),
               date_of_death=date(2024, 5, 10))
    add_record(con, 1, person="req-died-later", event_type="Request",
               event_start_date=date(2024, 4, 1), event_end_date=date(2024, 4, 20),
               date_of_death=date(2024, 6, 1))
    add_record(con, 1, person="died-on-start", event_start_date=date(2024, 5, 1),
               date_of_death=date(2024, 5, 1), **svc)
    add_record(con, 1, person="died-before-start", event_start_date=date(2024, 5, 1),
               date_of_death=date(2024, 4, 15), **svc)
    add_record(con, 1, person="died-before-period", event_start_date=date(2024, 3, 15),
               date_of_death=date(2024, 3, 15), **svc)
    rebuild(con)
    kept = _kept(con)
    assert {p: r["der_event_end_date"] for p, r in kept.items()} == {
        "svc-died": date(2024, 5, 10),
        "req-died": date(2024, 5, 10),
        "req-died-later": date(2024, 4, 20),
        "died-on-start": None,
    }
    assert kept["req-died"]["event_end_date"] == date(2024, 5, 20)  # as submitted


def test_latest_age_assumes_birth_on_the_first_of_the_month(con):
    """Born June 1950 -> taken as 1950-06-01. 1950-06-01 to 2024-06-01 is 74 x 365 + 19 leap
    days = 27,029 days; 27,029 / 365.25 = 74.0014 -> 74. One day earlier, 2024-05-31:
    27,028 / 365.25 = 73.9986 -> 73.

    Request 2024-05-31..2024-06-01: age at start 73, latest age (at the end) 74.
    Open service from 2024-05-31: latest age at the reference period end 2024-06-30: 74.
    No birth year: ages NULL, bands `Unknown`.
    """
    add_record(con, 1, person="req", event_type="Request",
               event_start_date=date(2024, 5, 31), event_end_date=date(2024, 6, 1))
    add_record(con, 1, person="svc", event_type="Service", event_start_date=date(2024, 5, 31),
               service_type="Long term support: Community", service_component="Equipment")
    add_record(con, 1, person="nobirth", birth_year=None, birth_month=None,
               event_type="Request", event_start_date=date(2024, 5, 1),
               event_end_date=date(2024, 5, 2))
    rebuild(con)
    kept = _kept(con)
    assert (kept["req"]["der_age_event_start"], kept["req"]["der_age"]) == (73, 74)
    assert kept["svc"]["der_age"] == 74
    assert (kept["nobirth"]["der_age"], kept["nobirth"]["der_age_band"],
            kept["nobirth"]["der_working_age_band"]) == (None, "Unknown", "Unknown")


@pytest.mark.parametrize(("birth_year", "band", "working_band"), [
    (2007, "Under 18", "Under 18"),
    (2006, "18 to 24", "18 to 64"),
    (2000, "18 to 24", "18 to 64"),
    (1999, "25 to 44", "18 to 64"),
    (1980, "25 to 44", "18 to 64"),
    (1979, "45 to 64", "18 to 64"),
    (1960, "45 to 64", "18 to 64"),
    (1959, "65 to 74", "65 and above"),
    (1950, "65 to 74", "65 and above"),
    (1949, "75 to 84", "65 and above"),
    (1940, "75 to 84", "65 and above"),
    (1939, "85 to 94", "65 and above"),
    (1930, "85 to 94", "65 and above"),
    (1929, "95 and above", "65 and above"),
])
def test_age_bands_at_their_edges(con, birth_year, band, working_band):
    """A request ending 2024-06-01 for someone born in June of `birth_year`: the age is
    exactly 2024 - birth_year (from 1 June to 1 June over n years there are at least n/4 leap
    days, so days / 365.25 >= n, and fewer than n + 1 years). E.g. 2007 -> 17 -> Under 18;
    2006 -> 18 -> 18 to 24; 1960 -> 64 -> 45 to 64 / 18 to 64; 1959 -> 65 -> 65 to 74."""
    add_record(con, 1, person="p", birth_year=birth_year, birth_month=6, event_type="Request",
               event_start_date=date(2024, 5, 1), event_end_date=date(2024, 6, 1))
    rebuild(con)
    r = _kept(con)["p"]
    assert (r["der_age"], r["der_age_band"], r["der_working_age_band"]) == (
        2024 - birth_year, band, working_band)


def test_groupings_outcome_rank_review_type_and_event_reference(con):
    """Groupings (§5.6, cld-r2.md §3):
    - ethnicity `Asian or Asian British: Indian` -> `Asian or Asian British`;
      `Invalid and not mapped` -> `Unknown`;
    - outcome `NFA: Support declined` -> `NFA`, rank 12; `Admitted to hospital` -> itself,
      rank 6; `Invalid and not mapped` -> itself, rank 999;
    - service type `Short term support: ST-Max` -> `Short term support`;
    - review reason `Unplanned: Hospital` -> `Unplanned`; `Planned` ->
      `Planned review of long term support`; `Review of short term support` -> itself;
      `Invalid and not mapped` -> `Review Type Unknown`.
    Unique event reference `<la_code>_<n>`, n in order of start date: a (Apr 2) = 1 ...
    """
    add_record(con, 1, person="a", ethnicity="Asian or Asian British: Indian",
               event_type="Request", event_start_date=date(2024, 4, 2),
               event_end_date=date(2024, 4, 3), event_outcome="NFA: Support declined")
    add_record(con, 1, person="b", ethnicity="Invalid and not mapped",
               event_type="Assessment", event_start_date=date(2024, 4, 3),
               event_end_date=date(2024, 4, 4), event_outcome="Admitted to hospital")
    add_record(con, 1, person="c", event_type="Service", event_start_date=date(2024, 4, 4),
               service_type="Short term support: ST-Max", service_component="Reablement",
               event_outcome="Invalid and not mapped")
    reasons = {"d": "Unplanned: Hospital", "e": "Planned",
               "f": "Review of short term support", "g": "Invalid and not mapped"}
    for day, (person, reason) in enumerate(reasons.items(), start=5):
        add_record(con, 1, person=person, event_type="Review",
                   event_start_date=date(2024, 4, day), event_end_date=date(2024, 4, day),
                   review_reason=reason)
    rebuild(con)
    k = _kept(con)
    assert (k["a"]["ethnicity_grouped"], k["b"]["ethnicity_grouped"]) == (
        "Asian or Asian British", "Unknown")
    assert [(k[p]["event_outcome_grouped"], k[p]["event_outcome_rank"]) for p in "abc"] == [
        ("NFA", 12), ("Admitted to hospital", 6), ("Invalid and not mapped", 999)]
    assert k["c"]["service_type_grouped"] == "Short term support"
    assert k["a"]["service_type_grouped"] is None
    assert [k[p]["review_type"] for p in "defg"] == [
        "Unplanned", "Planned review of long term support", "Review of short term support",
        "Review Type Unknown"]
    assert k["a"]["review_type"] is None
    assert [k[p]["unique_event_ref"] for p in "abcdefg"] == [
        f"E10000034_{n}" for n in range(1, 8)]


def test_event_reference_numbers_ties_on_start_date_in_load_order(con):
    """`unique_event_ref` numbers events by start date, then by load order (record_id) -
    docs/decisions.md 18.

    Loaded in this order: x (record id 101, starts 2 April), y (102, 1 April), z (103,
    1 April). By start date y and z come first; between them, y was loaded first. So
    y -> _1, z -> _2, x -> _3, whatever the persons' IDs (z < y < x alphabetically would
    give the reverse if the key's text decided).
    """
    for rid, person, day in ((101, "x", 2), (102, "zz-y", 1), (103, "a-z", 1)):
        add_record(con, 1, record_id=rid, person=person, event_type="Request",
                   event_start_date=date(2024, 4, day), event_end_date=date(2024, 4, 20))
    rebuild(con)
    k = _kept(con)
    assert [k[p]["unique_event_ref"] for p in ("zz-y", "a-z", "x")] == [
        "E10000034_1", "E10000034_2", "E10000034_3"]


def test_known_by_association_rows_are_not_events(con):
    """An unpaid carer known by association has no event type or dates: never an event."""
    add_record(con, 1, person="carer", client_type="Unpaid carer known by association",
               adult_1_linked_person_pseudo="someone")
    rebuild(con)
    assert _kept(con) == {}
