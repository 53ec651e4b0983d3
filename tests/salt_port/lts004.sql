-- TEST ORACLE, not product code. An independent port of NHS England's published LTS004
-- replication code (tables 1, 2a, 2b and their NULL/Invalid counts), statement by statement
-- ("Lnnn": line of "SALT LTS004/LTS004 replication code.txt"). {start} = @StartDate,
-- {end} = @EndDate; the reference lists in Release 1 spelling (port.py puts the data back
-- into it). Tables 2a/2b share one build (L388-478). Same collation as sts001.sql.

-- #REF_Employment_Status (L19-37)
CREATE OR REPLACE TEMP TABLE REF_Employment_Status (Employment_Status VARCHAR,
    Employment_Status_Group INT, Employment_Sort_Order INT);
INSERT INTO REF_Employment_Status VALUES
 ('Paid: Less than 16 hours a week',1,1)
,('Paid: 16 or more hours a week',1,2)
,('Paid: Hours per week unknown',1,3)
,('Not in Paid Employment (seeking work)',0,4)
,('Not in Paid Employment (not actively seeking work / retired)',0,5)
,('Not in Paid Employment (voluntary work only)',0,6)
,('Unknown',0,7);

-- #REF_Accommodation_Status (L44-74)
CREATE OR REPLACE TEMP TABLE REF_Accommodation_Status (Accommodation_Status VARCHAR,
    Accommodation_Status_Group INT, Accommodation_Sort_Order INT);
INSERT INTO REF_Accommodation_Status VALUES
 ('Owner occupier or shared ownership scheme',1,1)
,('Tenant',1,2)
,('Tenant - private landlord',1,3)
,('Settled mainstream housing with family / friends',1,4)
,('Supported accommodation / supported lodgings / supported group home',1,5)
,('Shared Lives scheme',1,6)
,('Approved premises for offenders released from prison or under probation supervision',1,7)
,('Sheltered housing / extra care housing / other sheltered housing',1,8)
,('Mobile accommodation for Gypsy / Roma and Traveller communities',1,9)
,('Rough sleeper / squatting',0,10)
,('Night shelter / emergency hostel / direct access hostel',0,11)
,('Refuge',0,12)
,('Placed in temporary accommodation by the council (inc. homelessness resettlement)',0,13)
,('Staying with family / friends as a short-term guest',0,14)
,('Acute / long-term healthcare residential facility or hospital',0,15)
,('Registered care home',0,16)
,('Registered nursing home',0,17)
,('Prison / Young offenders institution / detention centre',0,18)
,('Other temporary accommodation',0,19)
,('Unknown', 0,20);

-- #Latest_Submission (L96-125; the import-date upper limit, a date the user types, dropped)
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

-- #LTS004_Build (L156-178)
CREATE OR REPLACE TEMP TABLE LTS004_Build AS
SELECT * FROM (
    SELECT a.*,
           floor(date_diff('day', make_date(Der_Birth_Year, Der_Birth_Month, 1), DATE '{end}')
                 / 365.25) AS Der_Age_EndDate,
           CASE WHEN Employment_Status = 'Unknown' OR Employment_Status IS NULL THEN 0 ELSE 1
               END AS Der_Employment_Known,
           CASE WHEN Accommodation_Status = 'Unknown' OR Accommodation_Status IS NULL THEN 0
               ELSE 1 END AS Der_Accommodation_Known
    FROM CLD_R1_Raw a
    INNER JOIN Latest_Submission b ON a.LA_Name = b.LA_Name AND a.ImportDate = b.ImportDate
    WHERE Event_Type = 'Service'
      AND Service_Type IN ('Long Term Support: Nursing Care',
                           'Long Term Support: Residential Care',
                           'Long Term Support: Community', 'Long Term Support: Prison')
      AND Client_Type = 'Service User'
      AND Primary_Support_Reason = 'Learning Disability Support'
      AND Event_Start_Date <= DATE '{end}'
      AND (Event_End_Date >= DATE '{start}' OR Event_End_Date IS NULL)
      AND (Date_of_Death >= DATE '{start}' OR Date_of_Death IS NULL)
      AND (Der_Birth_Month IS NOT NULL AND Der_Birth_Year IS NOT NULL)) c
WHERE Der_Age_EndDate BETWEEN 18 AND 64;

-- the amalgamated NHS/LA identifier (L186-231)
CREATE OR REPLACE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo,
       Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM LTS004_Build WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL;
CREATE OR REPLACE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo,
       a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM LTS004_Build a
LEFT JOIN uniquenhs b
  ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
  AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL;
