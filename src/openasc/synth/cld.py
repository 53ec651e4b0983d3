"""A synthetic council's CLD submission(s): `openasc synth cld`.

The council's people and their whole history are drawn once (people.py, journeys.py); each
quarterly submission then restates the rolling 12 months ending at its quarter end, the way
councils submit (cld-r2.md §1.3-1.4): requests, assessments and reviews completed in the
period, services active at any time in it (open ones without an end date), deaths known by
the period end. Faults are planted per file (defects.py). Strings are made in DuckDB from
small integer codes, so a million-row file takes seconds and the same arguments always give
the same bytes.

About 5 rows are written per person (`ROWS_PER_PERSON`): `--people 200000` gives about one
million rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from openasc.councils import resolve
from openasc.errors import OpenascError
from openasc.synth import defects
from openasc.synth.journeys import (
    CODED,
    CONTINUATION_SERVICE,
    DESCRIPTIONS,
    Timeline,
    build_events,
)
from openasc.synth.people import INWARD_LETTERS, NO_DATE, OPEN, People, draw_people
from openasc.synth.values import LISTS, code, spellings
from openasc.warehouse import sql_text

ROWS_PER_PERSON = 2.6  # measured: tests/unit/test_synth_cld.py::test_rows_per_person
EPOCH = date(1970, 1, 1)

HEADER = (
    "LA_Code",
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "NHS_Number",
    "LA_Person_Unique_Identifier",
    "GP_Practice_Name",
    "GP_Practice_Code",
    "Gender",
    "Ethnicity",
    "Date_of_Birth",
    "Date_of_Death",
    "Client_Type",
    "Primary_Support_Reason",
    "Postcode",
    "Accommodation_Status",
    "Employment_Status",
    "Has_Unpaid_Carer",
    "Autism_Spectrum_Disorder_ASD",
    "Visual_Impairment",
    "Hearing_Impairment",
    "Dementia",
    "Client_Funding_Status",
    "Event_Type",
    "Event_Reference",
    "Event_Start_Date",
    "Event_End_Date",
    "Event_Description",
    "Event_Outcome",
    "Request_Route_of_Access",
    "Assessment_Type",
    "Eligible_Needs_Identified",
    "Method_of_Assessment",
    "Total_Hrs_Caring_per_week",
    "No_of_adults_being_cared_for",
    "Adult_1_Linked_Person_ID",
    "Adult_2_Linked_Person_ID",
    "Adult_3_Linked_Person_ID",
    "Service_Type",
    "Service_Component",
    "Delivery_Mechanism",
    "Provider_CQC_Location_Name",
    "Provider_CQC_Location_ID",
    "Review_Reason",
    "Review_Outcomes_Achieved",
    "Method_of_Review",
    "Unit_Cost",
    "Cost_Frequency_Unit_Type",
    "Planned_units_per_week",
)
PERSON_COLUMNS = (
    "LA_Person_Unique_Identifier",
    "NHS_Number",
    "Date_of_Birth",
    "Gender",
    "Ethnicity",
    "Postcode",
    "Primary_Support_Reason",
)

PLACE_WORDS = (
    "Riverside",
    "Park Lane",
    "Church Street",
    "Oakwood",
    "Victoria",
    "Abbey",
    "Meadowbank",
    "Station Road",
    "Castle",
    "Brookfield",
    "Orchard",
    "Market Square",
    "Hill View",
    "Willow",
    "The Green",
    "Elm Tree",
    "Severn",
    "Malvern Road",
)
GP_SUFFIXES = ("Surgery", "Medical Centre", "Health Centre", "Medical Practice")


@dataclass(frozen=True)
class Submission:
    """One rolling 12-month file: its period and where it goes."""

    path: Path
    start: date
    end: date


def _year_end(year: str) -> date:
    m = re.fullmatch(r"(\d{4})-(\d{2})", year.strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise OpenascError(
            f"--year {year!r} is not a financial year. Expected YYYY-YY with consecutive years, "
            "such as 2024-25 (the 12 months ending 31/03/2025)."
        )
    return date(int(m.group(1)) + 1, 3, 31)


def _quarter_end(year_end: date, quarters_back: int) -> date:
    month_index = year_end.year * 12 + (year_end.month - 1) - 3 * quarters_back + 1
    first_of_next = date(month_index // 12, month_index % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _period_start(end: date) -> date:
    """First day of the rolling 12 months that end on the month end `end`."""
    return date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)


def plan_submissions(out: Path, year: str, submissions: int) -> list[Submission]:
    """The files to write: one, or N quarterly files ending at consecutive quarter ends."""
    if not 1 <= submissions <= 12:
        raise OpenascError(f"--submissions {submissions} is out of range. Expected 1 to 12.")
    year_end = _year_end(year)
    plans = []
    for k in range(1, submissions + 1):
        end = _quarter_end(year_end, submissions - k)
        path = out if submissions == 1 else out.with_name(f"{out.stem}_q{k}{out.suffix}")
        plans.append(Submission(path=path, start=_period_start(end), end=end))
    return plans


def _days(d: date) -> int:
    return (d - EPOCH).days


def _check(people: int, release: int, defect_rate: float) -> None:
    if people < 1:
        raise OpenascError(f"--people {people} is too small. Expected a whole number of 1 or more.")
    if release not in (1, 2):
        raise OpenascError(f"--release {release} is not a CLD release. Expected 1 or 2.")
    if not 0.0 <= defect_rate <= 0.5:
        raise OpenascError(
            f"--defect-rate {defect_rate} is out of range. Expected a share between 0 and 0.5, "
            "such as 0.02 for 2% of rows."
        )


def simulate(
    people: int, la_code: str, year: str, seed: int, submissions: int = 1
) -> tuple[People, dict[str, np.ndarray], str]:
    """Draw the council's people and their full history; return them and the NHS council code."""
    plans = plan_submissions(Path("x.csv"), year, submissions)
    year_end = plans[-1].end
    council = resolve(la_code, on=year_end)
    root = np.random.SeedSequence(seed)
    people_rng, journey_rng = (np.random.default_rng(s) for s in root.spawn(2))
    crowd = draw_people(people_rng, people, council.region_code, council.la_code, _days(year_end))
    events = build_events(
        journey_rng, crowd, Timeline(p0=_days(plans[0].start), pe=_days(year_end))
    )
    order = np.lexsort((events["event_type"], events["start"], events["person"]))
    events = {k: v[order] for k, v in events.items()}
    events["event_id"] = np.arange(1, len(order) + 1, dtype=np.int64)
    return crowd, events, council.la_code


