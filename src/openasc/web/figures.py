"""What the dashboard reads from the warehouse, shaped for a page or the API.

Everything here reads `metric_values`, `comparisons`, `runs`, `quarantine` and
`cld_submissions` (design: nothing downstream re-derives a measure). Who is looking decides
how a figure is shown: a viewer gets the published figure — rounded and suppressed by the
same rules as `openasc export metrics --published` (`metrics.disclosure`) — and an analyst
the unrounded one. The choice is made here, once, so no page or API route can
forget it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb

from openasc.metrics.catalogue import Measure, all_measures, default_catalogue
from openasc.metrics.disclosure import published_rows
from openasc.publish.export import number_text
from openasc.warehouse import table_exists

ENGLAND = "E92000001"
COLUMNS = ("family", "code", "la_code", "period_start", "period_end", "breakdown",
           "numerator", "denominator", "value", "unit")
UNIT_LABEL = {"percent": "%", "per_100k": "per 100,000", "per_1000": "per 1,000",
              "count": "", "days": "days", "rate": "", "score": "", "per_100": "per 100",
              "percent_change": "% change", "gbp_per_head": "£ per head",
              "gbp_per_week": "£ per week", "gbp_per_hour": "£ per hour"}


def catalogue() -> dict[tuple[str, str], Measure]:
    return {(m.family.upper(), m.code.upper()): m for m in all_measures(default_catalogue())}


def families() -> list[str]:
    return sorted({f.name.upper() for f in default_catalogue()})


def measure(family: str, code: str) -> Measure | None:
    return catalogue().get((family.upper(), code.upper()))


@dataclass(frozen=True)
class Shown:
    """One metric_values row as a reader may see it."""

    family: str
    code: str
    la_code: str
    period_start: str
    period_end: str
    breakdown: str
    numerator: str
    denominator: str
    value: str
    unit: str
    number: float | None  # what a chart may draw (None when suppressed or not available)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _plain(x: Any) -> Any:
    return x.isoformat() if isinstance(x, date) else x


def _number(x: Any) -> float | None:
    if x is None or isinstance(x, str):
        return None
    return float(x) if isinstance(x, Decimal | int | float) else None


def show(rows: list[dict[str, Any]]) -> list[Shown]:
    """Rows (unrounded, or published: rounded and suppressed) as figures."""
    return [Shown(family=r["family"], code=r["code"], la_code=r["la_code"],
                  period_start=_plain(r["period_start"]), period_end=_plain(r["period_end"]),
                  breakdown=r["breakdown"] or "", numerator=number_text(r["numerator"]),
                  denominator=number_text(r["denominator"]), value=number_text(r["value"]),
                  unit=r["unit"], number=_number(r["value"])) for r in rows]


def _rows(cur: duckdb.DuckDBPyConnection, where: str, params: list[Any],
          unrounded: bool) -> list[Shown]:
    """The rows `where` selects: unrounded for analysts; for everyone else published, by the
    disclosure rules applied to whole breakdowns (`where` selects whole ones)."""
    if not table_exists(cur, "metric_values"):
        return []
    if not unrounded:
        return show(published_rows(cur, where, params, output="dashboard"))
    got = cur.execute(f"SELECT {', '.join(COLUMNS)} FROM metric_values WHERE {where} "
                      "ORDER BY family, code, la_code, period_start, breakdown, period_end",
                      params).fetchall()
    return show([dict(zip(COLUMNS, r, strict=True)) for r in got])


# DHSC's validity results, in the order its data-quality page reads them (and openasc's own
# for records loaded before the ingest kept the field lists).
FIELD_STATUSES = ("Passed: Valid", "Passed: Blank (Not Mandatory)", "Failed: Blank (Mandatory)",
                  "Failed: Invalid", "Failed: Release 1", "Not recorded")


@dataclass(frozen=True)
class FieldProfile:
    """DQ-FIELDS for one council's latest period: a line per field and applicability, with
    the figure of each status (None where no record has it)."""

    period_start: str
    period_end: str
    records: str
    statuses: tuple[str, ...]
    lines: list[tuple[str, str, list[Shown | None]]]


def field_profile(cur: duckdb.DuckDBPyConnection, la_code: str,
                  unrounded: bool) -> FieldProfile | None:
    """The field profile (DQ DQ-FIELDS) of the latest period it was computed for, by field
    name and applicability."""
    rows = measure_rows(cur, "DQ", "DQ-FIELDS", la_code, unrounded)
    if not rows:
        return None
    end = max(r.period_end for r in rows)
    rows = [r for r in rows if r.period_end == end]
    head = next((r for r in rows if not r.breakdown), None)
    cells: dict[tuple[str, str], dict[str, Shown]] = {}
    for r in rows:
        if r.breakdown:
            part = dict(p.split("=", 1) for p in r.breakdown.split(";"))
            cells.setdefault((part["field"], part["applicability"]), {})[part["status"]] = r
    seen = {s for line in cells.values() for s in line}
    statuses = tuple(s for s in FIELD_STATUSES if s in seen)
    return FieldProfile(rows[0].period_start, end, head.numerator if head else "",
                        statuses, [(field, appl, [line.get(s) for s in statuses])
                                   for (field, appl), line in sorted(cells.items())])


def councils(cur: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Councils with measures: (ONS code, name)."""
    if not table_exists(cur, "metric_values"):
        return []
    return [(r[0], r[1] or r[0]) for r in cur.execute(
        "SELECT DISTINCT m.la_code, c.name FROM metric_values m "
        "LEFT JOIN (SELECT ons_code, any_value(name) AS name FROM councils GROUP BY 1) c "
        "ON c.ons_code = m.la_code WHERE m.la_code <> ? ORDER BY 1", [ENGLAND]).fetchall()]


