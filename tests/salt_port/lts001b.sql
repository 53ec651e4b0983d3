-- TEST ORACLE, not product code. An independent port of NHS England's published LTS001b
-- replication code, tables 2 (support from carer, all ages), 3a (men), 3b (women) and 3c
-- (other and unknown gender), statement by statement ("Lnnn": line of "SALT LTS001b/LTS001b
-- replication code.txt"). Run after lts001.sql has built LTS001b's rows (port.py): LTS_Raw
-- is #LTS001b_Raw, delivery mechanism already blanked (L308-316). Tables 3a and 3b run the
-- same statements on each gender (L699-908); here one statement serves both, keyed by
-- sex_table, as lts001.sql keys tables 1a/1b by age_table. Same collation as sts001.sql.

-- #REF_CARER (L43-56): 'Unknown' is not in the list
CREATE OR REPLACE TEMP TABLE REF_CARER (Has_Unpaid_Carer VARCHAR);
INSERT INTO REF_CARER VALUES ('Yes'), ('No'), ('Invalid');

-- #REF_Ethnicity (L63-96), Release 1 spelling (port.py puts the data back into it)
CREATE OR REPLACE TEMP TABLE REF_Ethnicity (Ethnicity_Description VARCHAR,
    Ethnicity_Group VARCHAR, Ethnicity_Order INT);
INSERT INTO REF_Ethnicity VALUES
 ('White - English, Welsh, Scottish, Northern Irish or British', 'White', 1)
,('White - Irish', 'White', 2)
,('White - Gypsy or Irish Traveller', 'White', 3)
,('White - Roma', 'White', 4)
,('White - Any other White background', 'White', 5)
,('Mixed or multiple ethnic groups - White and Black Caribbean', 'Mixed / multiple ethnic groups', 6)
,('Mixed or multiple ethnic groups - White and Black African', 'Mixed / multiple ethnic groups', 7)
,('Mixed or multiple ethnic groups - White and Asian', 'Mixed / multiple ethnic groups', 8)
,('Mixed or multiple ethnic groups - Any other Mixed or multiple ethnic background', 'Mixed / multiple ethnic groups', 9)
,('Asian or Asian British - Indian', 'Asian / Asian British', 10)
,('Asian or Asian British - Pakistani', 'Asian / Asian British', 11)
,('Asian or Asian British - Bangladeshi', 'Asian / Asian British', 12)
,('Asian or Asian British - Chinese', 'Asian / Asian British', 13)
,('Asian or Asian British - Any other Asian background', 'Asian / Asian British', 14)
,('Black, Black British, Caribbean or African - African', 'Black / African / Caribbean / Black British', 15)
,('Black, Black British, Caribbean or African - Caribbean', 'Black / African / Caribbean / Black British', 16)
,('Black, Black British, Caribbean or African - Any other Black, Black British or Caribbean background', 'Black / African / Caribbean / Black British', 17)
,('Other ethnic group - Arab', 'Other Ethnic Group', 18)
,('Other ethnic group - Any other ethnic group', 'Other Ethnic Group', 19)
,('No data - Refused', 'No Data', 20)
,('No data - Undeclared or Not known', 'No Data', 21);

-- the build's known flags (L211-212), which lts001.sql's shared build does not carry
ALTER TABLE LTS_Raw ADD COLUMN Der_Carer_Known INT;
ALTER TABLE LTS_Raw ADD COLUMN Der_Ethnicity_Known INT;
UPDATE LTS_Raw SET
    Der_Carer_Known = CASE WHEN Has_Unpaid_Carer = 'Unknown' OR Has_Unpaid_Carer IS NULL
                           THEN 0 ELSE 1 END,
    Der_Ethnicity_Known = CASE WHEN Ethnicity = 'No data - Undeclared or Not known'
                                    OR Ethnicity IS NULL THEN 0 ELSE 1 END;

-- table 2 (L589-681)
CREATE OR REPLACE TEMP TABLE T2 AS
SELECT a.*, b.Sort_Order, b.Hierarchy
FROM LTS_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type)
 AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism);
CREATE OR REPLACE TEMP TABLE T2_MinRank AS
SELECT LA_Code, ID, min(Hierarchy) AS RANK FROM T2 GROUP BY LA_Code, ID;
CREATE OR REPLACE TEMP TABLE T2_Carer_Known AS
SELECT a.LA_Code, b.ID, b.RANK, max(Der_Carer_Known) AS MaxCarerKnown
FROM T2 a LEFT JOIN T2_MinRank b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Hierarchy = b.RANK
WHERE b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b.RANK;
CREATE OR REPLACE TEMP TABLE T2_COMBINED AS
SELECT a.LA_Code, b.ID, RANK, MaxCarerKnown, max(Event_Start_Date) AS MaxDate
FROM T2 a LEFT JOIN T2_Carer_Known b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
 AND a.Hierarchy = b.RANK AND a.Der_Carer_Known = b.MaxCarerKnown
WHERE b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, RANK, MaxCarerKnown;
CREATE OR REPLACE TEMP TABLE T2_Final_Staging AS
SELECT a.LA_CODE, b.Service_Type, b.Delivery_Mechanism,
       CASE WHEN c.Has_Unpaid_Carer IS NULL THEN 'Invalid/NULL' ELSE c.Has_Unpaid_Carer END
           AS Has_Unpaid_Carer,
       a.ID
