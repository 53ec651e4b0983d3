"""Council batches: work over many councils done a few councils at a time, within the memory
limit.

The heaviest statements sort and join every event of every person. Over every council at
once (the national benchmark: 144 councils, 19.4M CLD rows, a 12 GiB limit) such a
statement outgrows the memory limit and DuckDB spills gigabytes to its temporary folder;
over a quarter of the councils at a time it fits, and the rows are the same, because each
council's rows come from its own records alone. Measured on that warehouse, the statement
alone: SALT's `salt_nhse_requests` 82 s -> 48 s, `salt_long_term_people` 36 s -> 25 s; the
national method's de-duplication and person details 124 s -> 112 s (benchmarks/README.md).
A statement that does not spill is slower in batches (each batch reads its inputs again),
so only such statements are batched. A warehouse of a few councils is one batch, so
nothing changes there.

Two users: the compute engine, for shared tables marked `by_council` (metrics/engine.py,
docs/measures.md), and the national method's rebuild after an ingest
(ingest/national/__init__.py).
"""

from __future__ import annotations

import re

import duckdb

from openasc import warehouse

#: Memory a batch may use per CLD row: at the default limit on a 24 GB machine (12 GiB) a
#: batch holds about 5M rows. Four batches of the national warehouse gave the timings above;
#: eight and sixteen were no faster.
ROW_BYTES = 2500

_UNITS = {"": 1, "b": 1, "bytes": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}


def memory_limit_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """The connection's memory limit in bytes (DuckDB reports it as text, e.g. `12.0 GiB`)."""
    text = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    match = re.fullmatch(r"\s*([\d.]+)\s*([A-Za-z]*)\s*", str(text))
    if not match or match.group(2).lower() not in _UNITS:
        return warehouse.UNKNOWN_MACHINE_DEFAULT  # unreadable: as for an unknown machine
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def council_batches(con: duckdb.DuckDBPyConnection, councils: str,
                    budget_rows: int | None = None) -> list[list[str]]:
    """The councils that query `councils` returns (column `la_code`) in batches of at most
    `budget_rows` CLD rows each (default: the memory limit over `ROW_BYTES`), in council
    order; a council larger than the budget is a batch of its own. One batch when the
    warehouse holds no CLD."""
    names = [r[0] for r in con.execute(
        f"SELECT DISTINCT la_code FROM ({councils}) ORDER BY la_code").fetchall()]
    if not warehouse.table_exists(con, "cld_records"):
        return [names] if names else []
    rows = dict(con.execute(
        f"SELECT la_code, count(*) FROM cld_records WHERE la_code IN "
        f"(SELECT la_code FROM ({councils})) GROUP BY la_code").fetchall())
    budget = budget_rows if budget_rows is not None else memory_limit_bytes(con) // ROW_BYTES
    batches: list[list[str]] = []
    filled = 0
    for la in names:
        n = rows.get(la, 0)
        if not batches or (filled and filled + n > budget):
            batches.append([])
            filled = 0
        batches[-1].append(la)
        filled += n
    return batches