def periods(cur: duckdb.DuckDBPyConnection, la_code: str) -> list[tuple[str, str]]:
    """Periods with measures for the council, latest first."""
    if not table_exists(cur, "metric_values"):
        return []
    return [(a.isoformat(), b.isoformat()) for a, b in cur.execute(
        "SELECT DISTINCT period_start, period_end FROM metric_values WHERE la_code = ? "
        "ORDER BY period_end DESC, period_start DESC", [la_code]).fetchall()]


def measure_rows(cur: duckdb.DuckDBPyConnection, family: str, code: str, la_code: str,
                 unrounded: bool) -> list[Shown]:
    """Every period and breakdown of one measure for one council."""
    return _rows(cur, "upper(family) = ? AND upper(code) = ? AND la_code = ?",
                 [family.upper(), code.upper(), la_code], unrounded)


def headlines(cur: duckdb.DuckDBPyConnection, la_code: str, family: str | None,
              unrounded: bool) -> list[Shown]:
    """Headline rows (empty breakdown) of every measure, every period."""
    where, params = "la_code = ? AND breakdown = ''", [la_code]
    if family:
        where += " AND upper(family) = ?"
        params.append(family.upper())
    return _rows(cur, where, params, unrounded)


def breakdown_keys(rows: list[Shown]) -> list[str]:
    keys = {part.split("=", 1)[0] for r in rows if r.breakdown for part in r.breakdown.split(";")}
    return sorted(keys)


def by_breakdown(rows: list[Shown], key: str, period_end: str) -> list[Shown]:
    """Rows of one period whose breakdown is exactly one `key=value` pair."""
    return [r for r in rows if r.period_end == period_end and r.breakdown.startswith(key + "=")
            and ";" not in r.breakdown]


# What the England and region figures are (England, or the average of the councils loaded)
# and how far the England rank reaches (docs/comparisons.md).
COMPARISON_LABELS = ("england_label", "region_label", "england_scope")


