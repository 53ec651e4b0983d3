"""Declared dependencies and `compute --select`: which prepare steps run, in what order, and
which rows a selective compute replaces.

The catalogue here is a tiny one written for the test: two prepare steps (`visits_2` built
from `visits_1`, which is built from `visits`) and three measures: P1 reads `visits_2`, T1
and T2 read `visits` only. Expected numbers are read straight off the rows inserted.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from test_engine import END, LA, START, VISITS, make_catalogue, make_warehouse, settings, values
from typer.testing import CliRunner

from openasc.cli import app
from openasc.errors import OpenascError
from openasc.metrics import engine
from openasc.metrics.catalogue import load_catalogue
from openasc.metrics.plan import build_plan

# visits_2 is declared before visits_1, which it requires: the order must come from
# `requires`, not from the file.
PREPARE = """
prepare:
  - table: visits_2
    sql: visits_2.sql
    requires: [visits_1]
  - table: visits_1
    sql: visits_1.sql
    requires: [visits]
"""

P1 = """
  - code: P1
    title: Visits at home, from the shared tables
    unit: count
    polarity: neutral
    numerator: visits at home
    denominator: none (a count)
    source: visits
    requires: [visits, visits_2]
    disaggregations: []
    method_notes: Reads the second prepare step.
    sql: p1.sql
"""


def make_dependent_catalogue(folder: Path, p1_requires: str = "[visits, visits_2]",
                             visits_1_requires: str = "[visits]") -> Path:
    make_catalogue(folder)
    text = (folder / "test.yaml").read_text()
    text = text.replace("measures:\n", PREPARE.replace("[visits]\n", visits_1_requires + "\n")
                        + "measures:\n" + P1.replace("[visits, visits_2]", p1_requires), 1)
    (folder / "test.yaml").write_text(text)
    (folder / "visits_1.sql").write_text(
        "SELECT * FROM visits WHERE la_code = $la_code AND day BETWEEN $period_start "
        "AND $period_end")
    (folder / "visits_2.sql").write_text("SELECT * FROM visits_1 WHERE place = 'home'")
    (folder / "p1.sql").write_text("SELECT '' AS breakdown, count(*) AS numerator FROM visits_2")
    return folder


def run_detail(path: Path) -> list[dict]:
    con = duckdb.connect(str(path), read_only=True)
    rows = con.execute("SELECT detail FROM runs WHERE command = 'compute' "
                       "ORDER BY started_at").fetchall()
    con.close()
    return [json.loads(r[0]) for r in rows]


def test_select_runs_only_the_prepare_steps_a_measure_requires_in_dependency_order(
        tmp_path: Path) -> None:
    """P1 needs visits_2, which needs visits_1: both run, visits_1 first although the YAML
    lists it second. P1 = visits at home in the period: A on 1 May and B on 1 July = 2.
    T2 needs no shared table: `--select T2` runs no prepare step at all."""
    families = load_catalogue(make_dependent_catalogue(tmp_path / "cat"))
    s = settings(tmp_path)
    make_warehouse(s.warehouse, VISITS)
    quiet = Console(quiet=True)
    p1 = engine.compute_command(START, END, None, s, quiet, families, select=["P1"])
    assert p1.prepared == [(LA, "visits_1"), (LA, "visits_2")]
    assert [c for _, _, c in p1.computed] == ["P1"]
    assert values(s.warehouse) == [("P1", LA, "", 2.0, None, 2.0, "count")]
    t2 = engine.compute_command(START, END, None, s, quiet, families, select=["test/t2"])
    assert t2.prepared == [] and [c for _, _, c in t2.computed] == ["T2"]
    assert [d["prepared"] for d in run_detail(s.warehouse)] == [
        [[LA, "visits_1"], [LA, "visits_2"]], []]
    assert run_detail(s.warehouse)[1]["select"] == ["test/t2"]


def test_select_replaces_only_the_selected_measures_rows(tmp_path: Path) -> None:
    """A full compute writes T1 (headline 2, Community 1, Hospital 1) and T2 (2 of 3 at
    home). B's visit is then deleted and only T2 recomputed: T2 becomes 1 of 2 visits at
    home (50%), while T1 keeps all three rows of the first run, B's Hospital row included."""
    families = load_catalogue(make_catalogue(tmp_path / "cat"))
    s = settings(tmp_path)
    make_warehouse(s.warehouse, VISITS)
    quiet = Console(quiet=True)
    engine.compute_command(START, END, None, s, quiet, families)
    make_warehouse(s.warehouse, [v for v in VISITS if v[1] != "B"])
    engine.compute_command(START, END, None, s, quiet, families, select=["T2"])
    assert values(s.warehouse) == [
        ("T1", LA, "", 2.0, None, 2.0, "count"),
        ("T1", LA, "route=Community", 1.0, None, 1.0, "count"),
        ("T1", LA, "route=Hospital", 1.0, None, 1.0, "count"),
        ("T2", LA, "", 1.0, 2.0, 50.0, "percent"),
    ]


def test_a_family_name_and_comma_separated_codes_select_measures(tmp_path: Path) -> None:
    families = load_catalogue(make_dependent_catalogue(tmp_path / "cat"))
    assert [m.code for m in build_plan(families, ["TEST"]).measures] == ["P1", "T1", "T2", "T3"]
    assert [m.code for m in build_plan(families, ["t2, P1"]).measures] == ["P1", "T2"]
    assert build_plan(families, ["T1"]).prepare == ()


