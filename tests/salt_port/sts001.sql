-- TEST ORACLE, not product code. An independent port of NHS England's published STS001
-- replication code (NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations,
-- "SALT STS001/STS001 replication code.txt") to DuckDB, one statement for each T-SQL
-- statement, in the code's order and with the code's table names (without '#'). Written
-- from the T-SQL alone, never from openasc's catalogue SQL; tests/salt_port/port.py runs it.
-- Substitutions (port.py): {start}/{end} = @StartDate/@EndDate and the literal period dates;
-- {today} = GETDATE(); the ImportDate window literal ('2024-02-01') is dropped (every loaded
-- submission is in the window). The session runs with a case-insensitive default collation,
-- as SQL Server's default collation is. A LAG over tied start dates has no defined order in
-- T-SQL; the port breaks ties by end date (NULL first, SQL Server's ascending order), then
-- record id (the only column added to the code's tables: sequel_record_id).

-- lines 20-50: #REF_SEQUEL_MAPPING
CREATE OR REPLACE TEMP TABLE REF_SEQUEL_MAPPING (Event_Outcome VARCHAR, Mapping_Code INT,
    Mapping_Description VARCHAR);
INSERT INTO REF_SEQUEL_MAPPING VALUES
 ('Progress to Reablement/ST-Max', 2, 'Unable_To_Classify')
,('Progress to Assessment', 2, 'Unable_To_Classify')
,('Admitted to hospital', 2, 'Unable_To_Classify')
,('Progress to Re-assessment / Unplanned Review', 2, 'Unable_To_Classify')
,('Progress to Support Planning / Services', 2, 'Unable_To_Classify')
,('Progress to End of Life Care', 1, 'End of Life')
,('No change in package', 2, 'Unable_To_Classify')
,('Service ended as planned', 2, 'Unable_To_Classify')
,('NFA - Moved to another LA', 1, 'No Services Provided - other reason')
,('NFA - 100% NHS funded care', 1, '100% NHS Funded Care')
,('NFA - Self-funded client (Inc. 12wk disregard)', 1, 'No Services Provided - other reason')
,('NFA - Support declined', 1, 'No Services Provided - other reason')
,('NFA - Information & Advice / Signposting only', 1, 'Universal Services/ Signposted to other services')
,('NFA - Deceased', 1, 'No Services Provided - Deceased')
,('NFA - No services offered: Other reason', 1, 'No Services Provided - other reason')
,('NFA - Support ended: Other reason', 1, 'No Services Provided - other reason')
,('Progress to financial assessment', 2, 'Unable_To_Classify')
,('Provision of service', 2, 'Unable_To_Classify')
,('NFA- Other', 1, 'No Services Provided - other reason');

-- lines 58-77: #REF_Service_Type
CREATE OR REPLACE TEMP TABLE REF_Service_Type (Service_Type VARCHAR, Sort_Order INT,
    Hierarchy INT);
INSERT INTO REF_Service_Type VALUES
 ('Short Term Support: ST-Max', 1, 1)
,('Long Term Support: Nursing Care', 2, 2)
,('Long Term Support: Residential Care', 3, 3)
,('Long Term Support: Community', 4, 4)
,('Long Term Support: Prison', 5, 5)
,('Short Term Support: Ongoing Low Level', 6, 6)
,('Short Term Support: Other Short Term', 7, 7);

-- lines 85-114: #REF_Event_Outcome_Hierarchy (spellings as the code has them)
CREATE OR REPLACE TEMP TABLE REF_Event_Outcome_Hierarchy (Event_Outcome VARCHAR,
    Event_Outcome_Hierarchy INT);
INSERT INTO REF_Event_Outcome_Hierarchy VALUES
 ('Progress to Reablement/ST-Max', 1)
,('Progress to Assessment', 2)
,('Admitted to Hospital', 3)
,('Progress to Re-assessment / Unplanned Review', 4)
,('Progress to Support Planning / Services', 5)
,('Progress to End of Life Care', 6)
,('No change in package', 7)
,('Service ended as planned', 8)
,('Progress to financial assessment', 9)
,('Provision of service', 10)
,('NFA - Deceased', 11)
,('NFA - Moved to another LA', 12)
,('NFA - 100% NHS-funded care', 13)
,('NFA - Information & Advice / Signposting only', 14)
,('NFA - Self-funded client (inc. 12wk disregard)', 15)
,('NFA - Support declined', 16)
,('NFA - Support ended – other reason', 17)
,('NFA - No services offered - other reason', 18)
,('NFA- Other', 19);

-- lines 133-144: #ALL_EVENTS_BUILD
CREATE OR REPLACE TEMP TABLE ALL_EVENTS_BUILD AS
SELECT *,
       make_date(Der_Birth_Year, Der_Birth_Month, 1) AS Der_DOB,
       floor(date_diff('day', make_date(Der_Birth_Year, Der_Birth_Month, 1), DATE '{end}')
             / 365.25) AS Der_Age_EndDate
FROM CLD_R1_Raw
WHERE Event_Type IN ('Service', 'Request', 'Review', 'Assessment')
  AND Event_Start_Date <= DATE '{end}'
  AND (Der_Birth_Month IS NOT NULL AND Der_Birth_Year IS NOT NULL)
  AND (Date_of_Death >= DATE '{start}' OR Date_of_Death IS NULL)
  AND Client_Type = 'Service User';

-- lines 152-198: the amalgamated NHS/LA identifier
CREATE OR REPLACE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo,
       Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM ALL_EVENTS_BUILD WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL;
CREATE OR REPLACE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo,
       a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM ALL_EVENTS_BUILD a
LEFT JOIN uniquenhs b
  ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
  AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL;
CREATE OR REPLACE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source
FROM missingnhs;
ALTER TABLE ALL_EVENTS_BUILD ADD COLUMN ID VARCHAR;
UPDATE ALL_EVENTS_BUILD a SET ID = b.ID FROM FINAL b
WHERE a.Der_Unique_Record_ID = b.Der_Unique_Record_ID;
DELETE FROM ALL_EVENTS_BUILD WHERE ID IS NULL;

-- lines 215-237: latest version of each request
CREATE OR REPLACE TEMP TABLE REQUESTS_WITH_CONC AS
SELECT *, concat(LA_CODE, ID, CLIENT_TYPE, EVENT_START_DATE, Request_Route_of_Access)
          AS CONC
FROM ALL_EVENTS_BUILD WHERE Event_Type = 'Request';
CREATE OR REPLACE TEMP TABLE REQUESTS_LATEST AS
SELECT * FROM (SELECT *, dense_rank() OVER (PARTITION BY CONC ORDER BY ImportDate DESC) AS RN
               FROM REQUESTS_WITH_CONC) a
WHERE RN = 1;

-- lines 243-263: latest version of each service
CREATE OR REPLACE TEMP TABLE SERVICES_WITH_CONC AS
SELECT *, concat(LA_CODE, ID, CLIENT_TYPE, EVENT_START_DATE, Service_Type, Service_Component,
                 Delivery_Mechanism) AS CONC
FROM ALL_EVENTS_BUILD WHERE Event_Type = 'Service';
CREATE OR REPLACE TEMP TABLE SERVICES_LATEST AS
SELECT * FROM (SELECT *, dense_rank() OVER (PARTITION BY CONC ORDER BY ImportDate DESC) AS RN
               FROM SERVICES_WITH_CONC) a
WHERE RN = 1;

-- lines 270-285: #ALL_EVENTS (UNION: distinct whole rows)
CREATE OR REPLACE TEMP TABLE ALL_EVENTS AS
SELECT * FROM REQUESTS_LATEST
UNION
SELECT * FROM SERVICES_LATEST
UNION
SELECT *, '99' AS CONC, 99 AS RN FROM ALL_EVENTS_BUILD WHERE Event_Type NOT IN ('Service', 'Request');

-- lines 302-314: #REQUESTS_BUILD (open requests end today)
CREATE OR REPLACE TEMP TABLE REQUESTS_BUILD AS
SELECT LA_CODE, ID, Der_Age_EndDate, Event_Start_Date,
       CASE WHEN Event_End_Date IS NULL THEN DATE '{today}' ELSE Event_End_Date END
           AS Event_End_Date,
       Request_Route_of_Access, Event_Outcome
FROM ALL_EVENTS WHERE Event_Type = 'Request';

-- lines 333-360: islands of requests (4 days)
CREATE OR REPLACE TEMP TABLE REQUESTS_With_Count AS
SELECT DISTINCT a.*, Islands.IslandId AS REQUEST_COUNT,
       min(a.Event_Start_Date) OVER (PARTITION BY a.LA_CODE, a.ID, Islands.IslandId)
           AS MIN_START_DATE
FROM REQUESTS_BUILD a
INNER JOIN (
    SELECT *,
           CASE WHEN PreviousEndDate >= Event_Start_Date - INTERVAL 4 DAY THEN 0 ELSE 1 END
               AS IslandStartInd,
           sum(CASE WHEN PreviousEndDate >= Event_Start_Date - INTERVAL 4 DAY THEN 0 ELSE 1 END)
               OVER (PARTITION BY LA_CODE, ID ORDER BY ID, DRN) AS IslandId
    FROM (SELECT dense_rank() OVER (PARTITION BY LA_CODE, ID
                                    ORDER BY Event_Start_Date, Event_End_Date) AS DRN,
                 LA_CODE, ID, Event_Start_Date, Event_End_Date,
                 lag(Event_End_Date, 1) OVER (PARTITION BY LA_CODE, ID
                                              ORDER BY Event_Start_Date, Event_End_Date)
                     AS PreviousEndDate
          FROM REQUESTS_BUILD) Groups
) Islands
  ON a.ID = Islands.ID AND a.Event_Start_Date = Islands.Event_Start_Date
 AND a.Event_End_Date = Islands.Event_End_Date;

-- lines 372-384: #REQUESTS (latest end inside the period)
CREATE OR REPLACE TEMP TABLE REQUESTS AS
SELECT DISTINCT LA_CODE, ID, Der_Age_EndDate, MIN_START_DATE AS Cluster_Start_Date,
       Event_End_Date AS Cluster_End_Date, Request_Route_of_Access, Event_Outcome, REQUEST_COUNT
FROM (SELECT *, dense_rank() OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT
                                   ORDER BY Event_End_Date DESC) AS RN
      FROM REQUESTS_With_Count
      WHERE Event_End_Date BETWEEN DATE '{start}' AND DATE '{end}') a
WHERE RN = 1;

-- lines 395-416: #Service_Events
CREATE OR REPLACE TEMP TABLE Service_Events AS
SELECT LA_Code, ID, Service_Type, Event_Start_Date, Event_End_Date
FROM ALL_EVENTS
WHERE Service_Type IN ('Long Term Support: Nursing Care', 'Long Term Support: Residential Care',
                       'Long Term Support: Community', 'Long Term Support: Prison')
GROUP BY LA_Code, ID, Service_Type, Event_Start_Date, Event_End_Date;

-- lines 421-441: #ONGOING
CREATE OR REPLACE TEMP TABLE ONGOING AS
SELECT LA_CODE, ID, Cluster_Start_Date, Cluster_End_Date, Request_Route_of_Access,
       Event_Outcome, REQUEST_COUNT
FROM (SELECT a.*, b.ID AS Service_ID,
             CASE WHEN a.Cluster_Start_Date BETWEEN b.Event_Start_Date AND b.Event_End_Date
                      THEN 1
                  WHEN a.Cluster_Start_Date >= b.Event_Start_Date AND b.Event_End_Date IS NULL
                      THEN 1
                  ELSE 0 END AS Service_Flag
      FROM REQUESTS a LEFT JOIN Service_Events b ON a.ID = b.ID AND a.LA_Code = b.LA_Code
      WHERE b.ID IS NOT NULL) x
WHERE Service_Flag = 1;

-- lines 447-454: #REQUESTS_NEW_CLIENTS
CREATE OR REPLACE TEMP TABLE REQUESTS_NEW_CLIENTS AS
SELECT a.* FROM REQUESTS a
LEFT JOIN ONGOING b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date
 AND a.Request_Route_of_Access = b.Request_Route_of_Access AND a.Event_Outcome = b.Event_Outcome
 AND a.REQUEST_COUNT = b.REQUEST_COUNT
WHERE b.ID IS NULL;

-- lines 470-477: hierarchy of outcomes
CREATE OR REPLACE TEMP TABLE EVENT_OUTCOME_HIERARCHY AS
SELECT a.*, CASE WHEN b.Event_Outcome_Hierarchy IS NULL THEN 99
                 ELSE b.Event_Outcome_Hierarchy END AS Event_Outcome_Hierarchy
FROM REQUESTS_NEW_CLIENTS a
LEFT JOIN REF_Event_Outcome_Hierarchy b ON a.Event_Outcome = b.Event_Outcome;

-- lines 482-494: #REQUESTS_NEW_CLIENTS_DeDupe
CREATE OR REPLACE TEMP TABLE REQUESTS_NEW_CLIENTS_DeDupe AS
SELECT a.* FROM EVENT_OUTCOME_HIERARCHY a
INNER JOIN (SELECT *, dense_rank() OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT
                                         ORDER BY Event_Outcome_Hierarchy ASC) AS RN
            FROM EVENT_OUTCOME_HIERARCHY) b
  ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT
 AND a.Request_Route_of_Access = b.Request_Route_of_Access
 AND a.Event_Outcome_Hierarchy = b.Event_Outcome_Hierarchy
