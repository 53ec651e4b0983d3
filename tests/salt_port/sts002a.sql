-- TEST ORACLE, not product code. An independent port of NHS England's published STS002a
-- replication code ("SALT STS002a/STS002a replication code.txt"), statement by statement,
-- with the code's table names. Reads SALT_STS002a_Cohort left by sts001.sql (the code's
-- permanent cohort table). Same substitutions and collation as sts001.sql.

-- #REF_Service_Type_Delivery_Mech
CREATE OR REPLACE TEMP TABLE REF_Service_Type_Delivery_Mech (Service_Type VARCHAR,
    Sort_Order INT, Hierarchy INT);
INSERT INTO REF_Service_Type_Delivery_Mech VALUES
 ('Long Term Support: Nursing Care', 1, 1)
,('Long Term Support: Residential Care', 2, 2)
,('Long Term Support: Community', 3, 3)
,('Long Term Support: Prison', 4, 4)
,('Short Term Support: Ongoing Low Level', 5, 5)
,('Short Term Support: Other Short Term', 6, 6);

-- #REF_ST_MAX_Sequel_Mappings
CREATE OR REPLACE TEMP TABLE REF_ST_MAX_Sequel_Mappings (ST_Max_Outcome VARCHAR,
    SALT_Mapping VARCHAR, Sort_Order INT);
INSERT INTO REF_ST_MAX_Sequel_Mappings VALUES
 ('NFA - 100% NHS funded care', 'Early cessation of service (not leading to long term support) - 100% NHS funded care/End of Life/deceased', 1)
,('NFA - Deceased', 'Early cessation of service (not leading to long term support) - 100% NHS funded care/End of Life/deceased', 1)
,('NFA - Self-funded client (Inc. 12wk disregard)', 'No services provided – needs identified but self-funding', 3)
,('NFA - Support declined', 'No services provided – needs identified but support declined', 6)
,('NFA - Information & Advice / Signposting only', 'No Services Provided – Universal Services / signposted to other services', 7)
,('NFA - Moved to another LA', 'No services provided – other', 8)
,('NFA- Other', 'No services provided – other', 8)
,('NFA - No services offered: Other reason', 'No services provided – other', 8)
,('NFA - Support ended: Other reason', 'No services provided – other', 8)
,('Progress to End of Life Care', 'No services provided – other', 8)
,('Admitted to hospital', 'No services provided – other', 8)
,('Long Term Support: Nursing Care', 'Long Term Support (any setting)', 2)
,('Long Term Support: Residential Care', 'Long Term Support (any setting)', 2)
,('Long Term Support: Community', 'Long Term Support (any setting)', 2)
,('Long Term Support: Prison', 'Long Term Support (any setting)', 2)
,('Short Term Support: Ongoing Low Level', 'Ongoing Low Level Support', 4)
,('Short Term Support: Other Short Term', 'Short Term Support (other)', 5)
,('No Service Found', 'No Service Found', 9);

-- #REF_Event_Outcome_Hierarchy (as in STS001)
CREATE OR REPLACE TEMP TABLE REF_Event_Outcome_Hierarchy (Event_Outcome VARCHAR,
    Event_Outcome_Hierarchy INT);
INSERT INTO REF_Event_Outcome_Hierarchy VALUES
 ('Progress to Reablement/ST-Max', 1), ('Progress to Assessment', 2),
 ('Admitted to Hospital', 3), ('Progress to Re-assessment / Unplanned Review', 4),
 ('Progress to Support Planning / Services', 5), ('Progress to End of Life Care', 6),
 ('No change in package', 7), ('Service ended as planned', 8),
 ('Progress to financial assessment', 9), ('Provision of service', 10), ('NFA - Deceased', 11),
 ('NFA - Moved to another LA', 12), ('NFA - 100% NHS-funded care', 13),
 ('NFA - Information & Advice / Signposting only', 14),
 ('NFA - Self-funded client (inc. 12wk disregard)', 15), ('NFA - Support declined', 16),
 ('NFA - Support ended – other reason', 17), ('NFA - No services offered - other reason', 18),
 ('NFA- Other', 19);

