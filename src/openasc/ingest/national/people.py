"""Latest person details: one row per council and person (cld-r2.md §5.8, ascof.md §2.0.2).

Person details are repeated on every event row and drift between rows and files. Measures
that count people (ASCOF 2E, 1E, breakdowns by sex or ethnicity) need one value each, so for
every attribute the person's rows in the joined table are ranked - a known value before an
unknown or invalid one, then the latest reference period, then the latest end date (open
counts as latest), then the latest start date - and the rows tied at the top decide. If they
disagree the attribute is `Unknown`: no guess between two equally recent answers.

How (a million event rows in about a second; a window per person and `first(... ORDER BY)`
and `count(DISTINCT)` per attribute took several): each ranking becomes one integer per row,
larger meaning ranked earlier (`_key`), so the rows tied at the top are those whose key
equals the person's largest. One hash aggregate over all rows finds those largest keys and
the values that need no tie test (birth, death, pseudonym, postcode, carer link); a second,
over only the rows at or above the lowest of them, takes the smallest and largest value of
each attribute there - as an ENUM of the values the loaded records hold, because string
aggregates are slower - and the top rows disagree exactly when the two differ.

The ENUM is spelt out in the SQL from a first, cheap query of those values, rather than
joined from a numbered list: at ingest the records are not yet committed, DuckDB misjudges
how many rows reach such a join, and the join put the large side in its hash table (in a
national ingest this step took 81.6 s, the same query after the commit 49.4 s).
"""

from __future__ import annotations

import duckdb

from openasc.warehouse import sql_text

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

_EPOCH = "DATE '1970-01-01'"


def _term(sql: str, direction: str, nulls_first: bool = False, is_date: bool = True) -> str:
    """One ORDER BY term as a HUGEINT in [0, 2**33), larger = ranked earlier: `"later"` is
    DESC, `"earlier"` is ASC; NULL ranks first with `nulls_first`, else last (DuckDB's default
    for both directions). A DATE (days from 1970, infinities included) or INTEGER is 32-bit,
    so offset by 2**31 every value stays distinct and in order; bit 32 places NULL."""
    value = f"({sql} - {_EPOCH})" if is_date else f"CAST({sql} AS BIGINT)"
    scaled = f"{value} + 2147483648" if direction == "later" else f"2147483647 - {value}"
    null_flag = f"({sql} IS NULL)" if nulls_first else f"({sql} IS NOT NULL)"
    return f"CAST({null_flag} AS HUGEINT) * 4294967296 + coalesce({scaled}, 0)"


def _key(*terms: tuple[str, int]) -> str:
    """Several ordering terms, each `(sql, bits)`, as one HUGEINT comparing like the ORDER BY
    they spell: the first term in the highest bits. At most 127 bits in all."""
    assert sum(bits for _, bits in terms) <= 127
    sql = f"({terms[0][0]})"
    for term, bits in terms[1:]:
        sql = f"({sql} * {2 ** bits} + ({term}))"
    return sql


# ORDER BY reference_period_end DESC, der_event_end_date DESC NULLS FIRST,
#          event_start_date DESC: the shared recency of the attribute rankings.
_RECENCY = _key((_term("e.reference_period_end", "later"), 33),
                (_term("e.der_event_end_date", "later", nulls_first=True), 33),
                (_term("e.event_start_date", "later"), 33))

# Date of birth: complete (year and month) first, then later submission, then the earliest
# birth date: ORDER BY (birth_year IS NULL OR birth_month IS NULL), reference_period_end
# DESC, birth_year, birth_month. Rows tied on it hold the same year and month.
_BIRTH = _key(("CAST(r.birth_year IS NOT NULL AND r.birth_month IS NOT NULL AS HUGEINT)", 1),
              (_term("r.reference_period_end", "later"), 33),
              (_term("r.birth_year", "earlier", is_date=False), 33),
              (_term("r.birth_month", "earlier", is_date=False), 33))

# Date of death (known ones only): later submission, then the latest date.
_DEATH = _key((_term("r.reference_period_end", "later"), 33),
              (_term("r.date_of_death", "later"), 33))

# Accommodation inferred from the latest service where the recorded status is unknown
# (ascof.md §2.4 step 4): rank services by latest end (open first), setting rank, a mappable
# component first, latest start; the service type counts only when one ranked type remains,
# the component only when one mappable component remains.
_MAPPABLE = ("'Shared Lives', 'Community supported living', 'Extra care housing', "
             "'Home support or domiciliary care'")

