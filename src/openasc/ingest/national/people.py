"""Latest person details: one row per council and person (cld-r2.md §5.8, ascof.md §2.0.2).

Person details are repeated on every event row and drift between rows and files. Measures
that count people (ASCOF 2E, 1E, breakdowns by sex or ethnicity) need one value each, so for
every attribute the person's rows in the joined table are ranked - a known value before an
unknown or invalid one, then the latest reference period, then the latest end date (open
counts as latest), then the latest start date - and the rows tied at the top decide. If they
disagree the attribute is `Unknown`: no guess between two equally recent answers.
"""

from __future__ import annotations

import duckdb

# Values that say nothing about the person: they lose to any known value.
_UNKNOWN = ("'Unknown', 'Invalid and not mapped', 'Release 1 specification only: Not mapped', "
            "'No data: Undeclared or not known'")

# Attributes chosen by the ranking above; for primary support reason the carer's own reason
# ranks with the unknowns (DHSC de-prioritises it when choosing a person's PSR).
_ATTRIBUTES: dict[str, str] = {
    "gender": "",
    "ethnicity": "",
    "primary_support_reason": ", 'Social support: Support to unpaid carer'",
    "accommodation_status": "",
    "employment_status": "",
    "has_unpaid_carer": "",
    "client_funding_status": "",
}

_ORDER_TAIL = ("reference_period_end DESC, der_event_end_date DESC NULLS FIRST, "
               "event_start_date DESC")


def _unknown(attr: str, extra_unknown: str) -> str:
    return f"({attr} IS NULL OR {attr} IN ({_UNKNOWN}{extra_unknown})) AS u_{attr}"


def _best(attr: str) -> str:
    """The most recent position (in the shared order) at which the attribute is known."""
    return f"min(tr) FILTER (WHERE NOT u_{attr}) AS k_{attr}"


def _pick(attr: str) -> str:
    """The rows ranked first by (unknown last, then the shared order) decide the value.

    Ranking by "known first, then most recent" per attribute is the same as: the known rows
    at the earliest position `k` of the shared order, or, with no known row, the rows at
    position 1. One shared window instead of one sort per attribute.
    """
    top = f"(CASE WHEN k_{attr} IS NULL THEN tr = 1 ELSE NOT u_{attr} AND tr = k_{attr} END)"
    return (
        f"CASE WHEN count(DISTINCT {attr}) FILTER (WHERE {top}) > 1 THEN 'Unknown' "
        f"ELSE coalesce(min({attr}) FILTER (WHERE {top}), 'Unknown') END AS {attr}"
    )


# Accommodation inferred from the latest service where the recorded status is unknown
# (ascof.md §2.4 step 4): rank services by latest end (open first), setting rank, a mappable
# component first, latest start; the service type counts only when one ranked type remains,
# the component only when one mappable component remains.
_MAPPABLE = ("'Shared Lives', 'Community supported living', 'Extra care housing', "
             "'Home support or domiciliary care'")

