"""Build small CLD files for scenario tests, row by row, the way a test reads best.

A scenario test states only what matters to it (who, which event, which dates, which
outcome); everything else gets a valid default, so that the file passes validation and the
test's docstring can work out the expected figures from the reference alone.

    rows = [
        cld_row(person="P1", Event_Type="Request", Event_Start_Date="2024-05-01",
                Event_End_Date="2024-05-02", Request_Route_of_Access="Community",
                Event_Outcome="Progress to assessment"),
    ]
    write_cld_csv(tmp_path / "q4.csv", rows)

Dates may be given as ISO `YYYY-MM-DD`; they are written as the specification's
`dd/mm/yyyy`. `person` is a short label: it becomes `LA_Person_Unique_Identifier` and a
valid NHS number derived from it (the same label always gives the same number).
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

FIELDS = [
    "LA_Code", "Reporting_Period_Start_Date", "Reporting_Period_End_Date",
    "NHS_Number", "LA_Person_Unique_Identifier", "GP_Practice_Name", "GP_Practice_Code",
    "Gender", "Ethnicity", "Date_of_Birth", "Date_of_Death", "Client_Type",
    "Primary_Support_Reason", "Postcode", "Accommodation_Status", "Employment_Status",
    "Has_Unpaid_Carer", "Autism_Spectrum_Disorder_ASD", "Visual_Impairment",
    "Hearing_Impairment", "Dementia", "Client_Funding_Status",
    "Event_Type", "Event_Reference", "Event_Start_Date", "Event_End_Date",
    "Event_Description", "Event_Outcome", "Request_Route_of_Access", "Assessment_Type",
    "Eligible_Needs_Identified", "Method_of_Assessment", "Total_Hrs_Caring_per_week",
    "No_of_adults_being_cared_for", "Adult_1_Linked_Person_ID", "Adult_2_Linked_Person_ID",
    "Adult_3_Linked_Person_ID", "Service_Type", "Service_Component", "Delivery_Mechanism",
    "Provider_CQC_Location_Name", "Provider_CQC_Location_ID", "Review_Reason",
    "Review_Outcomes_Achieved", "Method_of_Review", "Unit_Cost", "Cost_Frequency_Unit_Type",
    "Planned_units_per_week",
]

DATE_FIELDS = {"Reporting_Period_Start_Date", "Reporting_Period_End_Date", "Date_of_Birth",
               "Date_of_Death", "Event_Start_Date", "Event_End_Date"}


def nhs_number(label: str) -> str:
    """A valid NHS number (modulus 11, England range 400-499 million) derived from a label."""
    n = int(hashlib.sha256(label.encode()).hexdigest(), 16)
    for i in range(1000):
        digits = [4] + [int(c) for c in f"{(n + i * 7919) % 10**8:08d}"]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)
    raise AssertionError("unreachable")


def _uk(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        y, m, d = text.split("-")
        return f"{d}/{m}/{y}"
    return text


# Defaults that make a valid R2 service-user row; a test overrides what it is about.
PERSON_DEFAULTS: dict[str, Any] = {
    "Gender": "Female",
    "Ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
    "Date_of_Birth": "1940-06-15",
    "Client_Type": "Service user",
    "Primary_Support_Reason": "Physical support: Personal care support",
    "Postcode": "WR1 1AA",
    "Accommodation_Status": "Owner occupier or shared ownership scheme",
    "Has_Unpaid_Carer": "No",
    "Client_Funding_Status": "Fully social care funded",
}

EVENT_DEFAULTS: dict[str, dict[str, Any]] = {
    "Request": {"Request_Route_of_Access": "Community or other route",
                "Event_Outcome": "NFA: Information and advice or signposting"},
    "Assessment": {"Assessment_Type": "Long term assessment",
                   "Method_of_Assessment": "Service user only",
                   "Eligible_Needs_Identified": "Yes",
                   "Event_Outcome": "Progress to support planning or services"},
    "Service": {"Service_Type": "Long term support: Community",
                "Service_Component": "Home support or domiciliary care",
                "Delivery_Mechanism": "CASSR commissioned support",
                "Event_Outcome": "Continuation of support or services"},
    "Review": {"Review_Reason": "Planned",
               "Review_Outcomes_Achieved": "Fully met",
               "Method_of_Review": "Service user only",
               "Event_Outcome": "Continuation of support or services"},
}


def cld_row(person: str = "P1", **fields: Any) -> dict[str, str]:
    """One CLD row for `person`, with valid defaults for every field the test leaves out.

    Pass `None` for a field to leave it blank. Event defaults depend on `Event_Type`
    (default `Request`); set `Client_Type="Unpaid carer known by association"` with
    `Event_Type=None` for a link row.
    """
    event_type = fields.get("Event_Type", "Request")
    row: dict[str, Any] = {"NHS_Number": nhs_number(person),
                           "LA_Person_Unique_Identifier": person}
    row.update(PERSON_DEFAULTS)
    row["Event_Type"] = event_type
    if event_type in EVENT_DEFAULTS:
        row.update(EVENT_DEFAULTS[event_type])
        row["Event_Start_Date"] = "2024-06-01"
        if event_type != "Service":
            row["Event_End_Date"] = "2024-06-01"
    row.update(fields)
    return {k: ("" if v is None else str(v)) for k, v in row.items()}


def write_cld_csv(
    path: Path,
    rows: list[dict[str, str]],
    la_code: str = "416",
    period_start: str = "2024-04-01",
    period_end: str = "2025-03-31",
    fields: list[str] | None = None,
) -> Path:
    """Write rows as a CLD CSV with the specification's header and dd/mm/yyyy dates."""
    header = fields or FIELDS
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, extrasaction="raise")
        writer.writeheader()
        for r in rows:
            full = {"LA_Code": la_code, "Reporting_Period_Start_Date": period_start,
                    "Reporting_Period_End_Date": period_end, **r}
            writer.writerow({k: (_uk(full.get(k)) if k in DATE_FIELDS else full.get(k, ""))
                             for k in header})
    return Path(path)
