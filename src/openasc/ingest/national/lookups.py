"""The CLD specification's value lists as a warehouse reference table, `cld_values`.

The DHSC method joins every event to a few value lists: the event-outcome hierarchy (which
record wins a tie; ascof.md §2.0.4), the setting hierarchy of service types (cld-r2.md
§3.19) and the groupings of ethnicity, outcome and service type that measures break down by.
They are data, and the CLD specification (`spec/cld_r2.yaml`) is their only home: this
module copies every list of it, with each value's `group` and `rank`, into `cld_values`, so
that the national processing and the catalogue's SQL join one table instead of restating
the lists. A new CLD release is then one edit of the specification.

A specification that lacks what the method needs (an outcome without a rank, a service type
or ethnicity without a group) is refused with a message naming the list and value: a
silent fallback would compute figures from values nobody can see.
"""

from __future__ import annotations

import duckdb

from openasc.errors import OpenascError
from openasc.spec import Spec, load_spec

TABLE = "cld_values"
#: setting_rank of a service type the hierarchy does not rank (unpaid carer support): last.
UNRANKED = 99

# What the national method reads of each list: every value needs a rank or a group.
_NEEDED = (("Event_Outcome", "rank"), ("Event_Outcome", "group"),
           ("Service_Type", "group"), ("Ethnicity", "group"))


def _check(spec: Spec) -> None:
    for name, what in _NEEDED:
        vl = spec.lists.get(name)
        if vl is None:
            raise OpenascError(f"The CLD specification (spec/cld_r2.yaml) has no list {name}; "
                               "the national processing method needs it.")
        known = vl.rank if what == "rank" else vl.groups
        lacking = [v for v in vl.values if v not in known]
        if lacking:
            raise OpenascError(
                f"The CLD specification (spec/cld_r2.yaml), list {name}: value {lacking[0]!r} "
                f"has no `{what}:`; the national processing method needs a {what} for every "
                f"{name} value.")
    if not spec.lists["Service_Type"].rank:
        raise OpenascError("The CLD specification (spec/cld_r2.yaml), list Service_Type: no "
                           "value has a `rank:` (the setting hierarchy of DHSC's CLD "
                           "processing method).")


def reference_rows(spec: Spec | None = None) -> list[tuple[str, str, str | None, int | None]]:
    """(list, value, group, rank) for every value of every list of the specification,
    including the values DHSC outputs use but submissions never do (`extra_ranks`)."""
    spec = spec or load_spec("cld")
    _check(spec)
    return [(name, v, vl.groups.get(v), vl.rank.get(v))
            for name, vl in spec.lists.items()
            for v in dict.fromkeys([*vl.values, *vl.rank, *vl.groups])]


def write_reference(con: duckdb.DuckDBPyConnection, spec: Spec | None = None) -> None:
    """(Re)write `cld_values` from the specification, in the caller's transaction.

    Written by every national rebuild and before every compute, so the table always holds
    the specification the code ships; rewriting it with the same rows changes nothing.
    """
    rows = reference_rows(spec)
    con.execute(f"CREATE OR REPLACE TABLE {TABLE} (list VARCHAR NOT NULL, value VARCHAR NOT "
                "NULL, value_group VARCHAR, value_rank INTEGER, PRIMARY KEY (list, value))")
    columns = [list(c) for c in zip(*rows, strict=True)]
    con.execute(f"INSERT INTO {TABLE} SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), "
                "unnest($3::VARCHAR[]), unnest($4::INTEGER[])", columns)


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Write `cld_values`, then the temporary tables the national steps join:
    `national_outcomes`, `national_service_types`, `national_ethnicities`."""
    write_reference(con)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE national_outcomes AS
        SELECT value AS event_outcome, value_rank AS outcome_rank,
               coalesce(value_group, value) AS outcome_group
        FROM {TABLE} WHERE list = 'Event_Outcome' AND value_rank IS NOT NULL""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE national_service_types AS
        SELECT value AS service_type, value_group AS service_group,
               coalesce(value_rank, {UNRANKED}) AS setting_rank
        FROM {TABLE} WHERE list = 'Service_Type'""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE national_ethnicities AS
        SELECT value AS ethnicity, value_group AS ethnicity_group
        FROM {TABLE} WHERE list = 'Ethnicity'""")


def drop(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("national_outcomes", "national_service_types", "national_ethnicities"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
