"""The faults real CLD files carry, planted in a known share of rows.

A validator and an ingest are only tested by files that go wrong the way councils' files do
(cld-r2.md §6): values from the wrong release, wrong case and stray spaces, missing or
mistyped NHS numbers, end dates before start dates, blank mandatory fields, ISO dates, the
text `NULL`, and the same row twice. Each defective row carries exactly one fault, so the
share of defective rows is the `--defect-rate` asked for, and each fault touches one field
(or the whole row, for a duplicate), so a validator's findings can be checked against it.
"""

from __future__ import annotations

import numpy as np

NONE = 0
KINDS = {
    1: ("invalid value", "Ethnicity is `White` (no longer a list value)", "error"),
    2: ("wrong release", "R2 file: Client_Type in its R1 spelling; R1 file: Gender `F`", "error"),
    3: ("case and spacing", "Gender in upper case with a trailing space", "warning"),
    4: ("missing NHS number", "NHS_Number blank", "error"),
    5: ("invalid check digit", "NHS_Number last digit changed", "error"),
    6: ("end before start", "Event_End_Date before Event_Start_Date", "error"),
    7: ("missing mandatory field", "Postcode blank", "error"),
    8: ("ISO dates", "dates of the row written yyyy-mm-dd", "warning"),
    9: ("NULL text", "Accommodation_Status is the text `NULL`", "warning"),
    10: ("duplicate row", "an exact copy of the row follows it", "error"),
}
DUPLICATE = 10
END_BEFORE_START = 6
MISSING_MANDATORY = 7


def assign(rng: np.random.Generator, n: int, rate: float, has_dates: np.ndarray) -> np.ndarray:
    """One fault kind per row (0 = none); about `rate` of the rows in the file are faulty.

    A duplicate adds a row (the copy is the faulty one), so rows are drawn faulty with
    p = r/(1 - r·d), d the duplicates' share of faults: then p/(1 + p·d) = r of the written
    rows are faulty. Rows with no event dates (carers
    known by association) cannot have their end before their start; they get a blank
    mandatory field instead.
    """
    kinds = np.zeros(n, dtype=np.int8)
    if rate <= 0 or n == 0:
        return kinds
    share_dup = 1 / len(KINDS)
    p = min(1.0, rate / (1 - rate * share_dup))
    faulty = rng.random(n) < p
    kinds[faulty] = rng.integers(1, len(KINDS) + 1, int(faulty.sum()))
    kinds[(kinds == END_BEFORE_START) & ~has_dates] = MISSING_MANDATORY
    return kinds
