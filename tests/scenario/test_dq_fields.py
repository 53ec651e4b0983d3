"""DQ-FIELDS: DHSC's field-level data-quality profile (8.DQ_Values_table.sql, which runs
Stored_procedures/create_GetDQValues_procedure.sql over its dashboard master table), through
the real command line: a CLD file -> `openasc ingest cld` -> `openasc compute --select DQ`.

DHSC's procedure makes, for every record of the de-duplicated single-submission table and
every CLD field, one row (field, field status, validity) and counts them. Field status:
`Mandatory`, `Applicable but not mandatory`, `Not applicable`, `Undetermined`; validity:
`Passed: Valid` (a value that passes), `Passed: Blank (Not Mandatory)`, `Failed: Blank
(Mandatory)`, `Failed: Invalid` (a value that is not valid), `Failed: Release 1` (a value
valid only in the Release 1 specification). Which fields are mandatory or applicable on a
row is the CLD specification's (spec/cld_r2.yaml, cld-r2 section 6.4).

The file (2024-25, council 416), six records, every one in the period and none a duplicate:
- R1, R2: `BOOKEND`'s planned reviews, 15 April 2024 and 15 March 2025, every field valid;
- A: a request, 1-3 May 2024, Ethnicity given in its Release 1 spelling
  (`White - English, Welsh, Scottish, Northern Irish or British`);
- B: an assessment, 1-10 June 2024, Ethnicity `White British` (not on the confirmed list)
  and no date of birth;
- C: a long-term community service from 1 July 2024, still open, paid by direct payment
  (so a costed service: unit cost and cost frequency mandatory) with no cost given;
- D: a planned review, 1 September 2024, with no client type.
Every record leaves Event_Reference, Event_Description, GP_Practice_Code and Date_of_Death
blank (the file builder's defaults).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest
from test_salt_events import LA, PERIOD, _ok, bookends, openasc

from cldfile import cld_row, write_cld_csv
from openasc.ingest.cld import stage_file
from openasc.ingest.validate import _rules_sql
from openasc.spec import load_spec

R1_ETHNICITY = "White - English, Welsh, Scottish, Northern Irish or British"
M, A, N, U = ("Mandatory", "Applicable but not mandatory", "Not applicable", "Undetermined")
VALID, BLANK_OK, BLANK_FAIL = ("Passed: Valid", "Passed: Blank (Not Mandatory)",
                               "Failed: Blank (Mandatory)")


def _rows() -> list[dict[str, str]]:
    return [
        *bookends("2024-04-15", "2025-03-15"),
        cld_row("A", Event_Type="Request", Event_Start_Date="2024-05-01",
                Event_End_Date="2024-05-03", Ethnicity=R1_ETHNICITY),
        cld_row("B", Event_Type="Assessment", Event_Start_Date="2024-06-01",
                Event_End_Date="2024-06-10", Ethnicity="White British", Date_of_Birth=None),
        cld_row("C", Event_Type="Service", Event_Start_Date="2024-07-01",
                Event_Outcome=None, Delivery_Mechanism="Direct payment"),
        cld_row("D", Event_Type="Review", Event_Start_Date="2024-09-01",
                Event_End_Date="2024-09-01", Client_Type=None),
    ]


def _profile(wh: Path) -> dict[str, float]:
    """`compute --select DQ` for 2024-25; {breakdown: numerator} of DQ-FIELDS."""
    _ok(openasc("--warehouse", str(wh), "compute", "--from", PERIOD[0], "--to", PERIOD[1],
                "--select", "DQ", cwd=wh.parent))
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return dict(con.execute(
            "SELECT breakdown, numerator FROM metric_values WHERE family = 'DQ' AND code = "
            "'DQ-FIELDS' AND la_code = ? AND period_start = ? AND period_end = ?",
            [LA, *PERIOD]).fetchall())
    finally:
        con.close()


def _field(profile: dict[str, float], field: str) -> dict[tuple[str, str], float]:
    """One field's rows: {(applicability, status): records}."""
    out = {}
    for b, n in profile.items():
        parts = dict(p.split("=", 1) for p in b.split(";")) if b else {}
        if parts.get("field") == field:
            out[(parts["applicability"], parts["status"])] = n
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dq")
    path = write_cld_csv(folder / "cld.csv", _rows())
    out = _ok(openasc("--warehouse", str(folder / "wh.duckdb"), "ingest", "cld", str(path),
                      "--submitted-on", "2025-05-01", cwd=folder))
    assert "6 loaded + 0 quarantined" in " ".join(out.split()), out
    return folder


@pytest.fixture(scope="module")
def profile(folder: Path) -> dict[str, float]:
    return _profile(folder / "wh.duckdb")


def test_the_headline_is_every_record_and_each_field_adds_up_to_it(
        profile: dict[str, float]) -> None:
    """Six records. DHSC makes one row per record and field, so each of its 46 fields'
    rows add up to the six records."""
    assert profile[""] == 6
    fields = Counter()
    for b, n in profile.items():
        if b:
            fields[b.split(";")[0].removeprefix("field=")] += n
    assert len(fields) == 46
    assert set(fields.values()) == {6}


