"""Field-by-field validation: statuses, mappings, identifiers, dates and reject reasons.

Each test stages a few hand-made rows in an in-memory DuckDB (as the reader would) and
checks `chk`. BASE is one valid Release 2 row: a service user's long-term home care service.
"""

from __future__ import annotations

import re

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openasc.ingest.validate import _CROSS_CHECKS, STATUS_TYPE, STATUSES, Validation, validate
from openasc.spec import load_spec

SPEC = load_spec("cld")
COLS = [f.column for f in SPEC.fields]
BASE = {
    "la_code": "416", "reporting_period_start_date": "01/04/2024",
    "reporting_period_end_date": "31/03/2025", "nhs_number": "943 476 5919",
    "la_person_unique_identifier": "P1", "gender": "Female",
    "ethnicity": "White: Irish", "date_of_birth": "01/02/1950", "client_type": "Service user",
    "primary_support_reason": "Physical support: Personal care support",
    "postcode": "WR1 1AA", "accommodation_status": "Registered care home",
    "has_unpaid_carer": "No", "event_type": "Service", "event_start_date": "05/05/2024",
    "event_outcome": "Continuation of support or services",
    "service_type": "Long term support: Community",
    "service_component": "Home support or domiciliary care",
    "delivery_mechanism": "CASSR commissioned support", "client_funding_status":
    "Fully social care funded",
}


