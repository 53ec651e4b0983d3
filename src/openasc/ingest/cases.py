"""Safeguarding concerns and DoLS applications in: the same door as CLD, for case lists.

A council's safeguarding and DoLS systems export one row per concern or per application. The
file goes through the same steps as a CLD file, for the same reasons (design principles 4
and 5): read and validated in memory against its YAML specification
(`spec/safeguarding.yaml`, `spec/dols.yaml`); person IDs made into the same keyed pseudonyms
CLD uses (`pseudo('<cassr>_' || id)`), so a concern links to the person's CLD record without
the ID ever reaching the warehouse; date of birth cut to year and month; rows that cannot be
used quarantined with a reason; rows in = loaded + quarantined, printed and recorded; one
transaction; the same file twice is "already loaded" and changes nothing.

Two things are particular to case lists:

- multi-label fields (several types or sources of risk per concern, SG2) are split into a
  child table, one row per concern and category, because the collection counts each
  category that applies to an enquiry once (reference A4, SG2);
- a later file that restates a concern or application (same reference) replaces the earlier
  row: case lists are re-extracted each year, and an enquiry that opened in one year and
  concluded in the next appears in both extracts with its latest state.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import yaml

from openasc import councils
from openasc.config import Settings, load_key
from openasc.errors import OpenascError
from openasc.ingest.pipeline import FileResult, IngestResult, Stage, by_field, ingest_file
from openasc.ingest.reader import ReadResult, Scan, read_into
from openasc.spec import Spec, load_spec

KINDS = ("safeguarding", "dols")
FAILED = ("Failed: Invalid", "Failed: Blank (Mandatory)")
NOT_MAPPED = "Invalid and not mapped"
# Fields whose value is an identifier or a full date of birth: never echoed in a reason.
SECRET = {"la_person_unique_identifier", "nhs_number", "date_of_birth", "concern_reference",
          "application_reference"}

# Person columns shared by both tables: pseudonyms and coarsened values made at the door.
PERSON = {
    "la_person_pseudo": "pseudo($cassr || '_' || c.la_person_unique_identifier)",
    "nhs_number_pseudo": "pseudo(c.nhs_number)",
    "birth_year": "CAST(year(c.date_of_birth) AS INTEGER)",
    "birth_month": "CAST(month(c.date_of_birth) AS INTEGER)",
    "gender": "c.gender",
    "sex": "g_gender.grp",
    "ethnicity": "c.ethnicity",
    "ethnicity_group": "coalesce(g_ethnicity.grp, $eth_default)",
    "primary_support_reason": "c.primary_support_reason",
    "psr_group": "CASE WHEN c.primary_support_reason IS NULL THEN 'Not Known' "
                 "ELSE coalesce(g_primary_support_reason.grp, 'Not Known') END",
}
COLUMNS: dict[str, dict[str, str]] = {
    "safeguarding": {
        "concern_received_date": "c.concern_received_date",
        "enquiry_type": "c.enquiry_type",
        "enquiry_start_date": "CASE WHEN c.enquiry_type <> 'No enquiry' "
                              "THEN c.enquiry_start_date END",
        "enquiry_conclusion_date": "CASE WHEN c.enquiry_type <> 'No enquiry' "
                                   "THEN c.enquiry_conclusion_date END",
        "location_of_risk": "c.location_of_risk",
        "risk_assessment_outcome": "c.risk_assessment_outcome",
        "risk_outcome": "c.risk_outcome",
        "msp_desired_outcomes_asked": "c.msp_desired_outcomes_asked",
        "msp_outcomes_achieved": "c.msp_outcomes_achieved",
        "lacked_capacity": "c.lacked_capacity",
        "advocacy_support": "c.advocacy_support",
    },
    "dols": {
        "received_date": "c.date_application_received",
        "application_type": "CASE c.urgent_included WHEN 'Yes' THEN 'Urgent' ELSE 'Standard' END",
        "priority": "c.priority",
        "setting": "c.setting",
        "cqc_location_id": "c.cqc_location_id",
        "sign_off_date": "c.application_sign_off_date",
        "application_status": "c.application_status",
        "reason_not_granted": "CASE WHEN c.application_status = 'Withdrawn' "
                              "THEN coalesce(c.reason_not_granted, 'Withdrawn or ceased') "
                              "WHEN c.application_status = 'Not granted' "
                              "THEN coalesce(c.reason_not_granted, 'Not recorded') END",
        "authorisation_start_date": "c.authorisation_start_date",
        "authorisation_end_date": "c.authorisation_end_date",
    },
}
TABLE = {"safeguarding": "safeguarding_concerns", "dols": "dols_applications"}
ID_COLUMN = {"safeguarding": "concern_id", "dols": "application_id"}
REFERENCE = {"safeguarding": "concern_reference", "dols": "application_reference"}
EVENT_DATE = {"safeguarding": "concern_received_date", "dols": "date_application_received"}

# Checks across fields of one row: (condition over cleaned columns, field, reason SQL).
CROSS_CHECKS: dict[str, list[tuple[str, str, str]]] = {
    "safeguarding": [
        ("enquiry_start_date < concern_received_date", "Enquiry_Start_Date",
         "'Enquiry_Start_Date ' || strftime(enquiry_start_date, '%d/%m/%Y') || ' is before "
         "Concern_Received_Date ' || strftime(concern_received_date, '%d/%m/%Y') || '; "
         "expected an enquiry to start on or after the concern it follows.'"),
        ("enquiry_conclusion_date < enquiry_start_date", "Enquiry_Conclusion_Date",
         "'Enquiry_Conclusion_Date ' || strftime(enquiry_conclusion_date, '%d/%m/%Y') || ' is "
         "before Enquiry_Start_Date ' || strftime(enquiry_start_date, '%d/%m/%Y') || '; "
         "expected a conclusion on or after the start.'"),
        ("date_sub('year', date_of_birth, concern_received_date) < 18", "Date_of_Birth",
         "'The person was under 18 when the concern was received; the Safeguarding Adults "
         "Collection covers adults aged 18 and over.'"),
    ],
    "dols": [
        ("application_sign_off_date < date_application_received", "Application_Sign_Off_Date",
         "'Application_Sign_Off_Date ' || strftime(application_sign_off_date, '%d/%m/%Y') || "
         "' is before Date_Application_Received ' || "
         "strftime(date_application_received, '%d/%m/%Y') || '; expected a sign-off on or "
         "after receipt.'"),
        ("application_status = 'Not yet signed off' AND application_sign_off_date IS NOT NULL",
         "Application_Status",
         "'Application_Status is Not yet signed off but Application_Sign_Off_Date is ' || "
         "strftime(application_sign_off_date, '%d/%m/%Y') || '; expected Granted, Not granted "
         "or Withdrawn for a signed-off application, or a blank sign-off date.'"),
        ("authorisation_end_date < authorisation_start_date", "Authorisation_End_Date",
         "'Authorisation_End_Date is before Authorisation_Start_Date; expected an end on or "
         "after the start.'"),
        ("date_sub('year', date_of_birth, date_application_received) < 18", "Date_of_Birth",
         "'The person was under 18 when the application was received; DoLS covers adults "
         "aged 18 and over (16-17 year olds go to the Court of Protection).'"),
    ],
}


@dataclass(frozen=True)
class MultiField:
    """A field holding several categories (e.g. `Physical Abuse; Neglect and Acts of Omission`)."""

    column: str
    list: str
    separator: str
    table: str
    target: str


@cache
def _raw_spec(kind: str) -> dict[str, Any]:
    """The YAML as written: the keys openasc.spec does not model (multi-label, quarantine)."""
    text = resources.files("openasc.spec").joinpath(f"{kind}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def multi_fields(kind: str) -> list[MultiField]:
    return [MultiField(f["name"].lower(), f["values_from"], f["separator"], f["multi_table"],
                       f["multi_column"])
            for f in _raw_spec(kind)["fields"] if f.get("separator")]


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise OpenascError(f"Unknown case list kind {kind!r}; expected safeguarding or dols.")


def q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ----------------------------------------------------------------------------- staging
@dataclass
class Staged:
    """A case list read, validated and judged in memory, waiting to cross into the warehouse."""

    path: Path
    read: ReadResult
    council: councils.Council
    cassr: str
    rejected: int
    invalid_labels: int
    warnings: list[str]


def _lookup_tables(con: duckdb.DuckDBPyConnection, spec: Spec) -> None:
    """`_case_groups` (list, value, group) and `_case_labels` (list, key, value) from the spec.

    The label lookup maps each spelling a multi-label cell may use (the value, or a listed
    correction) by its normalised form, as the validator does for single values.
    """
    groups = [(n, v, g) for n, vl in spec.lists.items() for v, g in vl.groups.items()]
    con.execute("CREATE OR REPLACE TEMP TABLE _case_groups(list VARCHAR, value VARCHAR, "
                "grp VARCHAR)")
    if groups:
        con.executemany("INSERT INTO _case_groups VALUES (?, ?, ?)", groups)
    labels = [(n, v, v) for n, vl in spec.lists.items() for v in vl.values]
    labels += [(n, k, v) for n, vl in spec.lists.items() for k, v in vl.corrections.items()]
    con.execute("CREATE OR REPLACE TEMP TABLE _case_label_src(list VARCHAR, src VARCHAR, "
                "value VARCHAR)")
    con.executemany("INSERT INTO _case_label_src VALUES (?, ?, ?)", labels)
    con.execute("CREATE OR REPLACE TEMP TABLE _case_labels AS SELECT list, _oa_norm(src) AS key, "
                "min(value) AS value FROM _case_label_src GROUP BY ALL")


def _judge(con: duckdb.DuckDBPyConnection, kind: str, spec: Spec) -> None:
    """Table `judged`: `chk` plus the case-list reasons for quarantine (first that holds)."""
    present = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'chk'").fetchall()}
    checks: list[tuple[str, str, str]] = []
    for name in _raw_spec(kind).get("quarantine_if_failed", []):
        f = spec.field(name)
        c = f.column
        if f"{c}__status" not in present:
            continue
        shown = "" if c in SECRET else " || ' ' || left(b.v_" + c + ", 40)"
        expected = {"date": "a date as dd/mm/yyyy", "code": "a known NHS council code"}.get(
            f.type, "one of: " + ", ".join(spec.lists[f.list].values) if f.list else "a value")
        checks.append((
            f"c.{c}__status = 'Failed: Blank (Mandatory)'", f.name,
            q(f"{f.name} is blank; expected {expected}.")))
        checks.append((
            f"c.{c}__status = 'Failed: Invalid'", f.name,
            f"{q(f.name)}{shown} || {q(' is not valid; expected ' + expected + '.')}"))
    checks += [(f"({cond})", name, reason) for cond, name, reason in CROSS_CHECKS[kind]]
    field = "CASE " + " ".join(f"WHEN coalesce({c}, false) THEN {q(n)}" for c, n, _ in checks) \
        + " END"
    reason = "CASE " + " ".join(f"WHEN coalesce({c}, false) THEN {r}" for c, _, r in checks) \
        + " END"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE judged AS
        SELECT c.*,
               CASE WHEN c._reject_reason IS NOT NULL THEN c._reject_field ELSE {field} END
                   AS _field,
               coalesce(c._reject_reason, {reason}) AS _reason
        FROM chk c JOIN _oa_b b USING (_row)
    """)


