"""Prevalence rates (spec/prevalence_rates.yaml): the checks across the rows of a condition.

A need projection sums rate x population over bands, so a condition's bands must fit
together (docs/market-position.md, "Rates file"): its sexes are either only `persons` or
both `male` and `female`; for each sex the bands do not overlap and cover every age from the
lowest `age_from` up without a gap; only the last band may be open. A condition that breaks
one of these cannot be projected at all, so all its rows are quarantined with the reason
(nothing lost, and no half-usable condition reaches the warehouse).
"""

from __future__ import annotations

from openasc.ingest.pipeline import Stage, validate
from openasc.ingest.pipeline import load as generic_load


def judge(stage: Stage) -> None:
    """The generic field checks, then each condition's band checks on its usable rows."""
    validate(stage)
    stage.con.execute("""
        CREATE OR REPLACE TEMP TABLE _cond_fault AS
        WITH ok AS (SELECT * FROM judged WHERE _reason IS NULL),
        sexes AS (
            SELECT v_condition_code AS c,
                   CASE WHEN bool_or(v_sex = 'persons') AND bool_or(v_sex <> 'persons')
                        THEN 'mixes persons with male/female rows'
                        WHEN NOT bool_or(v_sex = 'persons')
                             AND count(DISTINCT v_sex) = 1
                        THEN 'has ' || any_value(v_sex) || ' rows but none for the other sex'
                   END AS fault
            FROM ok GROUP BY 1),
        bands AS (
            SELECT v_condition_code AS c, v_sex AS s, v_age_from AS f, v_age_to AS t, _row,
                   lead(v_age_from) OVER w AS next_from,
                   row_number() OVER w AS k, count(*) OVER (PARTITION BY v_condition_code,
                                                            v_sex) AS n
            FROM ok WINDOW w AS (PARTITION BY v_condition_code, v_sex ORDER BY v_age_from)),
        gaps AS (
            SELECT c, min(CASE
                WHEN t IS NULL AND k < n THEN 'the open band ' || f || '+ (' || s
                    || ', row ' || _row || ') is not the last'
                WHEN next_from IS NOT NULL AND next_from <= t THEN 'bands overlap at age '
                    || next_from || ' (' || s || ', row ' || _row || ')'
                WHEN next_from IS NOT NULL AND next_from > t + 1 THEN 'ages ' || (t + 1)
                    || ' to ' || (next_from - 1) || ' are in no band (' || s || ')'
                END) AS fault
            FROM bands GROUP BY c)
        SELECT c, coalesce(s.fault, g.fault) AS fault
        FROM sexes s FULL JOIN gaps g USING (c)
        WHERE coalesce(s.fault, g.fault) IS NOT NULL""")
    stage.con.execute("""
        UPDATE judged SET _field = 'condition_code',
               _reason = 'condition ' || j.c || ': ' || j.fault
                         || '; the whole condition is set aside'
        FROM _cond_fault j WHERE judged.v_condition_code = j.c AND judged._reason IS NULL""")


def load(stage: Stage) -> int:
    """A file's conditions replace the same conditions loaded before, whole."""
    stage.con.execute("DELETE FROM prevalence_rates WHERE condition_code IN "
                      "(SELECT DISTINCT condition_code FROM mapped)")
    return generic_load(stage)
