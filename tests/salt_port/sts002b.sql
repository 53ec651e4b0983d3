-- TEST ORACLE, not product code. An independent port of NHS England's published STS002b
-- replication code ("SALT STS002b/STS002b replication code.txt"), statement by statement.
-- Same substitutions and collation as sts001.sql.

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

-- #ST_MAX_BUILD: every ST-Max service (open ones end today)
CREATE OR REPLACE TEMP TABLE ST_MAX_BUILD AS
SELECT LA_CODE, ID, Event_Start_Date,
       CASE WHEN Event_End_Date IS NULL THEN DATE '{today}' ELSE Event_End_Date END
           AS Event_End_Date,
       Event_Outcome
FROM SUBSET a
WHERE Event_Type = 'Service' AND Service_Type = 'Short Term Support: ST-Max'
  AND (Date_of_Death >= DATE '{start}' OR Date_of_Death IS NULL)
GROUP BY LA_CODE, ID, Event_Start_Date, Event_End_Date, Event_Outcome;
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

-- existing clients: an open long-term service when the episode starts
CREATE OR REPLACE TEMP TABLE Service_Events AS
SELECT LA_Code, ID, Service_Type, Event_Start_Date, Event_End_Date
FROM SUBSET
WHERE Service_Type IN ('Long Term Support: Nursing Care', 'Long Term Support: Residential Care',
                       'Long Term Support: Community', 'Long Term Support: Prison')
GROUP BY LA_Code, ID, Service_Type, Event_Start_Date, Event_End_Date;
CREATE OR REPLACE TEMP TABLE ONGOING AS
SELECT LA_CODE, ID, Cluster_Start_Date, Cluster_End_Date, Event_Outcome, ST_MAX_COUNT
FROM (SELECT a.*, b.ID AS Service_ID,
             CASE WHEN a.Cluster_Start_Date BETWEEN b.Event_Start_Date AND b.Event_End_Date
                      THEN 1
                  WHEN a.Cluster_Start_Date >= b.Event_Start_Date AND b.Event_End_Date IS NULL
                      THEN 1
                  ELSE 0 END AS Service_Flag
      FROM ST_MAX a LEFT JOIN Service_Events b ON a.ID = b.ID AND a.LA_Code = b.LA_Code
      WHERE b.ID IS NOT NULL) x
WHERE Service_Flag = 1;
CREATE OR REPLACE TEMP TABLE ST_MAX_EXISTING_CLIENTS AS
SELECT a.* FROM ST_MAX a
INNER JOIN ONGOING b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date
 AND a.Event_Outcome = b.Event_Outcome AND a.ST_MAX_COUNT = b.ST_MAX_COUNT;
CREATE OR REPLACE TEMP TABLE STS002b AS
SELECT LA_CODE, count(DISTINCT concat(ID, ST_MAX_COUNT)) AS n
FROM ST_MAX_EXISTING_CLIENTS GROUP BY LA_CODE;
