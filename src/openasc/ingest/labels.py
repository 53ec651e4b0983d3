"""A council's own labels, mapped to the national values: the labels file.

Case-list systems often record location or type of risk in the council's own words ("Own
home (inc. supported living)", "Financial"). The national lists (spec/safeguarding.yaml,
spec/dols.yaml) know some spellings; everything else is not a national value and would be
stored as `Invalid and not mapped`. The council keeps a small file saying what its labels
mean, per field, and names it with `--labels FILE` or `labels_file` in openasc.toml:

    # YAML: field -> {local label: national value}
    Location_of_Risk:
      Own home (inc. supported living): Own Home
    Types_of_Risk:
      Financial: Financial or Material Abuse

or a CSV with the columns `field,local_label,national_value`.

The file is checked before anything is read (a field that has no national list, or a
national value that is not in the field's list, is a user error naming the file and entry).
Labels are matched ignoring case and repeated spaces; in a multi-label field each part is
mapped. After validation, every label still not a national value is reported per field,
with its row count, so nothing is stored as `Invalid and not mapped` without a warning.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import yaml

from openasc.errors import OpenascError, UnreadableInput
from openasc.spec import Spec, load_spec

NOT_MAPPED = "Invalid and not mapped"
CSV_COLUMNS = ("field", "local_label", "national_value")


@dataclass(frozen=True)
class Mapped:
    """One field's label field of the spec: its column, national list and separator."""

    name: str
    column: str
    list: str
    separator: str | None  # a multi-label field's separator, else None


def _norm(text: str) -> str:
    return " ".join(str(text).split()).lower()  # as the SQL: lower(trim(collapsed spaces))


def _fields(kind: str) -> dict[str, Mapped]:
    """Fields whose values come from a national list, by name (case-insensitively)."""
    spec = load_spec(kind)
    # The YAML as written: openasc.spec does not model the multi-label keys.
    raw_spec = yaml.safe_load(resources.files("openasc.spec").joinpath(f"{kind}.yaml")
                              .read_text("utf-8"))
    out: dict[str, Mapped] = {}
    for raw in raw_spec["fields"]:
        f = spec.field(raw["name"])
        values_from = raw.get("values_from") if raw.get("separator") else None
        if f.type == "list" and f.list:
            out[f.name.casefold()] = Mapped(f.name, f.column, f.list, None)
        elif values_from:
            out[f.name.casefold()] = Mapped(f.name, f.column, values_from, raw["separator"])
    return out


