"""Scale: the national method over 1,000,000 `cld_records` rows from four quarterly files.

Measured on the shared 2-core build machine (other jobs running): rebuild 3-7 s, reporting
periods 0.1 s for all four files. The ceiling asserted here is generous so that only a real
regression (a Python loop over rows, a quadratic join) fails it.
"""

from __future__ import annotations

import time
from datetime import date

import pytest
from national_fixtures import add_submission, warehouse

from openasc.ingest.national import derive_reporting_period, rebuild

FILES = [(1, date(2024, 4, 20)), (2, date(2024, 7, 20)), (3, date(2024, 10, 20)),
         (4, date(2025, 1, 20))]

# 250,000 rows per file, each file restating 12 months that start one quarter later than the
# previous file's; 40,000 people; every 4th row of each type; some deaths and open services.
_ROWS = """
INSERT INTO cld_records (record_id, submission_id, row_number, la_code, cassr_code,
  la_person_pseudo, person_id, birth_year, birth_month, date_of_death, gender, ethnicity,
  client_type, accommodation_status, event_type, event_start_date, event_end_date,
  event_outcome, request_route_of_access, assessment_type, service_type, service_component,
  is_conversation)
WITH s AS (
    SELECT * FROM (VALUES (1, DATE '2023-04-01'), (2, DATE '2023-07-01'),
                          (3, DATE '2023-10-01'), (4, DATE '2024-01-01')) t(sid, pstart)
), g AS (SELECT i, s.sid, s.pstart FROM range(250000) r(i), s)
SELECT row_number() OVER (), sid, i + 2, 'E10000034', '416',
       sha256('L' || (i % 40000)::VARCHAR), sha256('P' || (i % 40000)::VARCHAR),
       1930 + (i % 60), 1 + (i % 12),
       CASE WHEN i % 97 = 0 THEN pstart + INTERVAL ((i * 7) % 400) DAY END,
       CASE WHEN i % 2 = 0 THEN 'Female' ELSE 'Male' END, 'White: Irish', 'Service user',
       CASE WHEN i % 5 = 0 THEN 'Unknown' ELSE 'Registered care home' END,
       ['Request', 'Assessment', 'Service', 'Review'][1 + i % 4],
       (pstart + INTERVAL ((i * 13) % 360) DAY)::DATE,
       CASE WHEN i % 4 = 2 AND i % 3 = 0 THEN NULL
            ELSE (pstart + INTERVAL ((i * 13) % 360 + (i % 30)) DAY)::DATE END,
       'NFA: Other', 'Community or other route', 'Long term assessment',
       'Long term support: Community', 'Home support or domiciliary care', i % 11 = 0
FROM g
"""


@pytest.mark.slow
def test_a_million_rows_from_four_files(tmp_path):
    """Each file's derived period is the 12 months it restates (end dates spread evenly);
    selection as of 2025-01-20 takes file 1 for Apr-Jun 2023, 2 for Jul-Sep 2023, 3 for
    Oct-Dec 2023 and file 4 for Jan-Dec 2024; all 40,000 people have events."""
    con = warehouse(tmp_path)
    for sid, submitted in FILES:
        add_submission(con, sid, submitted)
    con.execute(_ROWS)

    started = time.perf_counter()
    derived = [derive_reporting_period(con, sid) for sid, _ in FILES]
    con.execute("BEGIN TRANSACTION")
    summary = rebuild(con)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started

    assert derived[0] == (date(2023, 4, 1), date(2024, 3, 31))
    assert derived[3] == (date(2024, 1, 1), date(2024, 12, 31))
    assert [(p["submission_id"], p["reference_period_start"]) for p in
            summary["reference_periods"]] == [
        (1, date(2023, 4, 1)), (2, date(2023, 7, 1)), (3, date(2023, 10, 1)),
        (4, date(2024, 1, 1))]
    assert summary["people"] == 40000
    assert elapsed < 25, f"rebuild of 1,000,000 rows took {elapsed:.1f} s"
