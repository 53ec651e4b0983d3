"""The metric catalogue: one YAML file per family, read and checked before anything runs.

A measure is data (design principles 1-2): its metadata lives in YAML and its method in SQL
beside it. This module turns those files into plain records and refuses a catalogue that is
incomplete, so that a missing title or unit is found by a unit test rather than by a reader
of a published report.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from openasc.errors import OpenascError
from openasc.spec import load_yaml

# The metadata design.md principle 2 asks of every measure.
REQUIRED_FIELDS = (
    "code", "title", "unit", "polarity", "numerator", "denominator", "source",
    "disaggregations", "method_notes",
)
UNITS = {"percent", "per_100k", "per_1000", "count", "days", "rate", "score", "per_100",
         "percent_change", "gbp_per_head", "gbp_per_week", "gbp_per_hour"}
POLARITIES = {"higher", "lower", "neutral"}
# The data tests a measure may declare under `tests:` (openasc.metrics.data_tests runs them).
TEST_KINDS = ("numerator_le_denominator", "breakdowns_sum_to_headline", "value_between",
              "not_null")
SEVERITIES = ("warn", "error")
COLUMNS = ("numerator", "denominator", "value")


@dataclass(frozen=True)
class DataTest:
    """One check of a measure's rows in metric_values, declared beside it (like a dbt test).

    `keys` (breakdowns_sum_to_headline: the breakdown keys whose rows partition the headline),
    `bounds` (value_between) and `columns` (not_null) hold the test's argument.
    """

    kind: str
    severity: str = "warn"
    keys: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    columns: tuple[str, ...] = ()

    @property
    def rule(self) -> str:
        """The test as the report names it, e.g. `value_between [0, 100]`."""
        if self.kind == "value_between" and self.bounds is not None:
            return f"value_between [{self.bounds[0]:g}, {self.bounds[1]:g}]"
        if self.keys:
            return f"{self.kind} {'+'.join(self.keys)}"
        if self.columns:
            return f"{self.kind} {', '.join(self.columns)}"
        return self.kind


@dataclass(frozen=True)
class Measure:
    """One measure of one family, as its YAML entry describes it."""

    family: str
    code: str
    title: str
    unit: str
    polarity: str
    numerator: str
    denominator: str
    source: str
    disaggregations: tuple[str, ...]
    method_notes: str
    sql: str | None
    requires: tuple[str, ...] = ()
    precision: int = 1
    reference: str = ""
    headline: bool = True
    multi_label: bool = False  # breakdown rows may sum to more than the headline
    implemented: bool = True
    not_implemented_reason: str = ""
    published: dict[str, Any] = field(default_factory=dict)
    folder: Path = Path(".")
    tests: tuple[DataTest, ...] = ()

    @property
    def anchor(self) -> str:
        """The id of the measure's definition in a published document (`#def-ASCOF-2A`)."""
        return "def-" + re.sub(r"[^A-Za-z0-9]+", "-", f"{self.family}-{self.code}").strip("-")

    @property
    def sql_path(self) -> Path | None:
        return self.folder / self.sql if self.sql else None

    def sql_text(self) -> str:
        path = self.sql_path
        if path is None:
            raise OpenascError(f"Measure {self.family} {self.code} has no SQL file.")
        return path.read_text("utf-8")


@dataclass(frozen=True)
class PrepareStep:
    """An intermediate table several measures share (like a dbt ephemeral model).

    The engine runs its SQL, with the same parameters as a measure, into a temporary table
    of this name for each council before any measure runs, so that a long derivation (the
    SALT sequel of every request) is written once and read by many measures.
    """

    table: str
    sql: str
    requires: tuple[str, ...]
    folder: Path
    # Its rows for a council come from that council's rows alone, and it reads the run's
    # councils from `compute_councils`: the engine may build it a batch of councils at a
    # time, within the memory limit (openasc/batches.py).
    by_council: bool = False

    def sql_text(self) -> str:
        return (self.folder / self.sql).read_text("utf-8")


