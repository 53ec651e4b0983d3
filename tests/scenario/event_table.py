"""A hand-made de-duplicated event table, and a catalogue SQL file run over it.

The DHSC dashboard measures (WAITS, COSTS, DHSC) read `cld_events` or `cld_events_single`
only. Their rule-by-rule scenario tests write the few events of one person straight into
that table, with the fields the national method would have derived given explicitly, and
run the measure's SQL exactly as the engine does (the period bound as parameters, the
council listed in `compute_councils`). One end-to-end test per family runs the same SQL
through the real command line.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from openasc.metrics.catalogue import catalogue_folder

LA = "E10000034"
YEAR = ("2024-04-01", "2025-03-31")

_COLUMNS = {
    "record_id": "BIGINT", "la_code": "VARCHAR", "person_id": "VARCHAR",
    "event_type": "VARCHAR", "client_type": "VARCHAR", "event_start_date": "DATE",
    "event_end_date": "DATE", "der_event_end_date": "DATE", "der_age_event_start": "INTEGER",
    "der_age": "INTEGER", "der_working_age_band": "VARCHAR", "der_age_band": "VARCHAR",
    "gender": "VARCHAR", "ethnicity": "VARCHAR", "ethnicity_grouped": "VARCHAR",
    "primary_support_reason": "VARCHAR",
    "event_outcome": "VARCHAR", "event_outcome_grouped": "VARCHAR",
    "request_route_of_access": "VARCHAR", "assessment_type": "VARCHAR",
    "eligible_needs_identified": "VARCHAR", "service_type": "VARCHAR",
    "service_type_grouped": "VARCHAR", "service_component": "VARCHAR",
    "delivery_mechanism": "VARCHAR", "review_reason": "VARCHAR", "review_type": "VARCHAR",
    "review_outcomes_achieved": "VARCHAR", "unit_cost": "DECIMAL(18, 2)",
    "cost_frequency_unit_type": "VARCHAR", "planned_units_per_week": "DECIMAL(18, 2)",
    "is_conversation": "BOOLEAN",
}


def event(person: str, event_type: str, start: str, end: str | None = None, *, age: int = 70,
          **fields: Any) -> dict[str, Any]:
    """One event of `person`, a service user aged `age` at its start and end unless stated.
    The derived groupings follow the CLD specification: `NFA: ...` outcomes group as `NFA`,
    a service type groups by the words before its colon."""
    outcome = fields.get("event_outcome")
    service = fields.get("service_type")
    row: dict[str, Any] = {
        "la_code": LA, "person_id": person, "event_type": event_type,
        "client_type": "Service user", "event_start_date": start, "event_end_date": end,
        "der_event_end_date": end, "der_age_event_start": age, "der_age": age,
        "der_working_age_band": "18 to 64" if age < 65 else "65 and above",
        "der_age_band": next(band for top, band in _AGE_BANDS if age <= top),
        "event_outcome_grouped": (None if outcome is None else
                                  "NFA" if outcome.startswith("NFA") else outcome),
        "service_type_grouped": None if service is None else service.split(":")[0],
        "review_type": _review_type(fields.get("review_reason")),
    }
    row.update(fields)
    return row


# DHSC's age bands (cld-r2 derived fields): (oldest age in the band, band)
_AGE_BANDS = [(17, "Under 18"), (24, "18 to 24"), (44, "25 to 44"), (64, "45 to 64"),
              (74, "65 to 74"), (84, "75 to 84"), (94, "85 to 94"), (999, "95 and above")]


def _review_type(reason: str | None) -> str | None:
    if reason is None:
        return None
    if reason.startswith("Unplanned"):
        return "Unplanned"
    if reason.startswith("Planned"):
        return "Planned review of long term support"
    return reason if reason == "Review of short term support" else "Review Type Unknown"


def run(sql_file: str, rows: list[dict[str, Any]], period: tuple[str, str] = YEAR,
        table: str = "cld_events") -> dict[tuple[str, str], tuple[float | None, float | None]]:
    """{(code, breakdown): (numerator, value)} from `sql_file` over `rows` in `table`."""
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {table} ("
                + ", ".join(f"{k} {t}" for k, t in _COLUMNS.items()) + ")")
    for i, row in enumerate(rows, start=1):
        values = {"record_id": i, **row}
        unknown = set(values) - set(_COLUMNS)
        assert not unknown, f"not an event column: {unknown}"
        names = list(values)
        con.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                    f"({', '.join('?' for _ in names)})", [values[n] for n in names])
    con.execute("CREATE TABLE compute_councils AS SELECT ? AS la_code", [LA])
    sql = (catalogue_folder() / sql_file).read_text("utf-8")
    params = {"la_code": LA, "period_start": date.fromisoformat(period[0]),
              "period_end": date.fromisoformat(period[1])}
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    result = con.execute(f"SELECT * FROM ({sql})", used)
    names = [d[0] for d in result.description]
    got = [dict(zip(names, r, strict=True)) for r in result.fetchall()]

    def number(x: object) -> float | None:
        return None if x is None else float(x)  # type: ignore[arg-type]

    # a count without a `value` column is its numerator, as the engine fills it in
    return {(r["code"], r["breakdown"]): (number(r["numerator"]),
                                          number(r.get("value", r["numerator"])))
            for r in got}