WHERE b.RN = 1;

-- lines 510-521: #REQUEST_SEQUELS
CREATE OR REPLACE TEMP TABLE REQUEST_SEQUELS AS
SELECT a.*, b.LA_CODE AS Sequel_LA_Code, b.ID AS Sequel_ID,
       b.Event_Start_Date AS Sequel_Event_Start_Date, b.Event_End_Date AS Sequel_Event_End_Date,
       b.Event_Type AS Sequel_Event_Type, b.Service_Type AS Sequel_Service_Type,
       b.Service_Component AS Sequel_Service_Component, b.Event_Outcome AS Sequel_Event_Outcome,
       b.Der_Unique_Record_ID AS sequel_record_id,
       dense_rank() OVER (PARTITION BY a.LA_CODE, a.ID, a.REQUEST_COUNT
                          ORDER BY b.Event_Start_Date) AS Rn
FROM REQUESTS_NEW_CLIENTS_DeDupe a
LEFT JOIN ALL_EVENTS b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
WHERE b.Event_Start_Date >= a.Cluster_End_Date;

-- lines 527-530
DELETE FROM REQUEST_SEQUELS
WHERE Sequel_Event_Type = 'Request' AND Cluster_Start_Date = Sequel_Event_Start_Date
   OR Sequel_Event_Type = 'Request' AND Cluster_End_Date = Sequel_Event_End_Date;

