-- TEST ORACLE, not product code. An independent port of NHS England's published LTS001a,
-- LTS001b and LTS001c replication code (tables 1a and 1b: PSR x setting and mechanism by
-- age band), statement by statement. The three scripts share every statement but the
-- build filter and LTS001c's chain: port.py fills {build_filter} and {chain} per script
-- ({snapshot} = @EndDate / @SnapshotDate, {start} = @StartDate, {year_before} = the
-- snapshot less a year, the code's literal '2022-12-31' for a 2023-12-31 snapshot).
-- Same substitutions and collation as sts001.sql.

-- #REF_Service_Type_Delivery_Mech
CREATE OR REPLACE TEMP TABLE REF_Service_Type_Delivery_Mech (Service_Type VARCHAR,
    Delivery_Mechanism VARCHAR, SALT_Category VARCHAR, SALT_Broad_Category VARCHAR,
    Sort_Order INT, Hierarchy INT);
INSERT INTO REF_Service_Type_Delivery_Mech VALUES
 ('Long Term Support: Nursing Care', '', 'Nursing', 'Nursing', 1, 1)
,('Long Term Support: Residential Care', '', 'Residential', 'Residential', 2, 2)
,('Long Term Support: Community', 'Direct Payment', 'Community: Direct Payment', 'Community', 3, 3)
,('Long Term Support: Community', 'CASSR Managed Personal Budget', 'Community: CASSR Managed Personal Budget', 'Community', 4, 4)
,('Long Term Support: Community', 'CASSR Commissioned Support', 'Community: CASSR Commissioned Support', 'Community', 5, 5)
,('Long Term Support: Community', '', 'Community', 'Community', 6, 6)
,('Long Term Support: Prison', 'CASSR Managed Personal Budget', 'Prison: CASSR Managed Personal Budget', 'Prison', 7, 7)
,('Long Term Support: Prison', 'CASSR Commissioned Support', 'Prison: CASSR Commissioned Support', 'Prison', 8, 8)
,('Long Term Support: Prison', '', 'Prison', 'Prison', 9, 9);

-- #Latest_Submission (the import-date upper limit, a date the user types, is dropped)
CREATE OR REPLACE TEMP TABLE Latest_Submission AS
SELECT DISTINCT LA_Name, ImportDate
FROM (SELECT *, row_number() OVER (PARTITION BY LA_Name, LA_Code ORDER BY ImportDate DESC) AS rw
      FROM (SELECT LA_Name, LA_Code, ImportDate,
                   min(Reporting_Period_Start_Date) AS Reporting_Period_Start_Date,
                   max(Reporting_Period_End_Date) AS Reporting_Period_End_Date
            FROM CLD_R1_Raw WHERE LA_Name IS NOT NULL
            GROUP BY LA_Name, LA_Code, ImportDate) a
      WHERE Reporting_Period_Start_Date <= DATE '{start}'
        AND Reporting_Period_End_Date >= DATE '{snapshot}'
        AND ImportDate > DATE '{snapshot}') b
WHERE rw = 1;

-- #LTS001x_Build
CREATE OR REPLACE TEMP TABLE LTS_Build AS
SELECT a.*,
       floor(date_diff('day', make_date(Der_Birth_Year, Der_Birth_Month, 1), DATE '{snapshot}')
             / 365.25) AS Der_Age,
       CASE WHEN Primary_Support_Reason = 'Unknown' OR Primary_Support_Reason IS NULL THEN 0
            ELSE 1 END AS Der_PSR_Known
FROM CLD_R1_Raw a
INNER JOIN Latest_Submission b ON a.LA_Name = b.LA_Name AND a.ImportDate = b.ImportDate
WHERE Service_Type IN ('Long Term Support: Nursing Care', 'Long Term Support: Residential Care',
                       'Long Term Support: Community', 'Long Term Support: Prison')
  AND Client_Type = 'Service User'
  AND {build_filter}
  AND (Der_Birth_Month IS NOT NULL AND Der_Birth_Year IS NOT NULL);

-- the amalgamated NHS/LA identifier
CREATE OR REPLACE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo,
       Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM LTS_Build WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL;
CREATE OR REPLACE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo,
       a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM LTS_Build a
LEFT JOIN uniquenhs b
  ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
  AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL;
CREATE OR REPLACE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source
FROM missingnhs;
ALTER TABLE LTS_Build ADD COLUMN ID VARCHAR;
UPDATE LTS_Build a SET ID = b.ID FROM FINAL b
WHERE a.Der_Unique_Record_ID = b.Der_Unique_Record_ID;
DELETE FROM LTS_Build WHERE ID IS NULL;

-- #LTS001x_Raw ({chain}: LTS001c's islands of long-term support and its filter; else all)
CREATE OR REPLACE TEMP TABLE LTS_Raw AS {chain};

-- blank an invalid or unexpected delivery mechanism
UPDATE LTS_Raw SET Delivery_Mechanism = '' WHERE NOT EXISTS (
    SELECT 1 FROM REF_Service_Type_Delivery_Mech b
    WHERE trim(LTS_Raw.Service_Type) = trim(b.Service_Type)
      AND trim(LTS_Raw.Delivery_Mechanism) = trim(b.Delivery_Mechanism)
      AND LTS_Raw.Service_Type IN ('Long Term Support: Community', 'Long Term Support: Prison'));

-- tables 1a (18-64) and 1b (65+): the same statements on each age band
CREATE OR REPLACE TEMP TABLE T AS
SELECT a.*, b.Sort_Order, b.Hierarchy,
       CASE WHEN a.Der_Age BETWEEN 18 AND 64 THEN '18 to 64' ELSE '65 and above' END AS age_table
FROM LTS_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type)
 AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism)
