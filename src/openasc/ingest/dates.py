"""Which way round a file writes its dates: dd/mm/yyyy, mm/dd/yyyy or ISO yyyy-mm-dd.

The specifications ask for dd/mm/yyyy, but an extract saved by a spreadsheet set to US
English writes mm/dd/yyyy, and 03/04/2024 is then read as 3 April when it meant 4 March - for
every row, without a single invalid date to give it away. So the order is decided per file,
from its own values, before any date is read (docs/decisions.md): over every date column, a
slashed date whose first number is over 12 proves dd/mm; one whose second number is over 12
proves mm/dd. A file with proof of one order is read in that order; a file with proof of
both, or with none and dates whose two readings differ (a first and second number both 12 or
under, and not equal), is refused with a message saying so, unless the user states the order
(`--date-order dmy|mdy|iso`). `iso` says the file's dates are yyyy-mm-dd: a slashed date is
then not a date.

One aggregate over the date columns; no row leaves DuckDB, and no date of birth is ever
quoted in a message (the row and field are named, not the value).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

ORDERS = ("dmy", "mdy", "iso")
#: strptime format of a slashed date in each order (`iso`: a slashed date is not a date).
SLASHED = {"dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y", "iso": None}
WORDS = {"dmy": "dd/mm/yyyy", "mdy": "mm/dd/yyyy", "iso": "yyyy-mm-dd"}


@dataclass(frozen=True)
class DateOrder:
    """The order the file's dates are read in, and what to tell the user about it."""

    order: str = "dmy"
    error: str | None = None  # the file cannot be read safely: refuse it
    note: str | None = None  # read in an order the user did not state: say so


def _example(kind: str) -> str:
    return f"arg_min(field || ', row ' || _row, _row) FILTER (WHERE kind = '{kind}')"


def detect(con: duckdb.DuckDBPyConnection, table: str, fields: dict[str, str],
           chosen: str | None = None) -> DateOrder:
    """The date order of `table`, whose date columns are `fields` (column -> field name).

    `chosen` is the user's `--date-order`: it is used as given (an unknown value is an
    error). Without it the values decide, as the module docstring says."""
    if chosen is not None:
        if chosen not in ORDERS:
            return DateOrder(error=f"--date-order {chosen!r} is not one of dmy, mdy, iso.")
        return DateOrder(chosen)
    if not fields:
        return DateOrder()
    # each distinct cell once (dates repeat: a million rows hold a few thousand), with its
    # rows and its first row
    cells = " UNION ALL ".join(
        f"SELECT '{name}' AS field, min(_row) AS _row, trim({col}) AS v, count(*) AS n "
        f"FROM {table} WHERE contains({col}, '/') GROUP BY {col}"
        for col, name in fields.items())
    counts = con.execute(f"""
        WITH parts AS (
            SELECT field, _row, n, try_cast(split_part(v, '/', 1) AS INTEGER) AS a,
                   try_cast(split_part(v, '/', 2) AS INTEGER) AS b
            FROM ({cells}) WHERE regexp_matches(v, '^\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}')
        ), judged AS (
            SELECT field, _row, n, CASE WHEN a > 12 AND b <= 12 THEN 'dmy'
                                     WHEN b > 12 AND a <= 12 THEN 'mdy'
                                     WHEN a <= 12 AND b <= 12 AND a <> b THEN 'either' END
                                AS kind FROM parts
        )
        SELECT coalesce(sum(n) FILTER (WHERE kind = 'dmy'), 0),
               coalesce(sum(n) FILTER (WHERE kind = 'mdy'), 0),
               coalesce(sum(n) FILTER (WHERE kind = 'either'), 0),
               {_example('dmy')}, {_example('mdy')}, {_example('either')}
        FROM judged""").fetchone()
    dmy, mdy, either, dmy_at, mdy_at, either_at = counts
    retry = " State the order with --date-order dmy, mdy or iso."
    if dmy and mdy:
        return DateOrder(error=(
            f"the dates are written both ways round: {dmy:,} have a first number over 12, "
            f"so dd/mm/yyyy (e.g. {dmy_at}), and {mdy:,} a second number over 12, so "
            f"mm/dd/yyyy (e.g. {mdy_at}); expected one order in the whole file." + retry))
    if mdy:
        return DateOrder("mdy", note=(
            f"dates read as mm/dd/yyyy (US order): {mdy:,} have a second number over 12 "
            f"(e.g. {mdy_at}) and none a first number over 12."))
    if either and not dmy:
        return DateOrder(error=(
            f"cannot tell whether the dates are dd/mm/yyyy or mm/dd/yyyy: no date has a "
            f"number over 12 in either place, and {either:,} read differently each way "
            f"(e.g. {either_at})." + retry))
    return DateOrder("dmy")


def slashed_sql(value: str, order: str) -> str:
    """SQL: the DATE a slashed `value` is in `order` (NULL when it is not one)."""
    fmt = SLASHED[order]
    return f"CAST(try_strptime({value}, '{fmt}') AS DATE)" if fmt else "CAST(NULL AS DATE)"
