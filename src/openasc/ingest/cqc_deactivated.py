"""`openasc ingest cqc-deactivated`: CQC's deactivated locations into `care_closures`, for
the care home beds deregistered in the year before the snapshot (MPS-C1).

Read as the care directory is (`care_directory.read`: README "as at" line, data sheet by its
header, the council by its name). The rules kept here (reasons in docs/decisions.md):

- `Location HSCA End Date` is text `dd/mm/yyyy` (an ISO date or a date cell also reads); a
  blank, unreadable or later-than-the-snapshot date is quarantined;
- scope: `Location Inspection Directorate` = `Adult social care` where the file has that
  column, else every care home;
- the file holds every deactivation since registration began, so a council name that no
  longer exists is not an error for an old row: only an in-scope row ended in the twelve
  months before the snapshot must name a known council, else the run stops and lists them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.ingest.care_directory import NAME_SQL
from openasc.ingest.pipeline import FileResult, IngestResult, Stage, ingest_file

END = ("coalesce(CAST(try_strptime(trim(end_date), '%d/%m/%Y') AS DATE), "
       "try_cast(trim(end_date) AS DATE))")


def ingest_deactivated_file(path: Path, settings: Settings, as_at: str | None = None,
                            aliases: Path | None = None,
                            con: duckdb.DuckDBPyConnection | None = None) -> IngestResult:
    """Load one deactivated locations file through the ingest pipeline."""
    return ingest_file("cqc_deactivated", path, settings, con, as_at=as_at, aliases=aliases)


def judge(stage: Stage) -> None:
    """`judged`: each row typed, with its first fault."""
    con, as_at = stage.con, stage.state["as_at"]
    scope = ("lower(trim(directorate)) = 'adult social care'"
             if "directorate" in stage.state["found"] else "upper(trim(care_home)) = 'Y'")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE judged AS
        WITH t AS (
            SELECT s.*, n.la_code AS la, coalesce({scope}, false) AS v_in_scope,
                   upper(trim(care_home)) AS v_care_home, {END} AS v_end,
                   try_cast(nullif(trim(beds), '') AS DOUBLE) AS v_beds,
                   row_number() OVER (PARTITION BY trim(location_id) ORDER BY _row) AS seen
            FROM stg s LEFT JOIN _la_names n ON n.name = {NAME_SQL.format(c='s.la_name')})
        SELECT *, CASE
            WHEN coalesce(trim(location_id), '') = '' OR seen > 1 THEN 'Location ID'
            WHEN v_care_home NOT IN ('Y', 'N') OR v_care_home IS NULL THEN 'Care home?'
            WHEN v_end IS NULL OR v_end > $as_at THEN 'Location HSCA End Date'
            WHEN (v_care_home = 'Y' AND v_beds IS NULL) OR v_beds < 0 OR v_beds <> floor(v_beds)
                 OR (nullif(trim(beds), '') IS NOT NULL AND v_beds IS NULL)
                THEN 'Care homes beds at point location de-activated'
            END AS _field,
            CASE
            WHEN coalesce(trim(location_id), '') = '' THEN 'Location ID is blank'
            WHEN seen > 1 THEN 'Location ID ' || trim(location_id) || ' is repeated; each '
                || 'location is listed once'
            WHEN v_care_home NOT IN ('Y', 'N') OR v_care_home IS NULL THEN 'Care home? '
                || coalesce('''' || care_home || '''', 'blank') || ' is not Y or N'
            WHEN v_end IS NULL THEN 'Location HSCA End Date '
                || coalesce('''' || nullif(trim(end_date), '') || '''', 'blank')
                || ' is not a date; expected dd/mm/yyyy'
            WHEN v_end > $as_at THEN 'Location HSCA End Date ' || strftime(v_end, '%d/%m/%Y')
                || ' is after the snapshot date ' || strftime($as_at, '%d/%m/%Y')
            WHEN (v_care_home = 'Y' AND v_beds IS NULL) OR v_beds < 0 OR v_beds <> floor(v_beds)
                 OR (nullif(trim(beds), '') IS NOT NULL AND v_beds IS NULL)
                THEN 'Care homes beds at point location de-activated '
                || coalesce('''' || nullif(beds, '') || '''', 'blank') || ' is not a whole '
                || 'number of beds (expected 0 or more; required for a care home)'
            END AS _reason
        FROM t""", {"as_at": as_at})
    unknown = con.execute("""
        SELECT coalesce(nullif(trim(la_name), ''), '(blank)'), count(*) FROM judged
        WHERE _reason IS NULL AND v_in_scope AND la IS NULL AND v_care_home = 'Y'
          AND v_end > $as_at - INTERVAL 1 YEAR
        GROUP BY 1 ORDER BY 1""", {"as_at": as_at}).fetchall()
    if unknown:
        names = ", ".join(f"{n!r} ({k} row{'s' if k > 1 else ''})" for n, k in unknown[:20])
        raise OpenascError(
            f"{stage.path}: {len(unknown)} 'Location Local Authority' name(s) of care homes "
            f"deregistered in the last year match no council in councils.csv: {names}. "
            "Nothing was loaded. Add them to an aliases file (cqc_name,council_ons_code) and "
            "give it with --aliases.")


def map_rows(stage: Stage) -> None:
    stage.con.execute("""
        CREATE OR REPLACE TEMP TABLE mapped AS
        SELECT trim(location_id) AS location_id, $as_at::DATE AS as_at, v_in_scope AS in_scope,
               la AS la_code, v_care_home = 'Y' AS care_home, v_end AS end_date,
               CAST(coalesce(v_beds, 0) AS INTEGER) AS beds, _row
        FROM judged WHERE _reason IS NULL""", {"as_at": stage.state["as_at"]})


def load(stage: Stage) -> int:
    """Replace the whole file (every deactivation, as at the snapshot) with this one."""
    con, r = stage.con, stage.result
    assert r is not None
    con.execute("DELETE FROM care_closures")
    n = con.execute("""INSERT INTO care_closures BY NAME
                       SELECT * EXCLUDE (_row), ? AS file_sha256, ? AS source_name,
                              _row AS row_number, ? AS run_id FROM mapped""",
                    [r.sha256, r.name, stage.run_id]).fetchone()[0]
    homes, beds = con.execute("""
        SELECT count(*), coalesce(sum(beds), 0) FROM mapped
        WHERE in_scope AND care_home AND end_date > as_at - INTERVAL 1 YEAR""").fetchone()
    r.detail.update(homes=homes, beds=beds)
    return int(n)


def render(result: FileResult) -> str:
    d = result.detail
    return (f"{result.name}: {result.rows_in:,} location(s) read = {result.loaded:,} loaded + "
            f"{result.rows_quarantined:,} quarantined (as at {d['as_at']}, sheet "
            f"{d['sheet']!r}); {d.get('homes', 0):,} care home(s) with {d.get('beds', 0):,} "
            "beds deregistered in the year before."
            + "".join(f"\n  quarantined, by field: {k} {v:,}"
                      for k, v in result.quarantined.items())
            + "".join(f"\n  warning: {w}" for w in result.warnings))
