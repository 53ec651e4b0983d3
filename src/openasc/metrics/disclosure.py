"""Disclosure control: the one place a figure is rounded and suppressed for publication.

`metric_values` keeps unrounded figures. Every published output — `export metrics
--published`, the Local Account, the self-assessment, the improvement profiles, the
dashboard's published view and the comparisons they print — reads its figures through
`published_rows` (or `published_sql`, for SQL that builds on them), so a reader can never
set one output's figures against another's to undo the rounding.

The rules are data (`disclosure.yaml`, read once): per family, per output and per measure,
the rounding base, the suppression threshold, whether zeros are suppressed, the complement
threshold and the value's decimals. What the code adds is what no setting may turn off
(docs/decisions.md, "Disclosure control"):

- **secondary suppression**: a breakdown (the rows of one measure, council and period that
  share the same breakdown keys) with one suppressed cell is suppressed whole, so the hidden
  cell cannot be recovered from the total, the shown cells or their shares. Every breakdown
  refining it holds a small cell too and so is suppressed as well;
- **values from published counts**: a percentage or rate is worked out from the rounded
  numerator and denominator, so its decimals cannot undo the rounding; a population
  denominator (per 100,000, per 1,000) is published as it is;
- a value built on a suppressed count is `[c]`; a percentage whose complement
  (denominator − numerator) is small is `[c]`; no value, or a zero denominator, is `[x]`.

The work is one SQL statement over the rows selected (set-based, no loop over rows); Python
only rounds the value's decimals with the publications' half-away-from-zero rule.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import yaml

from openasc.metrics.catalogue import Family, default_catalogue

SUPPRESSED = "[c]"  # GSS shorthand: confidential
NOT_AVAILABLE = "[x]"  # GSS shorthand: not available
# Hidden cells of a breakdown add up to at least this many (see `published_sql`).
SECONDARY_SUM = 10
POPULATION_UNITS = frozenset({"per_100k", "per_1000"})
OUTPUTS = ("export", "report", "dashboard", "comparisons")
COLUMNS = ("family", "code", "la_code", "period_start", "period_end", "breakdown",
           "numerator", "denominator", "value", "unit")
# The breakdown key of a survey measure's margin-of-error row (numerator: its base).
MARGIN = "measure_part=margin_of_error"
RULE_KEYS = ("rounding_base", "suppress_below", "suppress_zero", "complement_below",
             "decimals")


# --------------------------------------------------------------------------- rounding
def round_half_away(x: float | Decimal, decimals: int) -> Decimal:
    """Round half away from zero on the decimal text of x, not on its binary value.

    `round()` in Python rounds halves to even and works on the binary float, so 82.25 can
    come out as 82.2; the publications round 82.25 to 82.3 (ascof.md §5).
    """
    quantum = Decimal(1).scaleb(-decimals)
    text = x if isinstance(x, Decimal) else Decimal(repr(float(x)))
    return text.quantize(quantum, rounding=ROUND_HALF_UP)


def round_half_up(x: float, decimals: int) -> float:
    """`round_half_away` as a float, for arithmetic on printed figures."""
    return float(round_half_away(x, decimals))


def round_to_base(x: float, base: int = 5) -> int:
    """Nearest multiple of `base`, exact halves up (12.5 -> 15 for weighted counts)."""
    return int((Decimal(repr(float(x))) / base).quantize(Decimal(1), rounding=ROUND_HALF_UP)
               ) * base


def nearest_5(x: float) -> int:
    return round_to_base(x, 5)


def _sql_round_to_base(expr: str, base: str) -> str:
    """`round_to_base` in SQL (counts are never negative)."""
    return f"CAST(floor({expr} / {base} + 0.5) * {base} AS BIGINT)"


# --------------------------------------------------------------------------- rules
@cache
def rules_file() -> dict[str, Any]:
    text = resources.files("openasc.metrics").joinpath("disclosure.yaml").read_text("utf-8")
    return yaml.safe_load(text) or {}


def _legacy(block: dict[str, Any]) -> dict[str, Any]:
    """A catalogue `published:` block in the earlier spelling (counts: nearest_5 | none,
    suppress_min: 0 | 1) read as the current keys."""
    out = {k: v for k, v in block.items() if k in RULE_KEYS}
    if "counts" in block:
        out["rounding_base"] = 5 if block["counts"] == "nearest_5" else 1
    if "suppress_min" in block:
        out["suppress_zero"] = int(block["suppress_min"]) == 0
    return out


def rule_for(family: str, code: str | None = None, output: str = "export",
             families: tuple[Family, ...] | None = None) -> dict[str, Any]:
    """Defaults, then the family's rule, the output's, the catalogue's `published:` blocks
    (family, then measure) and the measure's entry in disclosure.yaml."""
    doc = rules_file()
    rule = dict(doc.get("defaults") or {})
    rule.update((doc.get("families") or {}).get(family.upper()) or {})
    rule.update((doc.get("outputs") or {}).get(output) or {})
    for f in default_catalogue() if families is None else families:
        if f.name.upper() == family.upper():
            rule.update(_legacy(f.published))
            for m in f.measures:
                if code is not None and m.code.upper() == code.upper():
                    rule.update(_legacy(m.published))
                    if rule.get("decimals") is None:
                        rule["decimals"] = m.precision
    if code is not None:
        rule.update((doc.get("measures") or {}).get(f"{family.upper()}/{code.upper()}") or {})
    return rule


