"""The DHSC dashboard families (WAITS, COSTS, DHSC) through the real command line: a CLD
file -> `openasc ingest cld` -> `openasc compute` -> `openasc export metrics` (the harness of
test_salt_events.py), so the SQL runs on the warehouse's own event tables. The rules
themselves are pinned one by one in test_waits.py, test_costs.py and test_dhsc_events.py.

One woman born June 1940 (84 in 2024-25: `65 and above`): request 1 May 2024 (progress to
assessment), long-term assessment 11-20 May (progress to support planning), long-term
community support from 10 June 2024 at £100 a week, still open. Bookend reviews (15 April
2024, 15 March 2025) make the file cover the year.
"""

from __future__ import annotations

import pytest
from test_salt_events import Figures, bookends, compute_and_export, ev, ingest


@pytest.fixture(scope="module")
def v(tmp_path_factory: pytest.TempPathFactory) -> Figures:
    rows = [
        *bookends("2024-04-15", "2025-03-15"),
        ev("A", "Request", "2024-05-01", "2024-05-03",
           event_outcome="Progress to assessment, review or reassessment"),
        ev("A", "Assessment", "2024-05-11", "2024-05-20"),
        ev("A", "Service", "2024-06-10", None, unit_cost="100",
           cost_frequency_unit_type="Weekly"),
    ]
    return compute_and_export(ingest(tmp_path_factory.mktemp("dhsc"), rows))


def test_waits_from_the_joined_table(v: Figures) -> None:
    """First response: the assessment, 1 -> 11 May = 10 days; first service 1 May -> 10
    June = 40 days; both in April-June 2024 (`2024-Q1`), band `65 and above`."""
    assert v[("W1", "age_band=65 and above;quarter=2024-Q1")] == 10
    assert v[("W2", "age_band=65 and above;quarter=2024-Q1")] == 40
    assert v[("W3", "")] == 2


def test_costs_from_the_single_table(v: Figures) -> None:
    """The last quarter of 2024-25 (1 January - 31 March 2025, 90 days): £100 a week x 90 /
    7 weeks = £1,285.71 (exported rounded to the whole pound); £100 a week on average."""
    assert v[("COST-1", "")] == pytest.approx(100 * 90 / 7, abs=0.5)
    assert v[("COST-2", "")] == 100
    assert v[("COST-4", "frequency=Weekly")] == 1


def test_event_counts_from_the_single_table(v: Figures) -> None:
    """One request, one assessment, one service; the two bookend reviews (the bookend person
    has no long-term service: `in_lts=No`)."""
    assert v[("DHSC-REQ-1", "")] == 1 and v[("DHSC-ASM-1", "")] == 1
    assert v[("DHSC-SRV-1", "service_type=Long term support: Community")] == 1
    assert v[("DHSC-REV-1", "in_lts=No")] == 2
