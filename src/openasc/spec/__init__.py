"""Specifications of the files councils send, read from YAML so a new release is a data edit.

One loader serves every return (CLD, safeguarding, DoLS): a specification names its fields
(label, header aliases, type, when a value is mandatory, privacy handling) and its defined
value lists (R2 values with how sure we are of each, the R1 spelling each replaced, national
groupings). The validator and reader are generated from these objects, never hand-written
per field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from openasc.errors import OpenascError

FIELD_TYPES = frozenset({
    "code", "date", "list", "text", "id", "nhs_number", "postcode", "decimal", "integer",
    "ods_code", "cqc_location_id",
})
PRIVACY = frozenset({"direct_identifier", "drop", "keep"})
STATUS_MARKS = {"C": "confirmed", "P": "probable", "U": "unconfirmed",
                "confirmed": "confirmed", "probable": "probable", "unconfirmed": "unconfirmed"}
SPEC_FILES = {"cld": "cld_r2.yaml"}


@dataclass(frozen=True)
class Rule:
    """One condition on a row; all its parts must hold. Empty parts impose nothing."""

    event_types: tuple[str, ...] = ()
    client_types: tuple[str, ...] = ()
    not_client_types: tuple[str, ...] = ()
    when: str | None = None


ALWAYS: tuple[Rule, ...] = (Rule(),)
NEVER: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class FieldSpec:
    name: str
    column: str
    label: str
    aliases: list[str]
    type: str
    required_column: bool
    list: str | None
    privacy: str
    module: str = ""
    mandatory: tuple[Rule, ...] = NEVER  # any rule holding makes the value mandatory
    applies: tuple[Rule, ...] = ALWAYS  # any rule holding makes the field applicable


@dataclass(frozen=True)
class NumberBand:
    band: str
    below: float


@dataclass(frozen=True)
class ValueList:
    name: str
    status: str
    values: list[str]
    value_status: dict[str, str]
    r1: dict[str, str]
    groups: dict[str, str]
    rank: dict[str, int]
    corrections: dict[str, str] = field(default_factory=dict)
    group_default: str | None = None
    r1_number_bands: list[NumberBand] = field(default_factory=list)


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    version: str
    release: int | None
    fields: list[FieldSpec]
    lists: dict[str, ValueList]
    conditions: dict[str, str]
    never_valid: list[str]

    def field(self, name: str) -> FieldSpec:
        """A field by its national name or column name, in any case."""
        key = name.strip().lower()
        for f in self.fields:
            if f.column == key or f.name.lower() == key:
                return f
        raise KeyError(f"{self.name} specification has no field {name!r}")


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _rules(raw: Any, default: tuple[Rule, ...], where: str) -> tuple[Rule, ...]:
    if raw is None:
        return default
    if raw == "always":
        return ALWAYS
    if raw == "never":
        return NEVER
    items = raw if isinstance(raw, list) else [raw]
    rules = []
    for item in items:
        unknown = set(item) - {"event_types", "client_types", "not_client_types", "when"}
        if unknown:
            raise OpenascError(f"{where}: unknown rule keys {sorted(unknown)}.")
        rules.append(Rule(
            event_types=_as_tuple(item.get("event_types")),
            client_types=_as_tuple(item.get("client_types")),
            not_client_types=_as_tuple(item.get("not_client_types")),
            when=item.get("when"),
        ))
    return tuple(rules)


def _field(raw: dict[str, Any], spec_name: str) -> FieldSpec:
    name = raw["name"]
    where = f"{spec_name} specification, field {name}"
    ftype = raw["type"]
    if ftype not in FIELD_TYPES:
        raise OpenascError(f"{where}: type {ftype!r} is not one of {sorted(FIELD_TYPES)}.")
    privacy = raw.get("privacy", "keep")
    if privacy not in PRIVACY:
        raise OpenascError(f"{where}: privacy {privacy!r} is not one of {sorted(PRIVACY)}.")
    if (ftype == "list") != bool(raw.get("list")):
        raise OpenascError(f"{where}: a list field needs `list:`, and only a list field has one.")
    return FieldSpec(
        name=name, column=name.lower(), label=raw.get("label", name.replace("_", " ")),
        aliases=[str(a) for a in raw.get("aliases", [])], type=ftype,
        required_column=bool(raw.get("required_column", True)), list=raw.get("list"),
        privacy=privacy, module=raw.get("module", ""),
        mandatory=_rules(raw.get("mandatory"), NEVER, where),
        applies=_rules(raw.get("applies"), ALWAYS, where),
    )


def _value_list(name: str, raw: dict[str, Any]) -> ValueList:
    status = STATUS_MARKS[raw["status"]]
    values: list[str] = []
    value_status: dict[str, str] = {}
    r1: dict[str, str] = {}
    groups: dict[str, str] = {}
    rank: dict[str, int] = {}
    for item in raw["values"]:
        unknown = set(item) - {"value", "status", "r1", "group", "rank"}
        if unknown:
            raise OpenascError(f"List {name}: value {item.get('value')!r} has unknown keys "
                               f"{sorted(unknown)} (a comma in an unquoted value?).")
        value = str(item["value"])
        values.append(value)
        value_status[value] = STATUS_MARKS[item.get("status", status)]
        for old in _as_tuple(item.get("r1")):
            r1[old] = value
        if "group" in item:
            groups[value] = str(item["group"])
        if "rank" in item:
            rank[value] = int(item["rank"])
    r1.update({str(k): str(v) for k, v in (raw.get("r1_only") or {}).items()})
    rank.update({str(k): int(v) for k, v in (raw.get("extra_ranks") or {}).items()})
    groups.update({str(k): str(v) for k, v in (raw.get("extra_groups") or {}).items()})
    bands = [NumberBand(str(b["band"]), float(b["below"])) for b in raw.get("r1_number_bands", [])]
    return ValueList(
        name=name, status=status, values=values, value_status=value_status, r1=r1,
        groups=groups, rank=rank,
        corrections={str(k): str(v) for k, v in (raw.get("corrections") or {}).items()},
        group_default=raw.get("group_default"), r1_number_bands=bands,
    )


def parse_spec(data: dict[str, Any]) -> Spec:
    """Build a Spec from its parsed YAML; also used by tests to try small specifications."""
    name = data["name"]
    lists = {k: _value_list(k, v) for k, v in (data.get("lists") or {}).items()}
    fields = [_field(f, name) for f in data["fields"]]
    conditions = {str(k): " ".join(str(v).split()) for k, v in
                  (data.get("conditions") or {}).items()}
    for f in fields:
        if f.list and f.list not in lists:
            raise OpenascError(f"{name} specification: field {f.name} names list {f.list!r}, "
                               "which is not defined under `lists:`.")
        for rule in f.mandatory + f.applies:
            if rule.when and rule.when not in conditions:
                raise OpenascError(f"{name} specification: field {f.name} uses condition "
                                   f"{rule.when!r}, which is not defined under `conditions:`.")
    return Spec(
        name=name, title=data.get("title", name), version=str(data.get("version", "")),
        release=data.get("release"), fields=fields, lists=lists, conditions=conditions,
        never_valid=[str(v) for v in data.get("never_valid", [])],
    )


def load_yaml(text: str) -> Any:
    """`yaml.safe_load` through libyaml when PyYAML was built with it: the CLD specification
    parses in a hundredth of a second instead of a sixth, on every command."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def load_spec(name: str) -> Spec:
    """Load `spec/<name>.yaml` (`"cld"` is the CLD Release 2 file) from the package."""
    filename = SPEC_FILES.get(name, f"{name}.yaml")
    source = resources.files("openasc.spec").joinpath(filename)
    if not source.is_file():
        raise OpenascError(f"There is no specification called {name!r} (looked for "
                           f"spec/{filename} in the openasc package).")
    return parse_spec(load_yaml(source.read_text("utf-8")))