def _literal(x: Any) -> str:
    if x is None:
        return "NULL"
    if isinstance(x, bool):
        return "TRUE" if x else "FALSE"
    if isinstance(x, int | float):
        return repr(x)
    return "'" + str(x).replace("'", "''") + "'"


def _rules_values(output: str, families: tuple[Family, ...] | None) -> str:
    """Every measure's rule (and each family's, code '*', for measures the catalogue lacks)
    as a SQL VALUES list: a few hundred rows of configuration, not data."""
    if families is None:
        return _default_rules_values(output)
    return _values(output, families)


@cache
def _default_rules_values(output: str) -> str:
    """The packaged catalogue's rules, worked out once per output (the dashboard asks for
    them on every request)."""
    return _values(output, default_catalogue())


def _values(output: str, families: tuple[Family, ...]) -> str:
    names = sorted({f.name.upper() for f in families}
                   | set(rules_file().get("families") or {}))
    keys = [(n, None) for n in names] + [(f.name.upper(), m.code.upper())
                                         for f in families for m in f.measures]
    rows = []
    for fam, code in keys:
        r = rule_for(fam, code, output, families)
        rows.append("(" + ", ".join(_literal(v) for v in (
            fam, code or "*", int(r["rounding_base"]), float(r["suppress_below"]),
            bool(r["suppress_zero"]), float(r["complement_below"]),
            None if r.get("decimals") is None else int(r["decimals"]))) + ")")
    return ",\n        ".join(rows)


