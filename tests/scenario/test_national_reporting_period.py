"""Deriving a file's reporting period from its event end dates (cld-r2.md §5.2, v1 and v2)."""

from __future__ import annotations

from datetime import date

import pytest
from national_fixtures import add_events, add_record, add_submission, four_types, warehouse

from openasc.errors import OpenascError
from openasc.ingest.national import derive_reporting_period


def _months(first: date, count: int) -> list[date]:
    """The 15th of `count` consecutive months from `first`."""
    out = []
    y, m = first.year, first.month
    for _ in range(count):
        out.append(date(y, m, 15))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_two_percent_rule_drops_a_thin_month(tmp_path):
    """Jul 2023-Jun 2024 hold 16 events each (4 of each type): 192. June 2023 holds 3 events
    of 3 types. Counted events = 195.

    - each full month: 16/195 = 8.2% >= 2% and 4 types >= 4 - 1 = 3: counts;
    - June 2023: 3/195 = 1.54% < 2%: does not count, although its 3 types would pass.

    Derived period = 2023-07-01 to 2024-06-30; it is stored on the submission row.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20))
    add_events(con, 1, {m: four_types(4) for m in _months(date(2023, 7, 1), 12)})
    add_events(con, 1, {date(2023, 6, 10): {"Request": 1, "Assessment": 1, "Review": 1}})

    assert derive_reporting_period(con, 1) == (date(2023, 7, 1), date(2024, 6, 30))
    assert con.execute(
        "SELECT derived_period_start, derived_period_end FROM cld_submissions"
    ).fetchone() == (date(2023, 7, 1), date(2024, 6, 30))


def test_event_type_rule_drops_a_month_missing_two_types(tmp_path):
    """Jul 2023-May 2024: 16 events each, 4 types (176). June 2024: 16 events, requests and
    assessments only. September 2023 instead has only 3 types (no reviews, 12 events).

    Most types in any month = 4, so a month needs >= 3 types:
    - June 2024: 16/188 = 8.5% >= 2% but 2 types < 3: does not count;
    - September 2023: 3 types >= 3: counts.
    Derived period = 2023-07-01 to 2024-05-31.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20))
    months = _months(date(2023, 7, 1), 11)
    counts = {m: four_types(4) for m in months}
    counts[date(2023, 9, 15)] = {"Request": 4, "Assessment": 4, "Service": 4}
    counts[date(2024, 6, 15)] = {"Request": 8, "Assessment": 8}
    add_events(con, 1, counts)

    assert derive_reporting_period(con, 1) == (date(2023, 7, 1), date(2024, 5, 31))


def test_type_threshold_uses_the_most_varied_month_not_the_busiest(tmp_path):
    """Decision (docs/decisions.md): DHSC's code compares each month with the largest
    number of types found in any month. Here the busiest month, Jan 2024, has 60 events of
    2 types; Oct-Dec 2023 have 16 events of 4 types each. Total 108 (>= 100).

    Most types in any month = 4, so months need 3 types: Jan 2024 (2 types) does not count,
    though it holds 55.6% of events. Derived period = 2023-10-01 to 2023-12-31. (Reading
    "types in the busiest month" literally would give a threshold of 1 and end in January.)
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 4, 20))
    counts = {m: four_types(4) for m in _months(date(2023, 10, 1), 3)}
    counts[date(2024, 1, 15)] = {"Request": 30, "Service": 30}
    add_events(con, 1, counts)

    assert derive_reporting_period(con, 1) == (date(2023, 10, 1), date(2023, 12, 31))


def test_events_ending_in_or_after_the_import_month_are_ignored(tmp_path):
    """Apr-Jun 2024: 40 events each (10 per type); July 2024: 40 events; August 2024: 40
    events; plus 5 open services (no end date: never counted).

    Imported 2024-07-20: July and August end in or after the import month: ignored; counted
    events = 120 and the period is 2024-04-01 to 2024-06-30.
    The same rows imported 2024-09-01: only September onwards is ignored; July and August
    count (40/200 = 20%): the period is 2024-04-01 to 2024-08-31.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20))
    add_submission(con, 2, date(2024, 9, 1))
    for sid in (1, 2):
        add_events(con, sid, {m: four_types(10) for m in _months(date(2024, 4, 1), 5)})
        for _ in range(5):
            add_record(con, sid, event_type="Service", event_start_date=date(2024, 5, 1))

    assert derive_reporting_period(con, 1) == (date(2024, 4, 1), date(2024, 6, 30))
    assert derive_reporting_period(con, 2) == (date(2024, 4, 1), date(2024, 8, 31))