@dataclass(frozen=True)
class Family:
    """One YAML file: a family's measures, its shared tables and its publication rule."""

    name: str
    path: Path
    version: str
    published: dict[str, Any]
    measures: tuple[Measure, ...]
    prepare: tuple[PrepareStep, ...] = ()


def catalogue_folder() -> Path:
    return Path(str(resources.files("openasc.metrics").joinpath("catalogue")))


def _names(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def _data_test(item: Any, entry: dict[str, Any], where: str) -> DataTest:
    """One `tests:` item: `kind`, or `{kind: argument}`, optionally with `severity:`."""
    if isinstance(item, str):
        item = {item: None}
    if not isinstance(item, dict):
        raise OpenascError(f"{where}: each test is a name or a mapping `name: argument`.")
    item = dict(item)
    severity = str(item.pop("severity", "warn"))
    kinds = [k for k in item if k in TEST_KINDS]
    if len(kinds) != 1 or len(item) != 1:
        raise OpenascError(f"{where}: test {item!r} is not one of {', '.join(TEST_KINDS)} "
                           "(with an optional `severity: warn|error`).")
    if severity not in SEVERITIES:
        raise OpenascError(f"{where}: test {kinds[0]}: severity {severity!r} is not warn or "
                           "error.")
    kind, arg = kinds[0], item[kinds[0]]
    if kind == "value_between":
        ok = isinstance(arg, list) and len(arg) == 2 and all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in arg)
        if not ok or arg[0] > arg[1]:
            raise OpenascError(f"{where}: value_between needs [low, high], two numbers with "
                               f"low <= high; got {arg!r}.")
        return DataTest(kind, severity, bounds=(float(arg[0]), float(arg[1])))
    if kind == "breakdowns_sum_to_headline":
        keys = tuple(sorted(_names(arg))) if arg else ()
        unknown = [k for k in keys if k not in (entry.get("disaggregations") or [])]
        if not keys or unknown:
            raise OpenascError(f"{where}: breakdowns_sum_to_headline needs a breakdown key (or "
                               "list of keys) of the measure's disaggregations; got "
                               f"{arg!r}.")
        if entry.get("multi_label") or entry.get("headline") is False:
            raise OpenascError(f"{where}: breakdowns_sum_to_headline cannot hold for a "
                               "measure that is multi_label or has no headline row.")
        return DataTest(kind, severity, keys=keys)
    if kind == "not_null":
        columns = _names(arg) if arg else ()
        if not columns or any(c not in COLUMNS for c in columns):
            raise OpenascError(f"{where}: not_null needs a column (or list) of "
                               f"{', '.join(COLUMNS)}; got {arg!r}.")
        return DataTest(kind, severity, columns=columns)
    if arg not in (None, True):
        raise OpenascError(f"{where}: {kind} takes no argument; got {arg!r}.")
    return DataTest(kind, severity)


def _measure(family: str, entry: dict[str, Any], folder: Path, where: str) -> Measure:
    if not isinstance(entry, dict):
        raise OpenascError(f"{where}: each measure must be a mapping of field: value.")
    missing = [f for f in REQUIRED_FIELDS if entry.get(f) in (None, "")
               and not (f == "disaggregations" and entry.get(f) == [])]
    if missing:
        raise OpenascError(
            f"{where} (measure {entry.get('code', '?')}): missing {', '.join(missing)}. "
            f"Every measure needs {', '.join(REQUIRED_FIELDS)} (docs/measures.md)."
        )
    implemented = bool(entry.get("implemented", True))
    if implemented and not entry.get("sql"):
        raise OpenascError(f"{where} (measure {entry['code']}): `sql` is missing; give the "
                           "SQL file, or `implemented: false` with `not_implemented_reason`.")
    if not implemented and not entry.get("not_implemented_reason"):
        raise OpenascError(f"{where} (measure {entry['code']}): a measure that is not "
                           "implemented needs `not_implemented_reason`.")
    if entry["unit"] not in UNITS:
        raise OpenascError(f"{where} (measure {entry['code']}): unit {entry['unit']!r} is not "
                           f"one of {', '.join(sorted(UNITS))}.")
    if entry["polarity"] not in POLARITIES:
        raise OpenascError(f"{where} (measure {entry['code']}): polarity "
                           f"{entry['polarity']!r} is not one of higher, lower, neutral.")
    return Measure(
        family=family,
        code=str(entry["code"]),
        title=str(entry["title"]).strip(),
        unit=entry["unit"],
        polarity=entry["polarity"],
        numerator=str(entry["numerator"]).strip(),
        denominator=str(entry["denominator"]).strip(),
        source=str(entry["source"]),
        disaggregations=tuple(entry.get("disaggregations") or ()),
        method_notes=str(entry["method_notes"]).strip(),
        sql=entry.get("sql"),
        requires=tuple(entry.get("requires") or ()),
        precision=int(entry.get("precision", 1)),
        reference=str(entry.get("reference", "")),
        headline=bool(entry.get("headline", True)),
        multi_label=bool(entry.get("multi_label", False)),
        implemented=implemented,
        not_implemented_reason=str(entry.get("not_implemented_reason", "")).strip(),
        published=dict(entry.get("published") or {}),
        folder=folder,
        tests=tuple(_data_test(t, entry, f"{where} (measure {entry['code']})")
                    for t in entry.get("tests") or ()),
    )


