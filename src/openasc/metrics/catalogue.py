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
UNITS = {"percent", "per_100k", "per_1000", "count", "days", "rate", "score"}
POLARITIES = {"higher", "lower", "neutral"}


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
    )


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
                    requires=tuple(p.get("requires") or ()), folder=path.parent)
        for p in data.get("prepare") or []
    )
    return Family(name=name, path=path, version=str(data.get("version", "1")),
                  published=dict(data.get("published") or {}), measures=measures,
                  prepare=prepare)


def load_catalogue(folder: Path | None = None) -> tuple[Family, ...]:
    """Every family in the catalogue folder, in file-name order (deterministic)."""
    folder = folder or catalogue_folder()
    return tuple(load_family(p) for p in sorted(folder.glob("*.yaml")))


@cache
def default_catalogue() -> tuple[Family, ...]:
    return load_catalogue()


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
