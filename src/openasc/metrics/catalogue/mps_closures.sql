-- MPS closures (docs/market-position.md, "Closures"): care homes CQC deregistered in the
-- twelve months before its deactivated-locations snapshot (end date after as_at minus one
-- year, up to as_at), adult social care only. MPS-C1 is the beds at deactivation; its
-- breakdown `what=care homes` counts the homes. A home that changed provider is
-- deregistered and registered again under a new location: it counts here (docs/decisions.md).
WITH cur AS (  -- the council's current code: inputs for every council are stored under it
    SELECT coalesce((SELECT min(ons_code) FROM councils WHERE list_contains(
        string_split(coalesce(former_codes, ''), ';'), $la_code)), $la_code) AS code
),
c AS (
    SELECT count(*) AS homes, coalesce(sum(beds), 0) AS beds
    FROM care_closures
    WHERE la_code = (SELECT code FROM cur) AND in_scope AND care_home
      AND end_date > as_at - INTERVAL 1 YEAR AND end_date <= as_at
)
SELECT 'MPS-C1' AS code, '' AS breakdown, CAST(beds AS DOUBLE) AS numerator,
       CAST(NULL AS DOUBLE) AS denominator, CAST(beds AS DOUBLE) AS value FROM c
UNION ALL
SELECT 'MPS-C1', 'what=care homes', homes, NULL, homes FROM c
