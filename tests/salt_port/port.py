"""Test oracle: NHS England's published SALT replication code, ported to DuckDB, run on a
warehouse, giving the SALT cells in openasc's `metric_values` shape.

The SQL files beside this module are translated statement by statement from the T-SQL of
NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations; they were written from that code
alone, never from openasc's catalogue SQL, so that comparing the two finds openasc's faults.

The code reads `[DHSC_ASC].[CLD_R1_Raw]`: every row of every submission, stacked, with its
import date, in Release 1 spellings. `CLD_R1_Raw` here is that table made from the warehouse's
loaded rows (`cld_records`, `cld_submissions.submitted_on` as ImportDate); event outcomes
are put back into their Release 1 spelling with the CLD specification's own R1 -> R2 map
(the first R1 value of each R2 value; an R2 value with no R1 counterpart keeps its R2 text),
and so are the unpaid carer client and service types (the only values of those lists whose
R1 spelling differs beyond case), and so are ethnicity, employment and accommodation status
(LTS001b tables 3a/3b, LTS004: the code's lists are in R1 spelling; the cells are put back
into R2 spelling). SQL Server compares text without regard to case: the session does too.
Ported: STS001, STS002a, STS002b, LTS003, tables 1a/1b of LTS001a/b/c (the ISLANDS chain
below is LTS001c's), LTS001b tables 2, 3a, 3b and 3c, and LTS004.

Run as a script to print every cell that differs:
`python tests/salt_port/port.py WAREHOUSE --la E10000034 --from 2024-04-01 --to 2025-03-31`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import duckdb

from openasc.spec import load_spec

HERE = Path(__file__).parent
#: the SALT tables ported (docs/salt-methods.md)
PORTED = ("STS001", "STS002a", "STS002b", "LTS001a", "LTS001b", "LTS001c", "LTS003",
          "LTS004")
#: the lists whose values the port puts back into their Release 1 spelling
R1_LISTS = ("Client_Type", "Service_Type", "Ethnicity", "Employment_Status",
            "Accommodation_Status")
SETTING = {"long term support: nursing care": "Nursing",
           "long term support: residential care": "Residential",
           "long term support: community": "Community", "long term support: prison": "Prison"}
# LTS001c L270-308: its islands of long-term support (1 day) and its 12-month filter
ISLANDS = """
SELECT * FROM (
    SELECT DISTINCT a.*, Islands.IslandStartInd, Islands.IslandId AS Chain_Count,
           min(a.Event_Start_Date) OVER (PARTITION BY a.LA_CODE, a.ID, Islands.IslandId)
               AS Chain_Start_Date
    FROM (SELECT *, coalesce(Event_End_Date, DATE '{today}') AS Proxy_End_Date FROM LTS_Build) a
    INNER JOIN (
        SELECT *,
               CASE WHEN PreviousEndDate >= Event_Start_Date - INTERVAL 1 DAY THEN 0 ELSE 1 END
                   AS IslandStartInd,
               sum(CASE WHEN PreviousEndDate >= Event_Start_Date - INTERVAL 1 DAY THEN 0 ELSE 1
                   END) OVER (PARTITION BY LA_CODE, ID ORDER BY ID, DRN) AS IslandId
        FROM (SELECT dense_rank() OVER (PARTITION BY LA_CODE, ID
                                        ORDER BY Event_Start_Date, Proxy_End_Date) AS DRN,
                     LA_CODE, ID, Event_Start_Date, Proxy_End_Date,
                     lag(Proxy_End_Date, 1) OVER (PARTITION BY LA_CODE, ID
                                                  ORDER BY Event_Start_Date, Proxy_End_Date)
                         AS PreviousEndDate
              FROM (SELECT *, coalesce(Event_End_Date, DATE '{today}') AS Proxy_End_Date
                    FROM LTS_Build)) Groups
    ) Islands ON a.ID = Islands.ID AND a.Event_Start_Date = Islands.Event_Start_Date
             AND a.Proxy_End_Date = Islands.Proxy_End_Date)