-- lines 541-560: requests with no further chronology
CREATE OR REPLACE TEMP TABLE NO_SEQUEL_CHRONOLOGY AS
SELECT a.* FROM REQUESTS_NEW_CLIENTS_DeDupe a
LEFT JOIN REQUEST_SEQUELS b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date
 AND a.Event_Outcome = b.Event_Outcome AND a.REQUEST_COUNT = b.REQUEST_COUNT
WHERE b.LA_CODE IS NULL;

-- lines 567-604: #STS001 and record type 1
CREATE OR REPLACE TEMP TABLE STS001 (LA_CODE VARCHAR, ID VARCHAR, AGE VARCHAR,
    ROUTE_Of_ACCESS VARCHAR, FINAL_OUTCOME VARCHAR, FINAL_OUTCOME_MAPPED VARCHAR,
    Record_Type INT);
INSERT INTO STS001
SELECT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access,
       'No_Chronology_' || a.Event_Outcome, 'No_Chronology_' || b.Mapping_Description, 1
FROM NO_SEQUEL_CHRONOLOGY a LEFT JOIN REF_SEQUEL_MAPPING b ON a.Event_Outcome = b.Event_Outcome
WHERE b.Mapping_Description IS NOT NULL;
INSERT INTO STS001
SELECT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access,
       'No_Chronology_' || a.Event_Outcome, 'No_Chronology_Unable_To_Classify', 1
