"""`openasc compute --all-councils`: one set-based pass gives each council exactly the rows its
own `--la` run gives (issue #20).

The warehouse is the demo's (Worcestershire's CLD, safeguarding, DoLS, surveys, complaints,
every council's finance, workforce and ombudsman rows, England and regions) plus two more
councils' CLD, population, safeguarding and DoLS files, so that person identifiers repeat
across councils: a set-based query that forgot `la_code` in a join, a window or a
de-duplication would mix two councils' people and differ from the single-council runs.

The oracle is independent of the set-based code path's grouping: each sampled council is
computed alone (its `compute_councils` holds one row), in a separate copy of the warehouse,
and every metric_values row (family, code, council, period, breakdown, numerator,
denominator, value, unit) must be equal (fractional sums to 6 decimal places, see
COLUMNS). Each family is its own test, so a failure names it.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from openasc.config import Settings, load_settings
from openasc.demo import PERIOD, YEAR, run_demo
from openasc.ingest.cases import ingest_case_file
from openasc.ingest.cld import ingest_files
from openasc.ingest.population import ingest_population_file
from openasc.metrics import engine
from openasc.metrics.catalogue import default_catalogue, dependency_order, prepare_steps
from openasc.metrics.engine import run_compute
from openasc.synth.cld import write_cld
from openasc.synth.dols import write_dols
from openasc.synth.population import write_population
from openasc.synth.safeguarding import write_safeguarding

# Two more councils beside the demo's Worcestershire (E10000034): Middlesbrough (a small
# unitary) and Birmingham (a metropolitan district), with the same synthetic seed, so their
# pseudonymised person ids collide with each other's if la_code is ever dropped.
EXTRA = ("E06000002", "E08000025")
DEMO = "E10000034"
# Sampled for the one-council runs: the three CLD councils, England, a region and a
# council that has only the national files' rows (finance, workforce, ombudsman).
SAMPLE = (DEMO, *EXTRA, "E92000001", "E12000005", "E09000001")
# Sums of fractional numbers (money, projected populations) are added in whatever order
# DuckDB's threads finish, so two runs of the SAME query can differ in the 12th digit: they
# are compared to 6 decimal places (counts, which are whole numbers, are exact either way).
COLUMNS = ("family, code, la_code, period_start, period_end, breakdown, round(numerator, 6), "
           "round(denominator, 6), round(value, 6), unit")


def _settings(warehouse: Path) -> Settings:
    return replace(load_settings(None), warehouse=warehouse)


def _add_council(inputs: Path, warehouse: Path, ons: str, seed: int) -> None:
    settings = _settings(warehouse)
    files = [p for p, _ in write_cld(out=inputs / f"cld-{ons}.csv", people=250, la_code=ons,
                                     year=YEAR, seed=seed, release=2, defect_rate=0.01,
                                     submissions=1)]
    write_population(inputs / f"population-{ons}.csv", people=250, la_code=ons,
                     years=[2022, 2023, 2024])
    write_safeguarding(out=inputs / f"sg-{ons}.csv", concerns=60, la_code=ons, year=YEAR,
                       seed=seed, defect_rate=0.01, people_from=files[-1])
    write_dols(out=inputs / f"dols-{ons}.csv", applications=30, la_code=ons, year=YEAR,
               seed=seed, defect_rate=0.01, people_from=files[-1])
    ingest_files(files, submitted_on=date(2025, 5, 1), settings=settings, add_council=True)
    ingest_population_file(inputs / f"population-{ons}.csv", settings=settings)
    ingest_case_file("safeguarding", inputs / f"sg-{ons}.csv", settings, add_council=True)
    ingest_case_file("dols", inputs / f"dols-{ons}.csv", settings, add_council=True)


def _rows(warehouse: Path, family: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            f"SELECT {COLUMNS} FROM metric_values WHERE family = ? AND la_code IN "
            f"(SELECT unnest(?)) ORDER BY ALL", [family, list(SAMPLE)]).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """(warehouse computed with --all-councils, warehouse computed council by council,
    councils the all-councils run covered)."""
    root = tmp_path_factory.mktemp("all-councils")
    quiet = Console(file=io.StringIO())
    run_demo(root / "demo", people=300, console=quiet, pdf=False)
    base = root / "demo" / "openasc.duckdb"
    for ons in EXTRA:
        _add_council(root / "demo" / "inputs", base, ons, seed=1)
    together, alone = root / "together.duckdb", root / "alone.duckdb"
    shutil.copy(base, together)
    shutil.copy(base, alone)
    con = duckdb.connect(str(together))
    con.execute("DELETE FROM metric_values")
    con.close()
    con = duckdb.connect(str(alone))
    con.execute("DELETE FROM metric_values")
    con.close()
    everyone = run_compute(PERIOD[0], PERIOD[1], None, _settings(together)).councils
    for la in SAMPLE:
        run_compute(PERIOD[0], PERIOD[1], la, _settings(alone))
    return together, alone, everyone


def test_the_run_covers_every_council_and_area(computed: tuple[Path, Path, list[str]]) -> None:
    """Without --la the run covers the three CLD councils, England, the nine regions and
    every council of the national files (more than 150 areas), in one pass."""
    everyone = computed[2]
    assert set(SAMPLE) <= set(everyone)
    assert len(everyone) > 150


@pytest.mark.parametrize("family", [f.name for f in default_catalogue()])
def test_each_council_gets_what_its_own_run_gives(
        computed: tuple[Path, Path, list[str]], family: str) -> None:
    together, alone, _ = computed
    expected = _rows(alone, family)
    got = _rows(together, family)
    assert got == expected, (
        f"{family}: {len(set(got) - set(expected))} row(s) only in the all-councils run, "
        f"{len(set(expected) - set(got))} only in the one-council runs; first differences: "
        f"{sorted(set(got) ^ set(expected))[:4]}")
    # The comparison is not vacuous for the families the demo feeds.
    if family in {"ASCOF", "SALT", "SAC", "DOLS", "ACTIVITY", "FIN", "WF"}:
        assert expected, f"{family}: no rows at all for the sampled councils"


# Shared tables the catalogue lets the engine build a batch of councils at a time.
BY_COUNCIL = [step for f in default_catalogue() for step in f.prepare if step.by_council]


def test_some_shared_tables_are_built_in_batches() -> None:
    """The test below runs once per marked step: it must have steps to run for."""
    assert {s.table for s in BY_COUNCIL} >= {"salt_nhse_requests", "salt_long_term_people"}


@pytest.mark.parametrize("table", [s.table for s in BY_COUNCIL])
def test_a_table_built_in_batches_of_councils_has_the_rows_of_one_build(
        computed: tuple[Path, Path, list[str]], table: str) -> None:
    """A `by_council` step built council batch by council batch gives exactly the rows of
    one statement over every council (docs/measures.md).

    The oracle is the step's SQL run once, over all the run's councils, as a catalogue
    without the mark runs it. The batched build is made with a budget of one CLD row, so
    that each of the three CLD councils (whose synthetic person IDs collide) is a batch of
    its own; the rows of the two builds must be equal as multisets, and not empty. The
    run's full council list must be back in `compute_councils` afterwards, for the
    measures that read it next."""
    together, _, everyone = computed
    steps = prepare_steps(default_catalogue())
    params = {"period_start": PERIOD[0], "period_end": PERIOD[1], "salt_method": "nhse",
              "la_code": None}
    con = duckdb.connect(str(together), read_only=True)
    try:
        engine.register_councils(con, everyone)
        whole = engine.DuckDBRunner()  # not started: one batch
        for name in dependency_order(steps, [table]):
            family, step = steps[name]
            whole.shared_table(con, name, step.sql_text(), params, f"{family.name} {name}")
        con.execute(f'CREATE TEMP TABLE whole_rows AS SELECT * FROM "{table}"')
        batched = engine.DuckDBRunner(batch_rows=1)
        batched.start(con)
        cld = {DEMO, *EXTRA}
        assert all(len(cld & set(batch)) <= 1 for batch in batched.batches)
        assert sum(bool(cld & set(batch)) for batch in batched.batches) == 3
        family, step = steps[table]
        batched.shared_table(con, table, step.sql_text(), params, f"{family.name} {table}",
                             by_council=True)
        councils_now = {r[0] for r in con.execute("SELECT la_code FROM compute_councils"
                                                  ).fetchall()}
        assert councils_now == set(everyone)
        n = con.execute("SELECT count(*) FROM whole_rows").fetchone()[0]
        only_whole, only_batched = (con.execute(
            f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})"
        ).fetchone()[0] for a, b in (("whole_rows", f'"{table}"'), (f'"{table}"', "whole_rows")))
    finally:
        con.close()
    assert n > 0, f"{table}: no rows at all, so the comparison would prove nothing"
    assert (only_whole, only_batched) == (0, 0), (
        f"{table}: {only_whole} row(s) only in the one build, {only_batched} only in the "
        "batched build")


def test_the_national_method_rebuilt_council_by_council_gives_the_same_tables(
        computed: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    """The national method run a batch of councils at a time (openasc/batches.py) gives
    exactly the event tables and person details of one run over every council.

    The oracle is `rebuild` with a budget no council reaches (one batch); the batched
    rebuild has a budget of one CLD row, so each of the three CLD councils is a batch of
    its own and every later batch is added to the tables the first one created. Each table
    is compared row for row, every column (the event references number a council's events,
    so a batch that numbered them differently would differ); the people in stored order
    too, which is by council and person either way."""
    from openasc import warehouse
    from openasc.ingest import national

    tables = ("cld_events_derived", "cld_events_single_derived", "cld_people")
    got: dict[int, dict[str, list[tuple]]] = {}
    for budget in (10**12, 1):
        copy = tmp_path / f"rebuilt-{budget}.duckdb"
        shutil.copy(computed[0], copy)
        con = duckdb.connect(str(copy))
        try:
            with warehouse.transaction(con):
                national.rebuild(con, batch_rows=budget)
            got[budget] = {t: con.execute(f"SELECT * FROM {t}" + (
                "" if t == "cld_people" else " ORDER BY ALL")).fetchall() for t in tables}
            councils = {r[0] for r in con.execute("SELECT DISTINCT la_code FROM cld_people"
                                                  ).fetchall()}
        finally:
            con.close()
        assert councils == {DEMO, *EXTRA}
    for t in tables:
        whole, batched = got[10**12][t], got[1][t]
        assert whole, f"{t}: no rows, so the comparison would prove nothing"
        assert batched == whole, f"{t}: {len(set(batched) ^ set(whole))} rows differ"