-- #SUBSET_BUILD
CREATE OR REPLACE TEMP TABLE SUBSET_BUILD AS
SELECT * FROM CLD_R1_Raw
WHERE Event_Start_Date <= DATE '{end}' AND Client_Type = 'Service User'
  AND Event_Type IN ('Request', 'Assessment', 'Service', 'Review');

-- the amalgamated NHS/LA identifier
CREATE OR REPLACE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo,
       Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM SUBSET_BUILD WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL;
CREATE OR REPLACE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo,
       a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM SUBSET_BUILD a
LEFT JOIN uniquenhs b
  ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
  AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL;
CREATE OR REPLACE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source
FROM missingnhs;
ALTER TABLE SUBSET_BUILD ADD COLUMN ID VARCHAR;
UPDATE SUBSET_BUILD a SET ID = b.ID FROM FINAL b
WHERE a.Der_Unique_Record_ID = b.Der_Unique_Record_ID;
DELETE FROM SUBSET_BUILD WHERE ID IS NULL;

-- latest version of each service
CREATE OR REPLACE TEMP TABLE SERVICES_WITH_CONC AS
SELECT *, concat(LA_CODE, ID, CLIENT_TYPE, EVENT_START_DATE, Service_Type, Service_Component,
                 Delivery_Mechanism) AS SERVICE_CONC
FROM SUBSET_BUILD WHERE Event_Type = 'Service';
CREATE OR REPLACE TEMP TABLE SERVICES_LATEST AS
SELECT * FROM (SELECT *, dense_rank() OVER (PARTITION BY SERVICE_CONC ORDER BY ImportDate DESC)
                         AS RN
               FROM SERVICES_WITH_CONC) a
WHERE RN = 1;
CREATE OR REPLACE TEMP TABLE SUBSET AS
SELECT * FROM SERVICES_LATEST
UNION
SELECT *, 'NA' AS SERVICE_CONC, 0 AS Rn FROM SUBSET_BUILD WHERE Event_Type NOT ILIKE 'Service';

-- #ST_MAX_BUILD: the cohort's ST-Max services (open ones end today)
CREATE OR REPLACE TEMP TABLE ST_MAX_BUILD AS
SELECT a.LA_CODE, a.ID, a.Event_Start_Date,
       CASE WHEN a.Event_End_Date IS NULL THEN DATE '{today}' ELSE a.Event_End_Date END
           AS Event_End_Date,
       a.Event_Outcome
FROM SUBSET a
INNER JOIN SALT_STS002a_Cohort b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Event_Start_Date = b.Sequel_Event_Start_Date
WHERE a.Event_Type = 'Service' AND a.Service_Type = 'Short Term Support: ST-Max'
  AND (Date_of_Death >= DATE '{start}' OR Date_of_Death IS NULL)
GROUP BY a.LA_CODE, a.ID, a.Event_Start_Date, a.Event_End_Date, a.Event_Outcome;

-- islands of ST-Max (1 day)
CREATE OR REPLACE TEMP TABLE ST_MAX_With_Count AS
SELECT DISTINCT a.*, Islands.IslandId AS ST_MAX_COUNT,
       min(a.Event_Start_Date) OVER (PARTITION BY a.LA_CODE, a.ID, Islands.IslandId)
           AS MIN_START_DATE
FROM ST_MAX_BUILD a
INNER JOIN (
    SELECT *,
           sum(CASE WHEN PreviousEndDate >= Event_Start_Date - INTERVAL 1 DAY THEN 0 ELSE 1 END)
               OVER (PARTITION BY LA_CODE, ID ORDER BY ID, DRN) AS IslandId
    FROM (SELECT dense_rank() OVER (PARTITION BY LA_CODE, ID
                                    ORDER BY Event_Start_Date, Event_End_Date) AS DRN,
                 LA_CODE, ID, Event_Start_Date, Event_End_Date,
                 lag(Event_End_Date, 1) OVER (PARTITION BY LA_CODE, ID
                                              ORDER BY Event_Start_Date, Event_End_Date)
                     AS PreviousEndDate
          FROM ST_MAX_BUILD) Groups
) Islands
  ON a.ID = Islands.ID AND a.Event_Start_Date = Islands.Event_Start_Date
 AND a.Event_End_Date = Islands.Event_End_Date;

