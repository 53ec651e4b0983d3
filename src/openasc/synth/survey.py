"""Synthetic survey returns: the Adult Social Care Survey (ASCS) and the Survey of Adult Carers
in England (SACE), with their eligible populations. No real person is in them.

Answers are drawn from one latent "how well things are going" score per person, shifted by
stratum (older people in care homes report less control and more difficulty with daily
living; people with a learning disability report higher satisfaction, as the national
results do), so that a person's answers agree with each other and the weighted council
figure differs from the unweighted one. A few answers are left blank, as on paper returns.

`xlsx=True` writes the layout of the national data return instead of a tidy CSV: a sign-off
sheet first, then "Service User Data" with the eligible population on every row and columns
no measure uses (ethnicity, a free-text field), which the ingest leaves unread.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from openasc import councils

# Eligible population and latent shift by stratum (1 LD, 2 18-64, 3 65+ residential,
# 4 65+ community): an ordinary county's shape, not any council's figures.
STRATA = {1: (900, 0.45), 2: (1400, -0.10), 3: (1100, -0.35), 4: (2600, 0.05)}
ASCS_ITEMS = {  # item: number of answer options (1 best)
    "q1": 7, "q3a": 4, "q4a": 4, "q5a": 4, "q6a": 4, "q7a": 4, "q7b": 2, "q8a": 4, "q9a": 4,
    "q11": 4, "q12": 5, "q13": 5, "q15a": 3, "q15b": 3, "q15c": 3, "q15d": 3, "q16a": 3,
    "q16b": 3, "q16c": 3, "q16d": 3, "q17": 4, "q18": 4,
}
SACE_ITEMS = {"qol_occupation": 3, "qol_control": 3, "qol_self_care": 3, "qol_safety": 3,
              "qol_social": 3, "qol_encouragement": 3, "satisfaction": 7, "information": 5,
              "involved": 5}
BLANK = 0.03  # share of answers left blank


def _answers(rng: np.random.Generator, latent: np.ndarray, options: int,
             spread: float = 1.0) -> np.ndarray:
    """Ordered answers 1 (best) .. options from the latent score, with item noise."""
    z = latent + rng.normal(0, spread, latent.size)
    # about half give the best answer and few the worst, as nationally; a yes/no item
    # (services help you feel safe) is mostly yes
    cuts = np.array([-1.5]) if options == 2 else np.linspace(-0.2, -2.4, options - 1)
    out = 1 + (z[:, None] < cuts[None, :]).sum(axis=1)
    return np.where(rng.random(latent.size) < BLANK, 0, out)  # 0 = blank


def _survey_rows(rng: np.random.Generator, n: int, la: str, year: str, carers: bool
                 ) -> tuple[list[str], list[list[object]]]:
    if carers:
        stratum = np.ones(n, dtype=int)
        latent = rng.normal(-0.1, 1, n)
        age = np.where(rng.random(n) < 0.55, rng.integers(65, 95, n), rng.integers(25, 65, n))
        items = SACE_ITEMS
    else:
        weights = np.array([STRATA[s][0] for s in STRATA], dtype=float)
        stratum = rng.choice(list(STRATA), size=n, p=weights / weights.sum())
        latent = rng.normal(np.array([STRATA[s][1] for s in STRATA])[stratum - 1], 1)
        age = np.where(stratum >= 3, rng.integers(65, 100, n),
                       np.where(stratum == 2, rng.integers(18, 65, n), rng.integers(18, 80, n)))
        items = ASCS_ITEMS
    responded = rng.random(n) < 0.92
    sex = rng.choice(["1", "2"], size=n, p=[0.42, 0.58])
    answers = {q: _answers(rng, latent - (0.3 if q.startswith(("q15", "q16")) else 0), k)
               for q, k in items.items()}
    header = ["LA_Code", "Survey_Year", "Serial_Number", "Response", "Gender", "Age"]
    if not carers:
        header += ["Stratum", "Questionnaire", "Primary_Support_Reason", "Support_Setting"]
        setting = np.where(stratum == 3, np.where(rng.random(n) < 0.4, "3", "2"), "1")
        psr = np.where(stratum == 1, "7", rng.choice(["1", "2", "6", "8", "9"], size=n))
        questionnaire = np.where(stratum == 1, "3", np.where(stratum == 3, "2", "1"))
        easy = questionnaire == "3"
        answers["q1"] = np.where(easy & (answers["q1"] > 5), 5, answers["q1"])
    header += list(items)
    rows = []
    for i in range(n):
        row: list[object] = [la, year, f"{'C' if carers else 'U'}{i + 1:06d}",
                             1 if responded[i] else 2, sex[i], int(age[i])]
        if not carers:
            row += [int(stratum[i]), questionnaire[i], psr[i], setting[i]]
        row += [(int(answers[q][i]) or "") if responded[i] else "" for q in items]
        rows.append(row)
    return header, rows


def _population(carers: bool, respondents: int) -> dict[int, int]:
    if carers:
        return {1: max(respondents * 4, 150)}
    scale = max(respondents / 500, 1)
    return {s: int(round(pop * scale)) for s, (pop, _) in STRATA.items()}


def write_survey(out: Path, respondents: int = 500, la_code: str = "416", year: str = "2024-25",
                 seed: int = 1, carers: bool = False, xlsx: bool = False
                 ) -> tuple[int, Path]:
    """Write a return of `respondents` people sampled (about 92% respond) and, beside it,
    `<stem>_population.csv` (the eligible population). Returns (rows, population file)."""
    la = councils.resolve(la_code, "--la-code").la_code or la_code
    rng = np.random.default_rng(seed)
    header, rows = _survey_rows(rng, respondents, la, year, carers)
    pop = _population(carers, respondents)
    out.parent.mkdir(parents=True, exist_ok=True)
    if xlsx:
        _write_national(out, header, rows, pop, carers)
    else:
        with out.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
    pop_path = out.with_name(out.stem + "_population.csv")
    with pop_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["LA_Code", "Survey_Year", *([] if carers else ["Stratum"]),
                    "Eligible_Population"])
        for s, n in pop.items():
            w.writerow([la, year, *([] if carers else [s]), n])
    return len(rows), pop_path


def _write_national(out: Path, header: list[str], rows: list[list[object]],
                    pop: dict[int, int], carers: bool) -> None:
    """The national data return's layout (see the module docstring)."""
    import openpyxl

    wb = openpyxl.Workbook()
    sign_off = wb.active
    sign_off.title = "Sign Off Sheet"
    sign_off.append(["Council", rows[0][0] if rows else ""])
    data = wb.create_sheet("Service User Data" if not carers else "Carer Data")
    names = {"LA_Code": "LaCode", "Serial_Number": "Serial Number", "Stratum": "Stratum",
             "Primary_Support_Reason": "PrimarySupportReason",
             "Support_Setting": "SupportSetting"}
    national = [names.get(h, h) for h in header if h != "Survey_Year"]
    extra = ["Ethnic Origin", "CentrallyFundedInfo"] + ([] if carers else
                                                          ["Population In Stratum"])
    data.append(national[:6] + extra + national[6:])
    year_at = header.index("Survey_Year")
    stratum_at = header.index("Stratum") if "Stratum" in header else None
    for r in rows:
        row = r[:year_at] + r[year_at + 1:]
        more: list[object] = ["1", "meals on wheels and a day centre"]
        if stratum_at is not None:
            more.append(pop[int(r[stratum_at])])  # type: ignore[arg-type]
        data.append(row[:6] + more + row[6:])
    wb.save(out)