WHERE a.Der_Age BETWEEN 18 AND 64 OR a.Der_Age > 64;
CREATE OR REPLACE TEMP TABLE T_MinRank AS
SELECT age_table, LA_Code, ID, min(Hierarchy) AS RANK FROM T GROUP BY age_table, LA_Code, ID;
CREATE OR REPLACE TEMP TABLE T_PSR_Known AS
SELECT a.age_table, a.LA_Code, b.ID, b.RANK, max(Der_PSR_Known) AS MaxPSRKnown
FROM T a LEFT JOIN T_MinRank b ON a.age_table = b.age_table AND a.LA_CODE = b.LA_CODE
 AND a.ID = b.ID AND a.Hierarchy = b.RANK
WHERE b.ID IS NOT NULL
GROUP BY a.age_table, a.LA_Code, b.ID, b.RANK;
CREATE OR REPLACE TEMP TABLE T_COMBINED AS
SELECT a.age_table, a.LA_Code, b.ID, RANK, MaxPSRKnown, max(Event_Start_Date) AS MaxDate
FROM T a LEFT JOIN T_PSR_Known b ON a.age_table = b.age_table AND a.LA_CODE = b.LA_CODE
 AND a.ID = b.ID AND a.Hierarchy = b.RANK AND a.Der_PSR_Known = b.MaxPSRKnown
WHERE b.ID IS NOT NULL
GROUP BY a.age_table, a.LA_Code, b.ID, RANK, MaxPSRKnown;
CREATE OR REPLACE TEMP TABLE T_Final_Staging AS
SELECT a.age_table, a.LA_CODE, b.Primary_Support_Reason, b.Service_Type, b.Delivery_Mechanism, a.ID
FROM T_COMBINED a LEFT JOIN T b ON a.age_table = b.age_table AND a.LA_Code = b.LA_CODE
 AND a.ID = b.ID AND a.RANK = b.Hierarchy AND a.MaxPSRKnown = b.Der_PSR_Known
 AND a.MaxDate = b.Event_Start_Date
GROUP BY a.age_table, a.LA_CODE, b.Primary_Support_Reason, b.Service_Type, b.Delivery_Mechanism, a.ID;
CREATE OR REPLACE TEMP TABLE T_PSR_Duplicates AS
SELECT age_table, LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS COUNT
FROM T_Final_Staging GROUP BY age_table, LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1;
CREATE OR REPLACE TEMP TABLE T_Final AS
SELECT DISTINCT a.age_table, a.LA_CODE,
       CASE WHEN b.COUNT IS NOT NULL THEN 'Unknown' ELSE a.Primary_Support_Reason END
           AS Primary_Support_Reason,
       a.Service_Type, a.Delivery_Mechanism, a.ID
FROM T_Final_Staging a LEFT JOIN T_PSR_Duplicates b ON a.age_table = b.age_table
 AND a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type
 AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID;