CREATE OR REPLACE TEMP TABLE ST_MAX_Latest_End AS
SELECT DISTINCT LA_CODE, ID, MIN_START_DATE AS Cluster_Start_Date,
       Event_End_Date AS Cluster_End_Date, Event_Outcome, ST_MAX_COUNT
FROM (SELECT *, dense_rank() OVER (PARTITION BY LA_CODE, ID, ST_MAX_COUNT
                                   ORDER BY Event_End_Date DESC) AS RN
      FROM ST_MAX_With_Count) a
WHERE RN = 1;

CREATE OR REPLACE TEMP TABLE ST_MAX AS
SELECT * FROM ST_MAX_Latest_End WHERE Cluster_End_Date BETWEEN DATE '{start}' AND DATE '{end}';

-- STEP 1: outcome hierarchy
CREATE OR REPLACE TEMP TABLE EVENT_OUTCOME_HIERARCHY AS
SELECT a.*, CASE WHEN b.Event_Outcome_Hierarchy IS NULL THEN 99
                 ELSE b.Event_Outcome_Hierarchy END AS Event_Outcome_Hierarchy
FROM ST_MAX a LEFT JOIN REF_Event_Outcome_Hierarchy b ON a.Event_Outcome = b.Event_Outcome;
CREATE OR REPLACE TEMP TABLE ST_MAX_NEW_CLIENTS_DeDupe AS
SELECT a.* FROM EVENT_OUTCOME_HIERARCHY a
INNER JOIN (SELECT *, dense_rank() OVER (PARTITION BY LA_CODE, ID, ST_MAX_COUNT
                                         ORDER BY Event_Outcome_Hierarchy ASC) AS RN
            FROM EVENT_OUTCOME_HIERARCHY) b
  ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
 AND a.Event_Outcome_Hierarchy = b.Event_Outcome_Hierarchy
WHERE b.RN = 1;

-- STEP 2: onward chronology
CREATE OR REPLACE TEMP TABLE ST_MAX_SEQUELS AS
SELECT a.*, b.LA_CODE AS Sequel_LA_Code, b.ID AS Sequel_ID,
       b.Event_Start_Date AS Sequel_Event_Start_Date, b.Event_End_Date AS Sequel_Event_End_Date,
       b.Event_Type AS Sequel_Event_Type, b.Service_Type AS Sequel_Service_Type,
       b.Service_Component AS Sequel_Service_Component, b.Event_Outcome AS Sequel_Event_Outcome,
       b.Der_Unique_Record_ID AS sequel_record_id,
       dense_rank() OVER (PARTITION BY a.LA_CODE, a.ID, a.ST_MAX_COUNT
                          ORDER BY b.Event_Start_Date) AS Rn
FROM ST_MAX_NEW_CLIENTS_DeDupe a
LEFT JOIN SUBSET b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
WHERE b.Event_Start_Date >= a.Cluster_End_Date;
DELETE FROM ST_MAX_SEQUELS
WHERE Sequel_Service_Type = 'Short Term Support: ST-Max' AND Cluster_Start_Date = Sequel_Event_Start_Date
   OR Sequel_Service_Type = 'Short Term Support: ST-Max' AND Cluster_End_Date = Sequel_Event_End_Date;

-- STEP 3: no further chronology (record type 1)
CREATE OR REPLACE TEMP TABLE NO_SEQUEL_CHRONOLOGY AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.ST_MAX_COUNT,
       a.Event_Outcome
FROM ST_MAX_NEW_CLIENTS_DeDupe a
LEFT JOIN ST_MAX_SEQUELS b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date
 AND a.Event_Outcome = b.Event_Outcome AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
WHERE b.LA_CODE IS NULL;
CREATE OR REPLACE TEMP TABLE STS002a AS
SELECT a.LA_CODE, a.ID, 'No_Chronology_' || Event_Outcome AS FINAL_OUTCOME,
       CASE WHEN Event_Outcome = 'Service Ended As Planned' THEN 'No services provided – other'
            ELSE 'No_Chronology_' || b.SALT_Mapping END AS FINAL_OUTCOME_MAPPED,
       1 AS Record_Type
