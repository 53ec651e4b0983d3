"""Client-level data in: read, validate, pseudonymise, quarantine, load, de-duplicate.

The order matters for privacy. A file is read and validated in an in-memory database that
is never written to disk; only then is the warehouse attached, and what crosses into it is
already pseudonymised (keyed hashes for NHS number and person IDs, birth year and month,
postcode district) with free text and names dropped. The whole command is one transaction:
if anything fails, or the process is killed, the warehouse is as it was. A file whose hash
is already in the warehouse is reported as already loaded and changes nothing.

Every input row ends in exactly one place: `cld_records` (loaded) or `quarantine` (with a
reason), and the counts are printed and recorded in `runs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import overload

import duckdb
import pyarrow as pa

from openasc import councils, warehouse
from openasc.config import Settings, load_key
from openasc.errors import OpenascError
from openasc.ingest.pipeline import FileResult, IngestResult, Stage, by_field
from openasc.ingest.pipeline import ingest_files as ingest_pipeline_files
from openasc.ingest.reader import ReadResult, Scan, read_into
from openasc.ingest.staging import staging_connection
from openasc.spec import Spec, load_spec

#: The CLD tables (`schema.sql`, group `cld`), for tests that build them on their own.
CLD_DDL = warehouse.table_groups()["cld"]

# The validator's columns naming a rejected row's field and reason.
REJECT = ("_reject_field", "_reject_reason")

# Fields that cross into the warehouse in a changed form; every other `keep` field is copied.
# Identifiers to pseudonymise: the warehouse column and the text that is hashed. Person IDs
# are prefixed with the council's code, as DHSC's combined person ID is, so that two councils'
# "12345" stay two people.
IDENTIFIERS = {
    "nhs_number_pseudo": "c.nhs_number",
    "la_person_pseudo": "s.cassr || '_' || trim(c.la_person_unique_identifier)",
    "adult_1_linked_person_pseudo": "s.cassr || '_' || trim(c.adult_1_linked_person_id)",
    "adult_2_linked_person_pseudo": "s.cassr || '_' || trim(c.adult_2_linked_person_id)",
    "adult_3_linked_person_pseudo": "s.cassr || '_' || trim(c.adult_3_linked_person_id)",
}
# DHSC's combined person ID (cld-r2.md §5.6): the NHS number where one is present - as
# submitted, valid or not - else the council's code and person ID. Pseudonymised like the rest.
PERSON_ID = {"person_nhs_pseudo": "c.nhs_number__submitted"}
COARSENED = {
    "birth_year": "CAST(year(c.date_of_birth) AS INTEGER)",
    "birth_month": "CAST(month(c.date_of_birth) AS INTEGER)",
    "postcode_district": "upper(split_part(trim(c.postcode), ' ', 1))",
    "is_conversation": "coalesce(lower(c.event_description) LIKE '%conversation%', false)",
}
# The row's field profile (validate.PROFILE_COLUMNS): what its cleaned values cannot show.
PROFILE = {"dq_invalid": "c._dq_invalid", "dq_release_1": "c._dq_release_1",
           "dq_blank": "c._dq_blank"}


@dataclass
class StagedFile:
    """A file read and validated in memory, waiting to cross into the warehouse."""

    path: Path
    read: ReadResult
    table: str
    validation: object
    council: councils.Council
    rejected: int


@overload
def stage_file(con: duckdb.DuckDBPyConnection, path: Path, spec: Spec, index: int,
               *, load_only: bool = False, cross_rows: bool = True,
               skip: None = None, scan: Scan | None = None,
               date_order: str | None = None, database: str | None = None) -> StagedFile:
    ...


@overload
def stage_file(con: duckdb.DuckDBPyConnection, path: Path, spec: Spec, index: int,
               *, load_only: bool = False, cross_rows: bool = True,
               skip: Callable[[ReadResult], bool], scan: Scan | None = None,
               date_order: str | None = None,
               database: str | None = None) -> StagedFile | None:
    ...


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, spec: Spec, index: int,
               *, load_only: bool = False, cross_rows: bool = True,
               skip: Callable[[ReadResult], bool] | None = None,
               scan: Scan | None = None, date_order: str | None = None,
               database: str | None = None) -> StagedFile | None:
    """Read and validate one file into memory table `chk_<index>`, or `<database>.chk`.

    `database`: an in-memory database attached for this file alone, which the caller
    detaches once done with `chk`, freeing the file's tables at once.

    `load_only`: `chk` without the per-field statuses and notes, which only the data-quality
    report reads (the reject reasons are the same). `cross_rows`: the advisory cross-row
    warnings, which `validate cld` prints and `ingest cld` does not. `skip(read)` is asked
    once the file is read (its hash is made beside the read, at no cost in time); when it
    says yes, the file is dropped before validation and None returned. `date_order`: the
    user's `--date-order` (default: the file's dates decide, ingest/dates.py).
    """
    from openasc.ingest.validate import validate

    table, chk = f"stg_{index}", f"chk_{index}"
    if database:
        con.execute(f"ATTACH OR REPLACE ':memory:' AS {database}")
        chk = f"{database}.chk"
    read = read_into(con, path, spec, table=table, scan=scan)
    if skip is not None and skip(read):
        con.execute(f"DROP TABLE {table}")
        return None
    result = validate(con, spec, table=table, load_only=load_only, cross_rows=cross_rows,
                      date_order=date_order, profile=True, out=chk)
    if result.date_note:  # shown by ingest and validate alike
        read.notes.append(result.date_note)
    con.execute(f"DROP TABLE {table}")
    if result.file_errors:
        raise OpenascError(
            f"{path}: the file cannot be loaded: " + "; ".join(result.file_errors) +
            " Run `openasc validate cld` for the full data-quality report."
        )
    if not result.cassr_code:
        raise OpenascError(
            f"{path}: no LA_Code could be read from any row; expected the 3-digit NHS council "
            "code (e.g. 416) on every row."
        )
    council = councils.find(result.cassr_code, on=result.period_end)
    if council is None:
        raise OpenascError(
            f"{path}, field LA_Code: {result.cassr_code!r} is not a known NHS council (CASSR) "
            "code. Expected the 3-digit code CLD uses (e.g. 416 for Worcestershire; not the "
            "DfE code) as listed in councils.csv."
        )
    rejected = con.execute(
        f"SELECT count(*) FROM {chk} WHERE _reject_reason IS NOT NULL"
    ).fetchone()[0]
    return StagedFile(path, read, chk, result, council, int(rejected))


def validate_files(files: list[Path], report_dir: Path | None, settings: Settings,
                   console: object = None, date_order: str | None = None) -> list[FileResult]:
    """`openasc validate cld`: the data-quality report, and nothing loaded.

    (`console` is accepted for callers of the earlier signature; nothing is printed.)"""
    spec = load_spec("cld")
    key = load_key(settings, bind=False)
    results = []
    with staging_connection(key, settings.memory_limit) as con:
        for i, path in enumerate(files):
            # the statuses and notes are built only for a report, the one reader of them
            staged = stage_file(con, Path(path), spec, i, load_only=report_dir is None,
                                date_order=date_order)
            con.execute(f"ALTER TABLE {staged.table} RENAME TO chk")
            v = staged.validation
            malformed = len(staged.read.malformed)
            r = FileResult("cld", str(path), staged.read.sha256, staged.read.rows,
                           loaded=staged.read.rows - malformed - staged.rejected,
                           quarantined=by_field(con, "chk", malformed, *REJECT),
                           warnings=[*staged.read.notes, *getattr(v, "file_warnings", [])])
            if report_dir is not None:
                from openasc.ingest.dq_report import write_report

                html, csv_path = write_report(con, spec, v, Path(report_dir), Path(path).name)
                r.detail["report"] = f"{html} and {csv_path}"
            results.append(r)
            con.execute("DROP TABLE chk")
    return results


@dataclass
class Handoff:
    """What the load of one file needs, made where the file was judged: its usable rows as
    `cld_records` rows (pseudonymised; `record_id` and `submission_id` are given at the load)
    and its quarantined rows, both as Arrow tables.

    The loading transaction of a command of several files reads these instead of each
    file's in-memory database, because a transaction that reads a database keeps all of it
    until it commits: a command of a hundred and fifty files would otherwise keep every file
    it loaded. For the same reason they are streams that let go of their rows as they are
    read (`_drained`). Only pseudonyms and coarsened values are in them. A command of one
    file has nothing to let go of, and loads straight from the file's database (`Direct`)."""

    records: pa.RecordBatchReader
    quarantined: pa.RecordBatchReader


