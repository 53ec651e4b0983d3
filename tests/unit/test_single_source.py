"""Each definition has one home: these tests fail when a copy comes back.

A new CLD release or ASCOF year should be one data edit. The measures' metadata live in the
catalogue YAML (read only by `openasc.metrics.catalogue`); the CLD value lists, their groups
and the outcome and setting hierarchies live in the CLD specification (`spec/cld_r2.yaml`),
which reaches SQL as the warehouse table `cld_values`. Each test either changes the source
and checks that the change flows through, or scans the code for a restated copy.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import pytest
import yaml

import openasc
from openasc.compare import measure_set
from openasc.errors import OpenascError
from openasc.ingest.national import lookups
from openasc.metrics import engine
from openasc.metrics.catalogue import all_measures, catalogue_folder, default_catalogue
from openasc.reports import figures
from openasc.spec import Spec, load_spec
from openasc.synth import values
from openasc.warehouse import connect

SRC = Path(openasc.__file__).parent
CATALOGUE_MODULE = SRC / "metrics" / "catalogue.py"


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _constants(path: Path) -> set[str]:
    return {n.value for n in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


# ------------------------------------------------------------------ the metric catalogue


def test_only_the_catalogue_module_defines_a_measure_or_finds_the_catalogue_folder() -> None:
    """No second `Measure` class, and no module but metrics/catalogue.py locates the
    catalogue's YAML (a `joinpath("catalogue")` or `/ "catalogue"` is a second parser)."""
    offenders = []
    for path in _modules():
        if path == CATALOGUE_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name == "Measure":
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} class Measure")
            args = (node.args if isinstance(node, ast.Call) else
                    [node.right] if isinstance(node, ast.BinOp) and
                    isinstance(node.op, ast.Div) else [])
            if any(isinstance(a, ast.Constant) and a.value == "catalogue" for a in args):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} reads the catalogue")
    assert not offenders, offenders


def test_reports_use_the_catalogues_measure_objects() -> None:
    """The report's metadata of every measure is the catalogue's own record (not a copy
    parsed again), including the anchor of its definition."""
    shown = figures.load_measures()
    for m in all_measures(default_catalogue()):
        assert shown[(m.family.upper(), m.code)] is m
    assert shown[("ASCOF", "2E-LD")].anchor == "def-ASCOF-2E-LD"


# ------------------------------------------------------------------------ the measure set


def _set_entries() -> list[dict]:
    return yaml.safe_load(measure_set.default_path().read_text("utf-8"))["measures"]


def test_the_measure_set_file_repeats_no_catalogue_metadata() -> None:
    for entry in _set_entries():
        assert not {"title", "unit", "polarity", "precision"} & set(entry), entry
        assert set(entry) <= measure_set.ENTRY_KEYS, entry


def test_the_measure_set_takes_unit_polarity_and_precision_from_the_catalogue() -> None:
    """Change 2A's precision, polarity and title in the catalogue given to the loader: the
    set follows (a copy in the set file would not)."""
    families = tuple(
        dataclasses.replace(f, measures=tuple(
            dataclasses.replace(m, precision=3, polarity="lower", title="Changed title")
            if (f.name, m.code) == ("ASCOF", "1A") else m for m in f.measures))
        for f in default_catalogue())
    got = measure_set.load_measure_set(families=families).get("ASCOF", "1A")
    assert got is not None
    assert (got.precision, got.polarity, got.title) == (3, "lower", "Changed title")


def test_a_set_entry_must_name_a_catalogue_measure(tmp_path: Path) -> None:
    rules = "change_rules:\n  percent: {kind: points, threshold: 1.0}\n"
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(rules + "measures:\n  - {family: ASCOF, code: 9Z, profile: true}\n")
    with pytest.raises(OpenascError, match="ASCOF 9Z is not in the metric catalogue"):
        measure_set.load_measure_set(unknown)
    copied = tmp_path / "copied.yaml"
    copied.write_text(rules + "measures:\n  - {family: ASCOF, code: 2A, unit: percent}\n")
    with pytest.raises(OpenascError, match="unexpected unit"):
        measure_set.load_measure_set(copied)


def test_every_set_measure_is_computed_by_the_engine() -> None:
    """The survey measures (1A, 1B ...) were imported only until the survey returns became
    inputs; now every measure of the set is computed from the council's own data (and still
    compared with the imported national figures), so none is `implemented: false`."""
    catalogue = {(m.family, m.code): m for m in all_measures()}
    imported_only = [m.code for m in measure_set.load_measure_set().measures
                     if not catalogue[(m.family, m.code)].implemented]
    assert imported_only == []


