"""The declared measure set: which measures are compared, and the rule that says when a
change is "about the same".

Hand-made regional profiles counted over different sets (19, 22, 25 measures) and read
"better" without polarity (reports.md §3). Keeping the set as data means every profile and
every ranking reads the same list, and the count printed in a profile is the list's length.

The set file holds only what is the set's own (which measures and breakdowns, `profile`,
`series_break`, a short `label`, the change rules). A measure's title, unit, better
direction and printed precision come from the metric catalogue, their one home; a set entry
naming a measure the catalogue lacks is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import yaml

from openasc.errors import OpenascError
from openasc.metrics.catalogue import Family, Measure, all_measures, default_catalogue

RULE_KINDS = {"points", "relative"}


@dataclass(frozen=True)
class BenchMeasure:
    """A measure of the set: its catalogue metadata and the set's own settings.

    `title` is the set's `label` when it gives one (a short name, or the name of a breakdown
    row), else the catalogue's title.
    """

    family: str
    code: str
    breakdown: str
    title: str
    unit: str
    polarity: str
    precision: int
    profile: bool
    series_break: int | None = None  # first year not comparable with the year before

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.family, self.code, self.breakdown)


@dataclass(frozen=True)
class ChangeRule:
    unit: str
    kind: str
    threshold: float

    def describe(self) -> str:
        """The rule in words, for the profile's note on "about the same"."""
        if self.kind == "points":
            word = "percentage point" if self.unit == "percent" else "unit"
            amount = f"{self.threshold:g} {word}{'' if self.threshold == 1 else 's'}"
            return f"a change of less than {amount}"
        return f"a change of less than {self.threshold * 100:g}% of last year's value"


@dataclass(frozen=True)
class MeasureSet:
    version: str
    set_label: str
    measures: tuple[BenchMeasure, ...]
    rules: dict[str, ChangeRule]

    @property
    def profile_measures(self) -> tuple[BenchMeasure, ...]:
        return tuple(m for m in self.measures if m.profile)

    def get(self, family: str, code: str, breakdown: str = "") -> BenchMeasure | None:
        for m in self.measures:
            if m.key == (family, code, breakdown):
                return m
        return None


def default_path() -> Path:
    return Path(str(resources.files("openasc.compare").joinpath("data", "measure_set.yaml")))


#: The keys a set entry may have; everything else about a measure is the catalogue's.
ENTRY_KEYS = {"family", "code", "breakdown", "label", "profile", "series_break"}


def _measure(entry: Any, where: str, catalogue: dict[tuple[str, str], Measure]) -> BenchMeasure:
    if not isinstance(entry, dict):
        raise OpenascError(f"{where}: each measure must be a mapping (family, code ...).")
    missing = [k for k in ("family", "code") if not entry.get(k)]
    if missing:
        raise OpenascError(f"{where}: missing {', '.join(missing)}.")
    unknown = sorted(set(entry) - ENTRY_KEYS)
    if unknown:
        raise OpenascError(
            f"{where}: unexpected {', '.join(unknown)}; a set entry holds only "
            f"{', '.join(sorted(ENTRY_KEYS))} (title, unit, polarity and precision come from "
            "the metric catalogue).")
    family, code = str(entry["family"]), str(entry["code"])
    m = catalogue.get((family.upper(), code.upper()))
    if m is None:
        raise OpenascError(
            f"{where}: measure {family} {code} is not in the metric catalogue; add it there "
            "first (with `implemented: false` for a measure only imported from published "
            "figures).")
    brk = entry.get("series_break")
    return BenchMeasure(
        family=family, code=code, breakdown=str(entry.get("breakdown") or ""),
        title=str(entry.get("label") or m.title).strip(), unit=m.unit, polarity=m.polarity,
        precision=m.precision, profile=bool(entry.get("profile", False)),
        series_break=int(brk) if brk else None,
    )


def load_measure_set(path: Path | None = None,
                     families: tuple[Family, ...] | None = None) -> MeasureSet:
    """Read and check a measure set file (the shipped one by default) against the catalogue
    (the shipped one by default)."""
    path = path or default_path()
    catalogue = {(m.family.upper(), m.code.upper()): m for m in all_measures(
        default_catalogue() if families is None else families)}
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise OpenascError(f"{path}: cannot be read as YAML ({exc}).") from exc
    if not isinstance(data, dict) or not data.get("measures"):
        raise OpenascError(f"{path}: expected `measures:` (a list) at the top level.")
    measures = tuple(_measure(e, f"{path.name} measure {i + 1}", catalogue)
                     for i, e in enumerate(data["measures"]))
    keys = [m.key for m in measures]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise OpenascError(f"{path}: measures listed twice: {dupes}.")
    rules: dict[str, ChangeRule] = {}
    for unit, rule in (data.get("change_rules") or {}).items():
        if not isinstance(rule, dict) or rule.get("kind") not in RULE_KINDS:
            raise OpenascError(f"{path}: change_rules.{unit} needs kind: points or relative.")
        rules[unit] = ChangeRule(unit=unit, kind=rule["kind"], threshold=float(rule["threshold"]))
    lacking = sorted({m.unit for m in measures} - set(rules))
    if lacking:
        raise OpenascError(f"{path}: no change rule for unit(s) {', '.join(lacking)}; add them "
                           "under change_rules.")
    return MeasureSet(version=str(data.get("version", "")),
                      set_label=str(data.get("set_label") or "measures"),
                      measures=measures, rules=rules)


def register(con: duckdb.DuckDBPyConnection, ms: MeasureSet) -> None:
    """Put the set in a temporary table, so that the comparison SQL can join to it."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE bench_measures (
            family VARCHAR, code VARCHAR, breakdown VARCHAR, unit VARCHAR, polarity VARCHAR,
            precision INTEGER, profile BOOLEAN, series_break INTEGER, rule_kind VARCHAR,
            rule_threshold DOUBLE)""")
    con.executemany(
        "INSERT INTO bench_measures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[m.family, m.code, m.breakdown, m.unit, m.polarity, m.precision, m.profile,
          m.series_break, ms.rules[m.unit].kind, ms.rules[m.unit].threshold]
         for m in ms.measures])