# --------------------------------------------------------------------------- the rows
def published_sql(where: str = "TRUE", output: str = "export",
                  families: tuple[Family, ...] | None = None) -> str:
    """A SELECT giving the published form of the `metric_values` rows `where` selects.

    Columns: the export's (numerator, denominator and value as numbers, NULL where not
    published), plus `numerator_mark`, `denominator_mark`, `value_mark` ('[c]', '[x]' or
    NULL) and `decimals`. `where` must select whole breakdowns (every row of a measure,
    council and period sharing the same breakdown keys), as any filter on family, code,
    council, period or whole breakdown key sets does.
    """
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}")
    d = rules_file().get("defaults") or {}
    dflt = {k: _literal(d.get(k)) for k in RULE_KEYS}
    return f"""
WITH rules(family, code, base, below, zero, complement, decimals) AS (
    VALUES {_rules_values(output, families)}),
src AS (SELECT {', '.join(COLUMNS)} FROM metric_values WHERE {where}),
bases AS (
    -- A survey figure's base: the respondents its margin-of-error row carries as numerator
    -- (metrics/catalogue/ascs_estimates.sql). Read from metric_values whatever `where` is.
    SELECT family, code, la_code, period_start, period_end, numerator AS survey_base,
           ltrim(regexp_replace(breakdown, '(^|;){MARGIN}', ''), ';') AS parent
    FROM metric_values WHERE breakdown LIKE '%{MARGIN}%'),
ruled AS (
    SELECT s.*, b.survey_base,
           coalesce(m.base, f.base, {dflt['rounding_base']}) AS base,
           coalesce(m.below, f.below, {dflt['suppress_below']}) AS below,
           coalesce(m.zero, f.zero, {dflt['suppress_zero']}) AS zero,
           coalesce(m.complement, f.complement, {dflt['complement_below']}) AS complement,
           coalesce(m.decimals, f.decimals, {dflt['decimals']}, 1) AS decimals,
           s.unit IN ('per_100k', 'per_1000') AS population,
           CASE s.unit WHEN 'percent' THEN 100 WHEN 'per_100k' THEN 100000
                       WHEN 'per_1000' THEN 1000 END AS scale,
           CASE WHEN s.unit = 'count' THEN coalesce(s.numerator, s.value)
                ELSE s.numerator END AS n,
           regexp_replace(s.breakdown, '=[^;]*', '', 'g') AS keyset  -- keys come sorted
    FROM src s
    LEFT JOIN bases b ON b.family = s.family AND b.code = s.code AND b.la_code = s.la_code
        AND b.period_start = s.period_start AND b.period_end = s.period_end
        AND b.parent = s.breakdown
    LEFT JOIN rules m ON m.family = upper(s.family) AND m.code = upper(s.code)
    LEFT JOIN rules f ON f.family = upper(s.family) AND f.code = '*'),
flagged AS (
    -- a survey figure resting on fewer respondents than the threshold is hidden whole, as
    -- its own small count would be (NHS England's ASCOF survey tables show [c] in every
    -- column of a suppressed row)
    SELECT *,
           coalesce(n < below AND (n <> 0 OR zero), FALSE)
               OR coalesce(survey_base > 0 AND survey_base < below, FALSE) AS n_small,
           coalesce(NOT population AND denominator < below AND (denominator <> 0 OR zero),
                    FALSE) OR coalesce(survey_base > 0 AND survey_base < below, FALSE) AS d_small,
           coalesce(n > 0 AND n < below, FALSE)
               OR coalesce(survey_base > 0 AND survey_base < below, FALSE) AS n_person,
           coalesce(NOT population AND denominator > 0 AND denominator < below, FALSE)
               AS d_person
    FROM ruled),
ordered AS (
    -- The cells a breakdown shows, smallest first, with the sum of those before each.
    SELECT *,
           bool_or(n_person) OVER w AS n_any,
           coalesce(sum(CASE WHEN n_small THEN n END) OVER w, 0) AS n_primary_sum,
           row_number() OVER (PARTITION BY family, code, la_code, period_start, period_end,
                                           keyset, n_small
                              ORDER BY n, breakdown) AS n_order,
           coalesce(sum(n) OVER (PARTITION BY family, code, la_code, period_start,
                                              period_end, keyset, n_small
                                 ORDER BY n, breakdown
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
               AS n_before
    FROM flagged
    WINDOW w AS (PARTITION BY family, code, la_code, period_start, period_end, keyset)),
hidden AS (
    -- Secondary suppression. A count of 1 to 4 is hidden, and so are the smallest other
    -- cells of its breakdown: at least one, and enough that the hidden cells add up to
    -- SECONDARY_SUM or more. The total minus the cells shown then gives only the sum of
    -- several hidden cells, itself known only to within the rounding of every printed
    -- count, so no hidden cell can be pinned (decisions.md, "Disclosure control"). A zero
    -- hidden by the zero rule hides only itself: no person stands behind it.
    SELECT *,
           n_small OR (n_any AND NOT n_small AND n IS NOT NULL
                       AND (n_order = 1 OR n_primary_sum + n_before < {SECONDARY_SUM}))
               AS n_hidden,
           d_small OR bool_or(d_person) OVER w AS d_hidden
    FROM ordered
    WINDOW w AS (PARTITION BY family, code, la_code, period_start, period_end, keyset)),
counted AS (
    SELECT *,
           CASE WHEN n IS NULL OR n_hidden THEN NULL WHEN base <= 1 THEN n
                ELSE {_sql_round_to_base('n', 'base')} END AS n_pub,
           CASE WHEN denominator IS NULL OR d_hidden THEN NULL
                WHEN population OR base <= 1 THEN denominator
                ELSE {_sql_round_to_base('denominator', 'base')} END AS d_pub,
           scale IS NOT NULL AND denominator <> 0 AND value IS NOT NULL
               AND abs(value - numerator / denominator * scale)
                   <= 1e-9 * greatest(abs(value), 1) AS ratio
    FROM hidden)
SELECT family, code, la_code, period_start, period_end, breakdown,
       CASE WHEN numerator IS NOT NULL THEN n_pub END AS numerator,
       d_pub AS denominator,
       CASE WHEN value IS NULL OR n_hidden OR d_hidden THEN NULL
            WHEN unit = 'count' THEN n_pub
            WHEN scale IS NOT NULL AND denominator = 0 THEN NULL
            WHEN ratio THEN n_pub / d_pub * scale
            ELSE value END AS value,
       unit,
       CASE WHEN numerator IS NOT NULL AND n_hidden THEN '{SUPPRESSED}' END AS numerator_mark,
       CASE WHEN denominator IS NOT NULL AND d_hidden THEN '{SUPPRESSED}' END
           AS denominator_mark,
       -- a value that does not exist (nothing to divide by) is not available, whatever
       -- else is hidden: saying so tells only that a count was zero
       CASE WHEN value IS NULL OR (scale IS NOT NULL AND denominator = 0) THEN '{NOT_AVAILABLE}'
            WHEN n_hidden OR d_hidden THEN '{SUPPRESSED}'
            WHEN unit = 'percent' AND ratio AND numerator <= denominator
                 AND denominator - numerator > 0 AND denominator - numerator < complement
                 THEN '{SUPPRESSED}'
       END AS value_mark,
       decimals
FROM counted
"""