def comparison_rows(cur: duckdb.DuckDBPyConnection, family: str | None, code: str | None,
                    la_code: str | None) -> list[dict[str, Any]]:
    """Rows of `comparisons` (built by `openasc compare`), headline breakdown only."""
    if not table_exists(cur, "comparisons"):
        return []
    where, params = ["breakdown = ''"], []
    for col, val in (("upper(family)", family), ("upper(code)", code), ("la_code", la_code)):
        if val:
            where.append(f"{col} = ?")
            params.append(val.upper() if col.startswith("upper") else val)
    cols = ("family", "code", "la_code", "period_start", "period_end", "unit", "polarity",
            "shown", "england_value", "region", "region_value", "group_name", "group_mean",
            "england_rank", "england_n", "england_quartile", "change_class",
            *COMPARISON_LABELS)
    got = cur.execute(f"SELECT {', '.join(cols)} FROM comparisons WHERE {' AND '.join(where)} "
                      "ORDER BY family, code, la_code, period_start", params).fetchall()
    return [{k: _plain(v) for k, v in zip(cols, r, strict=True)} for r in got]


def runs(cur: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict[str, Any]]:
    if not table_exists(cur, "runs"):
        return []
    got = cur.execute(
        "SELECT run_id, command, started_at, finished_at, status, inputs, user_name, detail "
        "FROM runs ORDER BY started_at DESC LIMIT ?", [limit]).fetchall()
    out = []
    for run_id, command, started, finished, status, inputs, user, detail in got:
        files = json.loads(inputs) if isinstance(inputs, str) else (inputs or [])
        out.append({"run_id": run_id, "command": command, "started_at": started,
                    "finished_at": finished, "status": status, "user_name": user or "",
                    "inputs": files if isinstance(files, list) else [],
                    "detail": detail if isinstance(detail, str) else json.dumps(detail)})
    return out


def submissions(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Each CLD submission with its row accounting."""
    if not table_exists(cur, "cld_submissions"):
        return []
    cols = ("submission_id", "la_code", "source_name", "submitted_on", "release",
            "stated_period_start", "stated_period_end", "rows_in", "rows_loaded",
            "rows_quarantined", "run_id")
    got = cur.execute(f"SELECT {', '.join(cols)} FROM cld_submissions "
                      "ORDER BY submission_id DESC").fetchall()
    return [dict(zip(cols, r, strict=True)) for r in got]


def quarantine_summary(cur: duckdb.DuckDBPyConnection, top: int = 8) -> list[dict[str, Any]]:
    """Per file of the latest run that loaded it: rows quarantined and the commonest reasons.

    Reasons are grouped after removing row numbers ("duplicate of row 1665"), so that one
    kind of fault is one line with a count, as the validation report shows it.
    """
    if not table_exists(cur, "quarantine"):
        return []
    got = cur.execute(f"""
        WITH latest AS (
            SELECT source, source_name, file_sha256, max(run_id) AS run_id
            FROM quarantine GROUP BY source, source_name, file_sha256),
        q AS (
            SELECT q.source, q.source_name, q.run_id, coalesce(q.field, '(whole row)') AS field,
                   regexp_replace(q.reason, 'row [0-9]+', 'row N', 'g') AS reason
            FROM quarantine q JOIN latest l USING (source, source_name, file_sha256, run_id)),
        grouped AS (
            SELECT source, source_name, run_id, field, reason, count(*) AS n,
                   row_number() OVER (PARTITION BY source, source_name, run_id
                                      ORDER BY count(*) DESC, field, reason) AS k
            FROM q GROUP BY source, source_name, run_id, field, reason)
        SELECT source, source_name, run_id, sum(n) AS total,
               list({{'field': field, 'reason': reason, 'n': n}} ORDER BY k)
                   FILTER (WHERE k <= {int(top)}) AS reasons
        FROM grouped GROUP BY source, source_name, run_id
        ORDER BY run_id DESC, source_name""").fetchall()
    return [{"source": s, "source_name": n, "run_id": r, "total": int(t), "reasons": reasons}
            for s, n, r, t, reasons in got]


def unit_label(unit: str) -> str:
    return UNIT_LABEL.get(unit, unit)
