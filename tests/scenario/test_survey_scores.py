"""Person-level scores of the survey measures (ascof.md §3.1.3, §3.1.4, §3.2), each council a
single stratum so that its figure is the person's value or a plain share.

1C reproduces the reference's two worked examples (NHS England's unit tests) exactly:
  all eight items 1, q13 = q17 = q18 = 1, all ADL items 1, aged 18-64:
    current = 0.203 x 7.215 - 0.466 = 0.998645; adjustment = 0.5798; 1C = 0.418845
  all items 3, aged 65+:
    current = 0.203 x 3.131 - 0.466 = 0.169593;
    adjustment = -0.0148 - 0.125 - 0.11 + 0.0473 + (0.5798 - 0.0202 x 14) = 0.0945;
    1C = 0.075093
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import pytest
from survey_files import ASCS_HEAD, SACE_HEAD, figures, load_and_compute, write

from openasc.config import load_settings
from openasc.metrics.engine import run_compute

QOL = ["q3a", "q4a", "q5a", "q6a", "q7a", "q8a", "q9a", "q11"]
ADJ = ["q13", "q17", "q18", "q15a", "q15b", "q15c", "q15d", "q16a", "q16b", "q16c", "q16d"]


def person(la: str, serial: str, stratum: int, age: int, answer: int, **more: object
           ) -> dict[str, object]:
    return {"LA_Code": la, "Survey_Year": "2024-25", "Serial_Number": serial, "Stratum": stratum,
            "Age": age, "Gender": "F", "Support_Setting": 1,
            **{q: answer for q in QOL + ADJ}, **more}


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("scores")
    rows = [
        # E10000034 (416): example 1 in stratum 2, plus people 1C leaves out: a care-home
        # resident (stratum 3) and a person with learning disability support (stratum 1);
        # they count in 1A.
        person("416", "A1", 2, 40, 1),
        person("416", "A2", 3, 80, 1, Support_Setting=2),
        person("416", "A3", 1, 30, 1, Primary_Support_Reason=7),
        # E06000001 (111): example 2 in stratum 4
        person("111", "B1", 4, 70, 3),
        # E10000016 (820, Kent): both examples, N 300 (stratum 2) and 100 (stratum 4):
        # (300 x 0.418845 + 100 x 0.075093) / 400 = 133.1628 / 400 = 0.332907
        person("820", "C1", 2, 40, 1),
        person("820", "C2", 4, 70, 3),
    ]
    pop = [{"LA_Code": la, "Survey_Year": "2024-25", "Stratum": s, "Eligible_Population": n}
           for la, s, n in [("416", 1, 50), ("416", 2, 300), ("416", 3, 80), ("111", 4, 90),
                            ("820", 2, 300), ("820", 4, 100)]]
    returns = write(tmp / "ascs.csv", ASCS_HEAD, rows)
    population = write(tmp / "pop.csv", ["LA_Code", "Survey_Year", "Stratum",
                                         "Eligible_Population"], pop)
    return load_and_compute(tmp, "ascs", returns, population)


def test_1c_worked_example_one(wh) -> None:
    """Only A1 is eligible in 416: the council's 1C is A1's gain, 0.418845, to the last
    decimal the reference gives; its weighted denominator is stratum 2's 300 people."""
    n, d, v = figures(wh, "1C", la="E10000034")[""]
    assert Decimal(repr(v)).quantize(Decimal("0.000001")) == Decimal("0.418845")
    assert d == 300


def test_1c_worked_example_two(wh) -> None:
    n, d, v = figures(wh, "1C", la="E06000001")[""]
    assert Decimal(repr(v)).quantize(Decimal("0.000001")) == Decimal("0.075093")


def test_1c_weights_the_two_examples_by_stratum(wh) -> None:
    n, d, v = figures(wh, "1C", la="E10000016")[""]
    assert (n, d) == pytest.approx((133.1628, 400))
    assert v == pytest.approx(0.332907)


def test_1a_counts_those_1c_leaves_out(wh) -> None:
    """416's 1A: all three answered every item 1 (score 24 each), in strata 1, 2 and 3 of
    50, 300 and 80 people: 24 x 430 / 430 = 24."""
    assert figures(wh, "1A", la="E10000034")[""] == pytest.approx((24 * 430, 430, 24))


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory):
    """One stratum of 100 people, four respondents answering q12, q7a, q7b, q8a and q1."""
    tmp = tmp_path_factory.mktemp("answers")
    base = {"LA_Code": "416", "Survey_Year": "2024-25", "Stratum": 2, "Age": 50}
    rows = [
        {**base, "Serial_Number": "1", "q12": 1, "q7a": 1, "q7b": 1, "q8a": 1, "q1": 2,
         "Questionnaire": 1},
        {**base, "Serial_Number": "2", "q12": 2, "q7a": 2, "q7b": 2, "q8a": 2, "q1": 3,
         "Questionnaire": 1},
        {**base, "Serial_Number": "3", "q12": 3, "q7a": 1, "q7b": 1, "q8a": 4, "q1": 1,
         "Questionnaire": 3},
        {**base, "Serial_Number": "4", "q12": 5, "q7a": 4, "q7b": 1, "q8a": 1, "q1": 2,
         "Questionnaire": 3},
    ]
    returns = write(tmp / "ascs.csv", ASCS_HEAD, rows)
    pop = write(tmp / "pop.csv", ["LA_Code", "Survey_Year", "Stratum", "Eligible_Population"],
                [{"LA_Code": "416", "Survey_Year": "2024-25", "Stratum": 2,
                  "Eligible_Population": 100}])
    return load_and_compute(tmp, "ascs", returns, pop)


