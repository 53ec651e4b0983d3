"""A synthetic CQC "care directory with filters" in the layout CQC publishes.

`openasc synth care-directory` writes a workbook shaped like `HSCA_Active_Locations.ods`: a
README sheet (title, `Source: CQC database as at DD Month YYYY`), the data sheet with CQC's
headers (the service-type and user-band flags as `Y` or blank), and the dual registration
sheet. Every English council gets care homes (residential and nursing, some registered for
dementia), home care agencies, a few supported living and extra care services, some
locations of other sectors (out of scope), a dormant home now and then and a dual
registration pair now and then. Names and IDs are made up (`1-9…`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from openasc import councils
from openasc.ingest.ods import write_ods

HEADER = [
    "Location ID", "Location HSCA start date", "Dormant (Y/N)", "Care home?", "Location Name",
    "Care homes beds", "Location Type/Sector", "Location Inspection Directorate",
    "Location Primary Inspection Category", "Location Local Authority", "Location Region",
    "Location Latest Overall Rating", "Publication Date", "Inherited Rating (Y/N)",
    "Location Dual Registered", "Primary ID (Dual registration locations)", "Provider ID",
    "Provider Name", "Brand ID", "Brand Name", "Regulated activity - Personal care",
    "Regulated activity - Accommodation for persons who require nursing or personal care",
    "Service type - Care home service with nursing",
    "Service type - Care home service without nursing",
    "Service type - Domiciliary care service", "Service type - Supported living service",
    "Service type - Extra Care housing services", "Service type - Shared Lives",
    "Service user band - Older People", "Service user band - Dementia",
    "Service user band - Learning disabilities or autistic spectrum disorder",
]
RATING_MIX = (["Outstanding"] * 5 + ["Good"] * 70 + ["Requires improvement"] * 17
              + ["Inadequate"] * 3 + ["", "Insufficient evidence to rate"] * 2 + ["Not Rated"])


def location(lid: str, la: str, region: str, *, care_home: bool = False, beds: int = 0,
             nursing: bool = False, residential: bool = False, dementia: bool = False,
             domiciliary: bool = False, supported_living: bool = False,
             extra_care: bool = False, rating: str = "Good", dormant: bool = False,
             inherited: bool = False, primary_id: str = "",
             directorate: str = "Adult social care") -> list[object]:
    """One data row in HEADER's order (tests build their hand-made directories with it)."""
    y = {True: "Y", False: ""}
    social = directorate == "Adult social care"
    return [
        lid, "2015-06-01", "Y" if dormant else "N", "Y" if care_home else "N",
        f"Location {lid}", beds if care_home else 0,
        "Social Care Org" if social else "Primary Medical Services", directorate,
        ("Residential social care" if care_home else "Community based adult social care "
         "services") if social else "GP Practices", la, region, rating,
        "2024-01-31" if rating else "", "Y" if inherited else "N",
        "Dual Registration" if primary_id else "", primary_id, f"1-1{lid[2:]}",
        "Example Provider", "-", "-", y[domiciliary or supported_living], y[care_home],
        y[nursing], y[residential], y[domiciliary], y[supported_living], y[extra_care], "",
        y[care_home], y[dementia], "",
    ]


def workbook(rows: list[list[object]], as_at: date) -> dict[str, list[list[object]]]:
    """The three sheets, README first (its as-at line dates the snapshot)."""
    duals = [[r[0], r[15]] for r in rows if r[15]]
    return {
        "README": [["Care directory with filters"],
                   [f"Source: CQC database as at {as_at.day:02d} {as_at:%B %Y}"],
                   ["Synthetic data made by openasc; no real location."]],
        "HSCA_Active_Locations": [HEADER, *rows],
        "Dual_Registration_Locations": [["Location ID", "Primary ID"], *duals],
    }