def _split_multi(con: duckdb.DuckDBPyConnection, kind: str) -> int:
    """One row per concern and category in `_multi_<column>`; returns unmapped labels."""
    unmapped = 0
    for m in multi_fields(kind):
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _multi_{m.column} AS
            SELECT DISTINCT _row, coalesce(l.value, {q(NOT_MAPPED)}) AS value
            FROM (SELECT c._row, trim(s.part) AS part
                  FROM judged c, unnest(string_split(c.{m.column}, {q(m.separator)})) s(part)
                  WHERE c._reason IS NULL AND c.{m.column} IS NOT NULL) x
            LEFT JOIN _case_labels l ON l.list = {q(m.list)} AND l.key = _oa_norm(x.part)
            WHERE x.part <> ''
        """)
        unmapped += con.execute(f"SELECT count(*) FROM _multi_{m.column} "
                                f"WHERE value = {q(NOT_MAPPED)}").fetchone()[0]
    return unmapped


def stage_case_file(con: duckdb.DuckDBPyConnection, kind: str, path: Path,
                    scan: Scan | None = None,
                    labels_file: Path | None = None, date_order: str | None = None) -> Staged:
    """Read, validate and judge one case list in the in-memory database (`scan`: the
    file's `scan_file` result when the caller already has it)."""
    from openasc.ingest import labels  # [labels] issue 11: the council's label mapping
    from openasc.ingest.validate import validate

    spec = load_spec(kind)
    read = read_into(con, path, spec, table="stg", scan=scan)
    mapped = labels.apply_labels(con, kind, labels_file)  # [labels]
    result = validate(con, spec, table="stg", date_order=date_order)
    if result.file_errors:
        raise OpenascError(f"{path}: the file cannot be loaded: " + "; ".join(result.file_errors)
                           + f" Run `openasc validate {kind}` for the rejected rows.")
    if not result.cassr_code:
        raise OpenascError(
            f"{path}, field LA_Code: no row has a known NHS council (CASSR) code; expected the "
            "3-digit code (e.g. 416 for Worcestershire; not the DfE code) on every row.")
    council = councils.find(result.cassr_code)
    if council is None:  # pragma: no cover - validate only accepts codes in councils.csv
        raise OpenascError(f"{path}, field LA_Code: {result.cassr_code!r} is not a known council.")
    _lookup_tables(con, spec)
    _judge(con, kind, spec)
    unmapped = _split_multi(con, kind)
    rejected = con.execute("SELECT count(*) FROM judged WHERE _reason IS NOT NULL").fetchone()[0]
    warnings = [*([result.date_note] if result.date_note else []), *result.file_warnings]
    warnings += mapped + labels.unmapped_warnings(con, kind, judged="judged")  # [labels]
    if unmapped:
        warnings.append(f"{unmapped:,} multi-label categories are not in their list and were "
                        f"kept as {NOT_MAPPED!r}.")
    return Staged(path, read, council, result.cassr_code, int(rejected), unmapped, warnings)


# ----------------------------------------------------------------------------- commands
def validate_case_files(kind: str, files: list[Path], report_dir: Path | None,
                        settings: Settings, date_order: str | None = None) -> list[FileResult]:
    """`openasc validate safeguarding|dols`: what would load and what would not; load nothing.

    The report is a CSV of the rows that would be quarantined (row, field, reason): never an
    identifier, so it can be shared with the team that fixes the source system.
    """
    from openasc.ingest.staging import staging_connection

    _check_kind(kind)
    key = load_key(settings, bind=False)
    results = []
    for path in files:
        path = Path(path)
        with staging_connection(key, settings.memory_limit) as con:
            staged = stage_case_file(con, kind, path, labels_file=settings.labels_file,
                                     date_order=date_order)
            malformed = len(staged.read.malformed)
            r = FileResult(kind, str(path), staged.read.sha256, staged.read.rows,
                           loaded=staged.read.rows - malformed - staged.rejected,
                           quarantined=by_field(con, "judged", malformed),
                           warnings=[*staged.read.notes, *staged.warnings])
            if report_dir is not None:
                r.detail["report"] = _write_rejects(con, staged, Path(report_dir))
            results.append(r)
    return results


def _write_rejects(con: duckdb.DuckDBPyConnection, staged: Staged, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{staged.path.stem}-rejected.csv"
    rows = con.execute("SELECT _row, _field, _reason FROM judged WHERE _reason IS NOT NULL "
                       "ORDER BY _row").fetchall()
    rows += [(r, None, reason) for r, reason in staged.read.malformed]
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["row_number", "field", "reason"])
        w.writerows(sorted(rows, key=lambda r: r[0]))
    return out


def _insert_rows(con: duckdb.DuckDBPyConnection, kind: str, staged: Staged,
                 load_id: int) -> tuple[int, int]:
    """Copy the usable rows into the warehouse, pseudonymised; (loaded, replaced)."""
    table, id_col, ref = TABLE[kind], ID_COLUMN[kind], REFERENCE[kind]
    exprs = {**PERSON, **COLUMNS[kind]}
    eth_default = load_spec(kind).lists["Ethnicity"].group_default or "Undeclared / Not Known"
    joins = " ".join(
        f"LEFT JOIN _case_groups g_{c} ON g_{c}.list = {q(lst)} AND g_{c}.value = c.{c}"
        for c, lst in (("gender", "Gender"), ("ethnicity", "Ethnicity"),
                       ("primary_support_reason", "Primary_Support_Reason")))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _load AS
        SELECT $load_id AS load_id, c._row AS row_number, $ons AS la_code, $cassr AS cassr_code,
               coalesce(pseudo($cassr || '_' || c.{ref}),
                        'file' || $load_id || '_row' || c._row) AS {id_col},
               coalesce(pseudo(c.nhs_number),
                        pseudo($cassr || '_' || c.la_person_unique_identifier)) AS person_id,
               {', '.join(f'{e} AS {col}' for col, e in exprs.items())},
               c._row AS _row
        FROM judged c {joins}
        WHERE c._reason IS NULL
    """, {"load_id": load_id, "ons": staged.council.ons_code, "cassr": staged.cassr,
          "eth_default": eth_default})
    # A later extract restates a case with its latest state: the newer row replaces the older.
    replaced = con.execute(
        f"SELECT count(*) FROM wh.{table} WHERE la_code = ? AND {id_col} IN "
        f"(SELECT {id_col} FROM _load)", [staged.council.ons_code]).fetchone()[0]
    if replaced:
        for m in multi_fields(kind):
            con.execute(f"DELETE FROM wh.{m.table} WHERE la_code = ? AND concern_id IN "
                        f"(SELECT {id_col} FROM _load)", [staged.council.ons_code])
        con.execute(f"DELETE FROM wh.{table} WHERE la_code = ? AND {id_col} IN "
                    f"(SELECT {id_col} FROM _load)", [staged.council.ons_code])
    con.execute(f"INSERT INTO wh.{table} BY NAME SELECT * EXCLUDE (_row) FROM _load")
    for m in multi_fields(kind):
        con.execute(f"INSERT INTO wh.{m.table} (la_code, concern_id, {m.target}) "
                    f"SELECT l.la_code, l.{id_col}, x.value FROM _multi_{m.column} x "
                    f"JOIN _load l USING (_row)")
    loaded = con.execute("SELECT count(*) FROM _load").fetchone()[0]
    return int(loaded), int(replaced)


# ----------------------------------------------------------------------------- pipeline hooks
# `spec/safeguarding.yaml` and `spec/dols.yaml` name these for the pipeline's stages
# (ingest/pipeline.py): the validation is the specification validator's, the load replaces
# restated cases and splits multi-label fields into their child tables.
def read(stage: Stage) -> None:
    """Read the case list with its validation spec's fields (names, aliases)."""
    stage.state["staged"] = stage_case_file(stage.con, stage.spec.name, stage.path,
                                            stage.options.get("scan"),
                                            labels_file=stage.options.get("labels_file"),
                                            date_order=stage.options.get("date_order"))
    stage.read = stage.state["staged"].read
    stage.state["council"] = (stage.state["staged"].council.ons_code, stage.state["staged"].cassr)


def judge(stage: Stage) -> None:
    """Validation happened with the read (`stage_case_file`); keep its warnings and the
    pseudonym a quarantined row is recorded under."""
    staged: Staged = stage.state["staged"]
    assert stage.result is not None
    stage.result.warnings = staged.warnings
    stage.state["person"] = ("coalesce(pseudo(nhs_number), pseudo(" + q(staged.cassr)
                             + " || '_' || la_person_unique_identifier))")


def map_rows(stage: Stage) -> None:
    """Nothing to do apart from load: a case's pseudonymised ID needs the file's load_id."""


def load(stage: Stage) -> int:
    """Insert the usable rows, replacing restated cases, and list the file in `case_files`."""
    kind, con, staged = stage.spec.name, stage.con, stage.state["staged"]
    assert stage.result is not None
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM wh.case_files"
                          ).fetchone()[0]
    loaded, replaced = _insert_rows(con, kind, staged, load_id)
    quarantined = staged.rejected + len(staged.read.malformed)
    stage.result.replaced = replaced
    stage.result.detail["inputs"] = {"load_id": load_id}
    con.execute(
        "INSERT INTO wh.case_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, kind, staged.council.ons_code, staged.cassr, staged.read.source_name,
         staged.read.sha256, staged.read.rows, loaded, quarantined, replaced, stage.run_id,
         datetime.now()])
    return loaded


def ingest_case_file(kind: str, file: Path, settings: Settings, **checks: Any) -> IngestResult:
    """`openasc ingest safeguarding|dols FILE`: load one case list in one transaction
    (`checks`: the pipeline's extract checks, as for `pipeline.ingest_files`)."""
    _check_kind(kind)
    return ingest_file(kind, file, settings, labels_file=settings.labels_file, **checks)
