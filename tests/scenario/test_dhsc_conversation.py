"""DHSC's conversation flags on its assessments page (docs/dhsc-dashboard.md row 19;
docs/decisions.md, "DHSC dashboard: the data-quality profile and the conversation flags").

DHSC's facts carry two flags, `Der_Conversation` and `Der_Conversation_1`, both made outside
its published code (national derived fields). Its first published code (November 2023,
3.Requests_fact.sql) defines the first: a record with "conversation" in its Event_Description.
No public source defines the second, so openasc shows one flag, the first, as
`conversation=Yes` / `conversation=No`, and no second key.

Through the command line (CLD file -> `ingest cld` -> `compute --select DHSC`): five
assessments in 2024-25 whose Event_Description is
1. `Conversation 1 - listen and connect`  -> contains "conversation": Yes;
2. `three conversations: CONVERSATION 2`   -> any case: Yes;
3. `Initial conv. 1`                        -> the word is not there: No;
4. blank                                    -> No;
5. `Care Act assessment`                    -> No.
So 5 assessments: conversation=Yes 2, conversation=No 3.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from test_salt_events import LA, PERIOD, _ok, bookends, ev, ingest, openasc

DESCRIPTIONS = ["Conversation 1 - listen and connect", "three conversations: CONVERSATION 2",
                "Initial conv. 1", None, "Care Act assessment"]


def test_one_conversation_flag_from_the_event_description(tmp_path: Path) -> None:
    rows = [*bookends("2024-04-15", "2025-03-15")]
    rows += [ev(f"P{i}", "Assessment", f"2024-0{5 + i}-01", f"2024-0{5 + i}-05",
                event_description=d) for i, d in enumerate(DESCRIPTIONS)]
    wh = ingest(tmp_path, rows)
    _ok(openasc("--warehouse", str(wh), "compute", "--from", PERIOD[0], "--to", PERIOD[1],
                "--select", "DHSC", cwd=tmp_path))
    con = duckdb.connect(str(wh), read_only=True)
    got = dict(con.execute(
        "SELECT breakdown, numerator FROM metric_values WHERE code = 'DHSC-ASM-1' AND "
        "la_code = ? AND period_start = ? AND period_end = ?", [LA, *PERIOD]).fetchall())
    con.close()
    assert got[""] == 5
    assert got["conversation=Yes"] == 2 and got["conversation=No"] == 3
    assert not [b for b in got if b.startswith("conversation_")]