def run(*rows: dict, base: dict = BASE, load_only: bool = False, cross_rows: bool = True
        ) -> tuple[dict[int, dict], Validation, duckdb.DuckDBPyConnection]:
    """Stage rows 2, 3, ... (each BASE updated by the given cells) and validate them."""
    con = duckdb.connect()
    con.execute("CREATE TABLE stg (_row INTEGER, " + ", ".join(f"{c} VARCHAR" for c in COLS) + ")")
    for i, row in enumerate(rows, start=2):
        cells = {**base, **row}
        con.execute(f"INSERT INTO stg VALUES (?, {', '.join('?' for _ in COLS)})",
                    [i, *[cells.get(c) for c in COLS]])
    v = validate(con, SPEC, load_only=load_only, cross_rows=cross_rows)
    cur = con.execute("SELECT * FROM chk ORDER BY _row")
    names = [d[0] for d in cur.description]
    out = {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    return out, v, con


def test_a_valid_row_passes_every_field():
    out, v, _ = run({})
    r = out[2]
    assert r["_reject_reason"] is None and v.rejected == 0 and v.rows == 1
    assert r["gender__status"] == "Passed: Valid" and r["gender__note"] is None
    assert r["nhs_number"] == "9434765919"
    assert str(r["event_start_date"]) == "2024-05-05"
    # not mandatory and blank: Event_End_Date of an open service
    assert r["event_end_date__status"] == "Passed: Blank (Not Mandatory)"
    # not applicable and blank: request route on a service row
    assert r["request_route_of_access__status"] is None
    assert (v.cassr_code, str(v.period_start), str(v.period_end), v.release) == (
        "416", "2024-04-01", "2025-03-31", 2)
    assert v.file_errors == []


def test_each_status_and_each_mapping_path():
    """Row 2: exact R1 ethnicity -> R2, Failed: Release 1. Row 3: 'white: irish' matches
    only after normalising case -> corrected, Passed with a warning. Row 4: 'White' alone is
    outside a confirmed list -> Failed: Invalid, Invalid and not mapped. Row 5: blank
    mandatory gender. Row 6: 'Physical Support: Access & mobility only' normalises (& -> and,
    case) to the R1 spelling... it is the exact R1 value, so Release 1."""
    out, _, _ = run(
        {"ethnicity": "White - Irish"},
        {"ethnicity": "white: irish"},
        {"ethnicity": "White"},
        {"gender": ""},
        {"primary_support_reason": "Physical Support: Access & mobility only"},
        {"primary_support_reason": "physical support / access and mobility only"},
    )
    assert (out[2]["ethnicity"], out[2]["ethnicity__status"], out[2]["ethnicity__note"]) == (
        "White: Irish", "Failed: Release 1", "mapped from Release 1")
    assert (out[3]["ethnicity"], out[3]["ethnicity__status"], out[3]["ethnicity__note"]) == (
        "White: Irish", "Passed: Valid", "corrected spelling (warning)")
    assert (out[4]["ethnicity"], out[4]["ethnicity__status"]) == (
        "Invalid and not mapped", "Failed: Invalid")
    assert (out[5]["gender"], out[5]["gender__status"]) == (None, "Failed: Blank (Mandatory)")
    assert out[6]["primary_support_reason"] == "Physical support: Access and mobility only"
    assert out[6]["primary_support_reason__status"] == "Failed: Release 1"
    assert out[7]["primary_support_reason"] == "Physical support: Access and mobility only"
    assert out[7]["primary_support_reason__note"] == "corrected spelling (warning)"
    assert all(r["_reject_reason"] is None for r in out.values())


def test_probable_lists_warn_and_never_valid_values_fail():
    """Gender is a probable list: 'Nonbinary' is a warning, not a failure, but its text is not
    carried on (issue 12, A5): it becomes 'Invalid and not mapped'. A DHSC-derived
    value such as 'Unknown: Presumed at home' is never valid, even on a confirmed list."""
    out, _, _ = run({"gender": "Nonbinary"}, {"accommodation_status": "Unknown: Presumed at home"},
                    {"gender": "NFA"})
    assert (out[2]["gender"], out[2]["gender__status"], out[2]["gender__note"]) == (
        "Invalid and not mapped", "Passed: Valid", "not in probable list (warning)")
    assert out[3]["accommodation_status__status"] == "Failed: Invalid"
    assert out[3]["accommodation_status"] == "Invalid and not mapped"
    assert out[4]["gender__status"] == "Failed: Invalid"


def test_null_text_and_spaces():
    out, _, _ = run({"gender": "null"}, {"gender": "  Male\u00a0"})
    assert (out[2]["gender"], out[2]["gender__status"]) == (None, "Failed: Blank (Mandatory)")
    assert out[2]["gender__note"] == "NULL text treated as blank (warning)"
    assert (out[3]["gender"], out[3]["gender__note"]) == ("Male", "spaces trimmed (warning)")


def test_nhs_number_check_digit():
    """Weights 10..2 on digits 1-9. 4000000004: 4x10=40, 40 mod 11=7, 11-7=4 = digit 10,
    valid. 4000000020: 40+2x2=44, mod 11=0, check 11 becomes 0 = digit 10, valid.
    4000010000: 40+1x5=45, mod 11=1, check 10 -> never valid. 4000000005: check is 4, not 5.
    A blank NHS number with an LA ID is a mandatory failure but the row loads."""
    out, _, _ = run({"nhs_number": "4000000004"}, {"nhs_number": "4000000020"},
                    {"nhs_number": "4000010000"}, {"nhs_number": "4000000005"},
                    {"nhs_number": "123"}, {"nhs_number": ""})
    assert out[2]["nhs_number"] == "4000000004" and out[2]["nhs_number__status"] == "Passed: Valid"
    assert out[3]["nhs_number"] == "4000000020" and out[3]["nhs_number__status"] == "Passed: Valid"
    for row in (4, 5, 6):
        assert out[row]["nhs_number"] is None
        assert out[row]["nhs_number__status"] == "Failed: Invalid"
        assert out[row]["_reject_reason"] is None  # LA person ID still identifies them
    assert out[7]["nhs_number__status"] == "Failed: Blank (Mandatory)"


def test_postcodes():
    out, _, _ = run({"postcode": "wr11aa"}, {"postcode": "GIR 0AA"}, {"postcode": "EC1A 1BB"},
                    {"postcode": "WR1 1"}, {"postcode": "WR1"}, {"postcode": "12345"})
    assert [out[i]["postcode"] for i in range(2, 5)] == ["WR1 1AA", "GIR 0AA", "EC1A 1BB"]
    assert all(out[i]["postcode__status"] == "Passed: Valid" for i in range(2, 5))
    assert out[5]["postcode__status"] == "Failed: Invalid" and out[5]["postcode"] is None
    assert out[6]["postcode__note"] == "partial postcode"
    assert out[7]["postcode__note"] == "not a full UK postcode"


def test_dates_dd_mm_yyyy_iso_and_time_part():
    out, _, _ = run({"event_start_date": "2024-05-05"},
                    {"event_start_date": "05/05/2024 00:00:00"},
                    {"date_of_death": "31/02/2025"}, {"date_of_death": "05/05/2024 10:30"})
    assert str(out[2]["event_start_date"]) == "2024-05-05"
    assert out[2]["event_start_date__note"] == "ISO date (warning)"
    assert str(out[3]["event_start_date"]) == "2024-05-05"
    assert out[3]["event_start_date__status"] == "Passed: Valid"
    for row in (4, 5):  # an impossible date and a real time part: invalid, row still loads
        assert out[row]["date_of_death"] is None
        assert out[row]["date_of_death__status"] == "Failed: Invalid"
        assert out[row]["_reject_reason"] is None


def test_numbers():
    out, _, _ = run({"unit_cost": "12.50", "planned_units_per_week": "7"},
                    {"unit_cost": "12.505"}, {"unit_cost": "-3"},
                    {"no_of_adults_being_cared_for": "11", "client_type": "Unpaid carer"},
                    {"no_of_adults_being_cared_for": "two", "client_type": "Unpaid carer"})
    assert str(out[2]["unit_cost"]) == "12.50" and out[2]["unit_cost__status"] == "Passed: Valid"
    assert out[3]["unit_cost__status"] == "Failed: Invalid" and out[3]["unit_cost"] is None
    assert out[4]["unit_cost__note"] == "zero or negative (warning)"
    assert out[5]["no_of_adults_being_cared_for"] == 11
    assert out[5]["no_of_adults_being_cared_for__note"] == "more than 10 (warning)"
    assert out[6]["no_of_adults_being_cared_for__status"] == "Failed: Invalid"


def test_conditional_mandatory_rules():
    """A request needs an end date and a route of access; a KBA row needs no event fields;
    a planned review needs outcomes achieved; a service user's service row needs funding."""
    req = {"event_type": "Request", "event_end_date": "", "request_route_of_access": "",
           "service_type": "", "service_component": "", "delivery_mechanism": ""}
    kba = {"client_type": "Unpaid carer known by association", "event_type": "",
           "event_start_date": "", "event_outcome": "", "service_type": "",
           "service_component": "", "delivery_mechanism": "", "client_funding_status": "",
           "adult_1_linked_person_id": "P1"}
    review = {"event_type": "Review", "event_end_date": "01/06/2024", "review_reason": "Planned",
              "method_of_review": "Service user only", "service_type": "",
              "service_component": "", "delivery_mechanism": ""}
    out, _, _ = run(req, kba, review, {"client_funding_status": ""})
    assert out[2]["event_end_date__status"] == "Failed: Blank (Mandatory)"
    assert out[2]["request_route_of_access__status"] == "Failed: Blank (Mandatory)"
    assert out[2]["service_type__status"] is None
    assert out[3]["_reject_reason"] is None
    assert out[3]["event_type__status"] is None and out[3]["event_start_date__status"] is None
    assert out[4]["review_outcomes_achieved__status"] == "Failed: Blank (Mandatory)"
    assert out[5]["client_funding_status__status"] == "Failed: Blank (Mandatory)"


def test_costs_mandatory_only_when_not_commissioned():
    direct = {"delivery_mechanism": "Direct payment"}
    out, _, _ = run({}, direct, {**direct, "cost_frequency_unit_type": "Hourly",
                                 "unit_cost": "15.00"})
    assert out[2]["unit_cost__status"] == "Passed: Blank (Not Mandatory)"
    assert out[3]["unit_cost__status"] == "Failed: Blank (Mandatory)"
    assert out[3]["planned_units_per_week__status"] == "Passed: Blank (Not Mandatory)"
    assert out[4]["planned_units_per_week__status"] == "Failed: Blank (Mandatory)"


def test_warnings_age_death_and_not_applicable():
    out, _, _ = run({"date_of_birth": "01/01/2010"},
                    {"date_of_death": "01/05/2024"},
                    {"request_route_of_access": "Prison"})
    assert "under 18" in out[2]["date_of_birth__note"]
    assert out[2]["date_of_birth__status"] == "Passed: Valid"
    assert "after date of death" in out[3]["event_start_date__note"]
    assert out[3]["event_end_date__status"] == "Failed: Blank (Mandatory)"
    assert "not applicable" in out[4]["request_route_of_access__note"]


REJECTS = [
    ({"nhs_number": "", "la_person_unique_identifier": ""}, "LA_Person_Unique_Identifier"),
    ({"nhs_number": "UNKNOWN", "la_person_unique_identifier": ""},
     "LA_Person_Unique_Identifier"),  # a placeholder is no NHS number, so no person
    ({"la_code": "999"}, "LA_Code"),
    ({"reporting_period_end_date": "30/06/2025"}, "Reporting_Period_End_Date"),
    ({"event_type": ""}, "Event_Type"),
    ({"event_type": "Visit"}, "Event_Type"),
    ({"event_start_date": ""}, "Event_Start_Date"),
    ({"event_start_date": "5th May"}, "Event_Start_Date"),
    ({"event_end_date": "yesterday"}, "Event_End_Date"),
    ({"date_of_birth": "06/05/2024"}, "Date_of_Birth"),
]


@pytest.mark.parametrize("cells, field", REJECTS)
def test_each_reject_reason(cells, field):
    """Rows 2 and 3 are good (so the file's council and period are 416, 2024-25); row 4 has
    the defect and is the only row rejected, with the field named and a reason given."""
    out, v, _ = run({}, {"la_person_unique_identifier": "P2"}, cells)
    assert v.rejected == 1 and out[2]["_reject_reason"] is None
    assert out[4]["_reject_field"] == field
    assert "expected" in out[4]["_reject_reason"]
    assert "01/02/1950" not in out[4]["_reject_reason"]  # never a date of birth


@pytest.mark.parametrize("cells, flag", [
    ({"nhs_number": "4000000005", "la_person_unique_identifier": " "}, None),
    ({"event_end_date": "01/05/2024"}, "before Event_Start_Date (warning"),
])
def test_rows_the_national_method_keeps_are_not_quarantined(cells, flag):
    """DHSC's method keeps both rows (docs/decisions.md, issue 18), so openasc does too:
    - an NHS number failing the check digit with a blank LA person ID: DHSC's person is the
      NHS number where one is present, valid or not (cld-r2.md §5.6), so the row has a person
      (it used to be quarantined for having no usable identifier);
    - an event ending (01/05/2024) before it starts (05/05/2024): the
      period filter never compares end with start, 2B/2C count it, 2A/2D/2E/3D filter it out
      themselves; it is kept and flagged on Event_End_Date for the data-quality report."""
    out, v, _ = run({}, {"la_person_unique_identifier": "P2"}, cells)
    assert v.rejected == 0 and out[4]["_reject_reason"] is None
    assert out[4]["nhs_number__submitted"] == cells.get("nhs_number", "9434765919")
    if flag:
        assert flag in out[4]["event_end_date__note"]
        assert any("end before they start" in w for w in v.file_warnings)


def test_exact_duplicate_rejected_and_first_kept():
    out, v, _ = run({}, {"la_person_unique_identifier": "P2"}, {})
    assert out[2]["_reject_reason"] is None and out[3]["_reject_reason"] is None
    assert out[4]["_reject_reason"] == "Exact duplicate of row 2; expected each row once."
    assert v.rejected == 1


def test_release_1_file_detected():
    r1 = {"client_type": "Service User", "ethnicity": "White - Irish",
          "service_type": "Long Term Support: Community", "service_component": "Home Support",
          "event_outcome": "Provision of service",
          "primary_support_reason": "Physical Support: Personal care support"}
    _, v, _ = run(r1, {**r1, "la_person_unique_identifier": "P2"})
    assert v.release == 1


def test_file_errors():
    _, v, _ = run({}, {"la_code": "417", "la_person_unique_identifier": "P2"})
    assert any("2 different council codes" in e for e in v.file_errors)
    _, v, _ = run({"reporting_period_start_date": "01/04/2025"})
    assert any("is after" in e for e in v.file_errors)
    _, v, _ = run({"la_code": "abc"})
    assert any("known council" in e for e in v.file_errors)


def test_cross_row_warnings():
    carer = {"client_type": "Unpaid carer", "la_person_unique_identifier": "C1",
             "adult_1_linked_person_id": "P1", "adult_2_linked_person_id": "X9",
             "no_of_adults_being_cared_for": "1"}
    _, v, _ = run({}, {**carer, "event_start_date": "06/05/2024"})
    text = " ".join(v.file_warnings)
    assert "1 linked person IDs on carer rows match no service user" in text
    assert "No_of_adults_being_cared_for smaller" in text
    assert "Has_Unpaid_Carer = No" in text
    assert "no reviews" in text


cell = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(
    ["NULL", "01/02/2024", "2024-02-30", "Service", "Unpaid carer known by association",
     "416", "9434765919", "-1.005", " Male "]))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({c: cell for c in COLS}), min_size=1, max_size=4))
