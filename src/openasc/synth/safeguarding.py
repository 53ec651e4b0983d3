"""A synthetic council's safeguarding case list: `openasc synth safeguarding`.

Concerns are about the synthetic council's own people (`--people-from` a synthetic CLD file),
so that pseudonyms link across files as they would for a real council. Proportions follow
the England figures in sac-dols-salt.md (Reference figures, SAC): about 29% of concerns lead
to a Section 42 enquiry and 2% to an other enquiry (2024-25); neglect is about a third of
risks and the person's own home nearly half of locations; 68% of expressed outcomes fully
achieved. Everything is drawn with numpy from one seed and written by DuckDB, so 200,000
concerns take about a second and the same arguments give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from openasc.councils import resolve
from openasc.synth.cld import _year_end
from openasc.warehouse import sql_text

HEADER = (
    "LA_Code", "Concern_Reference", "LA_Person_Unique_Identifier", "NHS_Number",
    "Date_of_Birth", "Gender", "Ethnicity", "Primary_Support_Reason", "Concern_Received_Date",
    "Enquiry_Type", "Enquiry_Start_Date", "Enquiry_Conclusion_Date", "Types_of_Risk",
    "Location_of_Risk", "Source_of_Risk", "Risk_Assessment_Outcome", "Risk_Outcome",
    "MSP_Desired_Outcomes_Asked", "MSP_Outcomes_Achieved", "Lacked_Capacity",
    "Advocacy_Support",
)
RISK_TYPES = {"Neglect and Acts of Omission": 0.32, "Physical Abuse": 0.20,
              "Psychological Abuse": 0.14, "Financial or Material Abuse": 0.13,
              "Self-Neglect": 0.09, "Organisational Abuse": 0.05, "Domestic Abuse": 0.04,
              "Sexual Abuse": 0.025, "Discriminatory Abuse": 0.005,
              "Sexual Exploitation": 0.003, "Modern Slavery": 0.002}
LOCATIONS = {"Own Home": 0.46, "Care Home - Residential": 0.17, "Care Home - Nursing": 0.08,
             "In the Community": 0.08, "Community Service": 0.04, "Hospital - Acute": 0.03,
             "Hospital - Mental Health": 0.02, "Hospital - Community": 0.01, "Other": 0.11}
SOURCES = {"Other - Known to individual": 0.60, "Service Provider": 0.30,
           "Other - Unknown to individual": 0.10}
RISK_ASSESSMENT = {"Risk identified and action taken": 0.65,
                   "Risk identified and no action taken": 0.04,
                   "Risk Assessment inconclusive and action taken": 0.10,
                   "Risk Assessment inconclusive and no action taken": 0.03,
                   "No risk identified and action taken": 0.07,
                   "No risk identified and no action taken": 0.06,
                   "Enquiry ceased at individual's request and no action taken": 0.05}
RISK_OUTCOME = {"Risk remained": 0.10, "Risk reduced": 0.60, "Risk removed": 0.30}
MSP_ASKED = {"Yes they were asked and outcomes were expressed": 0.70,
             "Yes they were asked but no outcomes were expressed": 0.12, "No": 0.08,
             "Don't Know": 0.04, "Not Recorded": 0.06}
MSP_ACHIEVED = {"Fully Achieved": 0.68, "Partially Achieved": 0.27, "Not Achieved": 0.05}
CAPACITY = {"Yes, they lacked capacity": 0.30, "No, they did not lack capacity": 0.55,
            "Don't know": 0.08, "Not recorded": 0.07}
GENDERS = ("Female", "Male", "Unknown")
ETHNICITIES = ("White: English, Welsh, Scottish, Northern Irish or British",
               "White: Any other White background", "Asian or Asian British: Indian",
               "Black, Black British, Caribbean or African: African",
               "Mixed or multiple ethnic groups: White and Asian",
               "No data: Undeclared or not known")
PSRS = ("Physical support: Personal care support", "Support with memory and cognition",
        "Learning disability support", "Mental health support", "Unknown")


@dataclass
class People:
    """The person columns of a synthetic council (identifiers, as a council would hold them)."""

    ids: np.ndarray
    nhs: np.ndarray
    dob: np.ndarray  # datetime64[D]
    gender: np.ndarray
    ethnicity: np.ndarray
    psr: np.ndarray


def read_people(people_from: Path | None, n: int, rng: np.random.Generator,
                year_start: date) -> People:
    """Adults (18+ at the year start) from a synthetic CLD file, else invented ones."""
    if people_from is not None:
        con = duckdb.connect()
        rows = con.execute(
            """
            SELECT LA_Person_Unique_Identifier, any_value(NHS_Number),
                   any_value(Date_of_Birth), any_value(Gender), any_value(Ethnicity),
                   any_value(Primary_Support_Reason)
            FROM read_csv(?, header=true, all_varchar=true)
            WHERE LA_Person_Unique_Identifier IS NOT NULL
            GROUP BY 1 ORDER BY 1
            """, [str(people_from)]).fetchall()
        con.close()
        cols = list(zip(*rows, strict=True)) if rows else [[]] * 6
        dob = np.array([_parse_day(d) for d in cols[2]], dtype="datetime64[D]")
        adult = ~np.isnat(dob) & (dob <= np.datetime64(year_start) - np.timedelta64(18 * 366, "D"))
        keep = np.flatnonzero(adult)
        if keep.size:
            return People(np.array(cols[0], object)[keep], np.array(cols[1], object)[keep],
                          dob[keep], np.array(cols[3], object)[keep],
                          np.array(cols[4], object)[keep], np.array(cols[5], object)[keep])
    size = max(1, int(n * 0.8))
    ages = np.clip(rng.gamma(9.0, 8.5, size) + 18, 18, 104).astype(int)
    dob = (np.datetime64(year_start) - (ages * 365.25).astype("timedelta64[D]")
           - rng.integers(0, 365, size).astype("timedelta64[D]"))
    return People(
        ids=np.char.add("SG", np.char.zfill(np.arange(1, size + 1).astype(str), 7)).astype(object),
        nhs=np.full(size, None, object), dob=dob,
        gender=np.array(GENDERS, object)[rng.choice(3, size, p=[0.6, 0.39, 0.01])],
        ethnicity=np.array(ETHNICITIES, object)[rng.choice(6, size,
                                                           p=[0.8, 0.05, 0.05, 0.04, 0.02, 0.04])],
        psr=np.array(PSRS, object)[rng.choice(5, size, p=[0.45, 0.2, 0.12, 0.13, 0.10])])


def _parse_day(text: str | None) -> np.datetime64:
    if not text:
        return np.datetime64("NaT")
    t = text.strip()
    try:
        if "/" in t:
            d, m, y = t.split(" ")[0].split("/")
            return np.datetime64(f"{int(y):04d}-{int(m):02d}-{int(d):02d}")
        return np.datetime64(t[:10])
    except ValueError:
        return np.datetime64("NaT")


def pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    labels = np.array(list(table), dtype=object)
    p = np.array(list(table.values()), dtype=float)
    return labels[rng.choice(len(labels), n, p=p / p.sum())]


def day_text(days: np.ndarray) -> np.ndarray:
    """dd/mm/yyyy for datetime64 days, None for NaT, by rearranging characters (no loop)."""
    iso = np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype("U10")
    ch = iso.view("U1").reshape(-1, 10)
    text = ch[:, [8, 9, 4, 5, 6, 4, 0, 1, 2, 3]].copy()
    text[:, 2] = "/"
    text[:, 5] = "/"
    joined = np.ascontiguousarray(text).view("U10").reshape(-1)
    return np.where(np.isnat(days), None, joined.astype(object))


def person_weights(rng: np.random.Generator, people: People) -> np.ndarray:
    """Older people are more often the subject of concerns; some people have several."""
    age = (np.datetime64("2025-01-01") - people.dob).astype(int) / 365.25
    w = np.where(age >= 65, 3.0, 1.0) * rng.gamma(0.7, 1.0, len(age))
    return w / w.sum()


def write_csv(out: Path, columns: dict[str, np.ndarray]) -> None:
    rows = pa.table({k: pa.array(v.tolist(), pa.string()) for k, v in columns.items()})  # noqa: F841
    con = duckdb.connect()
    out.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * FROM rows) TO {sql_text(out)} (HEADER, DELIMITER ',', QUOTE '\"')")
    con.close()


def write_safeguarding(out: Path, concerns: int, la_code: str = "416", year: str = "2024-25",
                       seed: int = 1, defect_rate: float = 0.0,
                       people_from: Path | None = None) -> int:
    """Write `concerns` rows (one per concern) for the year; return the number of rows."""
    out = Path(out)
    council = resolve(la_code)
    end = _year_end(year)
    start = date(end.year - 1, 4, 1)
    rng = np.random.default_rng(seed)
    n = int(concerns)
    people = read_people(people_from, n, rng, start)
    who = rng.choice(len(people.ids), n, p=person_weights(rng, people))
    received = np.datetime64(start) + rng.integers(0, (end - start).days + 1, n).astype(
        "timedelta64[D]")
    kind = rng.choice(3, n, p=[0.29, 0.02, 0.69])  # S42, Other, none (2024-25 England)
    enquiry = kind < 2
    enquiry_start = received + rng.geometric(1 / 6, n).astype("timedelta64[D]") - 1
    conclusion = enquiry_start + rng.gamma(1.5, 40.0, n).astype(int).astype("timedelta64[D]")
    conclusion = np.where(conclusion <= np.datetime64(end), conclusion, np.datetime64("NaT"))
    enquiry_start = np.where(enquiry_start <= np.datetime64(end), enquiry_start,
                             np.datetime64("NaT"))
    kind = np.where(enquiry & np.isnat(enquiry_start), 2, kind)  # not yet started: no enquiry
    enquiry = kind < 2
    concluded = enquiry & ~np.isnat(conclusion)
    first = pick(rng, RISK_TYPES, n)
    second = pick(rng, RISK_TYPES, n)
    risks = np.where(rng.random(n) < 0.25, first + "; " + second, first)
    sources = np.where(rng.random(n) < 0.08,
                       pick(rng, SOURCES, n) + "; " + pick(rng, SOURCES, n), pick(rng, SOURCES, n))
    assessment = pick(rng, RISK_ASSESSMENT, n)
    asked = pick(rng, MSP_ASKED, n)
    capacity = pick(rng, CAPACITY, n)
    blank = np.full(n, None, object)
    cols: dict[str, np.ndarray] = {
        "LA_Code": np.full(n, council.la_code, object),
        "Concern_Reference": np.char.add("SC", np.char.zfill(np.arange(1, n + 1).astype(str),
                                                             8)).astype(object),
        "LA_Person_Unique_Identifier": people.ids[who],
        "NHS_Number": people.nhs[who],
        "Date_of_Birth": day_text(people.dob[who]),
        "Gender": people.gender[who],
        "Ethnicity": people.ethnicity[who],
        "Primary_Support_Reason": people.psr[who],
        "Concern_Received_Date": day_text(received),
        "Enquiry_Type": np.array(["Section 42 enquiry", "Other enquiry", "No enquiry"],
                                 object)[kind],
        "Enquiry_Start_Date": np.where(enquiry, day_text(enquiry_start), blank),
        "Enquiry_Conclusion_Date": np.where(concluded, day_text(conclusion), blank),
        "Types_of_Risk": np.where(enquiry, risks, blank),
        "Location_of_Risk": np.where(enquiry, pick(rng, LOCATIONS, n), blank),
        "Source_of_Risk": np.where(enquiry, sources, blank),
        "Risk_Assessment_Outcome": np.where(concluded, assessment, blank),
        "Risk_Outcome": np.where(concluded & (assessment == "Risk identified and action taken"),
                                 pick(rng, RISK_OUTCOME, n), blank),
        "MSP_Desired_Outcomes_Asked": np.where(concluded, asked, blank),
        "MSP_Outcomes_Achieved": np.where(
            concluded & (asked == "Yes they were asked and outcomes were expressed"),
            pick(rng, MSP_ACHIEVED, n), blank),
        "Lacked_Capacity": np.where(concluded, capacity, blank),
        "Advocacy_Support": np.where(concluded & (capacity == "Yes, they lacked capacity"),
                                     np.where(rng.random(n) < 0.8, "Yes", "No"), blank),
    }
    _plant_defects(rng, cols, defect_rate)
    write_csv(out, cols)
    return n


def _plant_defects(rng: np.random.Generator, cols: dict[str, np.ndarray], rate: float) -> None:
    """Faults councils' extracts really have: bad dates, unknown labels, dates out of order."""
    if rate <= 0:
        return
    n = len(cols["LA_Code"])
    hit = np.flatnonzero(rng.random(n) < rate)
    kinds = rng.integers(0, 4, hit.size)
    cols["Concern_Received_Date"][hit[kinds == 0]] = "31/02/2024"
    cols["Enquiry_Type"][hit[kinds == 1]] = "Enquiry?"
    cols["Types_of_Risk"][hit[kinds == 2]] = "Cyber bullying"
    late = hit[(kinds == 3) & (cols["Enquiry_Start_Date"][hit] != None)]  # noqa: E711
    cols["Enquiry_Start_Date"][late] = "01/01/2000"
