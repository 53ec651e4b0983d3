"""DoLS measures on a hand-made application list, through the command line (sac-dols-salt.md
B4-B5). Period 1 April 2024 to 31 March 2025.

| app | person | received   | urgent | signed off | status             | days |
|-----|--------|------------|--------|------------|--------------------|------|
| A1  | P1     | 01/02/2024 | no     | 10/05/2024 | Granted            | 99 (2024 is a leap year) |
| A2  | P1     | 01/04/2024 | no     | 22/04/2024 | Granted            | 21: the 21-day boundary |
| A3  | P2     | 01/04/2024 | no     | 23/04/2024 | Not granted (died) | 22 |
| A4  | P3     | 10/06/2024 | yes    | 17/06/2024 | Withdrawn          | 7 |
| A5  | P4     | 01/03/2025 | no     |            | Not yet signed off (High) | 30 |
| A6  | P5     | 01/12/2023 | no     |            | Not yet signed off (none) | 486 |
| A7  | P4     | 15/01/2025 | no     | 10/04/2025 | Granted (Low)      | 75 at 31/03/25 |

Population: 1,000 persons at each age 18..90 = 73,000 adults.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sac_casefiles import (
    DOLS_HEADER,
    add_population,
    application,
    export,
    openasc,
    write_rows,
)

PERIOD = ["--from", "2024-04-01", "--to", "2025-03-31", "--la", "E10000034"]


def _rows() -> list[dict]:
    return [
        application("A1", "P1", "01/02/2024", "Granted", "10/05/2024"),
        application("A2", "P1", "01/04/2024", "Granted", "22/04/2024"),
        application("A3", "P2", "01/04/2024", "Not granted", "23/04/2024",
                    Reason_Not_Granted="Person died"),
        application("A4", "P3", "10/06/2024", "Withdrawn", "17/06/2024", urgent="1"),
        application("A5", "P4", "01/03/2025", "Not yet signed off", Priority="High"),
        application("A6", "P5", "01/12/2023", "Not yet signed off"),
        application("A7", "P4", "15/01/2025", "Granted", "10/04/2025", Priority="Low"),
    ]


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("dols")
    path = write_rows(tmp / "dols.csv", DOLS_HEADER, _rows())
    r = openasc(tmp, "ingest", "dols", str(path))
    assert r.returncode == 0, r.stderr
    assert "7 rows in = 7 loaded + 0 quarantined" in r.stdout
    add_population(tmp, 2024, {age: 1000 for age in range(18, 91)})
    r = openasc(tmp, "compute", *PERIOD)
    assert r.returncode == 0, r.stderr
    return tmp


def _get(m: dict, code: str, breakdown: str = "") -> tuple[str, ...]:
    return m[("DOLS", code, breakdown)]


def test_received_and_people(computed: Path) -> None:
    """Received in the year: A2, A3, A4, A5, A7 = 5 applications, from P1, P2, P3, P4 = 4
    people (P4 twice). 4 standard + 1 urgent."""
    m = export(computed)
    assert _get(m, "RECEIVED")[0] == "5"
    assert _get(m, "RECEIVED", "type=Standard")[0] == "4"
    assert _get(m, "RECEIVED", "type=Urgent")[0] == "1"
    assert _get(m, "RECEIVED_PEOPLE")[0] == "4"


def test_completed_outcomes_and_withdrawn(computed: Path) -> None:
    """Signed off in the year: A1 (received last year), A2, A3, A4 = 4. Granted A1, A2; not
    granted A3 (died) and A4 (withdrawn, counted as not granted): 2 / 4 = 50%."""
    m = export(computed)
    assert _get(m, "COMPLETED")[0] == "4"
    assert _get(m, "COMPLETED", "outcome=Granted")[0] == "2"
    assert _get(m, "COMPLETED", "outcome=Not granted")[0] == "2"
    assert _get(m, "NOT_GRANTED_REASON", "outcome=Withdrawn or ceased")[0] == "1"
    assert _get(m, "NOT_GRANTED_REASON", "outcome=Person died")[0] == "1"
    assert _get(m, "NOT_GRANTED_PCT") == ("2", "4", "50")


def test_waiting_list_at_the_year_end(computed: Path) -> None:
    """Not signed off by 31/03/2025: A5 (30 days, High), A6 (486 days, no priority) and A7
    (signed off in April 2025, so still waiting at the year end: 75 days, Low) = 3."""
    m = export(computed)
    assert _get(m, "NOT_COMPLETED")[0] == "3"
    assert _get(m, "NOT_COMPLETED", "duration=0 to 90 days")[0] == "2"
    assert _get(m, "NOT_COMPLETED", "duration=More than 365 days")[0] == "1"
    assert _get(m, "NOT_COMPLETED", "priority=High")[0] == "1"
    assert _get(m, "NOT_COMPLETED", "priority=Low")[0] == "1"
    assert _get(m, "NOT_COMPLETED", "priority=Not recorded")[0] == "1"


def test_days_to_complete_and_the_21_day_boundary(computed: Path) -> None:
    """Days: 99, 21, 22, 7: mean 149 / 4 = 37.25, median (21 + 22) / 2 = 21.5. Standard
    within 21 days: A2 (exactly 21) of A1, A2, A3 = 1 / 3; A3 at 22 days is not. Urgent
    within 7: A4 (exactly 7) = 1 / 1."""
    m = export(computed)
    assert _get(m, "DAYS_MEAN") == ("149", "4", "37.25")
    assert _get(m, "DAYS_MEDIAN")[2] == "21.5"
    assert _get(m, "STANDARD_21_DAYS") == ("1", "3", "33.333333333333")
    assert _get(m, "URGENT_7_DAYS") == ("1", "1", "100")


def test_change_on_previous_year_and_rates(computed: Path) -> None:
    """Received 2023-24: A6 (Dec 2023) and A1 (Feb 2024) = 2; 2024-25: 5; change (5 - 2) / 2
    = 150%. Received per 100,000 adults: 5 / 73,000 x 100,000 = 6.849315068493."""
    m = export(computed)
    assert _get(m, "RECEIVED_CHANGE") == ("3", "2", "150")
    assert _get(m, "RECEIVED_PER_100K") == ("5", "73000", "6.849315068493")


def test_published(computed: Path) -> None:
    """Received 5 -> 5; completed 4 -> [c]; mean days built from 4 applications -> [c];
    6.849 per 100,000 -> 7."""
    m = export(computed, published=True)
    assert _get(m, "RECEIVED")[0] == "5"
    assert _get(m, "COMPLETED")[0] == "[c]"
    assert _get(m, "DAYS_MEAN")[2] == "[c]"
    assert _get(m, "RECEIVED_PER_100K")[2] == "7"