def _cut(events: dict[str, np.ndarray], start: int, end: int) -> dict[str, np.ndarray]:
    """The events one submission reports, as they looked at its period end."""
    kba = events["event_type"] < 0
    service = events["event_type"] == code("Event_Type", "Service")
    completed = (events["end"] >= start) & (events["end"] <= end)
    active = (events["start"] <= end) & (events["end"] >= start)
    keep = kba | np.where(service, active, completed & ~service)
    cut = {k: v[keep] for k, v in events.items()}
    still_open = (cut["event_type"] == code("Event_Type", "Service")) & (cut["end"] > end)
    cut["end"] = np.where(still_open, OPEN, cut["end"])
    cut["outcome"] = np.where(still_open, CONTINUATION_SERVICE, cut["outcome"])
    return cut


def _date_array(days: np.ndarray) -> pa.Array:
    missing = (days >= OPEN) | (days <= NO_DATE)
    return pa.array(
        np.where(missing, 0, days).astype(np.int32), type=pa.int32(), mask=missing
    ).cast(pa.date32())


def _code_array(codes: np.ndarray) -> pa.Array:
    return pa.array(codes.astype(np.int32), type=pa.int32())


def _table(
    crowd: People, cut: dict[str, np.ndarray], kinds: np.ndarray, period_end: int
) -> pa.Table:
    """Row-level integer/date columns for DuckDB; duplicates follow their originals."""
    n = len(kinds)
    copies = np.flatnonzero(kinds == defects.DUPLICATE)
    rows = np.concatenate([np.arange(n), copies])
    order = np.argsort(np.concatenate([np.arange(n) * 2, copies * 2 + 1]), kind="stable")
    rows = rows[order]
    defect = np.where(
        np.concatenate([np.zeros(n, np.int8), np.full(len(copies), defects.DUPLICATE, np.int8)])[
            order
        ]
        > 0,
        defects.DUPLICATE,
        np.where(kinds[rows] == defects.DUPLICATE, 0, kinds[rows]),
    )
    person = cut["person"][rows]
    dod = crowd.date_of_death[person]
    dod = np.where(dod <= period_end, dod, OPEN)

    def link(col: str) -> pa.Array:
        li = cut[col][rows]
        return pa.array(
            np.where(li >= 0, crowd.person_id[np.maximum(li, 0)], 0), type=pa.int64(), mask=li < 0
        )

    cols = {
        "row_no": pa.array(np.arange(len(rows), dtype=np.int64)),
        "defect": _code_array(defect),
        "nhs": pa.array(crowd.nhs_number[person]),
        "person_id": pa.array(crowd.person_id[person]),
        "gp": _code_array(crowd.gp[person]),
        "dob": _date_array(crowd.date_of_birth[person]),
        "dod": _date_array(dod),
        "pc_area": _code_array(crowd.postcode_area[person]),
        "pc_district": _code_array(crowd.postcode_district[person]),
        "pc_sector": _code_array(crowd.postcode_sector[person]),
        "pc_unit": _code_array(crowd.postcode_unit[person]),
        "start_day": _date_array(cut["start"][rows]),
        "end_day": _date_array(cut["end"][rows]),
        "event_id": pa.array(cut["event_id"][rows]),
        "link1": link("link1"),
        "link2": link("link2"),
        "link3": link("link3"),
    }
    person_fields = {
        "gender": crowd.gender,
        "ethnicity": crowd.ethnicity,
        "psr": crowd.psr,
        "accommodation": crowd.accommodation,
        "employment": crowd.employment,
        "has_carer": crowd.has_carer,
        "asd": crowd.asd,
        "visual": crowd.visual,
        "hearing": crowd.hearing,
        "dementia": crowd.dementia,
        "funding": crowd.funding,
    }
    for name, arr in person_fields.items():
        cols[name] = _code_array(arr[person])
    for name in (c for c in CODED if not c.startswith("link")):
        cols[name] = _code_array(cut[name][rows])
    for name in ("unit_cost", "units", "hours_caring"):
        v = cut[name][rows]
        cols[name] = pa.array(np.nan_to_num(v), type=pa.float64(), mask=np.isnan(v))
    return pa.table(cols)


