"""The national groupings and the outcome hierarchy, as small lookup tables inside DuckDB.

The DHSC method joins every event to a few value lists: the event-outcome hierarchy (which
record wins a tie), and the groupings of ethnicity, outcome and service type that measures
break down by. They are data, so they come from the CLD specification
(`openasc.spec.load_spec("cld")`) when that specification carries them; until it does, the
values of cld-r2.md §3.4, §3.13 and §3.19 below are used. The setting rank of service
types (ascof.md §2.4) is method, not specification, so it stays here. Either way they reach SQL as
temporary tables, so that every later step is a join and never a Python loop over rows.
"""

from __future__ import annotations

import duckdb

#: cld-r2.md §3.13 / ascof.md §2.0.4: (R2 outcome, hierarchy rank, DHSC group).
EVENT_OUTCOMES: list[tuple[str, int, str]] = [
    ("Progress to reablement/ST-Max", 1, "Progress to reablement/ST-Max"),
    ("Progress to assessment, review or reassessment", 2,
     "Progress to assessment, review or reassessment"),
    ("Release 1 specification only: Not mapped", 3, "Release 1 specification only: Not mapped"),
    ("Progress to support planning or services", 4, "Progress to support planning or services"),
    ("Continuation of support or services", 5, "Continuation of support or services"),
    ("Admitted to hospital", 6, "Admitted to hospital"),
    ("NFA: Responsibility moved to another local authority", 7, "NFA"),
    ("NFA: Referral to NHS services or NHS funded social care", 8, "NFA"),
    ("NFA: Self-funded client or under 12wk disregard", 9, "NFA"),
    ("NFA: Information and advice or signposting", 10, "NFA"),
    ("NFA: Referral to other service within the local authority", 11, "NFA"),
    ("NFA: Support declined", 12, "NFA"),
    ("NFA: Deceased", 13, "NFA"),
    ("NFA: Support ended as planned", 14, "NFA"),
    ("NFA: Support ended for other reason", 15, "NFA"),
    ("NFA: No services offered for other reason", 16, "NFA"),
    ("NFA: Other", 17, "NFA"),
]

#: cld-r2.md §3.19: (R2 service type, DHSC group, setting rank used by ascof.md §2.4).
SERVICE_TYPES: list[tuple[str, str, int]] = [
    ("Long term support: Nursing care", "Long term support", 1),
    ("Long term support: Residential care", "Long term support", 2),
    ("Long term support: Community", "Long term support", 3),
    ("Long term support: Prison", "Long term support", 4),
    ("Short term support: ST-Max", "Short term support", 5),
    ("Short term support: Ongoing low level", "Short term support", 6),
    ("Short term support: Other short term", "Short term support", 7),
    ("Unpaid carer support: Direct to unpaid carer", "Unpaid carer support", 99),
    ("Unpaid carer support: Support involving the person cared-for", "Unpaid carer support", 99),
]

#: cld-r2.md §3.4: the 21 R2 ethnicities; the group is the text before the colon.
ETHNICITIES: list[str] = [
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Any other White background",
    "Mixed or multiple ethnic groups: White and Black Caribbean",
    "Mixed or multiple ethnic groups: White and Black African",
    "Mixed or multiple ethnic groups: White and Asian",
    "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background",
    "Asian or Asian British: Indian",
    "Asian or Asian British: Pakistani",
    "Asian or Asian British: Bangladeshi",
    "Asian or Asian British: Chinese",
    "Asian or Asian British: Any other Asian background",
    "Black, Black British, Caribbean or African: African",
    "Black, Black British, Caribbean or African: Caribbean",
    "Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean "
    "background",
    "Other ethnic group: Arab",
    "Other ethnic group: Any other ethnic group",
    "No data: Refused",
    "No data: Undeclared or not known",
]


def _from_spec() -> tuple[list[tuple[str, int, str]], list[tuple[str, str, int]],
                        list[tuple[str, str]]]:
    """Outcomes, service types and ethnicities (with groups) from the CLD specification;
    each list falls back to the reference values above when the spec does not carry it."""
    outcomes = EVENT_OUTCOMES
    services = SERVICE_TYPES
    ethnicities = [(e, e.split(":", 1)[0]) for e in ETHNICITIES]
    try:
        from openasc.spec import load_spec

        lists = load_spec("cld").lists
    except Exception:  # noqa: BLE001 - no usable spec: the reference values apply
        return outcomes, services, ethnicities
    outcome_list = lists.get("Event_Outcome")
    if outcome_list is not None and outcome_list.rank:
        outcomes = [(v, int(r), outcome_list.groups.get(v, v))
                    for v, r in outcome_list.rank.items()]
    service_list = lists.get("Service_Type")
    if service_list is not None and service_list.groups:
        setting = {name: rank for name, _, rank in SERVICE_TYPES}
        services = [(v, g, setting.get(v, 99)) for v, g in service_list.groups.items()]
    ethnicity_list = lists.get("Ethnicity")
    if ethnicity_list is not None and ethnicity_list.groups:
        ethnicities = list(ethnicity_list.groups.items())
    return outcomes, services, ethnicities


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temporary lookup tables `national_outcomes`, `national_service_types`,
    `national_ethnicities` on this connection."""
    outcomes, services, ethnicities = _from_spec()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE national_outcomes "
        "(event_outcome VARCHAR PRIMARY KEY, outcome_rank INTEGER, outcome_group VARCHAR)"
    )
    con.executemany("INSERT INTO national_outcomes VALUES (?, ?, ?)", outcomes)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE national_service_types "
        "(service_type VARCHAR PRIMARY KEY, service_group VARCHAR, setting_rank INTEGER)"
    )
    con.executemany("INSERT INTO national_service_types VALUES (?, ?, ?)", services)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE national_ethnicities "
        "(ethnicity VARCHAR PRIMARY KEY, ethnicity_group VARCHAR)"
    )
    con.executemany("INSERT INTO national_ethnicities VALUES (?, ?)", ethnicities)


def drop(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("national_outcomes", "national_service_types", "national_ethnicities"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