# -------------------------------------------------------------- the CLD value lists


def _spec_lists() -> dict[str, set[str]]:
    return {name: {v.lower() for v in [*vl.values, *vl.rank]}
            for name, vl in load_spec("cld").lists.items()}


def _literals(text: str) -> list[str]:
    return [s.lower() for s in re.findall(r"'((?:[^']|'')*)'", text)]


def _values_bodies(sql: str) -> list[str]:
    """The text of every `VALUES (...), (...)` list in the SQL."""
    bodies = []
    for m in re.finditer(r"\bVALUES\b", sql, re.IGNORECASE):
        i, end = m.end(), m.end()
        while True:
            j = i + len(sql[i:]) - len(sql[i:].lstrip())
            if j >= len(sql) or sql[j] != "(":
                break
            depth, k = 0, j
            for k in range(j, len(sql)):
                depth += {"(": 1, ")": -1}.get(sql[k], 0)
                if depth == 0:
                    break
            end = k + 1
            rest = sql[end:].lstrip()
            if not rest.startswith(","):
                break
            i = len(sql) - len(rest) + 1
        bodies.append(sql[m.end():end])
    return bodies


def _in_lists(sql: str) -> list[list[str]]:
    return [_literals(m.group(1))
            for m in re.finditer(r"\bIN\s*\(([^()]*)\)", sql, re.IGNORECASE)]


def _catalogue_sql() -> list[Path]:
    return sorted(catalogue_folder().glob("*.sql"))


def _values_table_copies(sql: str) -> list[str]:
    """CLD lists of which a `VALUES` table holds three or more values."""
    return [name for body in _values_bodies(sql) for name, vals in _spec_lists().items()
            if len(set(_literals(body)) & vals) >= 3]


def _group_and_rank_copies(sql: str) -> list[str]:
    """Spec groups an IN-list spells out in full (two values or more), and lists whose ranks
    the SQL gives to most of their ranked values (`'value', n` or `'value' THEN n`)."""
    spec = load_spec("cld")
    groups: dict[tuple[str, str], set[str]] = {}
    for name, vl in spec.lists.items():
        for value, group in vl.groups.items():
            groups.setdefault((name, group), set()).add(value.lower())
    found = []
    for listed in map(set, _in_lists(sql)):
        found += [f"IN-list of {name} group {group!r}" for (name, group), vals in groups.items()
                  if len(vals) >= 2 and vals <= listed]
    pairs = {(v.lower(), int(r)) for v, r in re.findall(
        r"'([^']+)'\s*(?:,|THEN)\s*(\d+)", sql, re.IGNORECASE)}
    for name, vl in spec.lists.items():
        ranked = {(v.lower(), r) for v, r in vl.rank.items()}
        if ranked and len(pairs & ranked) * 2 > len(ranked):
            found.append(f"the {name} ranks")
    return found


def test_no_catalogue_sql_restates_a_spec_list_group_or_hierarchy() -> None:
    """A `VALUES` table of a CLD list (the old outcome hierarchy of ascof_2a.sql), an IN-list
    of a whole spec group (the four long-term support service types) or the spec's ranks in
    a CASE is a copy of the spec: join `cld_values` instead. (SALT's own STS001 outcome
    order in salt_request_sequels.sql is a different hierarchy and is not flagged, and the
    tables of salt_nhse_*.sql are NHS England's published code's own reference tables
    -- its hierarchy and mappings, misspellings included -- which `salt_method = "nhse"` must
    reproduce, not the specification's lists.)"""
    offenders = [f"{path.name}: {what}" for path in _catalogue_sql()
                 if not path.name.startswith("salt_nhse_")
                 for what in (_values_table_copies(path.read_text("utf-8"))
                              + _group_and_rank_copies(path.read_text("utf-8")))]
    assert not offenders, offenders