FROM T2_COMBINED a
LEFT JOIN T2 b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.RANK = b.Hierarchy
 AND a.MaxCarerKnown = b.Der_Carer_Known AND a.MaxDate = b.Event_Start_Date
LEFT JOIN REF_CARER c ON b.Has_Unpaid_Carer = c.Has_Unpaid_Carer
GROUP BY a.LA_CODE, b.Service_Type, b.Delivery_Mechanism,
         CASE WHEN c.Has_Unpaid_Carer IS NULL THEN 'Invalid/NULL' ELSE c.Has_Unpaid_Carer END,
         a.ID;
CREATE OR REPLACE TEMP TABLE T2_Carer_Duplicates AS
SELECT LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS COUNT
FROM T2_Final_Staging GROUP BY LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1;
CREATE OR REPLACE TEMP TABLE T2_Final AS
SELECT DISTINCT a.LA_CODE,
       CASE WHEN b.COUNT IS NOT NULL THEN 'Unknown' ELSE a.Has_Unpaid_Carer END
           AS Has_Unpaid_Carer,
       a.Service_Type, a.Delivery_Mechanism, a.ID
FROM T2_Final_Staging a LEFT JOIN T2_Carer_Duplicates b ON a.LA_code = b.LA_Code
 AND a.Service_Type = b.Service_Type AND a.Delivery_Mechanism = b.Delivery_Mechanism
 AND a.ID = b.ID;

-- tables 3a (Gender 'Male') and 3b ('Female'): L702-898
CREATE OR REPLACE TEMP TABLE T3 AS
SELECT a.*, b.Sort_Order, b.Hierarchy,
       CASE WHEN a.Gender = 'Male' THEN 'Male' ELSE 'Female' END AS sex_table
FROM LTS_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type)
 AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism)
WHERE a.Gender = 'Male' OR a.Gender = 'Female';
CREATE OR REPLACE TEMP TABLE T3_MinRank AS
SELECT sex_table, LA_Code, ID, min(Hierarchy) AS RANK FROM T3 GROUP BY sex_table, LA_Code, ID;
CREATE OR REPLACE TEMP TABLE T3_Ethnicity_Known AS
SELECT a.sex_table, a.LA_Code, b.ID, b.RANK, max(Der_Ethnicity_Known) AS MaxEthnicityKnown
FROM T3 a LEFT JOIN T3_MinRank b ON a.sex_table = b.sex_table AND a.LA_CODE = b.LA_CODE
 AND a.ID = b.ID AND a.Hierarchy = b.RANK
WHERE b.ID IS NOT NULL
GROUP BY a.sex_table, a.LA_Code, b.ID, b.RANK;
CREATE OR REPLACE TEMP TABLE T3_COMBINED AS
SELECT a.sex_table, a.LA_Code, b.ID, RANK, MaxEthnicityKnown,
       max(Event_Start_Date) AS MaxDate
FROM T3 a LEFT JOIN T3_Ethnicity_Known b ON a.sex_table = b.sex_table
 AND a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b.RANK
 AND a.Der_Ethnicity_Known = b.MaxEthnicityKnown
WHERE b.ID IS NOT NULL
GROUP BY a.sex_table, a.LA_Code, b.ID, RANK, MaxEthnicityKnown;
CREATE OR REPLACE TEMP TABLE T3_Final_Staging AS
SELECT a.sex_table, a.LA_CODE, b.Service_Type, b.Delivery_Mechanism,
       CASE WHEN c.Ethnicity_Description IS NULL THEN 'Invalid/NULL'
            ELSE c.Ethnicity_Description END AS Ethnicity,
       a.ID
FROM T3_COMBINED a
LEFT JOIN T3 b ON a.sex_table = b.sex_table AND a.LA_Code = b.LA_CODE AND a.ID = b.ID
 AND a.RANK = b.Hierarchy AND a.MaxEthnicityKnown = b.Der_Ethnicity_Known
 AND a.MaxDate = b.Event_Start_Date
LEFT JOIN REF_Ethnicity c ON b.Ethnicity = c.Ethnicity_Description
GROUP BY a.sex_table, a.LA_CODE, b.Service_Type, b.Delivery_Mechanism,
         CASE WHEN c.Ethnicity_Description IS NULL THEN 'Invalid/NULL'
              ELSE c.Ethnicity_Description END,
         a.ID;
CREATE OR REPLACE TEMP TABLE T3_Ethnicity_Duplicates AS
SELECT sex_table, LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS COUNT
FROM T3_Final_Staging GROUP BY sex_table, LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1;
CREATE OR REPLACE TEMP TABLE T3_Final AS
SELECT DISTINCT a.sex_table, a.LA_CODE,
       CASE WHEN b.COUNT IS NOT NULL THEN 'No data - Undeclared or Not known'
            ELSE a.Ethnicity END AS Ethnicity,
       a.Service_Type, a.Delivery_Mechanism, a.ID
FROM T3_Final_Staging a LEFT JOIN T3_Ethnicity_Duplicates b ON a.sex_table = b.sex_table
 AND a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type
 AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID;

-- table 3c (L918-922): other and unknown gender, straight from the raw rows
CREATE OR REPLACE TEMP TABLE T3c AS
SELECT LA_CODE, count(DISTINCT ID) AS n FROM LTS_Raw
WHERE Gender IN ('Other', 'Unknown') GROUP BY LA_CODE;