_SQL = """
CREATE OR REPLACE TABLE cld_people AS
WITH ranked AS (
    SELECT la_code, person_id, la_person_pseudo, record_id, reference_period_end,
           der_event_end_date, event_start_date, birth_year, birth_month, date_of_death,
           postcode_district, {attributes},
           {flags},
           dense_rank() OVER (PARTITION BY la_code, person_id ORDER BY {order_tail}) AS tr
    FROM cld_events
), best AS (
    SELECT la_code, person_id, {bests} FROM ranked GROUP BY la_code, person_id
), picked AS (
    SELECT la_code, person_id,
           first(la_person_pseudo ORDER BY la_person_pseudo IS NULL, {order_tail},
                 record_id DESC) AS la_person_pseudo,
           {picks},
           first(birth_year ORDER BY (birth_year IS NULL OR birth_month IS NULL),
                 reference_period_end DESC, birth_year, birth_month, record_id DESC)
             AS birth_year,
           first(birth_month ORDER BY (birth_year IS NULL OR birth_month IS NULL),
                 reference_period_end DESC, birth_year, birth_month, record_id DESC)
             AS birth_month,
           first(date_of_death ORDER BY date_of_death IS NULL, reference_period_end DESC,
                 date_of_death DESC) AS date_of_death,
           first(postcode_district ORDER BY postcode_district IS NULL, {order_tail},
                 record_id DESC) AS postcode_district
    FROM ranked JOIN best USING (la_code, person_id)
    GROUP BY la_code, person_id
), services AS (
    SELECT e.la_code, e.person_id, e.service_type, e.service_component,
           coalesce(t.setting_rank, 99) AS setting_rank,
           e.service_component IN ({mappable}) AS mappable,
           rank() OVER (PARTITION BY e.la_code, e.person_id
                        ORDER BY e.der_event_end_date DESC NULLS FIRST,
                                 coalesce(t.setting_rank, 99),
                                 coalesce(e.service_component IN ({mappable}), false) DESC,
                                 e.event_start_date DESC) AS rk
    FROM cld_events e
    LEFT JOIN national_service_types t ON t.service_type = e.service_type
    WHERE e.event_type = 'Service'
), latest_service AS (
    SELECT la_code, person_id,
           CASE WHEN count(DISTINCT service_type) FILTER (WHERE setting_rank <= 7) = 1
                THEN min(service_type) FILTER (WHERE setting_rank <= 7) END AS stype,
           CASE WHEN count(DISTINCT service_component) FILTER (WHERE mappable) = 1
                THEN min(service_component) FILTER (WHERE mappable) END AS component
    FROM services WHERE rk = 1
    GROUP BY la_code, person_id
), inferred AS (
    SELECT la_code, person_id,
           CASE WHEN stype = 'Long term support: Nursing care' THEN 'Registered nursing home'
                WHEN stype = 'Long term support: Residential care' THEN 'Registered care home'
                WHEN component = 'Shared Lives' THEN 'Shared Lives scheme'
                WHEN component = 'Extra care housing'
                     THEN 'Sheltered housing, extra care housing or other sheltered housing'
                WHEN component = 'Community supported living'
                     THEN 'Supported accommodation, supported lodgings or supported group home'
                WHEN stype = 'Long term support: Community'
                     AND component = 'Home support or domiciliary care'
                     THEN 'Unknown: Presumed at home'
                WHEN stype = 'Long term support: Community'
                     THEN 'Unknown: Presumed in community'
                WHEN stype = 'Long term support: Prison'
                     THEN 'Prison, young offenders institution or detention centre'
                ELSE 'Unknown' END AS accommodation_status
    FROM latest_service
), carer_links AS (
    -- carer rows (events and known-by-association links) of the files chosen for the joined
    -- table, by the cared-for person's council person pseudonym
    SELECT DISTINCT r.la_code, l.linked AS la_person_pseudo
    FROM cld_records r
    JOIN (SELECT DISTINCT submission_id FROM national_joined_periods) s USING (submission_id),
         unnest([r.adult_1_linked_person_pseudo, r.adult_2_linked_person_pseudo,
                 r.adult_3_linked_person_pseudo]) AS l(linked)
    WHERE r.client_type IN ('Unpaid carer', 'Unpaid carer known by association')
      AND l.linked IS NOT NULL
), linked_people AS (
    SELECT DISTINCT e.la_code, e.person_id
    FROM cld_events e
    JOIN carer_links c ON c.la_code = e.la_code AND c.la_person_pseudo = e.la_person_pseudo
)
SELECT p.la_code, p.person_id, p.la_person_pseudo, p.gender, p.ethnicity,
       coalesce(g.ethnicity_group, 'Unknown') AS ethnicity_grouped,
       p.birth_year, p.birth_month, p.date_of_death, p.primary_support_reason,
       CASE WHEN p.accommodation_status IN ('Unknown', 'Invalid and not mapped')
            THEN coalesce(i.accommodation_status, 'Unknown')
            ELSE p.accommodation_status END AS accommodation_status,
       p.employment_status,
       CASE WHEN lp.person_id IS NOT NULL THEN 'Yes' ELSE p.has_unpaid_carer END
         AS has_unpaid_carer,
       p.client_funding_status, p.postcode_district
FROM picked p
LEFT JOIN national_ethnicities g ON g.ethnicity = p.ethnicity
LEFT JOIN inferred i ON i.la_code = p.la_code AND i.person_id = p.person_id
LEFT JOIN linked_people lp ON lp.la_code = p.la_code AND lp.person_id = p.person_id
ORDER BY p.la_code, p.person_id
"""


def latest_person_details(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create `cld_people` from `cld_events`. Needs the lookup tables and
    `national_joined_periods` (for the carer links of the chosen files)."""
    con.execute(_SQL.format(
        attributes=", ".join(_ATTRIBUTES),
        flags=",\n           ".join(_unknown(a, x) for a, x in _ATTRIBUTES.items()),
        bests=", ".join(_best(a) for a in _ATTRIBUTES),
        picks=",\n           ".join(_pick(a) for a in _ATTRIBUTES),
        order_tail=_ORDER_TAIL,
        mappable=_MAPPABLE,
    ))
