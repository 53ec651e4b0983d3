-- MPS closures (docs/market-position.md, "Closures"): care homes CQC deregistered in the
-- twelve months before its deactivated-locations snapshot (end date after as_at minus one
-- year, up to as_at), adult social care only, for each council of the run. MPS-C1 is the
-- beds at deactivation; its breakdown `what=care homes` counts the homes (0 when none). A
-- home that changed provider is deregistered and registered again under a new location: it
-- counts here (docs/decisions.md).
WITH cur AS (  -- each council's current code: inputs for every council are stored under it
    SELECT a.la_code, coalesce(min(c.ons_code), a.la_code) AS code
    FROM compute_councils a
    LEFT JOIN councils c
           ON list_contains(string_split(coalesce(c.former_codes, ''), ';'), a.la_code)
    GROUP BY a.la_code
),
c AS (
    SELECT k.la_code, count(d.la_code) AS homes, coalesce(sum(d.beds), 0) AS beds
    FROM cur k
    LEFT JOIN care_closures d
           ON d.la_code = k.code AND d.in_scope AND d.care_home
          AND d.end_date > d.as_at - INTERVAL 1 YEAR AND d.end_date <= d.as_at
    GROUP BY k.la_code
)
SELECT la_code, 'MPS-C1' AS code, '' AS breakdown, CAST(beds AS DOUBLE) AS numerator,
       CAST(NULL AS DOUBLE) AS denominator, CAST(beds AS DOUBLE) AS value FROM c
UNION ALL
SELECT la_code, 'MPS-C1', 'what=care homes', homes, NULL, homes FROM c
