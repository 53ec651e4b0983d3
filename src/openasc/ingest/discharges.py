"""Hospital discharges for ASCOF 2D: read, check, pseudonymise, load `hospital_discharges`.

2D links reablement in CLD to hospital spells (ascof.md §2.3). Nationally that link is made
with SUS; a council gets the same spells from its ICB or a data-sharing extract. The layout
is in docs/discharges.md. The NHS number is pseudonymised exactly as the CLD ingest does
(HMAC-SHA256 of the ten digits, same key), so a spell's `person_id` equals the CLD person's
`person_id` wherever CLD holds the NHS number, and only there: that is the national link.
The full date of birth never arrives (year and month only), and the file's rows are judged
in an in-memory database so no NHS number reaches the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
from rich.console import Console

from openasc import warehouse
from openasc.config import Settings, load_key
from openasc.errors import OpenascError
from openasc.ingest.reader import file_sha256, read_into
from openasc.ingest.staging import staging_connection

SOURCE = "discharges"


@dataclass(frozen=True)
class DischargeField:
    """One column of the discharges layout (the shape `reader.read_into` expects)."""

    name: str
    column: str
    label: str
    aliases: list[str] = field(default_factory=list)
    required_column: bool = True


@dataclass(frozen=True)
class DischargeLayout:
    name: str
    fields: list[DischargeField]


LAYOUT = DischargeLayout(
    name="hospital discharges (docs/discharges.md)",
    fields=[
        DischargeField("Spell_ID", "spell_id", "Hospital Provider Spell Number",
                       ["Spell_Identifier", "Hospital_Spell_ID"]),
        DischargeField("NHS_Number", "nhs_number", "NHS Number"),
        DischargeField("Birth_Year", "birth_year", "Year of Birth", ["Year_of_Birth"]),
        DischargeField("Birth_Month", "birth_month", "Month of Birth", ["Month_of_Birth"]),
        DischargeField("Sex", "sex", "Sex", ["Gender"]),
        DischargeField("Residence_LA_Code", "residence_la_code", "Local Authority of Residence",
                       ["LA_Code", "Residence_LA"]),
        DischargeField("Admission_Date", "admission_date", "Admission Date",
                       ["Start_Date_Hospital_Provider_Spell"]),
        DischargeField("Discharge_Date", "discharge_date", "Discharge Date",
                       ["Discharge_Date_Hospital_Provider_Spell"]),
        DischargeField("Admission_Method", "admission_method", "Admission Method"),
        DischargeField("Management_Type", "management_type", "Patient Management Type",
                       ["Admission_Type"]),
        DischargeField("Discharge_Method", "discharge_method", "Discharge Method"),
        DischargeField("Discharge_Destination", "discharge_destination",
                       "Discharge Destination"),
        DischargeField("Treatment_Function_Code", "treatment_function_code",
                       "Treatment Function Code", ["Main_Specialty_Treatment_Function"]),
        DischargeField("Last_Episode_In_Spell", "last_episode_in_spell",
                       "Last Episode In Spell Indicator", ["Last_Episode"]),
    ],
)

DDL = """
CREATE TABLE IF NOT EXISTS hospital_discharges (
    la_code VARCHAR NOT NULL,
    spell_pseudo VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    birth_year INTEGER,
    birth_month INTEGER,
    sex VARCHAR,
    admission_date DATE NOT NULL,
    discharge_date DATE NOT NULL,
    admission_method VARCHAR,
    management_type VARCHAR,
    discharge_method VARCHAR,
    discharge_destination VARCHAR,
    treatment_function_code VARCHAR,
    last_episode_in_spell BOOLEAN,
    file_sha256 VARCHAR NOT NULL,
    source_name VARCHAR NOT NULL,
    row_number INTEGER NOT NULL,
    run_id VARCHAR NOT NULL
)
"""


def _nhs_ok(d: str) -> str:
    """SQL: `d` is ten digits whose modulus-11 check digit is right (NHS Data Dictionary)."""
    weighted = " + ".join(f"try_cast(substr({d}, {i}, 1) AS INTEGER) * {11 - i}"
                          for i in range(1, 10))
    check = f"(11 - ({weighted}) % 11)"
    last = f"try_cast(substr({d}, 10, 1) AS INTEGER)"
    return (f"(regexp_full_match({d}, '[0-9]{{10}}') AND {check} <> 10 AND "
            f"CASE WHEN {check} = 11 THEN 0 ELSE {check} END = {last})")


def _date(v: str) -> str:
    t = f"trim({v})"
    return (f"coalesce(CAST(try_strptime({t}, '%d/%m/%Y') AS DATE), "
            f"CAST(try_strptime({t}, '%Y-%m-%d') AS DATE))")


# Checks in field order: the first failing one names the row's fault. One SQL statement
# judges every row at once.
def _checks() -> list[tuple[str, str, str]]:
    nhs = "replace(trim(nhs_number), ' ', '')"
    return [
        ("Spell_ID", "spell_id IS NULL OR trim(spell_id) = ''",
         "'Spell_ID is blank; expected the hospital provider spell number'"),
        ("NHS_Number", f"nhs_number IS NULL OR NOT coalesce({_nhs_ok(nhs)}, false)",
         "CASE WHEN nhs_number IS NULL OR trim(nhs_number) = '' THEN 'NHS_Number is blank; "
         "expected the 10-digit NHS number (a spell without one cannot be linked to CLD)' "
         "ELSE 'NHS_Number is not 10 digits with a valid check digit' END"),
        ("Birth_Year", "try_cast(trim(birth_year) AS INTEGER) IS NULL OR "
         "try_cast(trim(birth_year) AS INTEGER) NOT BETWEEN 1880 AND 2100",
         "'Birth_Year ' || coalesce('''' || birth_year || '''', 'blank') || "
         "' is not a year; expected four digits such as 1944'"),
        ("Birth_Month", "try_cast(trim(birth_month) AS INTEGER) IS NULL OR "
         "try_cast(trim(birth_month) AS INTEGER) NOT BETWEEN 1 AND 12",
         "'Birth_Month ' || coalesce('''' || birth_month || '''', 'blank') || "
         "' is not a month; expected 1 to 12'"),
        ("Residence_LA_Code", "la_ons IS NULL",
         "'Residence_LA_Code ' || coalesce('''' || residence_la_code || '''', 'blank') || "
         "' is not a known council; expected an ONS code such as E10000034 or an NHS council "
         "code such as 416'"),
        ("Admission_Date", f"{_date('admission_date')} IS NULL",
         "'Admission_Date ' || coalesce('''' || admission_date || '''', 'blank') || "
         "' is not a date; expected dd/mm/yyyy or yyyy-mm-dd'"),
        ("Discharge_Date", f"{_date('discharge_date')} IS NULL",
         "'Discharge_Date ' || coalesce('''' || discharge_date || '''', 'blank') || "
         "' is not a date; expected dd/mm/yyyy or yyyy-mm-dd'"),
        ("Discharge_Date", f"{_date('discharge_date')} < {_date('admission_date')}",
         "'Discharge_Date is before Admission_Date; expected discharge on or after admission'"),
        ("Last_Episode_In_Spell",
         "last_episode_in_spell IS NOT NULL AND trim(last_episode_in_spell) <> '' AND "
         "lower(trim(last_episode_in_spell)) NOT IN ('y', 'yes', '1', 'true', 'n', 'no', '0', "
         "'false')",
         "'Last_Episode_In_Spell ''' || last_episode_in_spell || ''' is not Y or N'"),
    ]


def _judge(con: duckdb.DuckDBPyConnection) -> None:
    """Add `la_ons`, `_reject_field` and `_reject_reason` to the staged rows."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stg2 AS SELECT s.*, "
        "(SELECT min(c.ons_code) FROM wh.councils c WHERE upper(trim(s.residence_la_code)) "
        " = upper(c.ons_code) OR trim(s.residence_la_code) = c.la_code) AS la_ons FROM stg s"
    )
    checks = _checks()
    field_case = " ".join(f"WHEN {cond} THEN '{name}'" for name, cond, _ in checks)
    reason_case = " ".join(f"WHEN {cond} THEN {reason}" for _, cond, reason in checks)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE judged AS SELECT *, "
        f"CASE {field_case} END AS _reject_field, CASE {reason_case} END AS _reject_reason "
        "FROM stg2"
    )