def test_arbitrary_cells_never_crash_and_rows_add_up(rows):
    out, v, con = run(*rows, base={})
    assert v.rows == len(rows) == len(out)
    loaded = con.execute("SELECT count(*) FROM chk WHERE _reject_reason IS NULL").fetchall()[0][0]
    assert loaded + v.rejected == v.rows


def _same_in_load_mode(*rows: dict, base: dict = BASE) -> None:
    """The load mode's `chk` is the full one without statuses and notes, row for row, and
    its verdicts are the same; without the cross-row checks (as `ingest cld` runs it) only
    the advisory cross-row warnings are missing, and with them (as `validate cld` without a
    report runs it) nothing is."""
    full, v_full, _ = run(*rows, base=base)
    load, v_load, _ = run(*rows, base=base, load_only=True, cross_rows=False)
    assert run(*rows, base=base, load_only=True)[1].file_warnings == v_full.file_warnings
    assert not any(k.endswith(("__status", "__note")) for r in load.values() for k in r)
    assert load == {r: {k: x for k, x in row.items() if not k.endswith(("__status", "__note"))}
                    for r, row in full.items()}
    assert (v_load.rows, v_load.rejected, v_load.release, v_load.file_errors, v_load.cassr_code,
            v_load.period_start, v_load.period_end) == (
        v_full.rows, v_full.rejected, v_full.release, v_full.file_errors, v_full.cassr_code,
        v_full.period_start, v_full.period_end)
    dropped = [w for w in v_full.file_warnings if w not in v_load.file_warnings]
    assert [w for w in v_load.file_warnings if w not in v_full.file_warnings] == []
    assert all(any(re.fullmatch(re.escape(m).replace(re.escape("{n:,}"), r"[\d,]+"), w)
                   for _, m in _CROSS_CHECKS) for w in dropped), dropped