WHERE Chain_Start_Date < DATE '{year_before}' AND Proxy_End_Date >= DATE '{snapshot}'"""
LTS001_SCRIPTS = {
    # code: (build filter of the script's #Build table, its chain)
    "LTS001a": ("Event_Start_Date <= DATE '{snapshot}' AND (Event_End_Date >= DATE '{start}' "
                "OR Event_End_Date IS NULL) AND (Date_of_Death >= DATE '{start}' "
                "OR Date_of_Death IS NULL)", "SELECT * FROM LTS_Build"),
    "LTS001b": ("Event_Start_Date <= DATE '{snapshot}' AND (Event_End_Date >= DATE '{snapshot}' "
                "OR Event_End_Date IS NULL) AND (Date_of_Death >= DATE '{snapshot}' "
                "OR Date_of_Death IS NULL)", "SELECT * FROM LTS_Build"),
    "LTS001c": ("Event_Start_Date <= DATE '{snapshot}' AND (Date_of_Death >= DATE '{snapshot}' "
                "OR Date_of_Death IS NULL)", ISLANDS),
}
NOT_MAPPED = "Release 1 specification only: Not mapped"
PREFIXES = ("No_Chronology_", "No Service Found_")

# The code's sequel texts -> the `what_next` labels openasc prints (en dashes as the SALT
# guidance spells the columns). A sequel the code leaves NULL is `No category`.
STS001_LABELS = {
    "Unable_To_Classify": "Unable to classify",
    "No Service Found": "Unable to classify",
    "No Services Provided - other reason": "No Services Provided – other reason",
    "No Services Provided - Deceased": "No Services Provided – Deceased",
}
STS002A_LABELS = {
    "Unable_To_Classify": "Unable to classify",
    "No Service Found": "Unable to classify",
    "Early cessation of service (not leading to long term support) - 100% NHS funded care/"
    "End of Life/deceased": "Early cessation of service (not leading to long term support) – "
                            "100% NHS funded care/End of Life/deceased",
    "No services provided - other": "No services provided – other",
}


def r1_spelling() -> list[tuple[str, str]]:
    """(R2 value, R1 value) for every event outcome with an R1 counterpart."""
    r1 = load_spec("cld").lists["Event_Outcome"].r1
    back: dict[str, str] = {}
    for old, new in r1.items():
        if new != NOT_MAPPED:
            back.setdefault(new, old)
    return sorted(back.items())


def r1_other(name: str) -> list[tuple[str, str]]:
    """(R2, R1) for the values of list `name` whose R1 spelling differs beyond case (SQL
    Server compares the others equal): the unpaid carer client and service types."""
    r1 = load_spec("cld").lists[name].r1
    return sorted({(new, old) for old, new in r1.items() if old.lower() != new.lower()})


def raw_table(con: duckdb.DuckDBPyConnection, la_code: str) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE r1_outcome (r2 VARCHAR, r1 VARCHAR)")
    con.executemany("INSERT INTO r1_outcome VALUES (?, ?)", r1_spelling())
    for name in R1_LISTS:
        con.execute(f"CREATE OR REPLACE TEMP TABLE r1_{name} (r2 VARCHAR, r1 VARCHAR)")
        con.executemany(f"INSERT INTO r1_{name} VALUES (?, ?)", r1_other(name))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE CLD_R1_Raw AS
        SELECT r.la_code AS LA_Code, r.la_code AS LA_Name, r.record_id AS Der_Unique_Record_ID,
               r.nhs_number_pseudo AS Der_NHS_Number_Traced_Pseudo,
               r.la_person_pseudo AS Der_LA_Person_Unique_Identifier_Pseudo,
               r.birth_year AS Der_Birth_Year, r.birth_month AS Der_Birth_Month,
               r.date_of_death AS Date_of_Death,
               coalesce(ct.r1, r.client_type) AS Client_Type,
               r.event_type AS Event_Type, r.event_start_date AS Event_Start_Date,
               r.event_end_date AS Event_End_Date,
               coalesce(o.r1, r.event_outcome) AS Event_Outcome,
               r.request_route_of_access AS Request_Route_of_Access,
               coalesce(st.r1, r.service_type) AS Service_Type,
               r.service_component AS Service_Component,
               r.delivery_mechanism AS Delivery_Mechanism,
               r.primary_support_reason AS Primary_Support_Reason,
               r.has_unpaid_carer AS Has_Unpaid_Carer, r.gender AS Gender,
               coalesce(et.r1, r.ethnicity) AS Ethnicity,
               coalesce(em.r1, r.employment_status) AS Employment_Status,
               coalesce(ac.r1, r.accommodation_status) AS Accommodation_Status,
               r.reporting_period_start_date AS Reporting_Period_Start_Date,
               r.reporting_period_end_date AS Reporting_Period_End_Date,
               s.submitted_on AS ImportDate
        FROM cld_records r JOIN cld_submissions s USING (submission_id)
        LEFT JOIN r1_outcome o ON o.r2 = r.event_outcome
        LEFT JOIN r1_Client_Type ct ON ct.r2 = r.client_type
        LEFT JOIN r1_Service_Type st ON st.r2 = r.service_type
        LEFT JOIN r1_Ethnicity et ON et.r2 = r.ethnicity
        LEFT JOIN r1_Employment_Status em ON em.r2 = r.employment_status
        LEFT JOIN r1_Accommodation_Status ac ON ac.r2 = r.accommodation_status
        WHERE r.la_code = ?""", [la_code])