def ingest_discharges_file(path: Path, settings: Settings, console: Console) -> dict:
    """`openasc ingest discharges FILE`: load a discharges file once, in one transaction.

    Every row is loaded or quarantined with its reason; loading the same file again changes
    nothing (its SHA-256 is remembered).
    """
    path = Path(path)
    key = load_key(settings)
    started = datetime.now()
    run_id = warehouse.new_run_id()
    warehouse.connect(settings.warehouse).close()
    with staging_connection(key) as con:
        con.execute("ATTACH ? AS wh", [str(settings.warehouse)])
        con.execute(DDL.replace("hospital_discharges", "wh.hospital_discharges", 1))
        read = read_into(con, path, LAYOUT, "stg")
        already = con.execute(
            "SELECT (SELECT count(*) FROM wh.hospital_discharges WHERE file_sha256 = $sha) + "
            "(SELECT count(*) FROM wh.quarantine WHERE source = $src AND file_sha256 = $sha)",
            {"sha": read.sha256, "src": SOURCE}).fetchone()[0]
        inputs = [{"name": read.source_name, "sha256": read.sha256, "rows_in": read.rows}]
        if already:
            with warehouse.transaction(con):
                _record(con, run_id, started, "already loaded", inputs)
            console.print(f"{read.source_name} was already loaded; nothing changed.")
            return {"rows_in": read.rows, "rows_loaded": 0, "rows_quarantined": 0,
                    "already_loaded": True}
        _judge(con)
        with warehouse.transaction(con):
            loaded = _insert(con, read.sha256, read.source_name, run_id)
            quarantined = _quarantine(con, read.sha256, read.source_name, run_id,
                                      read.malformed)
            if loaded + quarantined != read.rows:
                raise OpenascError(
                    f"{path}: {read.rows} rows read but {loaded} loaded and {quarantined} "
                    "quarantined; nothing was loaded. This is a bug in openasc; please report it."
                )
            inputs[0].update(rows_loaded=loaded, rows_quarantined=quarantined)
            _record(con, run_id, started, "ok", inputs)
    console.print(f"{read.source_name}: {read.rows:,} rows in, {loaded:,} loaded into "
                  f"hospital_discharges, {quarantined:,} quarantined.")
    return {"rows_in": read.rows, "rows_loaded": loaded, "rows_quarantined": quarantined,
            "already_loaded": False}