def _entries(path: Path) -> list[tuple[str, str, str, str]]:
    """(where, field, local label, national value) as the file writes them."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such labels file. Expected a YAML or CSV file "
                              "mapping local labels to national values.")
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"{path}: cannot be read as UTF-8 text ({exc}).") from exc
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        header = [h.strip().lower() for h in (rows[0].keys() if rows else [])]
        if not rows or any(c not in header for c in CSV_COLUMNS):
            raise OpenascError(f"{path}: expected a header {','.join(CSV_COLUMNS)} and one row "
                               "per local label.")
        return [(f"row {i + 2}", *(str(r.get(c) or "").strip() for c in CSV_COLUMNS))
                for i, r in enumerate({k.strip().lower(): v for k, v in r.items()}
                                      for r in rows)]
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise OpenascError(f"{path}: is not valid YAML ({exc}).") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise OpenascError(f"{path}: expected `Field: {{local label: national value}}` for each "
                           "field (docs/safeguarding-dols.md).")
    return [(f"{field} / {local!r}", str(field), str(local).strip(), str(national).strip())
            for field, labels in data.items() for local, national in labels.items()]


def read_labels(path: Path, kind: str) -> list[tuple[Mapped, str, str]]:
    """(field, local label, national value) for each entry, checked against the spec."""
    spec: Spec = load_spec(kind)
    fields = _fields(kind)
    out = []
    for where, name, local, national in _entries(path):
        f = fields.get(name.casefold())
        if f is None:
            raise OpenascError(
                f"{path}, {where}, field: {name!r} is not a {kind} field with a national list. "
                f"Expected one of: {', '.join(sorted(m.name for m in fields.values()))}.")
        values = spec.lists[f.list].values
        if national not in values:
            raise OpenascError(
                f"{path}, {where}: {national!r} is not a national value of {f.name}. Expected "
                f"one of: {', '.join(values)}.")
        if not local:
            raise OpenascError(f"{path}, {where}: the local label is empty.")
        out.append((f, _norm(local), national))
    return out


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_labels(con: duckdb.DuckDBPyConnection, kind: str, path: Path | None,
                 table: str = "stg") -> list[str]:
    """Rewrite local labels in `table` as national values, before validation; return what
    was done, for the report (nothing when no labels file is given). One UPDATE per field,
    through a MAP of normalised label to national value (in a multi-label field, per part)."""
    if path is None:
        return []
    entries = read_labels(Path(path), kind)
    done: list[str] = []
    for f in sorted({m for m, _, _ in entries}, key=lambda m: m.name):
        pairs = {k: v for m, k, v in entries if m == f}
        lookup = (f"MAP([{', '.join(map(_q, pairs))}], [{', '.join(map(_q, pairs.values()))}])")

        def look(x: str, lookup: str = lookup) -> str:
            return (f"map_extract_value({lookup}, "
                    f"lower(trim(regexp_replace({x}, '\\s+', ' ', 'g'))))")

        if f.separator is None:
            cond, new = f"{look(f.column)} IS NOT NULL", look(f.column)
        else:
            split = f"string_split({f.column}, {_q(f.separator)})"
            cond = f"len(list_filter({split}, lambda p: {look('p')} IS NOT NULL)) > 0"
            new = (f"array_to_string(list_transform({split}, lambda p: coalesce({look('p')}, "
                   f"trim(p))), {_q(f.separator + ' ')})")
        n = con.execute(f"SELECT count(*) FROM {table} WHERE {cond}").fetchone()[0]
        if n:
            con.execute(f"UPDATE {table} SET {f.column} = {new} WHERE {cond}")
            done.append(f"{f.name}: {n:,} {'row' if n == 1 else 'rows'} had a local label "
                        f"mapped to its national value by {Path(path).name}.")
    return done


def unmapped_warnings(con: duckdb.DuckDBPyConnection, kind: str, table: str = "stg",
                      judged: str = "_case") -> list[str]:
    """One warning per field and label that is not a national value and will be stored as
    `Invalid and not mapped`, with its row count (rows that load only).

    Reads what validation and the case-list staging leave on the connection: `_oa_resolved`
    (each distinct value of a single-valued list and what it became) and `_case_labels`
    (every spelling a multi-label part may use)."""
    parts = []
    for f in _fields(kind).values():
        if f.separator is None:
            parts.append(
                f"SELECT '{f.name}' AS field, _oa_val(s.{f.column}) AS label, count(*) AS n "
                f"FROM {table} s JOIN {judged} j USING (_row) JOIN _oa_resolved r "
                f"ON r.list = '{f.list}' AND r.raw = _oa_val(s.{f.column}) "
                f"WHERE j._reason IS NULL AND r.cleaned = '{NOT_MAPPED}' GROUP BY ALL")
        else:
            parts.append(
                f"SELECT '{f.name}', trim(x.part), count(DISTINCT x._row) FROM "
                f"(SELECT s._row, unnest(string_split(s.{f.column}, '{f.separator}')) AS part "
                f" FROM {table} s JOIN {judged} j USING (_row) "
                f" WHERE j._reason IS NULL AND s.{f.column} IS NOT NULL) x "
                f"LEFT JOIN _case_labels l ON l.list = '{f.list}' AND l.key = _oa_norm(x.part) "
                f"WHERE trim(x.part) <> '' AND l.value IS NULL GROUP BY ALL")
    if not parts:
        return []
    got = con.execute(" UNION ALL ".join(parts) + " ORDER BY 1, 3 DESC, 2").fetchall()
    return [f"{field}: {label!r} ({n:,} {'row' if n == 1 else 'rows'}) is not a national value "
            f"and has no entry in a labels file; stored as {NOT_MAPPED!r}. Map it with "
            "--labels FILE (docs/safeguarding-dols.md)." for field, label, n in got]