FROM NO_SEQUEL_CHRONOLOGY a LEFT JOIN REF_SEQUEL_MAPPING b ON a.Event_Outcome = b.Event_Outcome
WHERE b.Mapping_Description IS NULL;

-- lines 623-650: #CLUSTER
CREATE OR REPLACE TEMP TABLE CLUSTER AS
WITH Create_Cluster AS (
    SELECT *,
           CASE WHEN date_diff('day',
                     lag(Sequel_Event_End_Date) OVER (
                         PARTITION BY LA_Code, ID, REQUEST_COUNT
                         ORDER BY Sequel_Event_Start_Date,
                                  Sequel_Event_End_Date ASC NULLS FIRST, sequel_record_id),
                     Sequel_Event_Start_Date) > 3 THEN 0 ELSE 1 END AS Flag
    FROM REQUEST_SEQUELS
)
SELECT *, min(In_Chain) OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT
                              ORDER BY Sequel_Event_Start_Date) AS In_Scope
FROM (SELECT *,
             CASE WHEN Sequel_Event_End_Date IS NULL AND Rn = 1 THEN 1
                  WHEN date_diff('day', Cluster_End_Date, Sequel_Event_Start_Date) > 28
                       AND Rn = 1 THEN 0
                  ELSE min(Flag) OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT
                                       ORDER BY Sequel_Event_Start_Date) END AS In_Chain
      FROM Create_Cluster) x;