def _flag(entry: dict[str, Any], name: str, where: str) -> bool:
    """A yes/no field (default no): only `true` or `false`, so a typo is not read as yes."""
    value = entry.get(name, False)
    if not isinstance(value, bool):
        raise OpenascError(f"{where}: {name} must be true or false; got {value!r}.")
    return value


def load_family(path: Path) -> Family:
    """Read one family file, checking every entry's metadata."""
    try:
        data = load_yaml(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise OpenascError(f"{path}: is not valid YAML ({exc}).") from exc
    if not isinstance(data, dict) or "family" not in data or "measures" not in data:
        raise OpenascError(f"{path}: expected `family:` and `measures:` at the top level.")
    name = str(data["family"])
    measures = tuple(
        _measure(name, entry, path.parent, f"{path.name} entry {i + 1}")
        for i, entry in enumerate(data["measures"] or [])
    )
    seen: set[str] = set()
    for m in measures:
        if m.code.upper() in seen:
            raise OpenascError(f"{path.name}: measure code {m.code} appears twice.")
        seen.add(m.code.upper())
    prepare = tuple(
        PrepareStep(table=str(p["table"]), sql=str(p["sql"]),
                    requires=tuple(p.get("requires") or ()), folder=path.parent,
                    by_council=_flag(p, "by_council", f"{path.name} prepare {p['table']}"))
        for p in data.get("prepare") or []
    )
    return Family(name=name, path=path, version=str(data.get("version", "1")),
                  published=dict(data.get("published") or {}), measures=measures,
                  prepare=prepare)


def load_catalogue(folder: Path | None = None,
                   extra_dirs: tuple[Path, ...] = ()) -> tuple[Family, ...]:
    """Every family in the catalogue folder, in file-name order (deterministic), then those of
    each extra folder (a council's `catalogue_dirs`), in the order given.

    An extra file may add a family of its own or more measures to an existing one; it may
    not reuse a measure code of the catalogue loaded before it, because `--select` and
    `metrics sql` find measures by code, nor build a shared table already built.
    """
    families = tuple(load_family(p) for p in sorted((folder or catalogue_folder()).glob("*.yaml")))
    for extra in extra_dirs:
        if not extra.is_dir():
            raise OpenascError(f"catalogue_dirs: {extra} is not a folder; expected a folder "
                               "of family YAML files and their SQL (docs/measures.md).")
        for path in sorted(extra.glob("*.yaml")):
            families += (_extension(load_family(path), families),)
    check_dependencies(families)
    return families


def _extension(family: Family, before: tuple[Family, ...]) -> Family:
    """Refuse an extra family file that would shadow or redefine what is already loaded."""
    codes = {m.code.upper(): m for m in all_measures(before)}
    for m in family.measures:
        if m.code.upper() in codes:
            taken = codes[m.code.upper()]
            raise OpenascError(
                f"{family.path}: measure code {m.code} is already in the catalogue "
                f"({taken.family} {taken.code}, {taken.folder}). Give the council's measure a "
                "code of its own (e.g. with the council's prefix)."
            )
    if family.published and any(f.name.upper() == family.name.upper() for f in before):
        raise OpenascError(f"{family.path}: `published:` cannot be set for {family.name}, a "
                           "family already in the catalogue (its own rule applies).")
    return family


def prepare_steps(families: tuple[Family, ...]) -> dict[str, tuple[Family, PrepareStep]]:
    """Every shared table the catalogue builds, by table name."""
    return {p.table: (f, p) for f in families for p in f.prepare}


def check_dependencies(families: tuple[Family, ...]) -> None:
    """Refuse two prepare steps building one table, or prepare steps that need each other."""
    seen: dict[str, str] = {}
    for f in families:
        for p in f.prepare:
            if p.table in seen:
                raise OpenascError(f"{f.path}: prepare table {p.table} is also built by "
                                   f"{seen[p.table]}; each shared table has one definition.")
            seen[p.table] = str(f.path)
    steps = prepare_steps(families)
    for table in steps:
        dependency_order(steps, [table])


def dependency_order(steps: dict[str, tuple[Family, PrepareStep]],
                     tables: list[str]) -> list[str]:
    """The prepare tables `tables` need, each after the ones it requires (a topological
    order, depth first in the order declared). A cycle is a catalogue error."""
    order: list[str] = []
    visiting: list[str] = []

    def visit(table: str) -> None:
        if table in order:
            return
        if table in visiting:
            cycle = " -> ".join([*visiting[visiting.index(table):], table])
            raise OpenascError(f"The catalogue's prepare steps require each other in a cycle "
                               f"({cycle}); one of them must not require the other.")
        visiting.append(table)
        for needed in steps[table][1].requires:
            if needed in steps:
                visit(needed)
        visiting.pop()
        order.append(table)

    for table in tables:
        visit(table)
    return order


@cache
def catalogue_for(extra_dirs: tuple[Path, ...] = ()) -> tuple[Family, ...]:
    """The packaged catalogue plus a council's `catalogue_dirs` (settings.catalogue_dirs)."""
    return load_catalogue(None, extra_dirs)


def default_catalogue() -> tuple[Family, ...]:
    return catalogue_for(())


def all_measures(families: tuple[Family, ...] | None = None) -> list[Measure]:
    families = default_catalogue() if families is None else families
    return [m for f in families for m in f.measures]


def family_rule(family: str, families: tuple[Family, ...] | None = None) -> dict[str, Any]:
    """The `published:` block of a family's YAML ({} when it has none)."""
    families = default_catalogue() if families is None else families
    for f in families:
        if f.name.upper() == family.upper():
            return f.published
    return {}


def find_measures(text: str, families: tuple[Family, ...] | None = None) -> list[Measure]:
    """Measures whose code (or `FAMILY/CODE`, or title) matches, case-insensitively."""
    wanted = text.strip().casefold()
    measures = all_measures(families)
    fam, _, code = wanted.rpartition("/")
    hits = [m for m in measures if m.code.casefold() == code
            and (not fam or m.family.casefold() == fam)]
    if hits:
        return hits
    return [m for m in measures if m.title.casefold() == wanted]


def catalogue_version(families: tuple[Family, ...] | None = None) -> str:
    """A short fingerprint of every YAML and SQL file, and of the CLD specification whose
    lists the SQL joins: the method version of a compute run.

    Two runs with the same fingerprint used exactly the same definitions, so a figure can be
    traced to its method (design principle 6) without a hand-maintained version number.
    """
    families = default_catalogue() if families is None else families
    digest = hashlib.sha256()
    files = {f.path for f in families} | {m.sql_path for f in families for m in f.measures
                                         if m.sql_path is not None}
    files |= {p.folder / p.sql for f in families for p in f.prepare}
    # The CLD specification's ranks and groups reach the SQL through `cld_values`.
    files.add(Path(str(resources.files("openasc.spec").joinpath("cld_r2.yaml"))))
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return "catalogue-" + digest.hexdigest()[:12]
