"""Synthetic complaints log for one council and LGSCO annual figures for every council
(tests and the demo only: no real case, person or figure is in them).

The log has the columns of docs/complaints.md, and - as a council's own extract may - a
complainant name and a free-text description, which the ingest must never store (the
privacy test reads the warehouse for them). Dates respect the rules the measures test:
acknowledgement within a few working days mostly, responses within about 20 working days
mostly, agreed dates for some.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from openasc.councils import all_councils, resolve

THEMES = ["communication", "delay", "quality_of_care", "staff_conduct", "charging",
          "decision_disputed", "information", "other"]
AREAS = ["assessment", "home_care", "care_homes", "finance_charging", "reablement",
         "safeguarding", "ld_services", "mh_services", "carers", "other"]
OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "withdrawn", "not_investigated"]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Kim", "Lee"]
LAST = ["Example", "Sample", "Madeup", "Fictional", "Placeholder"]


def write_complaints(out: Path, la_code: str, years: list[int], seed: int = 1,
                     cases_per_year: int = 120) -> list[Path]:
    """Write `complaints.csv` (the council's log) and `lgsco.csv` (every council); return
    the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = []
    n = 0
    for y in sorted(years):
        start = date(y, 4, 1)
        for _ in range(cases_per_year):
            n += 1
            received = start + timedelta(days=int(rng.integers(0, 365)))
            compliment = rng.random() < 0.3
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            text = f"{name} says the visit on {received:%d %B} was late"
            if compliment:
                rows.append([f"C-{n:05d}", received, "compliment", "email",
                             str(rng.choice(AREAS)), "", "", "", "", "", "", "", "", "", "",
                             "", "", "", name, "Thank you to the team"])
                continue
            ack = received + timedelta(days=int(rng.choice([1, 2, 3, 4, 7])))
            agreed = received + timedelta(days=40) if rng.random() < 0.4 else None
            response = received + timedelta(days=int(rng.integers(5, 50)))
            outcome = str(rng.choice(OUTCOMES, p=[0.2, 0.3, 0.4, 0.05, 0.05]))
            referred = rng.random() < 0.08
            rows.append([f"C-{n:05d}", received, "complaint",
                         str(rng.choice(["email", "phone", "letter", "online"])),
                         str(rng.choice(AREAS)), str(rng.choice(THEMES)),
                         str(rng.choice(["council", "commissioned_provider", "both"])),
                         str(rng.choice(["person", "representative", "carer"])), ack,
                         agreed or "", response, outcome,
                         "apology" if outcome in ("upheld", "partly_upheld") else "none", "",
                         "Y" if referred else "N", "open" if referred else "", "",
                         "Letters rewritten" if outcome == "upheld" else "", name, text])
    paths = [out / "complaints.csv", out / "lgsco.csv"]
    _write(paths[0], ["case_id", "received_date", "kind", "channel", "service_area", "theme",
                      "provider_involved", "complainant_role", "acknowledged_date",
                      "agreed_response_date", "response_date", "outcome", "remedy",
                      "remedy_amount_gbp", "lgsco_referred", "lgsco_decision",
                      "lgsco_decision_date", "learning_action", "complainant_name",
                      "description"], rows)
    resolve(la_code)  # the council must be known
    lgsco = []
    for y in sorted(years):
        for c in all_councils():
            if not c.valid_on(date(y + 1, 3, 31)):
                continue
            detailed = int(rng.integers(3, 40))
            upheld = int(rng.binomial(detailed, 0.8))
            remedy = "*" if upheld == 0 else round(float(rng.uniform(0, 30)), 1)
            lgsco.append([c.ons_code, y + 1, detailed * 4, detailed * 3, detailed, upheld,
                          round(100 * upheld / detailed, 1), 100.0, remedy, "synthetic"])
    _write(paths[1], ["council_code", "year_ending", "complaints_and_enquiries", "decisions",
                      "detailed_investigations", "upheld", "uphold_rate_pct",
                      "compliance_rate_pct", "satisfactory_remedy_pct", "source"], lgsco)
    return paths


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
