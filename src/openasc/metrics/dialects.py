"""Catalogue SQL in other engines' dialects: sqlglot's translation plus a few shims.

The catalogue is written in DuckDB's SQL. sqlglot translates it to T-SQL (SQL Server teams),
Spark SQL (`openasc compute --engine spark`, Databricks) and PostgreSQL. Where sqlglot cannot
say the same thing in the target dialect, a shim below rewrites the parsed query first; each
shim's docstring says what does not translate and why the rewrite means the same. Nothing
else is changed: a construct no shim covers is reported by name (`Translation.problems`),
never silently dropped. `openasc metrics sql --dialect` and the Spark engine both translate
through `translate` here, so what an analyst reads is what Spark runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from openasc.errors import OpenascError

DIALECTS = ("duckdb", "tsql", "spark", "postgres")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Translation:
    """One statement in the target dialect, and what sqlglot reported it could not translate
    (empty when the translation is complete)."""

    text: str
    problems: tuple[str, ...]


def bind(sql: str, values: dict[str, date | str]) -> str:
    """Write the given parameters into the SQL as literals; others stay as `$name`. Every
    engine then reads the same text, with no driver-specific parameter syntax."""

    def literal(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            return match.group(0)
        if isinstance(value, date):
            return f"DATE '{value.isoformat()}'"
        return "'" + str(value).replace("'", "''") + "'"

    return _PARAM.sub(literal, sql)


# --------------------------------------------------------------------------- shims
def _natural_nulls_first(dialect: sqlglot.Dialect, desc: bool) -> bool:
    """Where the dialect puts NULLs for this direction when the query does not say."""
    ordering = dialect.NULL_ORDERING
    if ordering == "nulls_are_last":
        return False
    return not desc if ordering == "nulls_are_small" else desc


def _resolve_position(ordered: exp.Ordered) -> exp.Expression | None:
    """`ORDER BY 2` -> the second expression of the SELECT it orders (its alias removed)."""
    select = ordered.find_ancestor(exp.Select)
    if select is None or not ordered.this.is_int:
        return None
    position = int(ordered.this.name)
    if not 1 <= position <= len(select.expressions):
        return None
    chosen = select.expressions[position - 1]
    return chosen.unalias() if isinstance(chosen, exp.Alias) else chosen


def _order_outside_set_operation(tree: exp.Expression) -> exp.Expression:
    """`a UNION ALL b ORDER BY 1, 2` -> `SELECT * FROM (a UNION ALL b) AS ordered_rows ORDER BY
    code, breakdown`: T-SQL allows only output columns (no expressions) in a UNION's ORDER
    BY, so the extra NULL-ordering key needs the union as a derived table, its positions
    named by the first SELECT's output columns."""
    if not isinstance(tree, exp.SetOperation) or not tree.args.get("order"):
        return tree
    names = tree.named_selects
    order = tree.args["order"]
    for ordered in order.expressions:
        if ordered.this.is_int and 1 <= int(ordered.this.name) <= len(names):
            ordered.set("this", exp.column(names[int(ordered.this.name) - 1]))
    with_ = tree.args.get("with_")
    tree.set("order", None)
    tree.set("with_", None)
    outer = exp.select("*").from_(tree.subquery("ordered_rows"))
    outer.set("order", order)
    if with_ is not None:
        outer.set("with_", with_)
    return outer


