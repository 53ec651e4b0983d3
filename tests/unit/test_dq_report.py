"""The data-quality report: counts by status and value, examples without identifiers, verdict."""

from __future__ import annotations

import csv

from tests.unit.test_validate import run

from openasc.ingest.dq_report import write_report
from openasc.pseudonymise import pseudo, register
from openasc.spec import load_spec

KEY = b"k" * 32


def test_report_counts_examples_and_verdict(tmp_path):
    """Three rows: row 2 valid; row 3 has ethnicity 'White', outside a confirmed list ->
    one Failed: Invalid; row 4 has no event type ->
    rejected. So: Ethnicity counts Passed: Valid 2 (rows 2, 4), Failed: Invalid 1 (row 3);
    verdict not fit; the example for ethnicity is row 3 with P2's pseudonym, never 'P2'."""
    out, v, con = run({}, {"la_person_unique_identifier": "P2", "ethnicity": "White"},
                      {"la_person_unique_identifier": "P3", "event_type": ""})
    register(con, KEY)
    html, csv_path = write_report(con, load_spec("cld"), v, tmp_path / "dq", "extract.csv")
    assert html.name == "extract-dq.html" and csv_path.name == "extract-dq.csv"
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    eth = {(r["status"], r["value"]): int(r["count"]) for r in rows if r["field"] == "Ethnicity"}
    assert eth == {("Passed: Valid", "White: Irish"): 2,
                   ("Failed: Invalid", "Invalid and not mapped"): 1}
    page = html.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in page and page.count("<h1>") == 1
    assert "<caption>" in page and '<th scope="col">' in page
    assert "Not fit to submit" in page
    assert f"3: {pseudo(KEY, 'P2')[:12]}" in page
    assert "P2" not in page.replace(pseudo(KEY, "P2")[:12], "")
    for secret in ("9434765919", "943 476 5919", "WR1 1AA", "01/02/1950", ">P1<", ">P3<"):
        assert secret not in page
        assert secret not in csv_path.read_text(encoding="utf-8")
    # worst field first: Event_Type and Ethnicity (1 failure each) before any clean field
    first = page.index("Fields, worst first")
    assert page.index(">Event_Type<", first) < page.index(">Gender<", first)


def test_clean_file_is_fit_to_submit(tmp_path):
    _, v, con = run({"event_end_date": "01/06/2024"},
                    {"la_person_unique_identifier": "P2", "client_type": "Unpaid carer",
                     "primary_support_reason": "Social support: Support to unpaid carer",
                     "service_type": "Unpaid carer support: Direct to unpaid carer",
                     "service_component": "Unpaid carer respite", "client_funding_status": "",
                     "has_unpaid_carer": "No", "adult_1_linked_person_id": "P1",
                     "nhs_number": "4000000004"})
    register(con, KEY)
    html, _ = write_report(con, load_spec("cld"), v, tmp_path, "clean.csv")
    assert v.file_errors == [] and v.rejected == 0
    assert "Fit to submit." in html.read_text(encoding="utf-8"), v.file_warnings


def test_many_rejects_show_five_examples_in_row_order(tmp_path):
    """Seven rows (2-8, people P2-P8), all with a blank Event_Type: all seven are rejected
    for Event_Type. The report counts 7, quotes the reason once and gives the first five
    rows as examples (2-6, by pseudonym) and never rows 7 or 8; the Event_Type field's
    failure examples are the same five rows. The pseudonyms are worked out for the examples
    only, so the seventh person's never appears."""
    rows = [{"la_person_unique_identifier": f"P{i}", "event_type": ""} for i in range(2, 9)]
    _, v, con = run(*rows)
    register(con, KEY)
    html, csv_path = write_report(con, load_spec("cld"), v, tmp_path, "many.csv")
    assert v.rejected == 7
    page = html.read_text(encoding="utf-8")
    examples = ", ".join(f"{i}: {pseudo(KEY, f'P{i}')[:12]}" for i in range(2, 7))
    assert page.count(examples) == 2  # the rejects table and the Event_Type failures
    for i in (7, 8):
        assert pseudo(KEY, f"P{i}")[:12] not in page
    assert page.count("Event_Type is blank on a row that is not an unpaid carer") == 1
    assert '<td class="n">7</td>' in page
    counts = {(r["field"], r["status"]): int(r["count"])
              for r in csv.DictReader(csv_path.open(encoding="utf-8"))}
    assert counts[("Event_Type", "Failed: Blank (Mandatory)")] == 7