def test_the_sql_scans_catch_the_copies_this_change_removed() -> None:
    """The scanners find the old forms (so the test above can fail)."""
    ranks = load_spec("cld").lists["Event_Outcome"].rank.items()
    old_hierarchy = ("WITH outcome_hierarchy (label, outcome_rank) AS (\n    VALUES "
                     + ",\n           ".join(f"('{v.lower()}', {r})" for v, r in ranks)
                     + "\n),\nx AS (SELECT 1) SELECT 1")
    assert _values_table_copies(old_hierarchy) == ["Event_Outcome"]
    assert "the Event_Outcome ranks" in _group_and_rank_copies(old_hierarchy)
    old_in = ("WHERE service_type IN ('long term support: nursing care',\n"
              "  'long term support: residential care', 'long term support: community',\n"
              "  'long term support: prison')")
    assert _group_and_rank_copies(old_in) == [
        "IN-list of Service_Type group 'Long term support'"]


def test_lookups_hold_no_copy_of_a_spec_list_and_no_fallback() -> None:
    path = Path(lookups.__file__)
    spec_values = {v for vl in load_spec("cld").lists.values() for v in vl.values}
    assert not _constants(path) & spec_values
    assert "except Exception" not in path.read_text("utf-8")


def _without_rank(spec: Spec, name: str) -> Spec:
    lists = dict(spec.lists)
    lists[name] = dataclasses.replace(lists[name], rank={})
    return dataclasses.replace(spec, lists=lists)


def test_a_spec_without_the_hierarchy_is_refused_loudly() -> None:
    with pytest.raises(OpenascError, match="list Event_Outcome: value .* has no `rank:`"):
        lookups.reference_rows(_without_rank(load_spec("cld"), "Event_Outcome"))
    with pytest.raises(OpenascError, match="list Service_Type: no value has a `rank:`"):
        lookups.reference_rows(_without_rank(load_spec("cld"), "Service_Type"))


def test_cld_values_follows_the_spec() -> None:
    """Move one outcome's rank in the spec given to `write_reference`: the table follows."""
    spec = load_spec("cld")
    lists = dict(spec.lists)
    outcomes = lists["Event_Outcome"]
    lists["Event_Outcome"] = dataclasses.replace(
        outcomes, rank={**outcomes.rank, "NFA: Other": 0})
    con = duckdb.connect()
    lookups.write_reference(con, dataclasses.replace(spec, lists=lists))
    assert con.execute("SELECT value_rank, value_group FROM cld_values WHERE list = "
                       "'Event_Outcome' AND value = 'NFA: Other'").fetchone() == (0, "NFA")
    assert con.execute("SELECT value_rank FROM cld_values WHERE list = 'Event_Outcome' AND "
                       "value = 'Release 1 specification only: Not mapped'").fetchone() == (3,)


def test_compute_writes_cld_values_before_any_measure(tmp_path: Path) -> None:
    """A warehouse that never ran a CLD rebuild still gets the reference table the SQL joins."""
    con = connect(tmp_path / "w.duckdb")
    assert not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                           "'cld_values'").fetchone()[0]
    engine.compute(con, date(2024, 4, 1), date(2025, 3, 31), [], "run-1")
    n = con.execute("SELECT count(*) FROM cld_values WHERE list = 'Service_Type' AND "
                    "value_rank BETWEEN 1 AND 7").fetchone()[0]
    assert n == 7


def test_the_synthetic_council_draws_every_spec_value_and_restates_none() -> None:
    """The generator's lists are the spec's: every value of every list, and no value
    spelled in values.py except the generator's own R1 stand-ins."""
    spec = load_spec("cld")
    for name, vl in spec.lists.items():
        assert list(dict.fromkeys(r2 for r2, _ in values.LISTS[name])) == vl.values, name
    stand_ins = {v for _, v in values.R1_STAND_INS}
    spec_values = {v for vl in spec.lists.values() for v in vl.values}
    assert _constants(Path(values.__file__)) & spec_values == stand_ins


def test_the_method_version_changes_with_the_cld_specification(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SQL reads the specification's ranks and groups through `cld_values`, so an edit of
    the specification is an edit of the method: the compute run's fingerprint changes."""
    from openasc.metrics import catalogue

    before = catalogue.catalogue_version()
    shipped = Path(str(resources.files("openasc.spec").joinpath("cld_r2.yaml")))
    edited = tmp_path / "cld_r2.yaml"
    edited.write_text(shipped.read_text("utf-8").replace("rank: 17", "rank: 18"), "utf-8")
    real = resources.files
    monkeypatch.setattr(catalogue.resources, "files",
                        lambda pkg: tmp_path if pkg == "openasc.spec" else real(pkg))
    assert catalogue.catalogue_version() != before