def _sql_list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _lookup(field: str, column: str, release: int) -> str:
    return f"{_sql_list(spellings(field, release))}[{column} + 1]"


def _select_sql(
    la_code: str, period: Submission, release: int, areas: tuple[str, ...], gp_letter: str
) -> str:
    """The SELECT that turns codes into the file's text, with each row's planted fault."""
    dmy = "'%d/%m/%Y'"

    def day(col: str) -> str:
        return (
            f"CASE WHEN defect = 8 THEN strftime({col}, '%Y-%m-%d') ELSE strftime({col}, {dmy}) END"
        )

    r1_client = _sql_list(spellings("Client_Type", 1))
    wrong_release = f"{r1_client}[client_type + 1]" if release == 2 else None
    client = _lookup("Client_Type", "client_type", release)
    gender = _lookup("Gender", "gender", release)
    gender_sql = (
        f"CASE WHEN defect = 3 THEN upper({gender}) || ' ' "
        + ("" if release == 2 else "WHEN defect = 2 THEN 'F' ")
        + f"ELSE {gender} END"
    )
    client_sql = (
        f"CASE WHEN defect = 2 THEN {wrong_release} ELSE {client} END" if wrong_release else client
    )
    places = _sql_list(PLACE_WORDS)
    gp_suffix = _sql_list(GP_SUFFIXES)
    letters = _sql_list(list(INWARD_LETTERS))
    care_home = (
        f"service_type IN ({code('Service_Type', 'Long term support: Nursing care')}, "
        f"{code('Service_Type', 'Long term support: Residential care')})"
    )
    start_s = period.start.strftime("%d/%m/%Y")
    end_s = period.end.strftime("%d/%m/%Y")
    parts = {
        "LA_Code": f"'{la_code}'",
        "Reporting_Period_Start_Date": f"'{start_s}'",
        "Reporting_Period_End_Date": f"'{end_s}'",
        "NHS_Number": "CASE WHEN defect = 4 THEN NULL WHEN defect = 5 THEN "
        "CAST(nhs // 10 * 10 + (nhs % 10 + 1) % 10 AS VARCHAR) ELSE CAST(nhs AS VARCHAR) END",
        "LA_Person_Unique_Identifier": "CAST(person_id AS VARCHAR)",
        "GP_Practice_Name": f"{places}[gp % {len(PLACE_WORDS)} + 1] || ' ' || "
        f"{gp_suffix}[(gp // {len(PLACE_WORDS)}) % {len(GP_SUFFIXES)} + 1]",
        "GP_Practice_Code": f"'{gp_letter}' || CAST(81001 + gp AS VARCHAR)",
        "Gender": gender_sql,
        "Ethnicity": "CASE WHEN defect = 1 THEN 'White' ELSE "
        f"{_lookup('Ethnicity', 'ethnicity', release)} END",
        "Date_of_Birth": day("dob"),
        "Date_of_Death": day("dod"),
        "Client_Type": client_sql,
        "Primary_Support_Reason": _lookup("Primary_Support_Reason", "psr", release),
        "Postcode": f"CASE WHEN defect = 7 THEN NULL ELSE {_sql_list(areas)}[pc_area + 1] || "
        f"CAST(pc_district AS VARCHAR) || ' ' || CAST(pc_sector AS VARCHAR) || "
        f"{letters}[pc_unit // {len(INWARD_LETTERS)} + 1] || "
        f"{letters}[pc_unit % {len(INWARD_LETTERS)} + 1] END",
        "Accommodation_Status": f"CASE WHEN defect = 9 THEN 'NULL' ELSE "
        f"{_lookup('Accommodation_Status', 'accommodation', release)} END",
        "Employment_Status": _lookup("Employment_Status", "employment", release),
        "Has_Unpaid_Carer": _lookup("Has_Unpaid_Carer", "has_carer", release),
        "Autism_Spectrum_Disorder_ASD": _lookup("Autism_Spectrum_Disorder_ASD", "asd", release),
        "Visual_Impairment": _lookup("Visual_Impairment", "visual", release),
        "Hearing_Impairment": _lookup("Hearing_Impairment", "hearing", release),
        "Dementia": _lookup("Dementia", "dementia", release),
        "Client_Funding_Status": _lookup("Client_Funding_Status", "funding", release),
        "Event_Type": _lookup("Event_Type", "event_type", release),
        "Event_Reference": "CASE WHEN event_type >= 0 THEN "
        "'EV' || lpad(CAST(event_id AS VARCHAR), 8, '0') END",
        "Event_Start_Date": day("start_day"),
        "Event_End_Date": "CASE WHEN defect = 6 THEN "
        f"strftime(start_day - 1 - CAST(row_no % 30 AS INTEGER), {dmy}) "
        f"ELSE {day('end_day')} END",
        "Event_Description": f"{_sql_list(DESCRIPTIONS)}[description + 1]",
        "Event_Outcome": _lookup("Event_Outcome", "outcome", release),
        "Request_Route_of_Access": _lookup("Request_Route_of_Access", "route", release),
        "Assessment_Type": _lookup("Assessment_Type", "assessment_type", release),
        "Eligible_Needs_Identified": _lookup("Eligible_Needs_Identified", "eligible", release),
        "Method_of_Assessment": _lookup("Method_of_Assessment", "method_assessment", release),
        "Total_Hrs_Caring_per_week": (
            "CAST(CAST(hours_caring AS INTEGER) AS VARCHAR)"
            if release == 1
            else _lookup(
                "Total_Hrs_Caring_per_week",
                "CASE WHEN hours_caring < 10 THEN 0 WHEN hours_caring < 20 THEN 1 "
                "WHEN hours_caring < 35 THEN 2 WHEN hours_caring < 50 THEN 3 "
                "WHEN hours_caring >= 50 THEN 4 END",
                release,
            )
        ),
        "No_of_adults_being_cared_for": "CASE WHEN n_adults >= 0 "
        "THEN CAST(n_adults AS VARCHAR) END",
        "Adult_1_Linked_Person_ID": "CAST(link1 AS VARCHAR)",
        "Adult_2_Linked_Person_ID": "CAST(link2 AS VARCHAR)",
        "Adult_3_Linked_Person_ID": "CAST(link3 AS VARCHAR)",
        "Service_Type": _lookup("Service_Type", "service_type", release),
        "Service_Component": _lookup("Service_Component", "component", release),
        "Delivery_Mechanism": _lookup("Delivery_Mechanism", "mechanism", release),
        "Provider_CQC_Location_Name": "CASE WHEN provider >= 0 THEN "
        f"{places}[provider % {len(PLACE_WORDS)} + 1]"
        f" || CASE WHEN {care_home} THEN ' Care Home' ELSE ' Care Services' END END",
        "Provider_CQC_Location_ID": "CASE WHEN provider >= 0 THEN '1-' || "
        "CAST(100000000 + (provider * 7919) % 900000000 AS VARCHAR) END",
        "Review_Reason": _lookup("Review_Reason", "review_reason", release),
        "Review_Outcomes_Achieved": _lookup("Review_Outcomes_Achieved", "review_outcome", release),
        "Method_of_Review": _lookup("Method_of_Review", "method_review", release),
        "Unit_Cost": "printf('%.2f', unit_cost)",
        "Cost_Frequency_Unit_Type": _lookup("Cost_Frequency_Unit_Type", "frequency", release),
        "Planned_units_per_week": "printf('%.2f', units)",
    }
    assert tuple(parts) == HEADER
    return (
        "SELECT "
        + ",\n  ".join(f"{sql} AS {name}" for name, sql in parts.items())
        + " FROM rows ORDER BY row_no"
    )


