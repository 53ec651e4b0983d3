"""The JSON API under /api: the same figures as the pages, with the same authorisation.

A viewer's figures are the published ones (strings such as "410" or "[c]"); an analyst's
are unrounded. Every figure is a string, as in the CSV export, so that "[c]" and "[x]"
need no special type and a client never meets a float that was rounded on the way.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from openasc.web import figures
from openasc.web.access import api_user, council_of, ctx_of

router = APIRouter(prefix="/api", tags=["measures"])
ERRORS = {401: {"description": "Not signed in"}, 403: {"description": "Role too low"},
          404: {"description": "No such measure or council"}}


class MeasureInfo(BaseModel):
    family: str
    code: str
    title: str
    unit: str
    polarity: str
    precision: int
    numerator: str
    denominator: str
    source: str
    disaggregations: list[str]
    method_notes: str
    reference: str
    headline: bool


class Figure(BaseModel):
    la_code: str
    period_start: str
    period_end: str
    breakdown: str
    numerator: str
    denominator: str
    value: str
    unit: str


class MeasureValues(BaseModel):
    measure: MeasureInfo
    figures: Literal["published", "unrounded"]
    values: list[Figure]


class Comparison(BaseModel):
    family: str
    code: str
    la_code: str
    period_start: str
    period_end: str
    unit: str
    polarity: str
    shown: float | None
    england_value: float | None
    region: str | None
    region_value: float | None
    group_name: str | None
    group_mean: float | None
    england_rank: int | None
    england_n: int | None
    england_quartile: int | None
    change_class: str | None
    england_label: str | None = None
    region_label: str | None = None
    england_scope: str | None = None


class Council(BaseModel):
    la_code: str
    name: str


class Metadata(BaseModel):
    families: list[str]
    measures: int
    councils: list[Council]
    periods: list[list[str]]
    figures: Literal["published", "unrounded"]


def _info(m) -> MeasureInfo:  # noqa: ANN001 - catalogue.Measure
    return MeasureInfo(family=m.family, code=m.code, title=m.title, unit=m.unit,
                       polarity=m.polarity, precision=m.precision, numerator=m.numerator,
                       denominator=m.denominator, source=m.source,
                       disaggregations=list(m.disaggregations), method_notes=m.method_notes,
                       reference=m.reference, headline=m.headline)


@router.get("/metadata", response_model=Metadata, responses=ERRORS)
def metadata(request: Request) -> Metadata:
    """Families, the number of measures, councils with measures and their periods."""
    who = api_user(request)
    la_code, known = council_of(request, None)
    with ctx_of(request).gate.read() as cur:
        periods = figures.periods(cur, la_code) if la_code else []
    return Metadata(families=figures.families(), measures=len(figures.catalogue()),
                    councils=[Council(la_code=c, name=n) for c, n in known],
                    periods=[list(p) for p in periods],
                    figures="unrounded" if who.unrounded else "published")


@router.get("/measures", response_model=list[MeasureInfo], responses=ERRORS)
def measures(request: Request,
             family: Annotated[str | None, Query(max_length=20)] = None) -> list[MeasureInfo]:
    """The metric catalogue: every measure's definition, optionally of one family."""
    api_user(request)
    return [_info(m) for k, m in sorted(figures.catalogue().items())
            if not family or k[0] == family.upper()]


@router.get("/measures/{family}/{code}", response_model=MeasureValues, responses=ERRORS)
def measure_values(request: Request, family: str, code: str,
                   la_code: Annotated[str | None, Query(max_length=20)] = None
                   ) -> MeasureValues:
    """One measure's definition and its figures for a council: every period and breakdown."""
    who = api_user(request)
    m = figures.measure(family, code)
    if m is None:
        raise HTTPException(404, f"There is no measure {family} {code} in the catalogue.")
    la, _ = council_of(request, la_code)
    with ctx_of(request).gate.read() as cur:
        rows = figures.measure_rows(cur, family, code, la, who.unrounded)
    return MeasureValues(
        measure=_info(m), figures="unrounded" if who.unrounded else "published",
        values=[Figure(**{k: v for k, v in r.as_dict().items()
                          if k not in ("family", "code", "number")}) for r in rows])


@router.get("/comparisons", response_model=list[Comparison], responses=ERRORS)
def comparisons(request: Request,
                family: Annotated[str | None, Query(max_length=20)] = None,
                code: Annotated[str | None, Query(max_length=20)] = None,
                la_code: Annotated[str | None, Query(max_length=20)] = None
                ) -> list[Comparison]:
    """How the council compares (the `comparisons` table), headline figures, values rounded
    to each measure's precision as the benchmark publishes them."""
    api_user(request)
    la, _ = council_of(request, la_code)
    with ctx_of(request).gate.read() as cur:
        rows = figures.comparison_rows(cur, family, code, la)
    return [Comparison(**r) for r in rows]