_SERVICE = _key((_term("e.der_event_end_date", "later", nulls_first=True), 33),
                ("2147483647 - CAST(coalesce(t.setting_rank, 99) AS BIGINT)", 32),
                (f"CAST(coalesce(e.service_component IN ({_MAPPABLE}), false) AS HUGEINT)", 1),
                (_term("e.event_start_date", "later"), 33))


def _known(attr: str, extra_unknown: str) -> str:
    """Does the row know the attribute (neither NULL nor one of the unknown values)?"""
    return f"(e.{attr} IS NOT NULL AND e.{attr} NOT IN ({_UNKNOWN}{extra_unknown})) AS n_{attr}"


def _top_key(attr: str) -> str:
    """The best recency at which the attribute is known (NULL if it never is)."""
    return f"max(CASE WHEN r.n_{attr} THEN r.k END) AS k_{attr}"


def _at_top(attr: str) -> str:
    """Is the row among those ranked first for the attribute: known and at the best known
    recency, or - when no row knows it - at the person's latest recency."""
    return f"(r.k = coalesce(t.k_{attr}, t.k_all) AND r.n_{attr} = (t.k_{attr} IS NOT NULL))"


def _span(attr: str, values: str) -> str:
    """Smallest and largest value among the rows ranked first (NULLs ignored, as a count of
    distinct values ignores them), compared as the ENUM `values`. `CASE` inside the
    aggregate rather than `FILTER`: DuckDB runs each FILTER as its own selection, about
    twice the cost here."""
    top = _at_top(attr)
    value = f"CAST(r.{attr} AS {values})"
    return (f"min(CASE WHEN {top} THEN {value} END) AS lo_{attr}, "
            f"max(CASE WHEN {top} THEN {value} END) AS hi_{attr}")


def _pick(attr: str) -> str:
    """Two different values at the top -> `Unknown`; none -> `Unknown`."""
    return (f"CASE WHEN lo_{attr} <> hi_{attr} THEN 'Unknown' "
            f"ELSE coalesce(CAST(lo_{attr} AS VARCHAR), 'Unknown') END AS {attr}")


