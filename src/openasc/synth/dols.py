"""A synthetic council's DoLS application list: `openasc synth dols`.

Applications are about the synthetic council's own people (`--people-from` a synthetic CLD
file). Shapes follow the England figures in sac-dols-salt.md (Reference figures, DoLS):
about 96% of applications in a year are completed in a year of the same size, roughly 40%
of received are still waiting at the year end, mean time to complete about 150 days, about
one standard application in five completed within 21 days, and 56% of completed applications
not granted. A share of the list was received in the previous year and is still active in
this one (B2: everything active at any point in the year is in the return).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from openasc.councils import resolve
from openasc.synth.cld import _year_end
from openasc.synth.safeguarding import day_text, person_weights, pick, read_people, write_csv

REASONS = {"Change in circumstances": 0.51, "Person died": 0.25, "Person had capacity": 0.07,
           "Ineligible (MCA/MHA interface)": 0.01, "Not in best interests": 0.02,
           "No refusals requirement not met": 0.01, "Other reason": 0.13}
PRIORITY = {"High": 0.2, "Medium": 0.45, "Low": 0.3, "Not prioritised": 0.05}


def write_dols(out: Path, applications: int, la_code: str = "416", year: str = "2024-25",
               seed: int = 1, defect_rate: float = 0.0, people_from: Path | None = None) -> int:
    """Write `applications` rows (one per application); return the number of rows."""
    out = Path(out)
    council = resolve(la_code)
    end = _year_end(year)
    start = date(end.year - 1, 4, 1)
    rng = np.random.default_rng(seed)
    n = int(applications)
    people = read_people(people_from, n, rng, start)
    who = rng.choice(len(people.ids), n, p=person_weights(rng, people))
    # 80% received in the year, 20% in the year before and still active on 1 April.
    span = (end - start).days + 1
    offset = np.where(rng.random(n) < 0.8, rng.integers(0, span, n), rng.integers(-365, 0, n))
    received = np.datetime64(start) + offset.astype("timedelta64[D]")
    urgent = rng.random(n) < 0.35
    fast = rng.random(n) < 0.22  # completed quickly (within 21 days) ...
    days = np.where(fast, rng.integers(0, 22, n), rng.gamma(1.6, 110.0, n).astype(int) + 22)
    days = np.where(urgent & (rng.random(n) < 0.3), rng.integers(0, 8, n), days)
    sign_off = received + days.astype("timedelta64[D]")
    done = sign_off <= np.datetime64(end)
    # Earlier-year applications signed off before 1 April are not in this year's list.
    done_before = sign_off < np.datetime64(start)
    sign_off = np.where(done_before, np.datetime64(start) + rng.integers(0, 60, n).astype(
        "timedelta64[D]"), sign_off)
    done = done | done_before
    outcome_draw = rng.random(n)
    status = np.where(~done, "Not yet signed off",
                      np.where(outcome_draw < 0.44, "Granted",
                               np.where(outcome_draw < 0.80, "Not granted", "Withdrawn")))
    blank = np.full(n, None, object)
    granted = status == "Granted"
    auth_start = sign_off
    auth_end = auth_start + rng.integers(30, 366, n).astype("timedelta64[D]")
    cols = {
        "LA_Code": np.full(n, council.la_code, object),
        "Application_Reference": np.char.add(
            "DA", np.char.zfill(np.arange(1, n + 1).astype(str), 8)).astype(object),
        "LA_Person_Unique_Identifier": people.ids[who],
        "NHS_Number": people.nhs[who],
        "Date_of_Birth": day_text(people.dob[who]),
        "Gender": people.gender[who],
        "Ethnicity": people.ethnicity[who],
        "Primary_Support_Reason": people.psr[who],
        "Date_Application_Received": day_text(received),
        "Urgent_Included": np.where(urgent, "1", "0").astype(object),
        "Priority": pick(rng, PRIORITY, n),
        "Setting": np.where(rng.random(n) < 0.8, "Care home", "Hospital").astype(object),
        "Application_Sign_Off_Date": np.where(done, day_text(sign_off), blank),
        "Application_Status": status.astype(object),
        "Reason_Not_Granted": np.where(status == "Not granted", pick(rng, REASONS, n), blank),
        "Authorisation_Start_Date": np.where(granted, day_text(auth_start), blank),
        "Authorisation_End_Date": np.where(granted, day_text(auth_end), blank),
    }
    if defect_rate > 0:
        hit = np.flatnonzero(rng.random(n) < defect_rate)
        kinds = rng.integers(0, 3, hit.size)
        cols["Date_Application_Received"][hit[kinds == 0]] = "2024-13-45"
        cols["Setting"][hit[kinds == 1]] = "Supported living"
        cols["Application_Status"][hit[kinds == 2]] = "Granted?"
    write_csv(out, cols)
    return n
