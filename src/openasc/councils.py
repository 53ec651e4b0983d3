"""Council reference data: the NHS council (CASSR) code CLD carries, mapped to the ONS code.

CLD's `LA_Code` is the NHS council code (`416` for Worcestershire), not the DfE code
(`885`); every output uses the ONS GSS code (`E10000034`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from openasc.errors import OpenascError


@dataclass(frozen=True)
class Council:
    ons_code: str
    la_code: str
    name: str
    region: str
    region_code: str
    council_type: str
    dfe_la_code: str
    valid_from: date | None
    valid_to: date | None
    former_codes: tuple[str, ...]

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def all_councils() -> tuple[Council, ...]:
    text = resources.files("openasc.reference").joinpath("councils.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Council(
            ons_code=r["ons_code"], la_code=r["la_code"], name=r["name"], region=r["region"],
            region_code=r["region_code"], council_type=r["council_type"],
            dfe_la_code=r["dfe_la_code"], valid_from=_day(r["valid_from"]),
            valid_to=_day(r["valid_to"]),
            former_codes=tuple(x for x in r["former_codes"].split(";") if x),
        )
        for r in rows
    )


def find(code: str, on: date | None = None) -> Council | None:
    """Find a council by ONS code or NHS council (CASSR) code, never by DfE code.

    Some NHS codes passed to a new ONS code when a council was re-formed (Barnsley's 204 is
    E08000016 to March 2025 and E08000038 after), so `on` picks the council valid on that
    day; without it, the current one.
    """
    code = str(code).strip()
    on = on or date.today()
    matches = [c for c in all_councils() if code.upper() == c.ons_code or code == c.la_code]
    if not matches:
        return None
    valid = [c for c in matches if c.valid_on(on)]
    if valid:
        return valid[0]
    return max(matches, key=lambda c: c.valid_to or date.max)


def resolve(code: str, what: str = "--la-code", on: date | None = None) -> Council:
    council = find(code, on)
    if council is None:
        raise OpenascError(
            f"{what} {code!r} is not a known council code. Expected an ONS code such as "
            "E10000034 or an NHS council (CASSR) code such as 416 (see councils.csv; the "
            "DfE code, e.g. 885, is not accepted)."
        )
    return council


def councils_csv_text() -> str:
    return resources.files("openasc.reference").joinpath("councils.csv").read_text("utf-8")
