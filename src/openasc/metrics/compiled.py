"""A measure's SQL as the engine would run it for one council and period (dbt's `compile`).

An analyst who asks "what exactly did 2A run for us?" gets SQL to paste into a DuckDB shell
on the warehouse: the shared tables the measure needs, built in order, then the measure's
own query, with the council and period written in as literals. The same text can be
translated with sqlglot for a council whose warehouse is SQL Server, Spark or PostgreSQL;
what sqlglot cannot translate is named in a comment above the statement, never hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from openasc.errors import OpenascError
from openasc.metrics.catalogue import Family, Measure, catalogue_version, find_measures
from openasc.metrics.plan import build_plan

DIALECTS = ("duckdb", "tsql", "spark", "postgres")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class CompiledSQL:
    """The bound SQL of one measure, and the constructs sqlglot could not translate."""

    measure: Measure
    dialect: str
    prepare: tuple[str, ...]
    text: str
    warnings: tuple[str, ...]


def bind(sql: str, values: dict[str, date | str]) -> str:
    """Write the given parameters into the SQL as literals; others stay as `$name`."""

    def literal(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            return match.group(0)
        if isinstance(value, date):
            return f"DATE '{value.isoformat()}'"
        return "'" + str(value).replace("'", "''") + "'"

    return _PARAM.sub(literal, sql)


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


def _translate(sql: str, dialect: str, shared: set[str]) -> tuple[str, list[str]]:
    """sqlglot's translation and the constructs it reported it could not translate."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    if dialect == "tsql":  # T-SQL temporary tables are named #table wherever they are read
        for table in tree.find_all(exp.Table):
            if table.name in shared and not isinstance(table.parent, exp.Create):
                table.set("this", exp.to_identifier("#" + table.name))
    generator = sqlglot.Dialect.get_or_raise(dialect).generator(
        unsupported_level=ErrorLevel.IGNORE, pretty=True)
    text = generator.generate(tree)
    return text, list(dict.fromkeys(generator.unsupported_messages))


def _statement(sql: str, dialect: str, shared: set[str], warnings: list[str]) -> str:
    if dialect == "duckdb":
        return sql.rstrip() + ";"
    try:
        text, problems = _translate(sql, dialect, shared)
    except SqlglotError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        problems, text = [f"sqlglot could not translate this statement ({first}); it is "
                          "printed as DuckDB SQL"], sql.rstrip()
    warnings += problems
    notes = "".join(f"-- WARNING ({dialect}): {p}. Check this by hand.\n" for p in problems)
    return notes + text + ";"


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
    shared = set(plan.prepare_tables)
    warnings: list[str] = []
    council = la_code or "$la_code"
    period = f"{start or '$period_start'} to {end or '$period_end'}"
    blocks = [f"-- {measure.family} {measure.code}: {measure.title}\n"
              f"-- bound for {council}, {period}; {dialect} SQL from openasc metrics sql "
              f"({catalogue_version(families)})."]
    unbound = sorted({p for p in ("la_code", "period_start", "period_end") if p not in values})
    if unbound:
        blocks[0] += ("\n-- Parameters left as placeholders (give --la, --from and --to to "
                      f"bind them): {', '.join('$' + p for p in unbound)}.")
    create = "CREATE OR REPLACE TEMP TABLE" if dialect == "duckdb" else "CREATE TEMP TABLE"
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
