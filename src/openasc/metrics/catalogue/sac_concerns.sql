-- Safeguarding concerns by type of risk and by location of risk (openasc measures, not SAC
-- tables: the collection breaks down only concluded Section 42 enquiries this way, SG2a/SG2b;
-- councils publish the same breakdowns for concerns; docs/decisions.md). Concerns RECEIVED in
-- the period, as CONCERNS counts them. Type is multi-label: a concern counts once under each
-- different type recorded (as SG2a). Location is one per concern. Every national category has
-- a row, 0 when no concern had it. Shares (A6 "type/location/source shares"): each category's
-- count / the sum of the counts over the national categories (risks recorded), x 100.
-- Set-based: every council of the run (compute_councils) at once; a council with no concern
-- in the period still gets its headline 0 and every national category 0.
WITH concerns AS (
    SELECT * FROM safeguarding_concerns
    WHERE la_code IN (SELECT la_code FROM compute_councils)
      AND concern_received_date BETWEEN $period_start AND $period_end
),
recorded AS (
    SELECT DISTINCT k.la_code, 'abuse_type' AS key, k.concern_id, t.risk_type AS category
    FROM concerns k JOIN safeguarding_risk_types t
      ON t.la_code = k.la_code AND t.concern_id = k.concern_id
    UNION ALL
    SELECT la_code, 'location', concern_id, location_of_risk FROM concerns
    WHERE location_of_risk IS NOT NULL
),
lists AS (
    SELECT m.key, l.category, l.position
    FROM (VALUES ('abuse_type', 'safeguarding.Type_of_Risk'),
                 ('location', 'safeguarding.Location_of_Risk')) m(key, list)
    JOIN category_lists l ON l.list = m.list
),
counted AS (  -- every national category (0 when absent), then any other label recorded
    SELECT c.la_code, l.key, l.category, count(r.concern_id) AS n, true AS national
    FROM compute_councils c CROSS JOIN lists l
    LEFT JOIN recorded r
      ON r.la_code = c.la_code AND r.key = l.key AND r.category = l.category
    GROUP BY c.la_code, l.key, l.category
    UNION ALL
    SELECT la_code, key, category, count(*), false FROM recorded
    ANTI JOIN lists USING (key, category)
    GROUP BY la_code, key, category
),
received AS (
    SELECT c.la_code, count(k.concern_id) AS n
    FROM compute_councils c LEFT JOIN concerns k ON k.la_code = c.la_code
    GROUP BY c.la_code
),
measures AS (
    SELECT * FROM (VALUES ('abuse_type', 'CONCERNS_BY_TYPE', 'CONCERNS_BY_TYPE_PCT'),
                          ('location', 'CONCERNS_BY_LOCATION', 'CONCERNS_BY_LOCATION_PCT'))
        m(key, count_code, share_code)
)
SELECT r.la_code, m.count_code AS code, '' AS breakdown, r.n AS numerator,
       NULL::BIGINT AS denominator
FROM received r CROSS JOIN measures m
UNION ALL
SELECT c.la_code, m.count_code, c.key || '=' || c.category, c.n, NULL
FROM counted c JOIN measures m USING (key)
UNION ALL
SELECT c.la_code, m.share_code, c.key || '=' || c.category, c.n,
       sum(c.n) OVER (PARTITION BY c.la_code, c.key)
FROM counted c JOIN measures m USING (key) WHERE c.national
ORDER BY la_code, code, breakdown