def test_release_1_and_invalid_values_fail_on_the_field_that_holds_them(
        profile: dict[str, float]) -> None:
    """Ethnicity is mandatory on every row: A's Release 1 spelling is `Failed: Release 1`
    (DHSC's check result -7), B's `White British` `Failed: Invalid` (-2 to -6); the four
    others pass."""
    assert _field(profile, "Ethnicity") == {
        (M, VALID): 4, (M, "Failed: Release 1"): 1, (M, "Failed: Invalid"): 1}


def test_a_blank_fails_only_where_the_field_is_mandatory(profile: dict[str, float]) -> None:
    """Date of birth is mandatory on every row: B's blank is `Failed: Blank (Mandatory)`.
    Unit cost and cost frequency are mandatory on C (a long-term service by direct payment,
    not CASSR commissioned support) and blank there; they apply to no other event type.
    Planned units per week is mandatory only for a per-session, hourly or daily cost, so on
    C it is applicable and its blank passes. Date of death applies to every row and is
    mandatory on none."""
    assert _field(profile, "Date_of_Birth") == {(M, VALID): 5, (M, BLANK_FAIL): 1}
    for field in ("Unit_Cost", "Cost_Frequency_Unit_Type"):
        assert _field(profile, field) == {(M, BLANK_FAIL): 1, (N, BLANK_OK): 5}
    assert _field(profile, "Planned_units_per_week") == {(A, BLANK_OK): 1, (N, BLANK_OK): 5}
    assert _field(profile, "Date_of_Death") == {(A, BLANK_OK): 6}


def test_fields_of_one_event_type_apply_to_that_type_only(profile: dict[str, float]) -> None:
    """Review outcomes achieved: mandatory on the three planned reviews (R1, R2, D), not
    applicable elsewhere. The event end date is mandatory on requests, assessments and
    reviews (five records, all given) and applicable on the open service C (blank passes).
    Event reference: applicable on every event row, blank on all six (a field the warehouse
    does not keep, known blank from the record's list)."""
    assert _field(profile, "Review_Outcomes_Achieved") == {(M, VALID): 3, (N, BLANK_OK): 3}
    assert _field(profile, "Event_End_Date") == {(M, VALID): 5, (A, BLANK_OK): 1}
    assert _field(profile, "Event_Reference") == {(A, BLANK_OK): 6}


def test_a_missing_client_type_leaves_its_fields_undetermined(
        profile: dict[str, float]) -> None:
    """D has no client type: Client_Type itself fails as a mandatory blank, and the fields
    that apply to service users only are `Undetermined` there (DHSC's status -1). Client
    funding status is mandatory on service users' services and reviews (R1, R2, C),
    applicable on their requests and assessments (A, B); D's is given, so it passes."""
    assert _field(profile, "Client_Type") == {(M, VALID): 5, (M, BLANK_FAIL): 1}
    assert _field(profile, "Dementia") == {(A, BLANK_OK): 5, (U, BLANK_OK): 1}
    assert _field(profile, "Client_Funding_Status") == {(M, VALID): 3, (A, VALID): 2,
                                                         (U, VALID): 1}


def test_the_profile_agrees_with_the_validator_and_the_specification(
        folder: Path, profile: dict[str, float]) -> None:
    """The oracle is not the measure's SQL: the same file through `validate` (statuses as
    `openasc validate cld --report` gives them, a blank that is not applicable counted as
    passed blank as DHSC's -1 ... 0 codes do) and the specification's own rules
    (`spec/cld_r2.yaml`: mandatory; applicable; applicable only when an unknown type is
    taken to match = undetermined). Every (field, applicability, status) count is equal."""
    spec = load_spec("cld")
    fields = [spec.field(b.split(";")[0].removeprefix("field=").lower())
              for b in profile if b]
    con = duckdb.connect()
    staged = stage_file(con, folder / "cld.csv", spec, 0)
    want: Counter = Counter()
    for f in {f.column: f for f in fields}.values():
        strict_m = _rules_sql(f.mandatory, spec.conditions, applies=False)
        strict_a = _rules_sql(f.applies, spec.conditions, applies=False)
        loose_a = _rules_sql(f.applies, spec.conditions, applies=True)
        rows = con.execute(
            f"SELECT CASE WHEN {strict_m} THEN '{M}' WHEN {strict_a} THEN '{A}' "
            f"WHEN {loose_a} THEN '{U}' ELSE '{N}' END, "
            f"coalesce(CAST({f.column}__status AS VARCHAR), '{BLANK_OK}'), count(*) "
            f"FROM {staged.table} GROUP BY ALL").fetchall()
        for appl, status, n in rows:
            want[f"field={f.name};applicability={appl};status={status}"] += n
    assert {b: n for b, n in profile.items() if b} == dict(want)


def test_records_loaded_before_the_profile_was_kept_are_not_recorded(folder: Path) -> None:
    """A record loaded by an openasc that did not keep the field lists (its lists NULL, as
    the layout-4 migration leaves them) is `Not recorded` on every field: what cleaning did
    to its cells is unknown, so no status is guessed."""
    wh = folder / "old.duckdb"
    wh.write_bytes((folder / "wh.duckdb").read_bytes())
    con = duckdb.connect(str(wh))
    con.execute("UPDATE cld_records SET dq_invalid = NULL, dq_release_1 = NULL, "
                "dq_blank = NULL")
    con.close()
    profile = _profile(wh)
    assert profile[""] == 6
    assert _field(profile, "Ethnicity") == {(M, "Not recorded"): 6}