_SQL = """
{into}
WITH carer_links AS (
    -- carer rows (events and known-by-association links) of the files chosen for the joined
    -- table, by the cared-for person's council person pseudonym
    SELECT DISTINCT la_code, linked AS la_person_pseudo
    FROM (SELECT la_code,
                 unnest([adult_1_linked_person_pseudo, adult_2_linked_person_pseudo,
                         adult_3_linked_person_pseudo]) AS linked
          FROM cld_records
          WHERE client_type IN ('Unpaid carer', 'Unpaid carer known by association')
            AND submission_id IN (SELECT submission_id FROM {periods}))
    WHERE linked IS NOT NULL
), service_types AS (
    SELECT service_type, setting_rank,
           CAST(row_number() OVER (ORDER BY service_type) AS INTEGER) AS type_code
    FROM national_service_types
), keyed AS NOT MATERIALIZED (
    -- read twice (by tops and by tied): storing a million rows of text costs more than a
    -- second read, whether cld_events is a table or the view over cld_records
    SELECT e.la_code, e.person_id, e.la_person_pseudo, e.record_id, e.postcode_district,
           {attributes},
           {known},
           {recency} AS k,
           CASE WHEN e.event_type = 'Service' THEN {service} END AS ks,
           CASE WHEN coalesce(t.setting_rank, 99) <= 7 THEN t.type_code END AS type_code,
           list_position([{mappable}], e.service_component) AS component_code,
           e.reference_period_end, e.birth_year, e.birth_month, e.date_of_death
    FROM cld_events e
    LEFT JOIN service_types t ON t.service_type = e.service_type
    WHERE e.la_code IN (SELECT la_code FROM {periods})
), tops AS (
    -- per person: the best key of each ranking, and the values that need no tie test
    SELECT r.la_code, r.person_id,
           max(r.k) AS k_all,
           {top_keys},
           first(r.la_person_pseudo ORDER BY r.la_person_pseudo IS NULL, r.k DESC,
                                             r.record_id DESC) AS la_person_pseudo,
           first(r.postcode_district ORDER BY r.postcode_district IS NULL, r.k DESC,
                                              r.record_id DESC) AS postcode_district,
           max(r.ks) AS k_service,
           arg_max_null(r.birth_year, {birth}) AS birth_year,
           arg_max_null(r.birth_month, {birth}) AS birth_month,
           arg_max(r.date_of_death, CASE WHEN r.date_of_death IS NOT NULL THEN {death} END)
             AS date_of_death,
           bool_or(c.la_person_pseudo IS NOT NULL) AS linked
    FROM keyed r
    LEFT JOIN carer_links c ON c.la_code = r.la_code AND c.la_person_pseudo = r.la_person_pseudo
    GROUP BY r.la_code, r.person_id
), floors AS (
    -- no row below the lowest of a person's top keys is at the top of any ranking
    SELECT *, least({top_key_list}) AS k_floor FROM tops
), tied AS (
    -- per person, over the rows at the top of some ranking: what those rows say
    SELECT r.la_code, r.person_id,
           {spans},
           -- the latest service(s): ranked type and mappable component, by number too
           min(CASE WHEN r.ks = t.k_service THEN r.type_code END) AS lo_stype,
           max(CASE WHEN r.ks = t.k_service THEN r.type_code END) AS hi_stype,
           min(CASE WHEN r.ks = t.k_service THEN r.component_code END) AS lo_component,
           max(CASE WHEN r.ks = t.k_service THEN r.component_code END) AS hi_component,
           any_value(t.birth_year) AS birth_year, any_value(t.birth_month) AS birth_month,
           any_value(t.date_of_death) AS date_of_death, any_value(t.linked) AS linked,
           any_value(t.la_person_pseudo) AS la_person_pseudo,
           any_value(t.postcode_district) AS postcode_district
    FROM keyed r JOIN floors t USING (la_code, person_id)
    WHERE r.k >= t.k_floor OR r.ks = t.k_service
    GROUP BY r.la_code, r.person_id
), picked AS (
    SELECT p.la_code, p.person_id, p.la_person_pseudo, p.postcode_district,
           p.birth_year, p.birth_month, p.date_of_death, p.linked,
           {picks},
           CASE WHEN p.lo_stype = p.hi_stype THEN s.service_type END AS stype,
           CASE WHEN p.lo_component = p.hi_component
                THEN [{mappable}][p.lo_component] END AS component
    FROM tied p
    LEFT JOIN service_types s ON s.type_code = p.lo_stype
), inferred AS (
    SELECT *,
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
                ELSE 'Unknown' END AS inferred_accommodation
    FROM picked
)
SELECT p.la_code, p.person_id, p.la_person_pseudo, p.gender, p.ethnicity,
       coalesce(g.ethnicity_group, 'Unknown') AS ethnicity_grouped,
       p.birth_year, p.birth_month, p.date_of_death, p.primary_support_reason,
       CASE WHEN p.accommodation_status IN ('Unknown', 'Invalid and not mapped')
            THEN p.inferred_accommodation
            ELSE p.accommodation_status END AS accommodation_status,
       p.employment_status,
       CASE WHEN p.linked THEN 'Yes' ELSE p.has_unpaid_carer END AS has_unpaid_carer,
       p.client_funding_status, p.postcode_district
FROM inferred p
LEFT JOIN national_ethnicities g ON g.ethnicity = p.ethnicity
ORDER BY p.la_code, p.person_id
"""


def _values_enum(con: duckdb.DuckDBPyConnection) -> str:
    """The ENUM type of every value the attributes take in `cld_records` (each `cld_events`
    row is a `cld_records` row, so a value outside it fails the cast: never read as blank).
    Category values only: the attributes are coded fields, never identifiers."""
    union = " UNION ".join(f"SELECT {a} AS value FROM cld_records" for a in _ATTRIBUTES)
    values = [r[0] for r in con.execute(
        f"SELECT value FROM ({union}) WHERE value IS NOT NULL ORDER BY value").fetchall()]
    return "ENUM(" + ", ".join(sql_text(v) for v in values or [""]) + ")"


def latest_person_details(con: duckdb.DuckDBPyConnection,
                          periods: str = "national_joined_periods", append: bool = False
                          ) -> None:
    """(Re)create `cld_people` from `cld_events` for the councils of `periods` (the joined
    table's reference periods, selection.py; their files give the carer links), or,
    `append`, add another batch of councils' people to it. Needs the lookup tables."""
    values = _values_enum(con)
    con.execute(_SQL.format(
        into="INSERT INTO cld_people" if append else "CREATE OR REPLACE TABLE cld_people AS",
        periods=periods,
        attributes=", ".join(f"e.{a}" for a in _ATTRIBUTES),
        known=",\n           ".join(_known(a, x) for a, x in _ATTRIBUTES.items()),
        recency=_RECENCY,
        service=_SERVICE,
        mappable=_MAPPABLE,
        birth=_BIRTH,
        death=_DEATH,
        top_keys=",\n           ".join(_top_key(a) for a in _ATTRIBUTES),
        spans=",\n           ".join(_span(a, values) for a in _ATTRIBUTES),
        top_key_list=", ".join(["k_all"] + [f"k_{a}" for a in _ATTRIBUTES]),
        picks=",\n           ".join(_pick(a) for a in _ATTRIBUTES),
    ))
