"""CMP measures on a hand-made complaints log and LGSCO annual figures, through the command
line (`openasc ingest complaints --la 416`, `ingest ombudsman`, `compute`, `export`).
Period 1 April 2024 to 31 March 2025. Working days exclude weekends and bank holidays in
England and Wales (2024: 1 Apr, 6 May, 27 May, 26 Aug, 25-26 Dec; 2025: 1 Jan) and count from
the day after receipt. No agreed date: the target is 20 working days.

| case | received | ack (working days) | agreed | response (wd) | outcome, theme |
|---|---|---|---|---|---|
| C1 | 2024-04-02 | 2024-04-05 (3) |  | 2024-04-30 (20) ok | upheld, delay |
| C2 | 2024-05-03 | 2024-05-09 (3; 6 May off) | 2024-06-03 | 2024-06-04 (20) late | partly, delay |
| C3 | 2024-12-20 | 2024-12-27 (3; 25-26 Dec) |  | 2025-01-24 (22) late | not, charging, LGSCO |
| C4 | 2025-03-03 | none |  | open | open, communication |
| C5 | 2025-03-10 | 2025-03-14 (4) |  | 2025-04-10 (next year) | withdrawn, delay |
| C6 | 2024-03-20 (last year) |  | 2024-04-15 | 2024-04-10 (13: 29 Mar, 1 Apr) ok | not_upheld |
| K1 | compliment 2024-06-01 |  |  |  |  |
| K2 | compliment 2025-04-02 (next year) |  |  |  |  |
| C7 | 31/02/2025: not a date, quarantined (9 rows in = 8 loaded + 1 quarantined) |

Every row also carries a complainant name and a free-text description.

Worked:
- CMP-1 complaints received in the year: C1-C5 = 5. CMP-10 compliments: K1 = 1.
- CMP-3 well-founded, of those responded to in the year with a decided outcome (C1, C2, C3,
  C6): upheld or partly upheld C1, C2 = 2 / 4 = 50%.
- CMP-4 acknowledged within 3 working days, of the 5 received: C1, C2, C3 = 3 / 5 = 60%.
- CMP-5 responded to on time, of C1, C2, C3, C6: C1, C6 = 2 / 4 = 50%.
- CMP-6 median working days to response of 13, 20, 20, 22 = 20.
- CMP-7 referred to the LGSCO: C3 = 1 (published: under 5, so [c]).
- CMP-11 themes of the 5 received: delay 3 = 60%, charging 1 = 20%, communication 1 = 20%,
  every other theme 0%.
- CMP-2 needs people in long-term support from CLD: not computable here (no CLD), said so.

LGSCO, year ending 31 March 2025: Worcestershire 10 detailed investigations, 7 upheld,
satisfactory remedy 14.3%: CMP-8 = 70%, CMP-9 = 14.3. Herefordshire: upheld `*` (suppressed):
no CMP-8 value, never 0. England: no row of its own and only 2 councils loaded: no figure
(a sum of two councils is not England).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from money_files import query, run, values, write_csv
from sac_casefiles import export, openasc

WORCS, HEREFS = "E10000034", "E06000019"
HEADER = ["case_id", "received_date", "kind", "theme", "acknowledged_date",
          "agreed_response_date", "response_date", "outcome", "lgsco_referred",
          "learning_action", "complainant_name", "description"]
SECRET_NAME, SECRET_TEXT = "Zebedee Quixote", "Mrs Quixote at 4 Lark Lane was left alone"


def _row(case: str, received: str, kind: str = "complaint", theme: str = "", ack: str = "",
         agreed: str = "", response: str = "", outcome: str = "", referred: str = "N"
         ) -> list[str]:
    return [case, received, kind, theme, ack, agreed, response, outcome, referred,
            "Rota changed" if outcome == "upheld" else "", SECRET_NAME, SECRET_TEXT]


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("complaints")
    rows = [_row("C1", "2024-04-02", theme="delay", ack="2024-04-05", response="2024-04-30",
                 outcome="upheld"),
            _row("C2", "2024-05-03", theme="delay", ack="2024-05-09", agreed="2024-06-03",
                 response="2024-06-04", outcome="partly_upheld"),
            _row("C3", "2024-12-20", theme="charging", ack="2024-12-27",
                 response="2025-01-24", outcome="not_upheld", referred="Y"),
            _row("C4", "2025-03-03", theme="communication", outcome="open"),
            _row("C5", "2025-03-10", theme="delay", ack="2025-03-14", response="2025-04-10",
                 outcome="withdrawn"),
            _row("C6", "2024-03-20", agreed="2024-04-15", response="2024-04-10",
                 outcome="not_upheld"),
            _row("K1", "2024-06-01", kind="compliment"),
            _row("K2", "2025-04-02", kind="compliment"),
            _row("C7", "31/02/2025", theme="delay")]
    out = run(tmp, "ingest", "complaints", str(write_csv(tmp / "log.csv", HEADER, rows)),
              "--la", "416")
    assert "log.csv: 9 rows in, 8 loaded into complaints, 1 quarantined." in out
    write_csv(tmp / "lgsco.csv", ["council_code", "year_ending", "detailed_investigations",
                                  "upheld", "satisfactory_remedy_pct"],
              [["416", "2025", "10", "7", "14.3"], [HEREFS, "2025", "6", "*", "0"]])
    run(tmp, "ingest", "ombudsman", str(tmp / "lgsco.csv"))
    return tmp


@pytest.fixture(scope="module")
def computed(tmp: Path) -> str:
    return run(tmp, "compute", "--from", "2024-04-01", "--to", "2025-03-31", "--select", "CMP")


def test_the_log_measures(tmp: Path, computed: str) -> None:
    v = values(tmp, "CMP")
    got = {c: x for (c, la, b), x in v.items() if la == WORCS and not b}
    assert got["CMP-1"] == (5, None, 5)
    assert got["CMP-10"] == (1, None, 1)
    assert got["CMP-3"] == (2, 4, 50.0)
    assert got["CMP-4"] == (3, 5, 60.0)
    assert got["CMP-5"] == (2, 4, 50.0)
    assert got["CMP-6"][1:] == (4, 20.0)
    assert got["CMP-7"] == (1, None, 1)
    themes = {b: x[2] for (c, la, b), x in v.items() if c == "CMP-11" and la == WORCS}
    assert themes["theme=delay"] == 60.0
    assert themes["theme=charging"] == themes["theme=communication"] == 20.0
    assert themes["theme=staff_conduct"] == 0.0 and len(themes) == 9


def test_cmp2_needs_cld_and_says_so(computed: str) -> None:
    """Two councils in the run: CMP-2's lines are one per reason, naming the councils."""
    assert ("  CMP CMP-2: not computable for E10000034: shared table salt_long_term_people "
            "was not built") in computed


