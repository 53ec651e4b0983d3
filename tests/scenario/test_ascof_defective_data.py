"""The national method on defective data (issue 18): two defects an independent
re-implementation of DHSC's code counted differently from openasc, worked through ascof.md
§2.0-2.4 and cld-r2.md §5.

Period 2024-04-01 to 2025-03-31, council 416 (Worcestershire). People are born 1940-06-15
(84 in 2025, band 65 and above) unless stated. Each case runs alone (`batch=False`), because
the batch harness gives every NHS number a new valid one, and one case here is about an
invalid NHS number.
"""

from __future__ import annotations

import duckdb
from ascof_harness import nhs_number, scenario, service

COMMUNITY = "Long term support: Community"
RES = "Long term support: Residential care"
OLD = "age_band=65 and above"
ENDED = "NFA: Support ended as planned"


def _invalid(number: str) -> str:
    """The same ten digits with the check digit changed: fails the modulus 11 check."""
    return number[:9] + str((int(number[9]) + 1) % 10)


def test_a_person_is_the_nhs_number_where_present_valid_or_not(tmp_path):
    """One council person ID, P, on three `Long term support: Community` rows, accommodation
    status Unknown on each:

    - A: an NHS number failing the check digit; home support 2024-01-01 to 2024-04-06;
    - B: a valid NHS number; day support, open from 2024-01-01;
    - C: no NHS number; home support, open from 2024-04-07.

    DHSC's combined person ID is the NHS number where one is present, else council code +
    council person ID (cld-r2.md §5.6; ascof.md §2.0.1 step 4), so A, B and C are three
    people. 2E (ascof.md §2.4): each has a long-term service overlapping the period (A's ends
    2024-04-06 ≥ 2024-04-01), all 65 and above. Accommodation is Unknown, so it comes from
    the person's latest service: A and C home support → `Unknown: Presumed at home`, settled
    → N and D; B day support (not a mappable component) → `Unknown: Presumed in community`
    → D only. 2E 65+ = 2 of 3.

    (openasc read A's invalid number as no number, so A and C were one person by their
    council ID, whose latest service is C's: 1 of 2.)"""
    valid = nhs_number("P")
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", "2024-04-06", outcome=ENDED,
                component="Home support or domiciliary care", NHS_Number=_invalid(valid),
                Accommodation_Status="Unknown"),
        service("P", COMMUNITY, "2024-01-01", component="Day support", NHS_Number=valid,
                Accommodation_Status="Unknown"),
        service("P", COMMUNITY, "2024-04-07", component="Home support or domiciliary care",
                NHS_Number=None, Accommodation_Status="Unknown"),
    ], batch=False)
    assert f.get("2E", OLD) == (2, 3)


def test_an_event_ending_before_it_starts_is_kept_and_counted_as_dhsc_counts_it(tmp_path):
    """R: a residential long-term service starting 2024-05-01 and ending 2024-04-20 (end
    before start), born 1940-06-15 (83 at admission). E: a community long-term service
    2024-06-01 to 2024-05-01 (end before start), status `Tenant: Private landlord`.

    DHSC keeps both rows: its event filter (cld-r2.md §5.4) keeps a service that starts
    before the reference period's end and ends within it, never comparing end with start.
    - 2B/2C (ascof.md §2.2) has no `end >= start` filter: R's service is a candidate, starts
      in the period, has no earlier residential or nursing service → a new admission, age 83
      → 2C = 1 / 26,000 (population 1,000 at each age 18 to 90+), 2B = 0 / 47,000. Each
      row is one unique event in `cld_events`.
    - 2E (§2.4) takes only services with end ≥ start or open: R's and E's are left out, so
      no one is in 2E (0 of 0).

    (openasc quarantined both rows: 2C numerator 0.)"""
    f = scenario(tmp_path, [
        service("R", RES, "2024-05-01", "2024-04-20", component="Long term residential care",
                outcome=ENDED),
        service("E", COMMUNITY, "2024-06-01", "2024-05-01", outcome=ENDED,
                Accommodation_Status="Tenant: Private landlord"),
    ], population={age: 1000 for age in range(18, 91)}, batch=False)
    assert f.get("2C") == (1, 26000)  # 65 to 90-and-over: 26 ages of 1,000
    assert f.get("2B") == (0, 47000)
    assert f.get("2E", OLD) == (0, 0)
    con = duckdb.connect(str(f.warehouse), read_only=True)
    kept = con.execute("SELECT count(*) FROM cld_events WHERE event_type = 'Service' AND "
                       "der_event_end_date < event_start_date").fetchone()[0]
    assert kept == 2
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
