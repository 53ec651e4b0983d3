-- LTS001b, both methods. Tables 1a/1b, the headline and its totals: salt_lts001.sql's rows
-- (prepare table salt_lts001_cells). Tables 2 (support from carer) and 3 (sex and
-- ethnicity): salt_lts001.sql's rows under 'corrected'; under 'nhse' (the default) NHS
-- England's published LTS001b code, quirks included ("Lnnn": line of "SALT LTS001b/LTS001b
-- replication code.txt"; docs/decisions.md "SALT: LTS001b tables 2 and 3, LTS004"):
-- any age (1); each table ranks its own rows (2); 'Unknown' carer is `Invalid/NULL` (3);
-- a person of two genders is in tables 3a and 3b (4); table 3c counts every person with an
-- `Other` or `Unknown` row (5). The code's lists are restated in R2 spelling.
WITH build AS (
    -- L206-222: open at the snapshot, alive then, birth month and year known, any age
    SELECT la_code, nhs_number_pseudo, la_person_pseudo, event_start_date, service_type,
           delivery_mechanism, gender, has_unpaid_carer, ethnicity
    FROM salt_nhse_lts_rows
    WHERE service_type IN ('Long term support: Nursing care', 'Long term support: Residential care',
                           'Long term support: Community', 'Long term support: Prison')
      AND client_type = 'Service user'
      AND event_start_date <= $period_end
      AND (event_end_date >= $period_end OR event_end_date IS NULL)
      AND (date_of_death >= $period_end OR date_of_death IS NULL)
      AND birth_month IS NOT NULL AND birth_year IS NOT NULL
),
person_rows AS (
    -- L244-289: the NHS number, else the council's ID when no row of this subset pairs it
    -- with an NHS number; rows with neither are dropped
    SELECT b.*, coalesce(b.nhs_number_pseudo, b.la_person_pseudo) AS person
    FROM build b
    WHERE b.nhs_number_pseudo IS NOT NULL
       OR b.la_person_pseudo IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM build p
                          WHERE p.la_code = b.la_code AND p.nhs_number_pseudo IS NOT NULL
                            AND p.la_person_pseudo = b.la_person_pseudo)
),
ranked AS (
    -- L308-316: a mechanism the setting does not take is blank; L10-37: the hierarchy
    SELECT *, CASE service_type
                  WHEN 'Long term support: Nursing care' THEN 1
                  WHEN 'Long term support: Residential care' THEN 2
                  WHEN 'Long term support: Community' THEN
                      CASE mechanism WHEN 'Direct payment' THEN 3
                          WHEN 'CASSR managed personal budget' THEN 4
                          WHEN 'CASSR commissioned support' THEN 5 ELSE 6 END
                  ELSE CASE mechanism WHEN 'CASSR managed personal budget' THEN 7
                           WHEN 'CASSR commissioned support' THEN 8 ELSE 9 END END AS hierarchy
    FROM (SELECT la_code, person, event_start_date, service_type, gender, has_unpaid_carer,
                 ethnicity,
                 CASE WHEN service_type = 'Long term support: Community'
                           AND delivery_mechanism IN ('Direct payment',
                                                      'CASSR managed personal budget',
                                                      'CASSR commissioned support')
                        OR service_type = 'Long term support: Prison'
                           AND delivery_mechanism IN ('CASSR managed personal budget',
                                                      'CASSR commissioned support')
                      THEN delivery_mechanism ELSE '' END AS mechanism
          FROM person_rows) m
),
tables AS (
    -- Table 2 (L589-597) reads every row, tables 3a and 3b (L702-711, L810-819) the rows of
    -- one gender. `known` (L211-212) and the value the table prints: REF_CARER (L43-56) has
    -- 'Yes', 'No' and 'Invalid' but not 'Unknown'; REF_Ethnicity (L63-96) is the
    -- specification's list; a value not in the list is `Invalid/NULL` (L643, L754, L862).
    SELECT 'carer' AS tab, la_code, person, event_start_date, service_type, mechanism,
           hierarchy,
           CASE WHEN has_unpaid_carer = 'Unknown' OR has_unpaid_carer IS NULL THEN 0
                ELSE 1 END AS known,
           CASE WHEN has_unpaid_carer IN ('Yes', 'No', 'Invalid') THEN has_unpaid_carer
                ELSE 'Invalid/NULL' END AS label
    FROM ranked
    UNION ALL
    SELECT gender, la_code, person, event_start_date, service_type, mechanism, hierarchy,
           CASE WHEN ethnicity = 'No data: Undeclared or not known' OR ethnicity IS NULL
                THEN 0 ELSE 1 END,
           CASE WHEN ethnicity IN (SELECT value FROM cld_values WHERE list = 'Ethnicity')
                THEN ethnicity ELSE 'Invalid/NULL' END
    FROM ranked WHERE gender IN ('Male', 'Female')
),
preferred AS (
    -- L606-636: of the person's rows the lowest hierarchy, of those a known value if there
    -- is one, of those the latest start: the rows at the least of one number that orders
    -- them so (days from 1900 lie well within 5 million either way), found by grouping
    -- instead of three windows in turn
    SELECT *, (hierarchy * 2 + 1 - known) * 10000000
              - date_diff('day', DATE '1900-01-01', event_start_date) AS preference
    FROM tables
),
latest AS (
    SELECT p.* FROM preferred p
    JOIN (SELECT tab, la_code, person, min(preference) AS preference FROM preferred
          GROUP BY tab, la_code, person) f
      ON f.tab = p.tab AND f.la_code = p.la_code AND f.person = p.person
     AND f.preference = p.preference
),
final AS (
    -- L641-681: values that still conflict become 'Unknown' (table 2) or 'No data -
    -- Undeclared or Not known' (tables 3a/3b, L782)
    SELECT tab, la_code, person, service_type, mechanism,
           CASE WHEN count(DISTINCT label) = 1 THEN min(label)
                WHEN tab = 'carer' THEN 'Unknown'
                ELSE 'No data: Undeclared or not known' END AS label
    FROM latest
    GROUP BY tab, la_code, person, service_type, mechanism
),
cells AS (
    -- L688-691, L795-798, L904-907: people by value, setting and mechanism
    SELECT la_code,
           CASE WHEN tab = 'carer' THEN 'carer=' ELSE 'ethnicity=' END || label
           || CASE WHEN service_type IN ('Long term support: Community',
                                         'Long term support: Prison')
                   THEN ';mechanism=' || coalesce(nullif(mechanism, ''), 'Unknown') ELSE '' END
           || ';setting=' || CASE service_type
                                 WHEN 'Long term support: Nursing care' THEN 'Nursing'
                                 WHEN 'Long term support: Residential care' THEN 'Residential'
                                 WHEN 'Long term support: Community' THEN 'Community'
                                 ELSE 'Prison' END
           || CASE WHEN tab = 'carer' THEN '' ELSE ';sex=' || tab END AS breakdown,
           count(DISTINCT person) AS numerator
    FROM final
    GROUP BY la_code, tab, label, service_type, mechanism
    UNION ALL
    -- L918-922: table 3c, every person with a row of gender `Other` or `Unknown`
    SELECT la_code, 'sex=Other or Unknown', count(DISTINCT person)
    FROM person_rows WHERE gender IN ('Other', 'Unknown')
    GROUP BY la_code
)
SELECT la_code, breakdown, numerator
FROM salt_lts001_cells
WHERE code = 'LTS001b'
  AND ($salt_method = 'corrected'
       OR NOT (breakdown LIKE 'carer=%' OR breakdown LIKE 'ethnicity=%'))
UNION ALL
SELECT la_code, breakdown, numerator FROM cells