CREATE OR REPLACE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source
FROM missingnhs;
ALTER TABLE LTS004_Build ADD COLUMN ID VARCHAR;
UPDATE LTS004_Build a SET ID = b.ID FROM FINAL b
WHERE a.Der_Unique_Record_ID = b.Der_Unique_Record_ID;
DELETE FROM LTS004_Build WHERE ID IS NULL;
CREATE OR REPLACE TEMP TABLE LTS004_Raw AS SELECT * FROM LTS004_Build;

-- table 1 (L249-377)
CREATE OR REPLACE TEMP TABLE T1 AS
SELECT a.*, b.Employment_Status_Group, b.Employment_Sort_Order
FROM LTS004_Raw a
LEFT JOIN REF_Employment_Status b ON trim(a.Employment_Status) = trim(b.Employment_Status)
WHERE b.Employment_Status_Group IS NOT NULL;
CREATE OR REPLACE TEMP TABLE T1_INVALID_NULL AS
SELECT a.*, b.Employment_Status_Group, b.Employment_Sort_Order
FROM LTS004_Raw a
LEFT JOIN REF_Employment_Status b ON trim(a.Employment_Status) = trim(b.Employment_Status)
WHERE b.Employment_Status_Group IS NULL;
CREATE OR REPLACE TEMP TABLE T1_Latest AS
SELECT LA_CODE, Gender, a.Event_Start_Date, Employment_Status, Employment_Sort_Order, a.ID
FROM T1 a
LEFT JOIN (SELECT Event_Start_Date, ID,
                  row_number() OVER (PARTITION BY ID ORDER BY Event_Start_Date DESC) AS Rn
           FROM T1) b ON a.ID = b.ID AND a.Event_Start_Date = b.Event_Start_Date
WHERE b.Rn = 1
GROUP BY LA_CODE, Gender, a.Event_Start_Date, Employment_Status, Employment_Sort_Order, a.ID;
CREATE OR REPLACE TEMP TABLE T1_COMBINED AS
SELECT a.LA_Code, b.ID, b.Event_Start_Date, max(Der_Employment_Known) AS MaxEmploymentKnown
FROM T1 a LEFT JOIN T1_Latest b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Event_Start_Date = b.Event_Start_Date
WHERE b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b.Event_Start_Date;
CREATE OR REPLACE TEMP TABLE T1_Final_Staging AS
SELECT a.LA_Code, b.Gender, b.Employment_Status, b.ID, b.Event_Start_Date, MaxEmploymentKnown
FROM T1_COMBINED a LEFT JOIN T1 b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID
 AND a.Event_Start_Date = b.Event_Start_Date AND a.MaxEmploymentKnown = b.Der_Employment_Known
GROUP BY a.LA_Code, b.Gender, b.Employment_Status, b.ID, b.Event_Start_Date,
         MaxEmploymentKnown;
CREATE OR REPLACE TEMP TABLE T1_Employment_Status_duplicates AS
SELECT LA_CODE, ID, Gender, Event_Start_Date, MaxEmploymentKnown, count(ID) AS COUNT
FROM T1_Final_Staging
GROUP BY LA_CODE, ID, Gender, Event_Start_Date, MaxEmploymentKnown
HAVING count(ID) > 1;
CREATE OR REPLACE TEMP TABLE T1_Final AS
SELECT DISTINCT a.LA_CODE, a.Gender,
       CASE WHEN b.COUNT IS NOT NULL THEN 'Unknown' ELSE a.Employment_Status END
           AS Employment_Status,
       a.ID
FROM T1_Final_Staging a
LEFT JOIN T1_Employment_Status_duplicates b ON a.LA_code = b.LA_Code AND a.ID = b.ID
 AND a.Gender = b.Gender AND a.Event_Start_Date = b.Event_Start_Date
 AND a.MaxEmploymentKnown = b.MaxEmploymentKnown;
CREATE OR REPLACE TEMP TABLE T1_Counts AS
SELECT LA_CODE, Gender, Employment_Status, count(DISTINCT ID) AS n
FROM T1_Final GROUP BY LA_CODE, Gender, Employment_Status
UNION ALL
SELECT LA_CODE, Gender, 'NULL/Invalid' AS Employment_Status, count(DISTINCT ID)
FROM T1_INVALID_NULL
WHERE ID NOT IN (SELECT ID FROM T1_Final)
GROUP BY LA_CODE, Gender;