def test_files_with_fewer_than_100_events_keep_every_month(tmp_path):
    """File 1: March 2024 holds 98 events of 4 types; January 2024 one request. 99 events < 100,
    so every month with events counts: 2024-01-01 to 2024-03-31 (January would fail both
    tests: 1/99 = 1.0% < 2% and 1 type < 3).
    File 2: the same plus one more March request: 100 events, the tests apply, January is
    dropped: 2024-03-01 to 2024-03-31.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 4, 20))
    add_submission(con, 2, date(2024, 4, 21))
    march = {"Request": 25, "Assessment": 25, "Service": 24, "Review": 24}
    add_events(con, 1, {date(2024, 3, 10): march, date(2024, 1, 10): {"Request": 1}})
    add_events(con, 2, {date(2024, 3, 10): {**march, "Request": 26},
                        date(2024, 1, 10): {"Request": 1}})

    assert derive_reporting_period(con, 1) == (date(2024, 1, 1), date(2024, 3, 31))
    assert derive_reporting_period(con, 2) == (date(2024, 3, 1), date(2024, 3, 31))


def test_a_file_with_no_ended_events_has_no_derived_period(tmp_path):
    """Only open services: no month has events, so the derived period is NULL and the file
    can never be selected (§5.3)."""
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20))
    add_record(con, 1, event_type="Service", event_start_date=date(2024, 5, 1))
    assert derive_reporting_period(con, 1) == (None, None)


def test_v2_takes_the_latest_run_of_complete_months(tmp_path):
    """v2 (§5.2, revised): requests, assessments and services only; reviews ignored.

    Jan-Aug 2024: 12 requests, 12 assessments, 12 services a month, except
    - March: no requests: incomplete, but February and April are complete: tolerated;
    - May, June, July: 5 assessments (< 10, though >= 20% of the median 12 = 2.4):
      incomplete, and none of them has complete months on both sides: not tolerated;
    - July also has 3 reviews: ignored.
    Type totals 84 / 63 / 96, median 84, 5% = 4.2: every type is large enough.
    Usable runs: Jan-Apr and August. The latest run: 2024-08-01 to 2024-08-31.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 9, 10))
    full = {"Request": 12, "Assessment": 12, "Service": 12}
    counts = {m: dict(full) for m in _months(date(2024, 1, 1), 8)}
    counts[date(2024, 3, 15)]["Request"] = 0
    counts[date(2024, 5, 15)]["Assessment"] = 5
    counts[date(2024, 6, 15)]["Assessment"] = 5
    counts[date(2024, 7, 15)]["Assessment"] = 5
    counts[date(2024, 7, 15)]["Review"] = 3
    add_events(con, 1, counts)

    assert derive_reporting_period(con, 1, method="v2") == (date(2024, 8, 1), date(2024, 8, 31))


def test_v2_needs_all_three_types(tmp_path):
    """No assessments at all: v2 gives no derived period (a type is missing)."""
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 9, 10))
    add_events(con, 1, {m: {"Request": 12, "Service": 12} for m in _months(date(2024, 1, 1), 6)})
    assert derive_reporting_period(con, 1, method="v2") == (None, None)


def test_unknown_method_and_missing_submission_are_user_errors(tmp_path):
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 9, 10))
    with pytest.raises(OpenascError, match="v3"):
        derive_reporting_period(con, 1, method="v3")
    with pytest.raises(OpenascError, match="no CLD submission 7"):
        derive_reporting_period(con, 7)


def test_v2_uses_the_stated_period_for_the_isles_of_scilly(tmp_path):
    """The Isles of Scilly (E06000053) has too few events for any completeness test: v2 takes
    the stated period (2024-04-01..2025-03-31) although the file holds only two requests; v1
    derives from the data as for every council (one month: 2024-05-01..2024-05-31)."""
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2025, 4, 20), la_code="E06000053")
    con.execute("UPDATE cld_submissions SET stated_period_start = DATE '2024-04-01', "
                "stated_period_end = DATE '2025-03-31'")
    add_events(con, 1, {date(2024, 5, 3): {"Request": 2}})
    assert derive_reporting_period(con, 1, method="v2") == (date(2024, 4, 1), date(2025, 3, 31))
    assert derive_reporting_period(con, 1) == (date(2024, 5, 1), date(2024, 5, 31))