def write_book(path: Path, book: dict[str, list[list[object]]]) -> Path:
    """Write the sheets as .ods (CQC's current format) or .xlsx (earlier editions)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".ods":
        return write_ods(path, book)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in book.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def write_care_directory(out: Path, only: list[str] | None = None, as_at: str = "2025-03-01",
                         seed: int = 1) -> int:
    """Write a synthetic directory for every council valid at `as_at` (or those named)."""
    day = date.fromisoformat(as_at)
    rng = np.random.default_rng(seed)
    wanted = {councils.resolve(c, on=day).ons_code for c in only} if only else None
    rows: list[list[object]] = []
    serial = 0

    def lid() -> str:
        nonlocal serial
        serial += 1
        return f"1-9{serial:08d}"

    for c in councils.all_councils():
        if not c.valid_on(day) or (wanted is not None and c.ons_code not in wanted):
            continue
        la = {"Bristol": "Bristol, City of", "Kingston upon Hull": "Kingston upon Hull, City of",
              "Herefordshire": "Herefordshire, County of"}.get(c.name, c.name)
        for _ in range(int(rng.integers(15, 45))):
            nursing = bool(rng.random() < 0.35)
            rows.append(location(
                lid(), la, c.region, care_home=True, beds=int(rng.integers(8, 90)),
                nursing=nursing, residential=not nursing or bool(rng.random() < 0.1),
                dementia=bool(rng.random() < 0.45), rating=str(rng.choice(RATING_MIX)),
                dormant=bool(rng.random() < 0.02), inherited=bool(rng.random() < 0.03)))
        if rng.random() < 0.3:  # a home registered by two providers: one pair, once counted
            first = lid()
            rows.append(location(first, la, c.region, care_home=True, beds=40,
                                 residential=True, primary_id=first))
            rows.append(location(lid(), la, c.region, care_home=True, beds=40,
                                 residential=True, primary_id=first))
        for _ in range(int(rng.integers(20, 60))):
            rows.append(location(lid(), la, c.region, domiciliary=True,
                                 rating=str(rng.choice(RATING_MIX)),
                                 dormant=bool(rng.random() < 0.03)))
        for _ in range(int(rng.integers(2, 8))):
            rows.append(location(lid(), la, c.region, supported_living=True,
                                 extra_care=bool(rng.random() < 0.3)))
        for _ in range(int(rng.integers(5, 15))):
            rows.append(location(lid(), la, c.region, directorate="Primary medical services",
                                 rating="Good"))
    write_book(Path(out), workbook(rows, day))
    return len(rows)


DEACTIVATED_HEADER = [
    "Location ID", "Location Name", "Care home?", "Location Inspection Directorate",
    "Location Local Authority", "Location Region", "Location HSCA End Date",
    "Care homes beds at point location de-activated"]


def deactivated(lid: str, la: str, region: str, end: date, *, care_home: bool = True,
                beds: int = 0, directorate: str = "Adult social care") -> list[object]:
    """One row of CQC's deactivated locations file (end date as CQC writes it, dd/mm/yyyy)."""
    return [lid, f"Location {lid}", "Y" if care_home else "N", directorate, la, region,
            f"{end:%d/%m/%Y}", beds if care_home else ""]


def deactivated_workbook(rows: list[list[object]],
                         as_at: date) -> dict[str, list[list[object]]]:
    """README (its as-at line) and the data sheet."""
    return {"README": [["Deactivated locations"],
                       [f"Source: CQC database as at {as_at.day:02d} {as_at:%B %Y}"],
                       ["Synthetic data made by openasc; no real location."]],
            "Deactivated_Locations": [DEACTIVATED_HEADER, *rows]}


def write_deactivated(out: Path, only: list[str] | None = None, as_at: str = "2025-03-01",
                      seed: int = 1) -> int:
    """Write a synthetic deactivated locations file: a few care homes a council, some
    deregistered in the year before `as_at`, some years earlier, and some home care."""
    day = date.fromisoformat(as_at)
    rng = np.random.default_rng(seed)
    wanted = {councils.resolve(c, on=day).ons_code for c in only} if only else None
    rows: list[list[object]] = []
    for c in councils.all_councils():
        if not c.valid_on(day) or (wanted is not None and c.ons_code not in wanted):
            continue
        for _ in range(int(rng.integers(1, 8))):
            ago = int(rng.integers(1, 900))
            end = date.fromordinal(day.toordinal() - ago)
            rows.append(deactivated(f"1-8{len(rows):08d}", c.name, c.region, end,
                                    beds=int(rng.integers(6, 60))))
        rows.append(deactivated(f"1-8{len(rows):08d}", c.name, c.region,
                                date.fromordinal(day.toordinal() - 100), care_home=False))
    write_book(Path(out), deactivated_workbook(rows, day))
    return len(rows)