@dataclass
class Direct:
    """A command's only file, loaded straight from its in-memory database (`database`),
    which stays attached until the command ends: no Arrow copy of a million rows, and the
    insert runs on every core, writing the rows out as it goes so the commit is short
    (benchmarks/README.md). Its pseudonyms are in `<database>._pseudo`."""

    database: str


def _records_sql(con: duckdb.DuckDBPyConnection, spec: Spec, table: str,
                 pseudo: str = "_pseudo") -> str:
    """SELECT of one staged file's usable rows as `cld_records` rows (all columns but
    `record_id` and `submission_id`), pseudonymised; parameters: council's NHS and ONS codes.
    Needs `pseudo` (`_pseudonyms`: each distinct identifier hashed once)."""
    target = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'wh' "
        "AND table_name = 'cld_records' ORDER BY ordinal_position").fetchall()]
    kept = {f.column for f in spec.fields if f.privacy == "keep"}
    explicit = {"record_id", "submission_id", "row_number", "la_code", "cassr_code", "person_id"}
    exprs: list[str] = []
    joins: list[str] = []
    for col in target:
        if col in explicit:
            continue
        if col in IDENTIFIERS:
            exprs.append(f"{col}.p AS {col}")
            joins.append(f"LEFT JOIN {pseudo} {col} ON {col}.v = {IDENTIFIERS[col]}")
        elif col in COARSENED or col in PROFILE:
            exprs.append(f"{COARSENED.get(col) or PROFILE[col]} AS {col}")
        elif col in kept:
            exprs.append(f"c.{col} AS {col}")
    joins += [f"LEFT JOIN {pseudo} {col} ON {col}.v = {sql}" for col, sql in PERSON_ID.items()]
    return f"""
        WITH s AS (SELECT ? AS cassr, ? AS ons)
        SELECT * EXCLUDE (person_nhs_pseudo),
               coalesce(person_nhs_pseudo, la_person_pseudo) AS person_id FROM (
            SELECT c._row AS row_number, s.ons AS la_code, s.cassr AS cassr_code,
                   {', '.join(exprs)},
                   {', '.join(f"{col}.p AS {col}" for col in PERSON_ID)}
            FROM {table} c CROSS JOIN s {' '.join(joins)}
            WHERE c._reject_reason IS NULL
        )"""