-- lines 663-681: #REQUESTS_WITH_BREAKS
CREATE OR REPLACE TEMP TABLE REQUESTS_WITH_BREAKS AS
SELECT b.*, CASE WHEN c.Hierarchy IS NULL THEN 99 ELSE c.Hierarchy END AS Hierarchy
FROM (SELECT *, min(Request_Break) OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT
                                         ORDER BY Sequel_Event_Start_Date) AS Cluster_No_Request
      FROM (SELECT *, CASE WHEN Sequel_Event_Type ILIKE 'Request' THEN 0 ELSE 1 END
                          AS Request_Break
            FROM CLUSTER) a) b
LEFT JOIN REF_Service_Type c ON b.Sequel_Service_Type = c.Service_Type
WHERE b.In_Scope = 1 AND b.Cluster_No_Request = 1;

-- lines 690-703: #FIND_NEXT_SERVICES
CREATE OR REPLACE TEMP TABLE FIND_NEXT_SERVICES AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access,
       a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome, a.REQUEST_COUNT,
       a.Sequel_Service_Type AS FINAL_OUTCOME
FROM REQUESTS_WITH_BREAKS a
INNER JOIN (SELECT LA_CODE, ID, REQUEST_COUNT, min(Hierarchy) AS Cluster_Outcome
            FROM REQUESTS_WITH_BREAKS GROUP BY LA_CODE, ID, REQUEST_COUNT) b
  ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT
 AND a.Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome != 99;

-- lines 714-729: the STS002a cohort
CREATE OR REPLACE TEMP TABLE SALT_STS002a_Cohort AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome,
       a.REQUEST_COUNT, a.Sequel_Event_Start_Date, a.Sequel_Service_Type AS FINAL_OUTCOME
FROM REQUESTS_WITH_BREAKS a
INNER JOIN (SELECT LA_CODE, ID, REQUEST_COUNT, min(Hierarchy) AS Cluster_Outcome
            FROM REQUESTS_WITH_BREAKS GROUP BY LA_CODE, ID, REQUEST_COUNT) b
  ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT
 AND a.Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome != 99 AND a.Sequel_Service_Type = 'Short Term Support: ST-Max';

-- lines 734-740: record type 2
INSERT INTO STS001
SELECT LA_CODE, ID, Der_Age_EndDate, Request_Route_of_Access, FINAL_OUTCOME, FINAL_OUTCOME, 2
FROM FIND_NEXT_SERVICES;