def write_cld(
    out: Path,
    people: int,
    la_code: str,
    year: str,
    seed: int,
    release: int,
    defect_rate: float,
    submissions: int = 1,
) -> list[tuple[Path, int]]:
    """Write the synthetic council's CLD file(s); return (path, rows) for each file written."""
    _check(people, release, defect_rate)
    plans = plan_submissions(Path(out), year, submissions)
    crowd, events, nhs_code = simulate(people, la_code, year, seed, submissions)
    written = []
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    for k, plan in enumerate(plans, start=1):
        cut = _cut(events, _days(plan.start), _days(plan.end))
        rng = np.random.default_rng(np.random.SeedSequence([seed, 7919, k]))
        kinds = defects.assign(rng, len(cut["person"]), defect_rate, cut["event_type"] >= 0)
        rows = _table(crowd, cut, kinds, _days(plan.end))
        con.register("rows", rows)
        plan.path.parent.mkdir(parents=True, exist_ok=True)
        sql = _select_sql(nhs_code, plan, release, crowd.areas, crowd.gp_letter)
        target = str(plan.path).replace("'", "''")
        try:
            con.execute(f"COPY ({sql}) TO {sql_text(target)} (FORMAT csv, HEADER true)")
        except duckdb.IOException as exc:
            raise OpenascError(
                f"Cannot write {plan.path}: {exc}. Expected a writable path."
            ) from exc
        con.unregister("rows")
        written.append((plan.path, rows.num_rows))
    con.close()
    return written