def _quarantined_sql(table: str) -> str:
    """SELECT of one staged file's rejected rows: row, field, reason and the person's
    pseudonym when there is one; parameter: the council's NHS code."""
    return f"""SELECT _row, _reject_field, _reject_reason,
                      coalesce(pseudo(nhs_number),
                               pseudo(? || '_' || trim(la_person_unique_identifier))) AS person
               FROM {table} WHERE _reject_reason IS NOT NULL"""


def _pseudonyms(con: duckdb.DuckDBPyConnection, staged: StagedFile, table: str) -> None:
    """`table` (a temporary table unless its database is named): each distinct identifier
    of the staged file with its pseudonym (people appear on many rows: each is hashed
    once)."""
    distinct = " UNION ".join(f"SELECT {e} AS v FROM {staged.table} c, s"
                              for e in {**IDENTIFIERS, **PERSON_ID}.values())
    kind = "TABLE" if "." in table else "TEMP TABLE"
    con.execute(
        f"CREATE OR REPLACE {kind} {table} AS WITH s AS (SELECT ? AS cassr) "
        f"SELECT v, pseudo(v) AS p FROM ({distinct}) WHERE v IS NOT NULL",
        [staged.validation.cassr_code])


def _handoff(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> Handoff:
    """Pseudonymise one staged file's rows for the load (see `Handoff`)."""
    cassr = staged.validation.cassr_code
    _pseudonyms(con, staged, "_pseudo")
    records = _drained(con.sql(_records_sql(con, load_spec("cld"), staged.table),
                               params=[cassr, staged.council.ons_code]).to_arrow_table())
    con.execute("DROP TABLE _pseudo")
    quarantined = _drained(con.sql(_quarantined_sql(staged.table),
                                   params=[cassr]).to_arrow_table())
    return Handoff(records, quarantined)


def _drained(table: pa.Table) -> pa.RecordBatchReader:
    """`table` as a stream that lets go of each batch once DuckDB has read it.

    A table registered with a connection stays referenced until the connection's
    transaction ends, which for a load is the end of the command: a hundred and fifty
    files' rows held in memory at once. Only the stream keeps the batches."""
    schema, batches = table.schema, table.to_batches()

    def drain() -> Iterator[pa.RecordBatch]:
        while batches:
            yield batches.pop(0)
    return pa.RecordBatchReader.from_batches(schema, drain())


def _insert_records(con: duckdb.DuckDBPyConnection, load: Handoff | Direct,
                    staged: StagedFile, submission_id: int) -> int:
    """Insert one file's pseudonymised rows as submission `submission_id`. Record IDs
    increase with load order (the last tie-break of de-duplication): the next file's IDs
    start after the largest so far, and within a file follow its row numbers."""
    start = con.execute("SELECT coalesce(max(record_id), 0) FROM wh.cld_records"
                        ).fetchall()[0][0]
    insert = ("INSERT INTO wh.cld_records BY NAME SELECT ? + row_number AS record_id, "
              "? AS submission_id, * FROM ")
    # INSERT returns the number of rows it wrote: no scan of the growing table to count.
    if isinstance(load, Direct):
        rows = _records_sql(con, load_spec("cld"), staged.table, f"{load.database}._pseudo")
        return int(con.execute(
            f"{insert}({rows})",
            [start, submission_id, staged.validation.cassr_code, staged.council.ons_code]
        ).fetchall()[0][0])
    # One thread: beside files being judged on the other core, a second one costs more
    # CPU than it saves.
    with warehouse.registered(con, "_cld_handoff", load.records), warehouse.one_thread(con):
        return int(con.execute(insert + "_cld_handoff", [start, submission_id]
                               ).fetchall()[0][0])


def _quarantine(con: duckdb.DuckDBPyConnection, staged: StagedFile, load: Handoff | Direct,
                run_id: str) -> int:
    """Rows that cannot be used, with why; a pseudonymised ID when there is one."""
    read = staged.read
    insert = ("INSERT INTO wh.quarantine SELECT ?, 'cld', ?, ?, _row, _reject_field, "
              "_reject_reason, person FROM ")
    if isinstance(load, Direct):
        con.execute(insert + f"({_quarantined_sql(staged.table)})",
                    [run_id, read.sha256, read.source_name, staged.validation.cassr_code])
    else:
        with warehouse.registered(con, "_cld_quarantined", load.quarantined):
            con.execute(insert + "_cld_quarantined", [run_id, read.sha256, read.source_name])
    if read.malformed:
        con.executemany(
            "INSERT INTO wh.quarantine VALUES (?, 'cld', ?, ?, ?, NULL, ?, NULL)",
            [[run_id, read.sha256, read.source_name, row, reason]
             for row, reason in read.malformed],
        )
    return staged.rejected + len(read.malformed)


def ingest_files(files: list[Path], submitted_on: date | None, settings: Settings,
                 console: object = None, **checks: object) -> IngestResult:
    """`openasc ingest cld`: load files in one transaction, then rebuild the national tables.

    The pipeline (ingest/pipeline.py) runs the stages; `spec/cld_r2.yaml` names the hooks
    below for CLD's tuned validation, its load and the national method. `checks` are the
    pipeline's extract checks (`pipeline.ingest_files`: date_order, la_code, add_council,
    max_quarantined) and `progress(done, total)`. The files are read and validated two at a
    time (`parallel: true` in the spec). (`console` is accepted for callers of the earlier
    signature; nothing is printed.)
    """
    return ingest_pipeline_files("cld", [Path(f) for f in files], settings,
                                 submitted_on=submitted_on or date.today(), **checks)


# ----------------------------------------------------------------------------- pipeline hooks
def read(stage: Stage) -> None:
    """Read and validate (ingest/validate.py, load mode) into `cld_file_<index>.chk`, a
    database of the file's own, and pseudonymise what the load needs.

    In a command of several files that is a `Handoff`, and the file's database is then
    detached, so nothing identifiable outlives this stage and memory holds a few files
    whatever their number. A command's only file (`options["files"]` is 1) is loaded
    straight from its database (`Direct`), which stays in memory, never on disk, until the
    command ends.

    A file whose hash is among `options["loaded"]` (the pipeline's parallel judging hashes
    each file beside its read) is dropped once read, and marked already loaded."""
    loaded = stage.options.get("loaded")
    database = f"cld_file_{stage.options['index']}"
    direct = stage.options.get("files") == 1

    def already_loaded(r: ReadResult) -> bool:
        stage.read = r
        return r.sha256 in loaded

    try:
        staged = stage_file(stage.con, stage.path, load_spec("cld"), stage.options["index"],
                            load_only=True, cross_rows=False, scan=stage.options.get("scan"),
                            date_order=stage.options.get("date_order"),
                            skip=already_loaded if loaded else None, database=database)
        if staged is None:
            stage.state["already_loaded"] = True
            return
        stage.state["staged"] = staged
        stage.state["council"] = (staged.council.ons_code, staged.validation.cassr_code)
        stage.state["by_field"] = by_field(stage.con, staged.table,
                                           len(staged.read.malformed), *REJECT)
        if direct:
            _pseudonyms(stage.con, staged, f"{database}._pseudo")
            stage.state["load"] = Direct(database)
        else:
            stage.state["load"] = _handoff(stage.con, staged)
        stage.read = staged.read
    finally:
        if not isinstance(stage.state.get("load"), Direct):  # the load reads it: kept
            stage.con.execute(f"DETACH DATABASE IF EXISTS {database}")


def judge(stage: Stage) -> None:
    """Validation ran with the read (CLD's tuned, set-based validator)."""


def map_rows(stage: Stage) -> None:
    """Mapping and pseudonymisation happened set-wise with the read (`read`)."""


def load(stage: Stage) -> int:
    """Insert the usable rows as a new submission and derive its reporting period."""
    from openasc.ingest import national

    con, s = stage.con, stage.state["staged"]
    r = stage.result
    assert r is not None
    sid = con.execute("SELECT coalesce(max(submission_id), 0) + 1 FROM wh.cld_submissions"
                      ).fetchone()[0]
    loaded = _insert_records(con, stage.state["load"], s, sid)
    quarantined = s.rejected + len(s.read.malformed)
    v = s.validation
    con.execute(
        "INSERT INTO wh.cld_submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, "
        "?, ?)",
        [sid, s.council.ons_code, v.cassr_code, s.read.source_name, s.read.sha256,
         stage.options["submitted_on"], v.release, v.period_start, v.period_end,
         s.read.rows, loaded, quarantined, stage.run_id])
    con.execute("USE wh")
    derived = national.derive_reporting_period(con, sid)
    con.execute("USE memory")
    r.detail["inputs"] = {"submission_id": sid,
                          "derived_period": [str(d) if d else None for d in derived]}
    return loaded


def quarantine(stage: Stage) -> int:
    s: StagedFile = stage.state["staged"]
    assert stage.result is not None
    n = _quarantine(stage.con, s, stage.state.pop("load"), stage.run_id)
    stage.result.quarantined = stage.state["by_field"]
    return n


def after_load(stages: list[Stage]) -> dict:
    """The national method over every file loaded (`cld_events`, `cld_people`)."""
    from openasc.ingest import national

    con = stages[0].con
    con.execute("USE wh")
    rebuilt = national.rebuild(con)
    con.execute("USE memory")
    events = rebuilt.get("events") or {}
    return {"rebuild": rebuilt,
            "lines": ["De-duplicated events (cld_events): " + ", ".join(
                f"{n:,} {kind.lower()}s" for kind, n in sorted(events.items()))]
            + overlap_lines(rebuilt.get("overlaps", [])),
            "run": {"method_version": national.METHOD_VERSION, "as_of": rebuilt.get("as_of"),
                    "detail": {"rebuild": rebuilt}}}


def overlap_lines(overlaps: list[dict]) -> list[str]:
    """Which submission the national method kept for each period two files cover (§5.3:
    the latest file imported after the period ended), so a user sees which one won."""
    return [f"{o['period_start']:%d/%m/%Y} to {o['period_end']:%d/%m/%Y} ({o['la_code']}): "
            f"kept {o['kept']} (submitted {o['kept_on']:%d/%m/%Y}) over "
            f"{', '.join(o['others'])}" for o in overlaps]