def _count(x: Any) -> Any:
    return int(x) if isinstance(x, float) and x.is_integer() else x


def published_rows(con: duckdb.DuckDBPyConnection, where: str = "TRUE",
                   params: list[Any] | tuple = (), output: str = "export",
                   families: tuple[Family, ...] | None = None) -> list[dict[str, Any]]:
    """The published rows `where` selects, in the export's order (family, code, la_code,
    period_start, breakdown, period_end): numerator and denominator as numbers or '[c]';
    value as a Decimal rounded to its decimals, '[c]', '[x]' or None."""
    got = con.execute(
        f"SELECT * FROM ({published_sql(where, output, families)}) "
        "ORDER BY family, code, la_code, period_start, breakdown, period_end",
        list(params)).fetchall()
    out = []
    for (fam, code, la, start, end, bd, num, den, value, unit, n_mark, d_mark, v_mark,
         decimals) in got:
        if v_mark is not None:
            shown: Any = v_mark
        elif value is None:
            shown = None
        else:
            shown = round_half_away(value, 0 if unit == "count" else int(decimals))
        out.append({"family": fam, "code": code, "la_code": la, "period_start": start,
                    "period_end": end, "breakdown": bd,
                    "numerator": n_mark or _count(num), "denominator": d_mark or _count(den),
                    "value": shown, "unit": unit})
    return out


def number_or_none(x: Any) -> float | None:
    """A published figure as a number, None when it is a mark ('[c]', '[x]') or missing."""
    if x is None or isinstance(x, str):
        return None
    return float(x)