def test_ombudsman_figures(tmp: Path, computed: str) -> None:
    v = values(tmp, "CMP")
    assert v[("CMP-8", WORCS, "")] == (7, 10, 70.0)
    assert v[("CMP-9", WORCS, "")][2] == 14.3
    assert v[("CMP-8", HEREFS, "")][0] is None and v[("CMP-8", HEREFS, "")][2] is None
    assert query(tmp, f"SELECT status FROM lgsco_annual WHERE la_code = '{HEREFS}'") == [
        ("upheld suppressed",)]
    r = openasc(tmp, "compute", "--from", "2024-04-01", "--to", "2025-03-31", "--select",
                "CMP-8", "--la", "E92000001")
    assert r.returncode == 0, r.stderr
    assert ("CMP-8", "E92000001", "") not in values(tmp, "CMP")


def test_small_counts_are_suppressed_when_published(tmp: Path, computed: str) -> None:
    pub = export(tmp, published=True)
    assert pub[("CMP", "CMP-7", "")][2] == "[c]"
    assert pub[("CMP", "CMP-1", "")][2] == "5"


def test_no_name_free_text_or_case_reference_reaches_the_warehouse(tmp: Path,
                                                                   computed: str) -> None:
    """Every text column of every table (quarantine and run log included) is read for the
    complainant's name, the free text, the learning action and the case references."""
    tables = query(tmp, "SELECT table_name, column_name FROM information_schema.columns "
                        "WHERE data_type = 'VARCHAR'")
    assert any(t == "complaints" for t, _ in tables)
    found = []
    for table, column in tables:
        c = f'"{column}"'
        hits = query(tmp, f'SELECT count(*) FROM "{table}" WHERE {c} ILIKE \'%Quixote%\' '
                          f"OR {c} ILIKE '%Lark Lane%' OR {c} ILIKE '%Rota changed%' "
                          f"OR regexp_matches({c}, '^(C[1-7]|K[12])$')")
        if hits[0][0]:
            found.append(f"{table}.{column}")
    assert found == []
    assert query(tmp, "SELECT count(*) FROM complaints WHERE has_learning_action") == [(1,)]
