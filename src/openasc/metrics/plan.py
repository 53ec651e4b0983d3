"""What a compute runs: the measures asked for and, before them, the shared tables they need.

Like dbt's `--select`, a council can compute one family or one measure without the rest;
the prepare steps to run are found only through what each measure and step declares in its
YAML under `requires`, so a dependency is written down beside the SQL that has it instead of
being implied by the order of the files. The SQL itself is read (DuckDB's parser lists the
tables a query reads) to refuse a measure that reads a shared table it has not declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from openasc.errors import OpenascError
from openasc.metrics.catalogue import (
    Family,
    Measure,
    PrepareStep,
    dependency_order,
    prepare_steps,
)

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Plan:
    """The measures to compute, in catalogue order, and the prepare steps they need, each
    after the steps it requires."""

    measures: tuple[Measure, ...]
    prepare: tuple[tuple[Family, PrepareStep], ...]

    @property
    def prepare_tables(self) -> tuple[str, ...]:
        return tuple(step.table for _, step in self.prepare)


def selection_tokens(select: list[str] | None) -> list[str]:
    """`--select A,B --select C` -> [A, B, C] (blank pieces dropped)."""
    return [t.strip() for item in select or [] for t in item.split(",") if t.strip()]


def select_measures(families: tuple[Family, ...], select: list[str] | None) -> list[Measure]:
    """The implemented measures a selection names, in catalogue order; everything for none.

    A token is a family name (every implemented measure of it), a measure code, or
    FAMILY/CODE; all case-insensitive. A token that matches nothing, or names a measure
    that is not implemented, is a user error.
    """
    everything = [m for f in families for m in f.measures]
    tokens = selection_tokens(select)
    if not tokens:
        return [m for m in everything if m.implemented]
    chosen: set[int] = set()
    for token in tokens:
        wanted = token.casefold()
        family_hits = [m for m in everything if m.family.casefold() == wanted and m.implemented]
        fam, _, code = wanted.rpartition("/")
        code_hits = [m for m in everything if m.code.casefold() == code
                     and (not fam or m.family.casefold() == fam)]
        hits = family_hits or code_hits
        if not hits:
            families_named = ", ".join(sorted({f.name for f in families}))
            raise OpenascError(
                f"--select {token!r}: no family or measure code {token!r} in the catalogue. "
                f"Expected a family ({families_named}), a code such as 2A, or FAMILY/CODE; "
                "`openasc metrics list` shows every code."
            )
        for m in hits:
            if not m.implemented:
                raise OpenascError(f"--select {token!r}: {m.family} {m.code} is not "
                                   f"implemented ({m.not_implemented_reason}).")
        chosen |= {id(m) for m in hits}
    return [m for m in everything if id(m) in chosen]


def tables_read(sql: str) -> set[str]:
    """The tables a query reads (common table expressions excluded), from DuckDB's parser;
    empty when the SQL does not parse (the engine reports that when it runs it)."""
    try:
        return set(duckdb.get_table_names(_PARAM.sub("NULL", sql)))
    except duckdb.Error:
        return set()


def build_plan(families: tuple[Family, ...], select: list[str] | None = None) -> Plan:
    """The selected measures and, in dependency order, the prepare steps they require."""
    measures = select_measures(families, select)
    steps = prepare_steps(families)
    wanted = [r for m in measures for r in m.requires if r in steps]
    order = dependency_order(steps, list(dict.fromkeys(wanted)))
    plan = Plan(tuple(measures), tuple(steps[t] for t in order))
    check_declared(plan, steps)
    return plan


def check_declared(plan: Plan, steps: dict[str, tuple[Family, PrepareStep]]) -> None:
    """Refuse SQL in the plan that reads a shared table it does not list under `requires`:
    run alone (`--select`), it would find the table missing or, worse, stale."""
    sources = [(f"{f.name} prepare step {p.table} ({p.sql})", f"{p.folder / p.sql}",
                p.requires) for f, p in plan.prepare]
    sources += [(f"{m.family} {m.code} ({m.sql})", f"{m.sql_path}", m.requires)
                for m in plan.measures if m.sql_path is not None]
    texts: dict[str, str] = {}
    for name, path, requires in sources:
        text = texts.setdefault(path, Path(path).read_text("utf-8"))
        # Parse only SQL that mentions a shared table it does not declare (it may be a CTE
        # or a comment): parsing every file would cost most of a second per compute.
        suspects = {t for t in steps if t in text} - set(requires)
        undeclared = sorted(tables_read(text) & suspects) if suspects else []
        if undeclared:
            makers = ", ".join(f"{t} (a prepare step of {steps[t][0].name})" for t in undeclared)
            raise OpenascError(
                f"Catalogue: {name} reads {makers} but does not list it under `requires`. "
                "Add it to the entry's `requires:` so that the step is run first "
                "(docs/measures.md)."
            )