@pytest.mark.parametrize(("family", "code", "share"), [
    # 3A: q12 2 or 3 positive, 1 (never tried) left out: 2 of 3
    ("ASCOF", "3A", 2 / 3),
    # 4A: q7a = 1: 2 of 4; 4B: q7b = 1: 3 of 4; 5A: q8a = 1: 2 of 4
    ("ASCOF", "4A", 2 / 4), ("ASCOF", "4B", 3 / 4), ("ASCOF", "5A", 2 / 4),
    # ASCS/SAT: standard q1 1-2 -> 1, 3 -> 2; easy read kept: respondents 1 and 3 are
    # positive (2 then 1), 2 (standard 3) and 4 (easy-read 2) are not: 2 of 4
    ("ASCS", "SAT", 2 / 4),
])
def test_person_level_rules(answers, family: str, code: str, share: float) -> None:
    n, d, v = figures(answers, code, family)[""]
    assert v == pytest.approx(share * 100)
    assert d == pytest.approx(100)


@pytest.fixture(scope="module")
def carers(tmp_path_factory: pytest.TempPathFactory):
    """A carers' survey of three respondents from 60 eligible carers (2023-24, used for a
    2024-25 period: the survey is biennial)."""
    tmp = tmp_path_factory.mktemp("carers")
    qol = ["qol_occupation", "qol_control", "qol_self_care", "qol_safety", "qol_social",
           "qol_encouragement"]
    base = {"LA_Code": "416", "Survey_Year": "2023-24", "Age": 70}
    rows = [
        # all first options: 1D 12; information very easy; always involved; extremely satisfied
        {**base, "Serial_Number": "1", **{q: 1 for q in qol}, "information": 1,
         "involved": 1, "satisfaction": 1, "Gender": "F"},
        # all last options: 1D 0; never tried (left out of 3B); no discussions (left out of
        # 3C); no support received (left out of SAT)
        {**base, "Serial_Number": "2", **{q: 3 for q in qol}, "information": 5,
         "involved": 5, "satisfaction": 8, "Gender": "M"},
        # middle options: 1D 6; fairly difficult; sometimes; quite satisfied; one item blank,
        # so no 1D score
        {**base, "Serial_Number": "3", **{q: 2 for q in qol}, "qol_safety": "",
         "information": 3, "involved": 3, "satisfaction": 3, "Gender": "F"},
    ]
    returns = write(tmp / "sace.csv", SACE_HEAD, rows)
    pop = write(tmp / "pop.csv", ["LA_Code", "Survey_Year", "Eligible_Population"],
                [{"LA_Code": "416", "Survey_Year": "2023-24", "Eligible_Population": 60}])
    return load_and_compute(tmp, "sace", returns, pop)


@pytest.mark.parametrize(("family", "code", "value", "denominator"), [
    ("ASCOF", "1D", 6.0, 60),  # (12 + 0) / 2 respondents with all six items
    ("ASCOF", "3B", 50.0, 60),  # 1 of 2 (never tried left out)
    ("ASCOF", "3C", 50.0, 60),  # 1 of 2 (no discussions left out)
    ("ASCOF", "5B", 100 / 3, 60),  # social item first option: 1 of 3
    ("SACE", "SAT", 50.0, 60),  # 1 of 2 (no support received left out)
])
def test_carers_measures(carers, family: str, code: str, value: float,
                         denominator: float) -> None:
    n, d, v = figures(carers, code, family)[""]
    assert v == pytest.approx(value)
    assert d == pytest.approx(denominator)


def test_a_carers_survey_serves_the_next_year_only(tmp_path) -> None:
    """SACE is biennial: a period reads the latest survey ending within the two years before
    its end. SACE 2021-22 (ending 31 March 2022) gives 2022-23 its 1D; by 2024-25 it is
    three years old and gives nothing (no row, rather than an old figure)."""
    base = {"LA_Code": "416", "Survey_Year": "2021-22", "Age": 70, "Serial_Number": "1",
            **{q: 1 for q in ["qol_occupation", "qol_control", "qol_self_care", "qol_safety",
                              "qol_social", "qol_encouragement"]}}
    returns = write(tmp_path / "sace.csv", SACE_HEAD, [base])
    pop = write(tmp_path / "pop.csv", ["LA_Code", "Survey_Year", "Eligible_Population"],
                [{"LA_Code": "416", "Survey_Year": "2021-22", "Eligible_Population": 60}])
    con = load_and_compute(tmp_path, "sace", returns, pop, date(2022, 4, 1), date(2023, 3, 31))
    assert figures(con, "1D")[""][2] == 12
    con.close()
    run_compute(date(2024, 4, 1), date(2025, 3, 31), None, load_settings(tmp_path / "w.duckdb"),
                select=["1D"])
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM metric_values WHERE code = '1D' AND "
                       "period_start = '2024-04-01'").fetchone()[0] == 0
