-- Safeguarding concerns by type of risk and by location of risk (openasc measures, not SAC
-- tables: the collection breaks down only concluded Section 42 enquiries this way, SG2a/SG2b;
-- councils publish the same breakdowns for concerns; docs/decisions.md). Concerns RECEIVED in
-- the period, as CONCERNS counts them. Type is multi-label: a concern counts once under each
-- different type recorded (as SG2a). Location is one per concern. Every national category has
-- a row, 0 when no concern had it. Shares (A6 "type/location/source shares"): each category's
-- count / the sum of the counts over the national categories (risks recorded), x 100.
WITH concerns AS (
    SELECT * FROM safeguarding_concerns
    WHERE la_code = $la_code AND concern_received_date BETWEEN $period_start AND $period_end
),
recorded AS (
    SELECT DISTINCT 'abuse_type' AS key, k.concern_id, t.risk_type AS category
    FROM concerns k JOIN safeguarding_risk_types t
      ON t.la_code = k.la_code AND t.concern_id = k.concern_id
    UNION ALL
    SELECT 'location', concern_id, location_of_risk FROM concerns
    WHERE location_of_risk IS NOT NULL
),
lists AS (
    SELECT m.key, l.category, l.position
    FROM (VALUES ('abuse_type', 'safeguarding.Type_of_Risk'),
                 ('location', 'safeguarding.Location_of_Risk')) m(key, list)
    JOIN category_lists l ON l.list = m.list
),
counted AS (  -- every national category (0 when absent), then any other label recorded
    SELECT key, category, count(r.concern_id) AS n, true AS national
    FROM lists LEFT JOIN recorded r USING (key, category) GROUP BY ALL
    UNION ALL
    SELECT key, category, count(*), false FROM recorded ANTI JOIN lists USING (key, category)
    GROUP BY ALL
),
measures AS (
    SELECT * FROM (VALUES ('abuse_type', 'CONCERNS_BY_TYPE', 'CONCERNS_BY_TYPE_PCT'),
                          ('location', 'CONCERNS_BY_LOCATION', 'CONCERNS_BY_LOCATION_PCT'))
        m(key, count_code, share_code)
)
SELECT m.count_code AS code, '' AS breakdown, (SELECT count(*) FROM concerns) AS numerator,
       NULL::BIGINT AS denominator
FROM measures m
UNION ALL
SELECT m.count_code, c.key || '=' || c.category, c.n, NULL FROM counted c JOIN measures m USING (key)
UNION ALL
SELECT m.share_code, c.key || '=' || c.category, c.n,
       sum(c.n) OVER (PARTITION BY c.key)
FROM counted c JOIN measures m USING (key) WHERE c.national
ORDER BY code, breakdown