def explicit_null_ordering(tree: exp.Expression, dialect: str) -> exp.Expression:
    """Shim for dialects without `NULLS FIRST/LAST` (T-SQL): an ORDER BY key whose NULLs
    must sort where the dialect would not put them becomes two keys,
    `CASE WHEN k IS NULL THEN 1 ELSE 0 END, k` (NULLs last; `0 ELSE 1` for first).

    DuckDB sorts NULLs last in both directions; SQL Server sorts them first when ascending.
    sqlglot adds this extra key itself in a query's ORDER BY, but not inside a window with a
    frame (`OVER (... ORDER BY d ROWS ...)`: "'NULLS LAST' translation not supported in
    window function") nor for a positional key (`ORDER BY 1`). The extra key is a function
    of `k`, so rows that tie on `k` still tie (a RANGE frame's peers are unchanged) and rows
    that differ keep their order: the window and the sort mean what DuckDB's did. A
    positional key is first replaced by the expression it names.
    """
    target = sqlglot.Dialect.get_or_raise(dialect)
    generator = target.generator()
    if generator.NULL_ORDERING_SUPPORTED:
        return tree
    tree = _order_outside_set_operation(tree)
    for ordered in list(tree.find_all(exp.Ordered)):
        desc = bool(ordered.args.get("desc"))
        nulls_first = bool(ordered.args.get("nulls_first"))
        if nulls_first == _natural_nulls_first(target, desc):
            continue
        key = ordered.this
        if key.is_int:
            key = _resolve_position(ordered)
            if key is None:
                continue  # sqlglot reports it: nothing safe to rewrite to
        flag = exp.Case(ifs=[exp.If(this=exp.Is(this=key.copy(), expression=exp.Null()),
                                    true=exp.Literal.number(0 if nulls_first else 1))],
                        default=exp.Literal.number(1 if nulls_first else 0))
        first = exp.Ordered(this=flag, desc=False,
                            nulls_first=_natural_nulls_first(target, False))
        ordered.replace(first)
        rest = exp.Ordered(this=key.copy(), desc=ordered.args.get("desc"),
                           nulls_first=_natural_nulls_first(target, desc))
        holder = first.parent
        keys = list(holder.expressions)
        keys.insert(next(i for i, k in enumerate(keys) if k is first) + 1, rest)
        holder.set("expressions", keys)
    return tree


def tsql_temp_tables(tree: exp.Expression, dialect: str,
                     temp_tables: frozenset[str]) -> exp.Expression:
    """Shim for T-SQL: a temporary table is named `#table` wherever it is read, so the shared
    tables the prepare steps build (and `compute_councils`) get the `#` in every reference
    except the CREATE that makes them (SQL Server's temp tables live in tempdb under that
    prefix; DuckDB's, Spark's and PostgreSQL's need no prefix)."""
    if dialect != "tsql":
        return tree
    for table in tree.find_all(exp.Table):
        if table.name in temp_tables and not isinstance(table.parent, exp.Create):
            table.set("this", exp.to_identifier("#" + table.name))
    return tree


def inline_named_windows(tree: exp.Expression, dialect: str) -> exp.Expression:
    """Shim for every target: `OVER w` and `OVER (w ROWS ...)` over `WINDOW w AS (...)`
    become the window written out in each OVER, and the WINDOW clause goes.

    Spark SQL cannot add a frame to a named window (`OVER (w ROWS BETWEEN ...)` is a syntax
    error) and SQL Server has a WINDOW clause only from 2022. A named window is only a
    shorthand: writing its PARTITION BY and ORDER BY into each OVER that names it (with that
    OVER's own frame) is the same window.
    """
    if dialect == "duckdb":
        return tree
    for select in list(tree.find_all(exp.Select)):
        named = {w.name: w for w in select.args.get("windows") or []}
        if not named:
            continue
        for window in list(select.find_all(exp.Window)):
            alias = window.args.get("alias")
            if alias is None or alias.name not in named or \
                    window.find_ancestor(exp.Select) is not select:
                continue
            definition = named[alias.name]
            window.set("alias", None)
            for part in ("partition_by", "order"):
                if definition.args.get(part) and not window.args.get(part):
                    window.set(part, definition.args[part].copy()
                               if isinstance(definition.args[part], exp.Expression)
                               else [p.copy() for p in definition.args[part]])
            if definition.args.get("spec") and not window.args.get("spec"):
                window.set("spec", definition.args["spec"].copy())
        select.set("windows", None)
    return tree