-- tables 2a and 2b (L388-531)
CREATE OR REPLACE TEMP TABLE T2 AS
SELECT a.*, b.Accommodation_Status_Group, b.Accommodation_Sort_Order
FROM LTS004_Raw a
LEFT JOIN REF_Accommodation_Status b
  ON trim(a.Accommodation_Status) = trim(b.Accommodation_Status)
WHERE b.Accommodation_Status_Group IS NOT NULL;
CREATE OR REPLACE TEMP TABLE T2_INVALID_NULL AS
SELECT a.*, b.Accommodation_Status_Group, b.Accommodation_Sort_Order
FROM LTS004_Raw a
LEFT JOIN REF_Accommodation_Status b
  ON trim(a.Accommodation_Status) = trim(b.Accommodation_Status)
WHERE b.Accommodation_Status_Group IS NULL;
CREATE OR REPLACE TEMP TABLE T2_latest AS
SELECT LA_CODE, Gender, a.Event_Start_Date, Accommodation_Status, Accommodation_Sort_Order, a.ID
FROM T2 a
LEFT JOIN (SELECT Event_Start_Date, ID,
                  row_number() OVER (PARTITION BY ID ORDER BY Event_Start_Date DESC) AS Rn
           FROM T2) b ON a.ID = b.ID AND a.Event_Start_Date = b.Event_Start_Date
WHERE b.Rn = 1
GROUP BY LA_CODE, Gender, a.Event_Start_Date, Accommodation_Status, Accommodation_Sort_Order,
         a.ID;
CREATE OR REPLACE TEMP TABLE T2_COMBINED AS
SELECT a.LA_Code, b.ID, b.Event_Start_Date,
       max(Der_Accommodation_Known) AS MaxAccommodationKnown
FROM T2 a LEFT JOIN T2_latest b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Event_Start_Date = b.Event_Start_Date
WHERE b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b.Event_Start_Date;
CREATE OR REPLACE TEMP TABLE T2_Final_Staging AS
SELECT a.LA_Code, b.Gender, b.Accommodation_Status, b.ID, b.Event_Start_Date,
       MaxAccommodationKnown
FROM T2_COMBINED a LEFT JOIN T2 b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID
 AND a.Event_Start_Date = b.Event_Start_Date
 AND a.MaxAccommodationKnown = b.Der_Accommodation_Known
GROUP BY a.LA_Code, b.Gender, b.Accommodation_Status, b.ID, b.Event_Start_Date,
         MaxAccommodationKnown;
CREATE OR REPLACE TEMP TABLE T2_Accommodation_Status_duplicates AS
SELECT LA_CODE, ID, Gender, Event_Start_Date, MaxAccommodationKnown, count(ID) AS COUNT
FROM T2_Final_Staging
GROUP BY LA_CODE, ID, Gender, Event_Start_Date, MaxAccommodationKnown
HAVING count(ID) > 1;
CREATE OR REPLACE TEMP TABLE T2_Final AS
SELECT DISTINCT a.LA_CODE, a.Gender,
       CASE WHEN b.COUNT IS NOT NULL THEN 'Unknown' ELSE a.Accommodation_Status END
           AS Accommodation_Status,
       a.ID
FROM T2_Final_Staging a
LEFT JOIN T2_Accommodation_Status_duplicates b ON a.LA_code = b.LA_Code AND a.ID = b.ID
 AND a.Gender = b.Gender AND a.Event_Start_Date = b.Event_Start_Date
 AND a.MaxAccommodationKnown = b.MaxAccommodationKnown;
CREATE OR REPLACE TEMP TABLE T2_Counts AS
SELECT a.LA_CODE, a.Gender, a.Accommodation_Status, '2a' AS part, count(DISTINCT a.ID) AS n
FROM T2_Final a LEFT JOIN REF_Accommodation_Status b
  ON a.Accommodation_Status = b.Accommodation_Status
WHERE b.Accommodation_Status_Group = 1
GROUP BY a.LA_CODE, a.Gender, a.Accommodation_Status
UNION ALL
SELECT a.LA_CODE, a.Gender, a.Accommodation_Status, '2b', count(DISTINCT a.ID)
FROM T2_Final a LEFT JOIN REF_Accommodation_Status b
  ON a.Accommodation_Status = b.Accommodation_Status
WHERE b.Accommodation_Status_Group = 0
GROUP BY a.LA_CODE, a.Gender, a.Accommodation_Status
UNION ALL
SELECT LA_CODE, Gender, 'NULL/Invalid', 'invalid', count(DISTINCT ID)
FROM T2_INVALID_NULL
WHERE ID NOT IN (SELECT ID FROM T2_Final)
GROUP BY LA_CODE, Gender;