@pytest.mark.parametrize("cells, field", REJECTS)
def test_load_mode_rejects_the_same_rows_for_the_same_reasons(cells, field):
    _same_in_load_mode({}, {"la_person_unique_identifier": "P2"}, cells)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({c: cell for c in COLS}), min_size=1, max_size=4))
def test_load_mode_is_the_full_check_without_statuses_and_notes(rows):
    _same_in_load_mode(*rows, base={})


def test_statuses_are_an_enum_that_sorts_and_compares_as_text():
    """`<col>__status` is an ENUM of the five statuses (far smaller than text on a million
    rows); readers compare it with string literals, match it with LIKE and sort it, and all
    three must behave as they did when it was text."""
    _, _, con = run({"date_of_death": "01/01/2025"}, {"date_of_death": "yesterday"}, {})
    types = {r[0] for r in con.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'chk' "
        "AND column_name LIKE '%\\_\\_status' ESCAPE '\\'").fetchall()}
    assert types == {STATUS_TYPE}
    got = con.execute("SELECT date_of_death__status, date_of_death__status LIKE 'Failed:%', "
                      "date_of_death__status = 'Passed: Valid' FROM chk "
                      "ORDER BY date_of_death__status").fetchall()
    assert got == [("Failed: Invalid", True, False), ("Passed: Blank (Not Mandatory)", False,
                                                      False), ("Passed: Valid", False, True)]
    assert STATUS_TYPE[6:-2].split("', '") == sorted(STATUSES)


