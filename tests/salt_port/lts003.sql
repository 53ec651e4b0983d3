-- TEST ORACLE, not product code. An independent port of NHS England's published LTS003
-- replication code ("SALT LTS003/LTS003 replication code.txt"), statement by statement.
-- Its product is carers by type of support (its age-band query needs fields the published
-- #LTS003 table does not carry). Same substitutions and collation as sts001.sql.

CREATE OR REPLACE TEMP TABLE REF_CARER_SUPPORT_HIERARCHY (Support_Provided VARCHAR,
    Sort_Order INT, Hierarchy INT);
INSERT INTO REF_CARER_SUPPORT_HIERARCHY VALUES
 ('Direct Payment only', 1, 1)
,('CASSR Managed Personal Budget', 2, 2)
,('CASSR Commissioned Support only', 3, 3)
,('Support Direct to Carer: Unknown Delivery Mech', 4, 4)
,('Information, Advice and Other Universal Services / Signposting', 5, 5)
,('No Direct Support Provided to Carer', 6, 6);

CREATE OR REPLACE TEMP TABLE Latest_Submission AS
SELECT DISTINCT LA_Name, ImportDate
FROM (SELECT *, row_number() OVER (PARTITION BY LA_Name, LA_Code ORDER BY ImportDate DESC) AS rw
      FROM (SELECT LA_Name, LA_Code, ImportDate,
                   min(Reporting_Period_Start_Date) AS Reporting_Period_Start_Date,
                   max(Reporting_Period_End_Date) AS Reporting_Period_End_Date
            FROM CLD_R1_Raw WHERE LA_Name IS NOT NULL
            GROUP BY LA_Name, LA_Code, ImportDate) a
      WHERE Reporting_Period_Start_Date <= DATE '{start}'
        AND Reporting_Period_End_Date >= DATE '{end}'
        AND ImportDate > DATE '{end}') b
WHERE rw = 1;

CREATE OR REPLACE TEMP TABLE LTS003_Build AS
SELECT a.*
FROM CLD_R1_Raw a
INNER JOIN Latest_Submission b ON a.LA_Name = b.LA_Name AND a.ImportDate = b.ImportDate
WHERE Client_Type IN ('Carer', 'Carer known by association')
  AND Event_Start_Date <= DATE '{end}'
  AND (Event_End_Date >= DATE '{start}' OR Event_End_Date IS NULL)
  AND (Date_of_Death >= DATE '{start}' OR Date_of_Death IS NULL)
  AND Event_Type IN ('Request', 'Assessment', 'Service', 'Review')
  AND ((Service_Type IS NULL AND Event_Outcome = 'NFA - Information & Advice / Signposting only')
       OR (Service_Type = 'Carer Support: Direct to Carer'
           OR Service_Type = 'Carer Support: Support involving the person cared-for')
       OR ((Event_Type = 'Assessment' OR Event_Type = 'Review') AND Service_Type IS NULL));

CREATE OR REPLACE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo,
       Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM LTS003_Build WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL;
CREATE OR REPLACE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo,
       a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM LTS003_Build a
LEFT JOIN uniquenhs b
  ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
  AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL;
CREATE OR REPLACE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source
FROM missingnhs;
ALTER TABLE LTS003_Build ADD COLUMN ID VARCHAR;
UPDATE LTS003_Build a SET ID = b.ID FROM FINAL b
WHERE a.Der_Unique_Record_ID = b.Der_Unique_Record_ID;
DELETE FROM LTS003_Build WHERE ID IS NULL;

CREATE OR REPLACE TEMP TABLE LTS003_CASE AS
SELECT *,
       CASE
       WHEN Service_Type = 'Carer Support: Direct to Carer' AND Delivery_Mechanism = 'Direct Payment' THEN 'Direct Payment only'
       WHEN Service_Type = 'Carer Support: Direct to Carer' AND Delivery_Mechanism = 'CASSR Managed Personal Budget' THEN 'CASSR Managed Personal Budget'
       WHEN Service_Type = 'Carer Support: Direct to Carer' AND Delivery_Mechanism = 'CASSR Commissioned support' THEN 'CASSR Commissioned Support only'
       WHEN Service_Type = 'Carer Support: Direct to Carer' AND Delivery_Mechanism NOT IN ('Direct Payment', 'CASSR Managed Personal Budget', 'CASSR Commissioned support') THEN 'Support Direct to Carer: Unknown Delivery Mech'
       WHEN Service_Type = 'Carer Support: Direct to Carer' AND Delivery_Mechanism IS NULL THEN 'Support Direct to Carer: Unknown Delivery Mech'
       WHEN Service_Type = 'Carer Support: Support involving the person cared-for' THEN 'No Direct Support Provided to Carer'
       WHEN Event_Type IN ('Assessment', 'Review') AND Event_Outcome NOT ILIKE 'NFA - Information & Advice / Signposting only' THEN 'No Direct Support Provided to Carer'
       WHEN Event_Type IN ('Assessment', 'Review') AND Event_Outcome IS NULL THEN 'No Direct Support Provided to Carer'
       WHEN Event_Type IN ('Assessment', 'Review') AND Event_Outcome = 'NFA - Information & Advice / Signposting only' THEN 'Information, Advice and Other Universal Services / Signposting'
       WHEN Event_Type = 'Request' THEN 'Information, Advice and Other Universal Services / Signposting'
       END AS Support_Provided
FROM LTS003_Build;

CREATE OR REPLACE TEMP TABLE LTS003_JOIN AS
SELECT a.*, b.Hierarchy FROM LTS003_CASE a
LEFT JOIN REF_CARER_SUPPORT_HIERARCHY b ON a.Support_Provided = b.Support_Provided;

CREATE OR REPLACE TEMP TABLE LTS003 AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Support_Provided
FROM LTS003_JOIN a
INNER JOIN (SELECT LA_Code, ID, min(Hierarchy) AS RANK FROM LTS003_JOIN GROUP BY LA_Code, ID) b
  ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b.RANK;
