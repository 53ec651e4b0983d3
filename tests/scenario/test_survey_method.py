"""The survey measures against the reference's method (ascof.md §3), worked by hand.

A council with four strata of unequal size and response (eligible populations N_s 100, 300,
200 and 400; 4, 5, 2 and 5 respondents who answered q3a), loaded through the real ingest and
computed by the real engine. The expected figures are worked below from §3.1.5, not from the
code.
"""

from __future__ import annotations

import math

import pytest
from survey_files import ASCS_HEAD, figures, load_and_compute, write

# (stratum, q3a, sex): every quality-of-life item takes the q3a answer, so the person's
# SCRQoL (1A) is 32 - 8 x q3a: 24, 16, 8 or 0.
PEOPLE = [
    (1, 1, "M"), (1, 2, "F"), (1, 3, "F"), (1, 4, "F"),
    (2, 1, "M"), (2, 1, "F"), (2, 2, "M"), (2, 2, "F"), (2, 3, "M"),
    (3, 4, "M"), (3, 1, "F"),
    (4, 1, "F"), (4, 2, "F"), (4, 4, "M"), (4, 4, "F"), (4, 4, "F"),
]
POPULATION = {1: 100, 2: 300, 3: 200, 4: 400}
ITEMS = ["q3a", "q4a", "q5a", "q6a", "q7a", "q8a", "q9a", "q11"]


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("survey")
    rows: list[dict[str, object]] = []
    for i, (stratum, q3a, sex) in enumerate(PEOPLE):
        rows.append({"LA_Code": "416", "Survey_Year": "2024-25", "Serial_Number": f"S{i}",
                     "Response": 1, "Stratum": stratum, "Gender": sex,
                     "Age": 40 if stratum <= 2 else 80, **{q: q3a for q in ITEMS}})
    # A respondent who left q3a blank (counts in no stratum's n_s for 1B or 1A) and a person
    # sampled who did not respond: neither changes a figure below.
    rows.append({"LA_Code": "416", "Survey_Year": "2024-25", "Serial_Number": "S98",
                 "Response": 1, "Stratum": 4, "Gender": "F", "Age": 70, "q4a": 1})
    rows.append({"LA_Code": "416", "Survey_Year": "2024-25", "Serial_Number": "S99",
                 "Response": 2, "Stratum": 4, "Gender": "M", "Age": 70, "q3a": 1})
    returns = write(tmp / "ascs.csv", ASCS_HEAD, rows)
    pop = write(tmp / "pop.csv", ["LA_Code", "Survey_Year", "Stratum", "Eligible_Population"],
                [{"LA_Code": "E10000034", "Survey_Year": "2024-25", "Stratum": s,
                  "Eligible_Population": n} for s, n in POPULATION.items()])
    return load_and_compute(tmp, "ascs", returns, pop)


def test_weighted_proportion_1b_and_its_margin_of_error(council) -> None:
    """1B, positive = q3a 1 or 2 (§3.1.3).

    Stratum shares p_s: s1 2 of 4 = 0.5; s2 4 of 5 = 0.8; s3 1 of 2 = 0.5; s4 2 of 5 = 0.4.
    Weighted (§3.1.5): numerator = 100x0.5 + 300x0.8 + 200x0.5 + 400x0.4 = 50 + 240 + 100 +
    160 = 550; denominator = 1000; value 55.0% (unweighted it would be 9/16 = 56.25%).

    Margin: v_s = p(1-p) N^2 (1 - n/N) / (n - 1):
      s1 0.25 x 10,000 x 0.96 / 3       =   800
      s2 0.16 x 90,000 x (295/300) / 4  = 3,540
      s3 0.25 x 40,000 x 0.99 / 1       = 9,900
      s4 0.24 x 160,000 x 0.9875 / 4    = 9,480
    sum 23,720; margin = 1.96 x sqrt(23,720) x 100 / 1000 = 30.19 percentage points, with a
    base of 16 respondents.
    """
    f = figures(council, "1B")
    n, d, v = f[""]
    assert (n, d) == pytest.approx((550, 1000))
    assert v == pytest.approx(55.0)
    base, none, margin = f["measure_part=margin_of_error"]
    assert (base, none) == (16, None)
    assert margin == pytest.approx(1.96 * math.sqrt(23720) * 100 / 1000)
    assert round(margin, 1) == 30.2


def test_breakdown_by_sex_estimates_each_strata_subgroup(council) -> None:
    """Sex rows: N_sg = N_s x n_sg / n_s (§3.1.5), then the same formula within the group.

    Male: s1 1 of 4 answered, positive -> N 25, 25 positive; s2 3 of 5, 2 positive -> N 180,
    120; s3 1 of 2, none -> N 100, 0; s4 1 of 5, none -> N 80, 0. Numerator 145, denominator
    385, value 37.66%.
    Female: s1 3 of 4, 1 positive -> N 75, 25; s2 2 of 5, both -> N 120, 120; s3 1 of 2,
    positive -> N 100, 100; s4 4 of 5, 2 positive -> N 320, 160. Numerator 405, denominator
    615. Male + Female = the headline 550 / 1000.

    Male margin: only s2 has more than one respondent (a single answer has no spread and
    contributes nothing): p = 2/3, p(1-p) = 2/9, v = 2/9 x 180^2 x (1 - 3/180) / 2 = 3,540;
    margin = 1.96 x sqrt(3,540) x 100 / 385.
    """
    f = figures(council, "1B")
    assert f["sex=Male"] == pytest.approx((145, 385, 14500 / 385))
    assert f["sex=Female"] == pytest.approx((405, 615, 40500 / 615))
    base, _, margin = f["measure_part=margin_of_error;sex=Male"]
    assert base == 6
    assert margin == pytest.approx(1.96 * math.sqrt(3540) * 100 / 385)


def test_weighted_mean_score_1a_and_its_margin_of_error(council) -> None:
    """1A, person score 32 - 8 x q3a here. Stratum means: s1 (24+16+8+0)/4 = 12; s2
    (24+24+16+16+8)/5 = 17.6; s3 (0+24)/2 = 12; s4 (24+16+0+0+0)/5 = 8.
    Weighted: (100x12 + 300x17.6 + 200x12 + 400x8) / 1000 = 12,080 / 1000 = 12.08.

    Margin (decisions.md: the proportion formula with the stratum's variance, divisor n):
    variances 80, 35.84, 144 and 102.4;
      s1 80 x 10,000 x 0.96 / 3            =   256,000
      s2 35.84 x 90,000 x (295/300) / 4    =   792,960
      s3 144 x 40,000 x 0.99 / 1           = 5,702,400
      s4 102.4 x 160,000 x 0.9875 / 4      = 4,044,800
    sum 10,796,160; margin = 1.96 x sqrt(10,796,160) / 1000 = 6.44 score points.
    """
    f = figures(council, "1A")
    assert f[""] == pytest.approx((12080, 1000, 12.08))
    assert f["measure_part=margin_of_error"][2] == pytest.approx(
        1.96 * math.sqrt(10796160) / 1000)


def test_age_band_rows_partition_the_headline(council) -> None:
    """Age bands from the age given (under 65: 18 to 64): strata 1 and 2 are aged 40 here,
    3 and 4 aged 80. 18 to 64 = s1 and s2 whole: (50 + 240) / (100 + 300) = 72.5%;
    65 and above = s3 and s4: (100 + 160) / (200 + 400) = 43.33%."""
    f = figures(council, "1B")
    assert f["age_band=18 to 64"] == pytest.approx((290, 400, 72.5))
    assert f["age_band=65 and above"] == pytest.approx((260, 600, 26000 / 600))