def test_same_value_spelled_differently_on_each_row():
    """Typed cells are cleaned once per distinct spelling and joined back, so each row must
    still get its own spelling's result. Gender (a probable list):
    row 2 'Male' -> Male, valid, no note; row 3 ' Male' -> Male, 'spaces trimmed (warning)';
    row 4 'male' -> Male by normalising case, 'corrected spelling (warning)';
    row 5 ' male' -> both notes, the cell's own (spaces) first; row 6 'NULL' -> blank
    mandatory with the NULL-text note; row 7 '' and row 8 a missing cell (SQL NULL) -> blank
    mandatory, no note. Dates: ' 05/05/2024' trims to a valid date with the spaces note;
    '2024-05-05' is the same date with the ISO note."""
    out, _, _ = run({"gender": "Male"}, {"gender": " Male"}, {"gender": "male"},
                    {"gender": " male", "event_start_date": " 05/05/2024"},
                    {"gender": "NULL", "event_start_date": "2024-05-05"},
                    {"gender": ""}, {"gender": None})
    got = {r: (out[r]["gender"], out[r]["gender__status"], out[r]["gender__note"])
           for r in range(2, 9)}
    assert got == {
        2: ("Male", "Passed: Valid", None),
        3: ("Male", "Passed: Valid", "spaces trimmed (warning)"),
        4: ("Male", "Passed: Valid", "corrected spelling (warning)"),
        5: ("Male", "Passed: Valid", "spaces trimmed (warning); corrected spelling (warning)"),
        6: (None, "Failed: Blank (Mandatory)", "NULL text treated as blank (warning)"),
        7: (None, "Failed: Blank (Mandatory)", None),
        8: (None, "Failed: Blank (Mandatory)", None),
    }
    assert str(out[5]["event_start_date"]) == str(out[6]["event_start_date"]) == "2024-05-05"
    assert out[5]["event_start_date__note"] == "spaces trimmed (warning)"
    assert out[6]["event_start_date__note"] == "ISO date (warning)"
    assert len({r["_row"] for r in out.values()}) == 7  # one chk row per staged row