def run_script(con: duckdb.DuckDBPyConnection, name: str, start: date, end: date,
               **parts: str) -> None:
    text = "\n".join(line for line in (HERE / name).read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("--"))
    for key, part in parts.items():
        text = text.replace("{" + key + "}", part)
    text = text.replace("{snapshot}", end.isoformat())
    text = text.replace("{year_before}", end.replace(year=end.year - 1).isoformat())
    text = text.replace("{start}", start.isoformat()).replace("{end}", end.isoformat())
    text = text.replace("{today}", date.today().isoformat())
    for statement in filter(str.strip, text.split(";")):
        con.execute(statement)


def _label(text: str | None, labels: dict[str, str]) -> str:
    if text is None:
        return "No category"
    for prefix in PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
    return labels.get(text, text)


def _age_band(age: str | None) -> str:
    years = float(age) if age is not None else None
    if years is None:
        return "Unknown"
    return "Under 18" if years < 18 else "18 to 64" if years <= 64 else "65 and above"


def port_cells(con: duckdb.DuckDBPyConnection, la_code: str, start: date,
               end: date) -> dict[tuple[str, str], float]:
    """Every SALT cell the published code gives, keyed (code, breakdown)."""
    con.execute("PRAGMA default_collation = 'nocase'")
    raw_table(con, la_code)
    cells: dict[tuple[str, str], float] = {}

    def add(code: str, breakdown: str) -> None:
        cells[(code, breakdown)] = cells.get((code, breakdown), 0) + 1

    run_script(con, "sts001.sql", start, end)
    for age, route, mapped in con.execute(
            "SELECT AGE, ROUTE_Of_ACCESS, FINAL_OUTCOME_MAPPED FROM STS001").fetchall():
        what = _label(mapped, STS001_LABELS)
        add("STS001", "")
        add("STS001", f"what_next={what}")
        add("STS001", f"route={route};what_next={what}")
        add("STS001", f"age_band={_age_band(age)};route={route};what_next={what}")
    run_script(con, "sts002a.sql", start, end)
    for (mapped,) in con.execute("SELECT FINAL_OUTCOME_MAPPED FROM STS002a").fetchall():
        add("STS002a", "")
        add("STS002a", f"what_next={_label(mapped, STS002A_LABELS)}")
    run_script(con, "sts002b.sql", start, end)
    cells[("STS002b", "")] = con.execute("SELECT coalesce(sum(n), 0) FROM STS002b").fetchone()[0]
    for code, (build_filter, chain) in LTS001_SCRIPTS.items():
        run_script(con, "lts001.sql", start, end, build_filter=build_filter, chain=chain)
        cells.update(_lts001_cells(con, code))
        if code == "LTS001b":
            run_script(con, "lts001b.sql", start, end)
            cells.update(_lts001b_tables_2_3(con))
    run_script(con, "lts003.sql", start, end)
    for support, n in con.execute("SELECT Support_Provided, count(DISTINCT ID) FROM LTS003 "
                                  "GROUP BY Support_Provided").fetchall():
        cells[("LTS003", f"support={support}")] = n
    cells[("LTS003", "")] = con.execute("SELECT count(DISTINCT ID) FROM LTS003").fetchone()[0]
    run_script(con, "lts004.sql", start, end)
    cells.update(_lts004_cells(con))
    return cells


def _r2(name: str) -> dict[str, str]:
    """{R1 spelling: R2 spelling} of a list (lower case keys: the session ignores case)."""
    return {old.lower(): new for old, new in load_spec("cld").lists[name].r1.items()}