-- lines 754-771: #FIND_NEXT_OTHER
CREATE OR REPLACE TEMP TABLE FIND_NEXT_OTHER AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access,
       a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome, a.REQUEST_COUNT,
       a.Sequel_Event_Type, a.Sequel_Event_Start_Date, a.Sequel_Event_End_Date,
       a.Sequel_Event_Outcome,
       dense_rank() OVER (PARTITION BY a.LA_CODE, a.ID, a.REQUEST_COUNT
                          ORDER BY a.Sequel_Event_End_Date DESC NULLS LAST) AS Rn
FROM REQUESTS_WITH_BREAKS a
INNER JOIN (SELECT LA_CODE, ID, REQUEST_COUNT, min(Hierarchy) AS Cluster_Outcome
            FROM REQUESTS_WITH_BREAKS GROUP BY LA_CODE, ID, REQUEST_COUNT) b
  ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT
 AND a.Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome = 99;

-- lines 778-793: #FIND_NEXT_OTHER_NFA
CREATE OR REPLACE TEMP TABLE FIND_NEXT_OTHER_NFA AS
SELECT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access, a.Cluster_Start_Date,
       a.Cluster_End_Date, a.REQUEST_COUNT, a.Sequel_Event_Outcome,
       count(a.ID) OVER (PARTITION BY a.LA_CODE, a.ID, a.REQUEST_COUNT) AS NFA_Count
FROM FIND_NEXT_OTHER a
INNER JOIN (SELECT LA_CODE, ID, REQUEST_COUNT, min(Rn) AS Cluster_Outcome
            FROM FIND_NEXT_OTHER a
            LEFT JOIN REF_SEQUEL_MAPPING b ON a.Sequel_Event_Outcome = b.Event_Outcome
            WHERE b.Mapping_Code = 1
            GROUP BY LA_CODE, ID, REQUEST_COUNT) b
  ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT
 AND a.Rn = b.Cluster_Outcome;

-- lines 800-811: record type 3
INSERT INTO STS001
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access,
       CASE WHEN NFA_Count = 1 THEN a.Sequel_Event_Outcome ELSE 'NFA- Other' END,
       CASE WHEN NFA_Count = 1 THEN b.Mapping_Description
            ELSE 'No Services Provided - other reason' END,
       3
FROM FIND_NEXT_OTHER_NFA a
LEFT JOIN REF_SEQUEL_MAPPING b ON a.Sequel_Event_Outcome = b.Event_Outcome;

-- lines 819-841: record type 4
CREATE OR REPLACE TEMP TABLE FIND_NEXT_OTHER_No_Outcome AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access,
       a.REQUEST_COUNT, a.Event_Outcome
FROM FIND_NEXT_OTHER a
LEFT JOIN FIND_NEXT_OTHER_NFA b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.REQUEST_COUNT = b.REQUEST_COUNT
WHERE b.LA_CODE IS NULL;
INSERT INTO STS001
SELECT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access,
       'No Service Found_' || a.Event_Outcome,
       CASE WHEN b.Mapping_Code = 1 THEN 'No Service Found_' || b.Mapping_Description
            ELSE 'No Service Found' END,
       4
FROM FIND_NEXT_OTHER_No_Outcome a
LEFT JOIN REF_SEQUEL_MAPPING b ON a.Event_Outcome = b.Event_Outcome;

-- lines 858-879: record type 5
CREATE OR REPLACE TEMP TABLE FIND_NEXT_OUT_OF_SCOPE AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access,
       a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome
FROM CLUSTER a
LEFT JOIN REQUESTS_WITH_BREAKS b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date
 AND a.Event_Outcome = b.Event_Outcome
WHERE b.LA_CODE IS NULL;
INSERT INTO STS001
SELECT LA_CODE, ID, Der_Age_EndDate, Request_Route_of_Access,
       'No_Chronology_' || a.Event_Outcome, 'No_Chronology_' || b.Mapping_Description, 5
FROM FIND_NEXT_OUT_OF_SCOPE a
LEFT JOIN REF_SEQUEL_MAPPING b ON a.Event_Outcome = b.Event_Outcome;
