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


Shim = Callable[[exp.Expression, str, frozenset[str]], exp.Expression]
SHIMS: tuple[Shim, ...] = (
    lambda tree, dialect, _: inline_named_windows(tree, dialect),
    lambda tree, dialect, _: explicit_null_ordering(tree, dialect),
    tsql_temp_tables,
    lambda tree, dialect, _: distinct_table_aliases(tree, dialect),
)


# --------------------------------------------------------------------------- staging
@dataclass(frozen=True)
class Staged:
    """A query split in two: `steps`, (view name, SELECT) in order, each to be materialised
    under its name before the next runs; then `query`, which reads those views."""

    steps: tuple[tuple[str, str], ...]
    query: str


def _cte_references(node: exp.Expression, names: set[str]) -> list[exp.Table]:
    return [t for t in node.find_all(exp.Table)
            if not t.args.get("db") and not t.args.get("catalog") and t.name in names]


def shared_ctes_first(sql: str, dialect: str) -> Staged:
    """Shim 5, for Spark: each CTE the query reads more than once (and that reads a table)
    becomes a step of its own, materialised once as a view `_cte_<name>`; the rest of the
    query reads that view where it read the CTE.

    DuckDB computes such a CTE once and reads its rows at every reference; Spark inlines a
    CTE's whole plan at every reference and runs it again each time (a CTE of a CTE read
    twice runs four times, and so on down the chain). NHS England's SALT replication
    (salt_nhse_requests.sql: `events` read three times, `chain` four, each built on the
    ones before) took minutes on a few thousand rows for that alone. A CTE is a named
    subquery without side effects, so reading its materialised rows is reading the CTE;
    where its rows are not fully determined (a `row_number()` over ties), every reference
    now sees the same rows, as in DuckDB, instead of one computation each. The views take
    the CTE's column list, if it has one; a CTE a step needs but that is read only once
    goes into that step's own WITH. A query with no such CTE (or a RECURSIVE one, or a
    nested WITH reusing a name) is returned unchanged, with no steps. `sql` is in
    `dialect` already (translate's text); so are the steps and the query.
    """
    tree = sqlglot.parse_one(sql, read=dialect)
    with_ = tree.args.get("with_")
    if with_ is None or with_.args.get("recursive"):
        return Staged((), sql)
    ctes = list(with_.expressions)
    names = {c.alias for c in ctes}
    if any(c.alias in names for c in tree.find_all(exp.CTE) if c.parent is not with_):
        return Staged((), sql)
    counts = dict.fromkeys(names, 0)
    for table in _cte_references(tree, names):
        counts[table.name] += 1
    reads: dict[str, set[str]] = {}
    reads_data: dict[str, bool] = {}
    for cte in ctes:
        tables = list(cte.this.find_all(exp.Table))
        reads[cte.alias] = {t.name for t in _cte_references(cte.this, names)}
        reads_data[cte.alias] = any(
            t.name not in names or t.args.get("db") or reads_data.get(t.name, False)
            for t in tables)
    shared = [c.alias for c in ctes if counts[c.alias] >= 2 and reads_data[c.alias]]
    if not shared:
        return Staged((), sql)
    views = {name: "_cte_" + name for name in shared}

    def renamed(node: exp.Expression) -> exp.Expression:
        node = node.copy()
        for table in _cte_references(node, set(views)):
            name = table.name
            table.set("this", exp.to_identifier(views[name]))
            if not table.alias:
                table.set("alias", exp.TableAlias(this=exp.to_identifier(name)))
        return node

    def needed(start: set[str]) -> list[exp.CTE]:
        """The CTEs not made views that `start` reads, directly or through each other."""
        seen: set[str] = set()
        todo = [n for n in start if n not in views]
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += [n for n in reads[name] if n not in views]
        return [renamed(c) for c in ctes if c.alias in seen]

    def with_ctes(body: exp.Expression, kept: list[exp.CTE]) -> exp.Expression:
        if kept:
            body.set("with_", exp.With(expressions=kept))
        return body

    steps = []
    for cte in ctes:
        if cte.alias not in views:
            continue
        body = renamed(cte.this)
        columns = cte.args["alias"].columns
        if columns:  # WITH t(a, b) AS (...): the view's columns are named a, b
            body = exp.select("*").from_(exp.Subquery(
                this=body, alias=exp.TableAlias(this=exp.to_identifier(cte.alias),
                                                columns=[c.copy() for c in columns])))
        body = with_ctes(body, needed(reads[cte.alias]))
        steps.append((views[cte.alias], body.sql(dialect)))
    query = tree.copy()
    query.set("with_", None)
    top = {t.name for t in _cte_references(query, names)}
    query = with_ctes(renamed(query), needed(top))
    return Staged(tuple(steps), query.sql(dialect))


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