def _setting(service: str, mechanism: str | None) -> list[str]:
    """The setting and, for community and prison, the mechanism (blank: `Unknown`)."""
    setting = SETTING[service.lower()]
    if setting in ("Community", "Prison"):
        return [f"mechanism={mechanism or 'Unknown'}", f"setting={setting}"]
    return [f"setting={setting}"]


def _lts001b_tables_2_3(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], float]:
    """Table 2 (carer x setting and mechanism), tables 3a/3b (sex x ethnicity x setting and
    mechanism, ethnicity in R2 spelling) and table 3c (`sex=Other or Unknown`)."""
    ethnicity = _r2("Ethnicity")
    people: dict[str, set[str]] = {}
    for carer, service, mechanism, person in con.execute(
            "SELECT Has_Unpaid_Carer, Service_Type, Delivery_Mechanism, ID FROM T2_Final"
    ).fetchall():
        key = ";".join([f"carer={carer}", *_setting(service, mechanism)])
        people.setdefault(key, set()).add(person)
    for sex, eth, service, mechanism, person in con.execute(
            "SELECT sex_table, Ethnicity, Service_Type, Delivery_Mechanism, ID FROM T3_Final"
    ).fetchall():
        label = ethnicity.get(eth.lower(), eth)
        key = ";".join([f"ethnicity={label}", *_setting(service, mechanism), f"sex={sex}"])
        people.setdefault(key, set()).add(person)
    cells = {("LTS001b", b): float(len(ids)) for b, ids in people.items()}
    for (n,) in con.execute("SELECT n FROM T3c").fetchall():
        cells[("LTS001b", "sex=Other or Unknown")] = n
    return cells


def _lts004_cells(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], float]:
    """Table 1 by sex and employment status (part 1), tables 2a/2b by sex and accommodation
    status, each table's NULL/Invalid count (the accommodation one shown with 2b), statuses
    in R2 spelling; the headline is the people of the code's #LTS004_Raw."""
    employment, accommodation = _r2("Employment_Status"), _r2("Accommodation_Status")
    cells: dict[tuple[str, str], float] = {}
    for sex, status, n in con.execute(
            "SELECT Gender, Employment_Status, n FROM T1_Counts").fetchall():
        label = employment.get(status.lower(), status)
        cells[("LTS004", f"employment={label};part=1;sex={sex or 'NULL'}")] = n
    for sex, status, part, n in con.execute(
            "SELECT Gender, Accommodation_Status, part, n FROM T2_Counts").fetchall():
        label = accommodation.get(status.lower(), status)
        part = "2b" if part == "invalid" else part
        cells[("LTS004", f"accommodation={label};part={part};sex={sex or 'NULL'}")] = n
    cells[("LTS004", "")] = con.execute(
        "SELECT count(DISTINCT ID) FROM LTS004_Raw").fetchone()[0]
    return cells


def _lts001_cells(con: duckdb.DuckDBPyConnection, code: str) -> dict[tuple[str, str], float]:
    """Tables 1a/1b as cells: by age band, PSR, setting and mechanism (an invalid or blank
    mechanism of community or prison is `Unknown`; nursing and residential have none), their
    totals by age band and by setting and mechanism, and the distinct people of both."""
    rows = con.execute("SELECT age_table, Primary_Support_Reason, Service_Type, "
                       "Delivery_Mechanism, ID FROM T_Final").fetchall()
    people: dict[str, set[str]] = {}
    for age, psr, service, mechanism, person in rows:
        setting = SETTING[service.lower()]
        parts = [f"age_band={age}"]
        if setting in ("Community", "Prison"):
            parts.append(f"mechanism={mechanism or 'Unknown'}")
        parts += [f"psr={psr if psr is not None else 'Invalid/NULL'}", f"setting={setting}"]
        key_setting = ";".join(p for p in parts if p.startswith(("mechanism", "setting")))
        for breakdown in ("", f"age_band={age}", ";".join(parts), key_setting):
            people.setdefault(breakdown, set()).add(person)
    return {(code, b): len(ids) for b, ids in people.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse")
    parser.add_argument("--la", required=True)
    parser.add_argument("--from", dest="start", required=True, type=date.fromisoformat)
    parser.add_argument("--to", dest="end", required=True, type=date.fromisoformat)
    args = parser.parse_args()
    con = duckdb.connect(args.warehouse, read_only=True)
    for (code, breakdown), n in sorted(port_cells(con, args.la, args.start, args.end).items()):
        print(f"{code}\t{breakdown}\t{n:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
