"""DoLS breakdowns show every category, 0 when empty (issue 11 item 3).

Two applications, period 1 April 2024 to 31 March 2025 (Worcestershire; both people male,
born June 1940, care home):

| app | received   | urgent | signed off | status                     |
|-----|------------|--------|------------|----------------------------|
| A1  | 01/05/2024 | no     | 20/05/2024 | Granted                    |
| A2  | 01/03/2025 | no     |            | Not yet signed off (High)  |

Received 2: setting Care home 2, Hospital 0; type Standard 2, Urgent 0. People 2, both 83
or 84 at receipt (75-84), so 18-64, 65-74 and 85+ are 0; Male 2, Female 0, Not Known 0.
Completed 1 (A1): Granted 1, Not granted 0; Standard 1, Urgent 0. Not granted 0, with each
of the seven reasons 0. Not completed at 31/03/2025: A2, 30 days, High: High 1, Medium,
Low and Not prioritised 0; 0 to 90 days 1, the three longer bands 0.
"""

from __future__ import annotations

import pytest
from sac_casefiles import DOLS_HEADER, application, export, openasc, write_rows

from openasc.spec import load_spec

PERIOD = ["--from", "2024-04-01", "--to", "2025-03-31", "--la", "E10000034"]


@pytest.fixture(scope="module")
def m(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("dols_zero")
    path = write_rows(tmp / "dols.csv", DOLS_HEADER, [
        application("A1", "P1", "01/05/2024", "Granted", "20/05/2024"),
        application("A2", "P2", "01/03/2025", "Not yet signed off", Priority="High"),
    ])
    assert openasc(tmp, "ingest", "dols", str(path)).returncode == 0
    r = openasc(tmp, "compute", *PERIOD)
    assert r.returncode == 0, r.stderr
    return export(tmp)


def parts(m: dict, code: str, key: str) -> dict[str, str]:
    return {b.split("=", 1)[1]: v[0] for (f, c, b), v in m.items()
            if f == "DOLS" and c == code and b.startswith(key + "=")}


def test_every_category_has_a_row(m: dict) -> None:
    assert parts(m, "RECEIVED", "setting") == {"Care home": "2", "Hospital": "0"}
    assert parts(m, "RECEIVED", "type") == {"Standard": "2", "Urgent": "0"}
    assert parts(m, "RECEIVED_PEOPLE", "age_band") == {
        "18-64": "0", "65-74": "0", "75-84": "2", "85+": "0"}
    assert parts(m, "RECEIVED_PEOPLE", "sex") == {"Male": "2", "Female": "0", "Not Known": "0"}
    assert parts(m, "COMPLETED", "outcome") == {"Granted": "1", "Not granted": "0"}
    assert parts(m, "COMPLETED", "type") == {"Standard": "1", "Urgent": "0"}
    reasons = load_spec("dols").lists["Reason_Not_Granted"].values
    assert parts(m, "NOT_GRANTED_REASON", "outcome") == {r: "0" for r in reasons}
    assert parts(m, "NOT_COMPLETED", "priority") == {
        "High": "1", "Medium": "0", "Low": "0", "Not prioritised": "0"}
    assert parts(m, "NOT_COMPLETED", "duration") == {
        "0 to 90 days": "1", "91 to 180 days": "0", "181 to 365 days": "0",
        "More than 365 days": "0"}


@pytest.mark.parametrize(("code", "key"), [
    ("RECEIVED", "setting"), ("RECEIVED", "type"), ("RECEIVED_PEOPLE", "age_band"),
    ("RECEIVED_PEOPLE", "sex"), ("COMPLETED", "outcome"), ("NOT_COMPLETED", "priority"),
    ("NOT_COMPLETED", "duration")])
def test_partitioning_breakdowns_sum_to_the_headline(m: dict, code: str, key: str) -> None:
    total = m[("DOLS", code, "")][0]
    assert sum(int(v) for v in parts(m, code, key).values()) == int(total)