def distinct_table_aliases(tree: exp.Expression, dialect: str) -> exp.Expression:
    """Shim for Spark: every table alias gets a suffix (`e` -> `e__`), in its declaration
    and in every column it qualifies, so that no alias has the name of a column.

    In a correlated subquery `... FROM ev AS l WHERE l.e >= e.ep_start` (outer table `e`,
    inner table with a column `e`), Spark reads `e.ep_start` as the field `ep_start` of the
    column `e` ("Can't extract a value from e"), where DuckDB and the SQL standard read the
    outer table `e`. The suffix leaves nothing to confuse; an alias that is also the name of
    a table or CTE somewhere in the query is left alone (its qualifiers cannot be told apart).
    """
    if dialect != "spark":
        return tree
    tables = {t.name for t in tree.find_all(exp.Table)} | {
        c.alias for c in tree.find_all(exp.CTE)}
    sources = [a for a in tree.find_all(exp.TableAlias) if not isinstance(a.parent, exp.CTE)]
    aliases = {a.name for a in sources if a.name} - tables
    for alias in sources:
        if alias.name in aliases:
            alias.set("this", exp.to_identifier(alias.name + "__"))
    for column in tree.find_all(exp.Column):
        if column.table in aliases:
            column.set("table", exp.to_identifier(column.table + "__"))
    return tree


def spark_percentiles(tree: exp.Expression, dialect: str) -> exp.Expression:
    """Shim for Spark: DuckDB's `quantile_cont(x, p)` becomes Spark's `percentile(x, p)`.

    sqlglot writes it as `PERCENTILE_CONT(x, p)`, which Spark 4 refuses (its
    `percentile_cont` takes the fraction alone, with `WITHIN GROUP (ORDER BY x)`). Spark's
    `percentile` is the same statistic: the exact value at that fraction, interpolated
    linearly between the two nearest rows, as `quantile_cont` is."""
    if dialect != "spark":
        return tree
    for node in list(tree.find_all(exp.PercentileCont)):
        if node.args.get("expression") is not None and node.this is not None:
            node.replace(exp.Anonymous(this="percentile",
                                       expressions=[node.this.copy(),
                                                    node.args["expression"].copy()]))
    return tree


Shim = Callable[[exp.Expression, str, frozenset[str]], exp.Expression]
SHIMS: tuple[Shim, ...] = (
    lambda tree, dialect, _: inline_named_windows(tree, dialect),
    lambda tree, dialect, _: explicit_null_ordering(tree, dialect),
    tsql_temp_tables,
    lambda tree, dialect, _: distinct_table_aliases(tree, dialect),
    lambda tree, dialect, _: spark_percentiles(tree, dialect),
)


# --------------------------------------------------------------------------- translation
def translate(sql: str, dialect: str, temp_tables: frozenset[str] = frozenset(),
              pretty: bool = True, strict: bool = False) -> Translation:
    """DuckDB SQL (one statement) in `dialect`, after the shims; what sqlglot still could
    not translate is returned in `problems` (with `strict`, sqlglot's
    `unsupported_level=RAISE`, it is an error instead). SQL sqlglot cannot read at all, or
    cannot translate under `strict`, raises OpenascError naming the first problem."""
    if dialect not in DIALECTS:
        raise OpenascError(f"Dialect {dialect!r} is not one of {', '.join(DIALECTS)}.")
    if dialect == "duckdb":
        return Translation(sql, ())
    level = ErrorLevel.RAISE if strict else ErrorLevel.IGNORE
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
        for shim in SHIMS:
            tree = shim(tree, dialect, temp_tables)
        generator = sqlglot.Dialect.get_or_raise(dialect).generator(
            unsupported_level=level, pretty=pretty)
        text = generator.generate(tree)
    except (SqlglotError, AttributeError) as exc:  # AttributeError: a sqlglot defect
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OpenascError(f"sqlglot could not translate this statement to {dialect}: "
                           f"{first}") from exc
    return Translation(text, tuple(dict.fromkeys(generator.unsupported_messages)))