def _record(con: duckdb.DuckDBPyConnection, run_id: str, started: datetime, status: str,
            inputs: list[dict]) -> None:
    """The run's lineage row, written to the attached warehouse's `runs` table."""
    con.execute("USE wh")
    try:
        warehouse.record_run(con, run_id, "ingest discharges", started, status, inputs=inputs,
                             method_version="discharges layout 1 (docs/discharges.md)")
    finally:
        con.execute("USE memory")


def _insert(con: duckdb.DuckDBPyConnection, sha: str, name: str, run_id: str) -> int:
    nhs = "replace(trim(nhs_number), ' ', '')"
    before = con.execute("SELECT count(*) FROM wh.hospital_discharges").fetchone()[0]
    con.execute(
        f"""
        INSERT INTO wh.hospital_discharges
        SELECT la_ons, pseudo('spell_' || trim(spell_id)), pseudo({nhs}),
               CAST(trim(birth_year) AS INTEGER), CAST(trim(birth_month) AS INTEGER),
               CASE trim(sex) WHEN '1' THEN 'Male' WHEN '2' THEN 'Female'
                    ELSE CASE lower(trim(sex)) WHEN 'male' THEN 'Male' WHEN 'm' THEN 'Male'
                         WHEN 'female' THEN 'Female' WHEN 'f' THEN 'Female'
                         ELSE 'Unknown' END END,
               {_date('admission_date')}, {_date('discharge_date')},
               nullif(trim(admission_method), ''), upper(nullif(trim(management_type), '')),
               nullif(trim(discharge_method), ''), nullif(trim(discharge_destination), ''),
               nullif(trim(treatment_function_code), ''),
               CASE WHEN last_episode_in_spell IS NULL OR trim(last_episode_in_spell) = ''
                    THEN NULL
                    ELSE lower(trim(last_episode_in_spell)) IN ('y', 'yes', '1', 'true') END,
               ?, ?, _row, ?
        FROM judged WHERE _reject_reason IS NULL
        """,
        [sha, name, run_id],
    )
    return con.execute("SELECT count(*) FROM wh.hospital_discharges").fetchone()[0] - before


def _quarantine(con: duckdb.DuckDBPyConnection, sha: str, name: str, run_id: str,
                malformed: list[tuple[int, str]]) -> int:
    nhs = "replace(trim(nhs_number), ' ', '')"
    con.execute(
        f"""
        INSERT INTO wh.quarantine
        SELECT ?, '{SOURCE}', ?, ?, _row, _reject_field, _reject_reason,
               CASE WHEN coalesce({_nhs_ok(nhs)}, false) THEN pseudo({nhs}) END
        FROM judged WHERE _reject_reason IS NOT NULL
        """,
        [run_id, sha, name],
    )
    if malformed:
        con.executemany(
            f"INSERT INTO wh.quarantine VALUES (?, '{SOURCE}', ?, ?, ?, NULL, ?, NULL)",
            [[run_id, sha, name, row, reason] for row, reason in malformed],
        )
    judged = con.execute("SELECT count(*) FROM judged WHERE _reject_reason IS NOT NULL")
    return judged.fetchone()[0] + len(malformed)


__all__ = ["ingest_discharges_file", "LAYOUT", "DDL", "file_sha256"]