@pytest.mark.parametrize(("select", "message"), [
    ("NOPE", "no family or measure code 'NOPE'"),
    ("T4", "TEST T4 is not implemented"),
])
def test_a_selection_that_names_nothing_to_compute_is_a_user_error(
        tmp_path: Path, select: str, message: str) -> None:
    families = load_catalogue(make_catalogue(tmp_path / "cat"))
    with pytest.raises(OpenascError, match=message):
        build_plan(families, [select])


def test_a_cycle_between_prepare_steps_is_refused(tmp_path: Path) -> None:
    """visits_1 requires visits_2, which requires visits_1."""
    folder = make_dependent_catalogue(tmp_path / "cat", visits_1_requires="[visits_2]")
    with pytest.raises(OpenascError, match="cycle .*visits_2 -> visits_1 -> visits_2"):
        load_catalogue(folder)


def test_reading_a_shared_table_without_declaring_it_is_refused(tmp_path: Path) -> None:
    """P1's SQL reads visits_2 but its `requires` lists only visits: run alone it would find
    no such table, so the catalogue is refused before anything runs."""
    families = load_catalogue(make_dependent_catalogue(tmp_path / "cat", p1_requires="[visits]"))
    with pytest.raises(OpenascError, match=r"TEST P1 \(p1.sql\) reads visits_2 .* `requires`"):
        build_plan(families, ["P1"])


def test_the_packaged_catalogue_declares_every_shared_table_it_reads() -> None:
    """Today's dependencies, declared: ACTIVITY's requests and long-term measures read SALT's
    request sequels and long-term people; STS002a reads the ST-Max episodes, built from the
    request sequels; LTS001b and LTS004 read openasc's rows of them and NHS England's
    last whole submission; ASCOF 2A reads no shared table; FIN reads the area's ASC-FR lines
    and population, CMP-2 SALT's long-term people, CMP-8 the area's LGSCO figures."""
    plan = build_plan(load_catalogue(), None)  # every measure: no undeclared read anywhere
    assert set(plan.prepare_tables) == {"salt_request_sequels", "salt_st_max_episodes",
                                        "salt_long_term_people", "salt_nhse_requests",
                                        "salt_nhse_st_max", "salt_lts001_cells",
                                        "salt_lts004_corrected", "salt_nhse_lts_rows",
                                        "finance_area_rows",
                                        "area_population", "workforce_area_posts",
                                        "lgsco_area_rows"}
    assert build_plan(load_catalogue(), ["FIN-1"]).prepare_tables == (
        "finance_area_rows", "area_population")
    assert build_plan(load_catalogue(), ["CMP-2"]).prepare_tables == ("salt_long_term_people",)
    assert build_plan(load_catalogue(), ["CMP-8"]).prepare_tables == ("lgsco_area_rows",)
    activity = build_plan(load_catalogue(), ["ACTIVITY"]).prepare_tables
    assert activity == ("salt_request_sequels", "salt_long_term_people")
    assert build_plan(load_catalogue(), ["STS002a"]).prepare_tables == (
        "salt_request_sequels", "salt_st_max_episodes", "salt_nhse_requests",
        "salt_nhse_st_max")
    assert build_plan(load_catalogue(), ["2A"]).prepare_tables == ()


def test_compute_select_through_the_command_line(tmp_path: Path, monkeypatch) -> None:
    """`--select` is repeatable and comma-separated; a bad one exits 1 with the message."""
    make_catalogue(tmp_path / "cat")
    (tmp_path / "openasc.toml").write_text('catalogue_dirs = ["cat"]\n')
    monkeypatch.chdir(tmp_path)
    make_warehouse(tmp_path / "wh.duckdb", VISITS)
    runner = CliRunner()
    bad = runner.invoke(app, ["--warehouse", "wh.duckdb", "compute", "--from", str(START),
                              "--to", str(END), "--select", "T1,NOPE"])
    assert bad.exit_code == 1 and "NOPE" in str(bad.exception)


def test_a_measure_whose_shared_table_could_not_be_built_is_not_computable(
        tmp_path: Path) -> None:
    """No `visits` table: visits_1 cannot be built, so neither can visits_2, and P1 (which
    requires only visits_2) is reported not computable with the first missing input."""
    families = load_catalogue(make_dependent_catalogue(tmp_path / "cat",
                                                       p1_requires="[visits_2]"))
    s = settings(tmp_path)
    result = engine.compute_command(START, END, LA, s, Console(quiet=True), families,
                                    select=["P1"])
    assert result.prepared == [] and result.computed == []
    assert result.not_computable == [
        (LA, "TEST", "P1", "shared table visits_2 was not built (table visits does not exist)")]


def test_by_council_is_read_as_a_yes_or_no_and_nothing_else(tmp_path: Path) -> None:
    """`by_council: true` marks a step (docs/measures.md); a value that is not true or false
    (here the text "yes") is refused by name rather than read as yes."""
    folder = make_dependent_catalogue(tmp_path / "cat")
    text = (folder / "test.yaml").read_text()
    marked = text.replace("    requires: [visits]\n", "    requires: [visits]\n"
                          "    by_council: true\n", 1)
    (folder / "test.yaml").write_text(marked)
    steps = {s.table: s.by_council for f in load_catalogue(folder) for s in f.prepare}
    assert steps == {"visits_1": True, "visits_2": False}
    (folder / "test.yaml").write_text(marked.replace("by_council: true", "by_council: 'yes'"))
    with pytest.raises(OpenascError, match="prepare visits_1: by_council must be true or "
                                           "false; got 'yes'"):
        load_catalogue(folder)