FROM NO_SEQUEL_CHRONOLOGY a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
WHERE b.SALT_Mapping IS NOT NULL;
INSERT INTO STS002a
SELECT a.LA_CODE, a.ID, 'No_Chronology_' || Event_Outcome,
       CASE WHEN Event_Outcome = 'Service Ended As Planned' THEN 'No services provided – other'
            ELSE 'No_Chronology_Unable_To_Classify' END,
       1
FROM NO_SEQUEL_CHRONOLOGY a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
WHERE b.SALT_Mapping IS NULL;

-- STEP 4: chains (3 days)
CREATE OR REPLACE TEMP TABLE CLUSTER AS
WITH Create_Cluster AS (
    SELECT *,
           CASE WHEN date_diff('day',
                     lag(Sequel_Event_End_Date) OVER (
                         PARTITION BY LA_Code, ID, ST_MAX_COUNT
                         ORDER BY Sequel_Event_Start_Date,
                                  Sequel_Event_End_Date ASC NULLS FIRST, sequel_record_id),
                     Sequel_Event_Start_Date) > 3 THEN 0 ELSE 1 END AS Flag
    FROM ST_MAX_SEQUELS
)
SELECT *, min(In_Chain) OVER (PARTITION BY LA_CODE, ID, ST_MAX_COUNT
                              ORDER BY Sequel_Event_Start_Date) AS In_Scope
FROM (SELECT *,
             CASE WHEN Sequel_Event_End_Date IS NULL AND Rn = 1 THEN 1
                  WHEN date_diff('day', Cluster_End_Date, Sequel_Event_Start_Date) > 3
                       AND Rn = 1 THEN 0
                  ELSE min(Flag) OVER (PARTITION BY LA_CODE, ID, ST_MAX_COUNT
                                       ORDER BY Sequel_Event_Start_Date) END AS In_Chain
      FROM Create_Cluster) x;

CREATE OR REPLACE TEMP TABLE ST_MAX_WITH_BREAKS AS
SELECT b.*, CASE WHEN c.Hierarchy IS NULL THEN 99 ELSE c.Hierarchy END AS Service_Hierarchy
FROM (SELECT *, min(ST_MAX_Break) OVER (PARTITION BY LA_CODE, ID, ST_MAX_COUNT
                                        ORDER BY Sequel_Event_Start_Date) AS Cluster_No_STMax
      FROM (SELECT *, CASE WHEN Sequel_Service_Type ILIKE 'Short Term Support: ST-Max' THEN 0
                           ELSE 1 END AS ST_MAX_Break
            FROM CLUSTER) a) b
LEFT JOIN REF_Service_Type_Delivery_Mech c ON b.Sequel_Service_Type = c.Service_Type
WHERE b.In_Scope = 1 AND b.Cluster_No_STMax = 1;

-- record type 2
CREATE OR REPLACE TEMP TABLE FIND_NEXT_SERVICES AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome,
       a.ST_MAX_COUNT, a.Sequel_Service_Type AS FINAL_OUTCOME
FROM ST_MAX_WITH_BREAKS a
INNER JOIN (SELECT LA_CODE, ID, ST_MAX_COUNT, min(Service_Hierarchy) AS Cluster_Outcome
            FROM ST_MAX_WITH_BREAKS GROUP BY LA_CODE, ID, ST_MAX_COUNT) b
  ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
 AND a.Service_Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome != 99;
INSERT INTO STS002a
SELECT a.LA_CODE, a.ID, a.FINAL_OUTCOME, b.SALT_Mapping, 2
FROM FIND_NEXT_SERVICES a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.FINAL_OUTCOME = b.ST_Max_Outcome;

