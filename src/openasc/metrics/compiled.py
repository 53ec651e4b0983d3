"""A measure's SQL as the engine would run it for one council and period (dbt's `compile`).

An analyst who asks "what exactly did 2A run for us?" gets SQL to paste into a DuckDB shell
on the warehouse, in the engine's set-based form: the table `compute_councils` (the councils
of the run), the shared tables the measure needs, built in order, then the measure's own
query, with the period written in as literals. The same text is translated for a council
whose warehouse is SQL Server, Spark or PostgreSQL by dialects.py (sqlglot plus the shims the
Spark engine uses too); what still cannot be translated is named in a comment above the
statement, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openasc.errors import OpenascError
from openasc.metrics.catalogue import Family, Measure, catalogue_version, find_measures
from openasc.metrics.dialects import DIALECTS, bind, translate
from openasc.metrics.plan import build_plan

__all__ = ["DIALECTS", "CompiledSQL", "bind", "compile_measure", "find_measure"]


@dataclass(frozen=True)
class CompiledSQL:
    """The bound SQL of one measure, and the constructs sqlglot could not translate."""

    measure: Measure
    dialect: str
    prepare: tuple[str, ...]
    text: str
    warnings: tuple[str, ...]


def find_measure(code: str, families: tuple[Family, ...]) -> Measure:
    hits = find_measures(code, families)
    if not hits:
        raise OpenascError(f"No measure {code!r} in the catalogue. Expected a code such as 2A "
                           "or STS001 (or FAMILY/CODE); `openasc metrics list` shows them all.")
    if len(hits) > 1:
        names = ", ".join(f"{m.family}/{m.code}" for m in hits)
        raise OpenascError(f"{code!r} is the code of several measures ({names}); give "
                           "FAMILY/CODE.")
    if not hits[0].implemented:
        m = hits[0]
        raise OpenascError(f"{m.family} {m.code} is not implemented "
                           f"({m.not_implemented_reason}); it has no SQL.")
    return hits[0]


def _statement(sql: str, dialect: str, shared: set[str], warnings: list[str]) -> str:
    if dialect == "duckdb":
        return sql.rstrip() + ";"
    try:
        translation = translate(sql, dialect, frozenset(shared))
        text, problems = translation.text, list(translation.problems)
    except OpenascError as exc:
        problems, text = [f"{exc}; it is printed as DuckDB SQL"], sql.rstrip()
    warnings += problems
    notes = "".join(f"-- WARNING ({dialect}): {p}. Check this by hand.\n" for p in problems)
    return notes + text + ";"


def _councils_sql(la_code: str | None) -> str:
    """The run's councils: the one asked for, or every council of the councils table."""
    if la_code:
        return f"SELECT la_code FROM (VALUES ('{la_code}')) AS c(la_code)"
    return "SELECT ons_code AS la_code FROM councils"


def compile_measure(code: str, families: tuple[Family, ...], dialect: str = "duckdb",
                    la_code: str | None = None, start: date | None = None,
                    end: date | None = None, salt_method: str = "nhse") -> CompiledSQL:
    """The prepare steps `code` requires, in order, then its SQL, bound and translated."""
    if dialect not in DIALECTS:
        raise OpenascError(f"--dialect {dialect!r} is not one of {', '.join(DIALECTS)}.")
    measure = find_measure(code, families)
    plan = build_plan(families, [f"{measure.family}/{measure.code}"])
    values: dict[str, date | str] = {k: v for k, v in
                                     (("la_code", la_code), ("period_start", start),
                                      ("period_end", end), ("salt_method", salt_method))
                                     if v is not None}
    shared = {*plan.prepare_tables, "compute_councils"}
    warnings: list[str] = []
    council = la_code or "every council"
    period = f"{start or '$period_start'} to {end or '$period_end'}"
    blocks = [f"-- {measure.family} {measure.code}: {measure.title}\n"
              f"-- bound for {council}, {period}; {dialect} SQL from openasc metrics sql "
              f"({catalogue_version(families)})."]
    unbound = sorted({p for p in ("period_start", "period_end") if p not in values})
    if unbound:
        blocks[0] += ("\n-- Parameters left as placeholders (give --la, --from and --to to "
                      f"bind them): {', '.join('$' + p for p in unbound)}.")
    create = "CREATE OR REPLACE TEMP TABLE" if dialect == "duckdb" else "CREATE TEMP TABLE"
    blocks.append("-- The councils of the run (the engine's compute_councils; the SQL reads "
                  "only their rows and returns la_code)\n"
                  + _statement(f"{create} compute_councils AS\n{_councils_sql(la_code)}",
                               dialect, shared, warnings))
    for i, (family, step) in enumerate(plan.prepare, 1):
        body = bind(step.sql_text().strip().rstrip(";"), values)
        blocks.append(
            f"-- Prepare step {i} of {len(plan.prepare)}: {step.table} ({family.name}, "
            f"{step.sql})\n"
            + _statement(f"{create} {step.table} AS\n{body}", dialect, shared, warnings))
    body = bind(measure.sql_text().strip().rstrip(";"), values)
    sharing = [m for f in families for m in f.measures if m.sql_path == measure.sql_path]
    heading = f"-- The measure: {measure.sql}"
    if len(sharing) > 1:
        heading += (f" (shared by {len(sharing)} measures; the engine keeps the rows whose "
                    f"code is {measure.code})")
        code_literal = measure.code.replace("'", "''")
        body = f"SELECT * FROM (\n{body}\n) AS measure_rows\nWHERE code = '{code_literal}'"
    blocks.append(heading + "\n" + _statement(body, dialect, shared, warnings))
    return CompiledSQL(measure, dialect, plan.prepare_tables, "\n\n".join(blocks) + "\n",
                       tuple(dict.fromkeys(warnings)))
