"""Comparator groups: the region each council belongs to, and its "nearest neighbours".

Regions come from councils.csv. Neighbour groups are data, read from a file a council or
region can replace with its own (a CIPFA-style model, say). Two layouts (docs/comparisons.md):

- `group,ons_code[,name]`: named groups, each council in at most one (a partition);
- `ons_code,neighbour_code`: each council's own list of neighbours (groups may overlap, as
  nearest-neighbour models do).

Either way a council's group is itself and its neighbours. The shipped default groups
councils of the same type in the same region: a stand-in, and it says so.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import duckdb

from openasc.councils import find
from openasc.errors import OpenascError, UnreadableInput


def default_path() -> Path:
    return Path(str(resources.files("openasc.compare").joinpath("data",
                                                                  "neighbour_groups.csv")))


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        lines = path.read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"{path}: cannot be read as UTF-8 text ({exc}).") from exc
    numbered = [(i + 1, line) for i, line in enumerate(lines)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise OpenascError(f"{path}: is empty; expected a header row and one row per member.")
    reader = csv.reader([line for _, line in numbered])
    header = [h.strip().lower() for h in next(reader)]
    rows = [(numbered[i + 1][0], dict(zip(header, (v.strip() for v in values), strict=False)))
            for i, values in enumerate(reader)]
    return header, rows


def _ons(code: str, path: Path, line: int, field: str) -> str:
    council = find(code)
    if council is None:
        raise OpenascError(f"{path.name}, row {line}, field {field}: {code!r} is not a known "
                           "council code. Expected an ONS code (E10000034) or an NHS council "
                           "code (416); see councils.csv.")
    return council.ons_code if code.upper() != council.ons_code else code.upper()


def read_groups(path: Path | None = None) -> list[tuple[str, str, str]]:
    """(council, member, group name) for every council and each member of its group,
    the council itself included."""
    path = path or default_path()
    header, rows = _rows(path)
    pairs: list[tuple[str, str, str]] = []
    if "group" in header and "ons_code" in header:
        members: dict[str, list[str]] = {}
        seen: dict[str, str] = {}
        for line, r in rows:
            code = _ons(r.get("ons_code", ""), path, line, "ons_code")
            group = r.get("group", "")
            if not group:
                raise OpenascError(f"{path.name}, row {line}, field group: empty; expected the "
                                   "group's name.")
            if code in seen and seen[code] != group:
                raise OpenascError(f"{path.name}, row {line}, field group: {code} is already in "
                                   f"group {seen[code]!r}; in this layout a council belongs to "
                                   "one group (use ons_code,neighbour_code for overlapping "
                                   "groups).")
            seen[code] = group
            members.setdefault(group, []).append(code)
        for group, codes in members.items():
            pairs.extend((c, m, group) for c in codes for m in codes)
    elif "ons_code" in header and "neighbour_code" in header:
        lists: dict[str, set[str]] = {}
        for line, r in rows:
            code = _ons(r.get("ons_code", ""), path, line, "ons_code")
            nb = _ons(r.get("neighbour_code", ""), path, line, "neighbour_code")
            lists.setdefault(code, {code}).add(nb)
        for code, nbs in lists.items():
            pairs.extend((code, m, f"{code} and its nearest neighbours") for m in sorted(nbs))
    else:
        raise OpenascError(f"{path}: the header {','.join(header)} is not a groups layout. "
                           "Expected `group,ons_code` or `ons_code,neighbour_code`.")
    return sorted(set(pairs))


def register(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> None:
    """Temporary table `bench_groups(la_code, member_code, group_name)` for the SQL."""
    con.execute("CREATE OR REPLACE TEMP TABLE bench_groups (la_code VARCHAR, member_code "
                "VARCHAR, group_name VARCHAR)")
    con.executemany("INSERT INTO bench_groups VALUES (?, ?, ?)", read_groups(path))