def test_trimmed_values_stay_readable_and_no_wide_tables_are_left():
    """The case-list ingest reads `_oa_b` (trimmed value `v_<col>` and note `p_<col>` by
    `_row`); it is a view, and no per-field lookup or intermediate table outlives
    validation, so a million-row file leaves only `chk` behind."""
    _, _, con = run({"gender": " Female "}, {"ethnicity": "null"})
    assert con.execute("SELECT _row, v_gender, p_gender, v_ethnicity FROM _oa_b ORDER BY _row"
                       ).fetchall() == [(2, "Female", "spaces trimmed (warning)", "White: Irish"),
                                        (3, "Female", None, None)]
    left = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "chk" in left and "_oa_b" not in left
    assert not {t for t in left if t.startswith("_oa_lk_") or t in ("_oa_c", "_oa_n", "_oa_dup")}
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = '_oa_b'"
                       ).fetchone()[0] == 1


def test_council_code_tie_goes_to_the_lower_code():
    """Two rows, one with 417 and one with 416: the most common known code is a tie, so the
    file's council is the lower code, 416, every time (and the two codes are a file error);
    row 2 (417) is quarantined as differing from the file's council."""
    out, v, _ = run({"la_code": "417"}, {"la_person_unique_identifier": "P2"})
    assert v.cassr_code == "416"
    assert any("2 different council codes" in e for e in v.file_errors)
    assert out[2]["_reject_field"] == "LA_Code" and out[3]["_reject_reason"] is None