def people_frame(people: int, la_code: str, year: str, seed: int, release: int = 2) -> pa.Table:
    """One row per person as `write_cld` with the same arguments writes them (PERSON_COLUMNS).

    For generators of other returns (safeguarding, DoLS) that want concerns about the same
    people without reading the CLD file back.
    """
    _check(people, release, 0.0)
    plan = plan_submissions(Path("x.csv"), year, 1)[0]
    crowd, _, nhs_code = simulate(people, la_code, year, seed)
    n = crowd.n
    cut = {
        "person": np.arange(n),
        "event_type": np.full(n, -1),
        "start": np.full(n, NO_DATE),
        "end": np.full(n, NO_DATE),
        "event_id": np.zeros(n, dtype=np.int64),
    }
    for name in CODED[1:]:  # every coded column but event_type
        cut[name] = np.full(n, -1)
    cut["client_type"] = np.full(n, code("Client_Type", "Service user"))
    for name in ("unit_cost", "units", "hours_caring"):
        cut[name] = np.full(n, np.nan)
    rows = _table(crowd, cut, np.zeros(n, dtype=np.int8), _days(plan.end))
    con = duckdb.connect()
    con.register("rows", rows)
    sql = _select_sql(nhs_code, plan, release, crowd.areas, crowd.gp_letter)
    cols = ", ".join(PERSON_COLUMNS)
    table = con.sql(f"SELECT {cols} FROM ({sql})").to_arrow_table()
    con.close()
    return table


def read_people(path: Path) -> pa.Table:
    """The people of a CLD file: the first row's details for each LA person ID (PERSON_COLUMNS)."""
    p = Path(path)
    if not p.is_file():
        raise OpenascError(
            f"{p} does not exist. Expected a CLD CSV written by `openasc synth cld`."
        )
    cols = ", ".join(PERSON_COLUMNS)
    target = str(p).replace("'", "''")
    con = duckdb.connect()
    try:
        table = con.sql(
            f"SELECT {cols} FROM (SELECT *, row_number() OVER () AS rn FROM "
            f"read_csv({sql_text(target)}, all_varchar = true, header = true)) "
            f"QUALIFY row_number() OVER (PARTITION BY LA_Person_Unique_Identifier ORDER BY rn) = 1 "
            f"ORDER BY rn"
        ).to_arrow_table()
    except duckdb.Error as exc:
        raise OpenascError(f"{p} is not a readable CLD CSV with the columns {cols}: {exc}") from exc
    finally:
        con.close()
    return table


__all__ = [
    "HEADER",
    "LISTS",
    "PERSON_COLUMNS",
    "ROWS_PER_PERSON",
    "people_frame",
    "read_people",
    "write_cld",
]