-- non-service chronology
CREATE OR REPLACE TEMP TABLE FIND_NEXT_OTHER AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome,
       a.ST_MAX_COUNT, a.Sequel_Event_Type, a.Sequel_Event_Start_Date, a.Sequel_Event_End_Date,
       a.Sequel_Event_Outcome,
       dense_rank() OVER (PARTITION BY a.LA_CODE, a.ID, a.ST_MAX_COUNT
                          ORDER BY a.Sequel_Event_End_Date DESC NULLS LAST) AS Rn
FROM ST_MAX_WITH_BREAKS a
INNER JOIN (SELECT LA_CODE, ID, ST_MAX_COUNT, min(Service_Hierarchy) AS Cluster_Outcome
            FROM ST_MAX_WITH_BREAKS GROUP BY LA_CODE, ID, ST_MAX_COUNT) b
  ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
 AND a.Service_Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome = 99;

-- record type 3
CREATE OR REPLACE TEMP TABLE FIND_NEXT_OTHER_NFA AS
SELECT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.ST_MAX_COUNT,
       a.Sequel_Event_Outcome,
       count(a.ID) OVER (PARTITION BY a.LA_CODE, a.ID, a.ST_MAX_COUNT) AS NFA_Count
FROM FIND_NEXT_OTHER a
INNER JOIN (SELECT LA_CODE, ID, ST_MAX_COUNT, min(Rn) AS Cluster_Outcome
            FROM FIND_NEXT_OTHER WHERE Sequel_Event_Outcome ILIKE 'NFA%'
            GROUP BY LA_CODE, ID, ST_MAX_COUNT) b
  ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
 AND a.Rn = b.Cluster_Outcome
WHERE Sequel_Event_Outcome ILIKE 'NFA%';
INSERT INTO STS002a
SELECT DISTINCT a.LA_CODE, a.ID,
       CASE WHEN NFA_Count = 1 THEN a.Sequel_Event_Outcome ELSE 'NFA- Other' END,
       CASE WHEN NFA_Count = 1 THEN b.SALT_Mapping ELSE 'No services provided – other' END,
       3
FROM FIND_NEXT_OTHER_NFA a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Sequel_Event_Outcome = b.ST_Max_Outcome;

-- record type 4
CREATE OR REPLACE TEMP TABLE FIND_NEXT_OTHER_No_Outcome AS
SELECT DISTINCT a.LA_CODE, a.ID, a.ST_MAX_COUNT, a.Event_Outcome
FROM FIND_NEXT_OTHER a
LEFT JOIN FIND_NEXT_OTHER_NFA b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
WHERE b.LA_CODE IS NULL;
INSERT INTO STS002a
SELECT a.LA_CODE, a.ID, 'No Service Found_' || a.Event_Outcome,
       CASE WHEN a.Event_Outcome ILIKE 'NFA%' THEN b.SALT_Mapping
            WHEN a.Event_Outcome = 'Service Ended as Planned' THEN 'No services provided - other'
            ELSE 'No Service Found' END,
       4
FROM FIND_NEXT_OTHER_No_Outcome a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome;

-- record type 5
CREATE OR REPLACE TEMP TABLE FIND_NEXT_OUT_OF_SCOPE AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.ST_MAX_COUNT,
       a.Event_Outcome
FROM CLUSTER a
LEFT JOIN ST_MAX_WITH_BREAKS b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date
 AND a.Event_Outcome = b.Event_Outcome
WHERE b.LA_CODE IS NULL;
INSERT INTO STS002a
SELECT LA_CODE, ID, 'No_Chronology_' || Event_Outcome,
       CASE WHEN Event_Outcome = 'Service Ended as Planned' THEN 'No services provided – other'
            ELSE 'No_Chronology_' || b.SALT_Mapping END,
       5
FROM FIND_NEXT_OUT_OF_SCOPE a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
WHERE b.SALT_Mapping IS NOT NULL;
INSERT INTO STS002a
SELECT LA_CODE, ID, 'No_Chronology_' || Event_Outcome,
       CASE WHEN Event_Outcome = 'Service Ended as Planned' THEN 'No services provided – other'
            ELSE 'No_Chronology_Unable_To_Classify' END,
       5
FROM FIND_NEXT_OUT_OF_SCOPE a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
WHERE b.SALT_Mapping IS NULL;
