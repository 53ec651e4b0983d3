"""`openasc compute --select` on a small warehouse, through the real command line.

The council file is test_activity.py's (2024-25): requests of A, D, K and M, long-term
services of A, K, P1 and P7, a carer C1. Its ACTIVITY figures are worked out in that file's
docstrings (e.g. ACT-REQ-001 = 4 requests, ACT-REQ-002 = 4, ACT-REQ-003 = 25%). ACTIVITY
reads two of SALT's shared tables (the request sequels and the long-term people), so a
selective compute must build exactly those two, before the measures, and give the same rows
as a full compute; ASCOF 2A reads no shared table, so `--select 2A` builds none.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from test_activity import rows
from test_salt_events import LA, PERIOD, _ok, ingest, openasc

COLUMNS = ("family, code, la_code, period_start, period_end, breakdown, numerator, "
           "denominator, value, unit")


def compute(wh: Path, *select: str) -> None:
    extra = [a for s in select for a in ("--select", s)]
    _ok(openasc("--warehouse", str(wh), "compute", "--from", PERIOD[0], "--to", PERIOD[1],
                *extra, cwd=wh.parent))


def metric_rows(wh: Path, where: str = "TRUE") -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    out = con.execute(f"SELECT {COLUMNS} FROM metric_values WHERE {where} ORDER BY ALL").fetchall()
    con.close()
    return out


def last_run(wh: Path) -> dict:
    con = duckdb.connect(str(wh), read_only=True)
    detail = con.execute("SELECT detail FROM runs WHERE command = 'compute' "
                         "ORDER BY started_at DESC LIMIT 1").fetchone()[0]
    con.close()
    return json.loads(detail)


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One ingest, copied: one warehouse gets a full compute, the other `--select ACTIVITY`."""
    loaded = ingest(tmp_path_factory.mktemp("select"), rows(), submitted_on="2025-07-01",
                    file_period=("2024-07-01", "2025-06-30"))
    full, selective = loaded.parent / "full.duckdb", loaded.parent / "selective.duckdb"
    shutil.copy(loaded, full)
    shutil.copy(loaded, selective)
    compute(full)
    compute(selective, "ACTIVITY")
    return full, selective


def test_select_activity_gives_exactly_the_rows_of_a_full_compute(
        warehouses: tuple[Path, Path]) -> None:
    full, selective = warehouses
    activity = metric_rows(full, "family = 'ACTIVITY'")
    assert activity and metric_rows(selective) == activity  # and nothing of other families
    figures = {(r[1], r[5]): r[6] for r in activity}
    assert figures[("ACT-REQ-001", "")] == 4 and figures[("ACT-REQ-002", "")] == 4


def test_select_activity_builds_only_the_two_salt_tables_it_reads(
        warehouses: tuple[Path, Path]) -> None:
    full, selective = warehouses
    assert last_run(selective)["prepared"] == [[LA, "salt_request_sequels"],
                                               [LA, "salt_long_term_people"]]
    # a full run also builds the area's population by age band (FIN, WF), its input loaded,
    # and the LTS001/LTS004 tables both SALT methods read
    assert {t for _, t in last_run(full)["prepared"]} == {
        "salt_request_sequels", "salt_st_max_episodes", "salt_long_term_people",
        "salt_nhse_requests", "salt_nhse_st_max", "salt_nhse_lts_rows", "salt_lts001_cells",
        "salt_lts004_corrected", "area_population"}


def test_select_2a_builds_no_shared_table_and_leaves_the_other_rows(
        warehouses: tuple[Path, Path]) -> None:
    _, selective = warehouses
    before = metric_rows(selective)
    compute(selective, "2A")
    run = last_run(selective)
    assert run["prepared"] == [] and run["select"] == ["2A"]
    assert run["measures_computed"] == 1
    assert metric_rows(selective, "family = 'ACTIVITY'") == before
    assert {r[1] for r in metric_rows(selective, "family <> 'ACTIVITY'")} == {"2A"}
