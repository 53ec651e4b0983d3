"""Each check of `openasc check` on small hand-written drafts: the error it must find, with the
arithmetic worked in the docstring, and the correct or merely rounded figures it must pass.

The drafts are Markdown (the reader that needs no extra); the readers of the other formats
are pinned in test_check_formats.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openasc.check.claims import claims_in, stated_rounding
from openasc.check.run import CheckResult, check_file


def check_md(tmp_path: Path, text: str) -> CheckResult:
    path = tmp_path / "draft.md"
    path.write_text(text, encoding="utf-8")
    return check_file(path)


def errors(result: CheckResult, check: str | None = None) -> list:
    return [f for f in result.findings if f.severity == "error"
            and (check is None or f.check == check)]


# ----------------------------------------------------------------------------- figures
def test_figures_leave_out_years_ages_and_section_numbers() -> None:
    """Only 1,470 is a figure: 2024-25 a year, 65 an age, 42 and 2014 labels."""
    found = claims_in("In 2024-25, 1,470 people aged 65 and over had Section 42 enquiries "
                      "under the Care Act 2014.")
    assert [(c.value, c.kind) for c in found] == [(1470.0, "count")]


def test_figures_keep_their_kind_and_rounding() -> None:
    """82.0% may be 81.95 to 82.05; £1.2m is 1,200,000 ± 50,000; a rate keeps its base; a
    whole count is exact unless the draft says counts are rounded (then ±2.5)."""
    got = claims_in("82.0% and £1.2m and 513.2 per 100,000 and 1,470 people")
    assert [(c.kind, c.value, c.half, c.base) for c in got] == [
        ("percent", 82.0, pytest.approx(0.05), None),
        ("money", 1_200_000.0, pytest.approx(50_000), None),
        ("rate", 513.2, pytest.approx(0.05), 100000),
        ("count", 1470.0, 0.0, None)]
    assert claims_in("1,470 people", counts_round_to=5)[0].half == 2.5
    assert claims_in("1,471 people", counts_round_to=5)[0].half == 0.0
    assert stated_rounding("Counts are rounded to the nearest 5.") == 5
    assert stated_rounding("No rounding here.") == 1


# ----------------------------------------------------------------------------- tables
TABLE = """Table: Enquiries by type

| Type of abuse | Enquiries |
| --- | --- |
| Neglect | 120 |
| Financial | 85 |
| Physical | {c} |
| Total | {total} |
"""


def test_a_total_one_more_than_its_rows_is_an_error(tmp_path: Path) -> None:
    """120 + 85 + 60 = 265; a total of 266 is 1 more, and exact counts have no rounding."""
    bad = errors(check_md(tmp_path, TABLE.format(c="60", total="266")), "table_total")
    assert len(bad) == 1 and "265" in bad[0].working and "line" in str(bad[0].where)
    assert not errors(check_md(tmp_path, TABLE.format(c="60", total="265")))


def test_counts_rounded_to_5_may_miss_the_total_by_their_rounding(tmp_path: Path) -> None:
    """Rounded to the nearest 5, three rows and a total may each be off by 2.5: 120 + 85 + 60
    = 265 against 270 is within 4 × 2.5 = 10; against 280 (15 off) it is not."""
    note = "Counts are rounded to the nearest 5.\n\n"
    assert not errors(check_md(tmp_path, note + TABLE.format(c="60", total="270")))
    assert errors(check_md(tmp_path, note + TABLE.format(c="60", total="280")), "table_total")


def test_a_suppressed_cell_only_bounds_the_total(tmp_path: Path) -> None:
    """With [c] withheld the rows shown (120 + 85 = 205) can only be at most the total: 210
    holds (the [c] could be 5), 200 cannot."""
    assert not errors(check_md(tmp_path, TABLE.format(c="[c]", total="210")))
    bad = errors(check_md(tmp_path, TABLE.format(c="[c]", total="200")), "table_total")
    assert bad and "suppressed" in bad[0].working


def test_overlapping_categories_with_a_note_are_not_added(tmp_path: Path) -> None:
    text = TABLE.format(c="60", total="200") + \
        "\nA person can be counted under more than one type.\n"
    assert not errors(check_md(tmp_path, text))


SHARES = """| What followed | Requests | Share of requests |
| --- | --- | --- |
| Advice | 600 | {a} |
| Short-term support | 250 | 25.0% |
| Long-term support | 150 | 15.0% |
| All requests | 1,000 | 100.0% |
"""


def test_a_share_against_its_count_and_the_total(tmp_path: Path) -> None:
    """600 ÷ 1,000 = 60.0%; a printed 62.0% cannot be (and the shares then add to 102%)."""
    assert not errors(check_md(tmp_path, SHARES.format(a="60.0%")))
    res = check_md(tmp_path, SHARES.format(a="62.0%"))
    assert {f.check for f in errors(res)} == {"percent_of_counts", "percent_sum"}


def test_rates_percentages_and_parts_of_rows_are_not_added(tmp_path: Path) -> None:
    """A total row of rates (all ages) or of a percentage of another whole is not a sum; an
    'of which' row is part of the row above it, not another row to add."""
    text = ("| Age | Rate per 100,000 | Satisfied |\n| --- | --- | --- |\n"
            "| 18 to 64 | 120.5 | 61% |\n| 65 and over | 900.2 | 70% |\n"
            "| Total | 300.1 | 64% |\n\n"
            "| Setting | People |\n| --- | --- |\n| Care homes | 300 |\n"
            "| of which nursing | 120 |\n| Home care | 500 |\n| Total | 800 |\n")
    assert not errors(check_md(tmp_path, text))


def test_a_row_against_its_total_column(tmp_path: Path) -> None:
    """Across a row 100 + 250 = 350; a Total column saying 355 is an error."""
    text = ("| Support | Aged 18 to 64 | Aged 65 and over | Total |\n| --- | --- | --- | --- |\n"
            "| Home care | 100 | 250 | 355 |\n| Nursing care | 40 | 60 | 100 |\n")
    bad = errors(check_md(tmp_path, text), "table_total")
    assert len(bad) == 1 and "Home care" in str(bad[0].where)


# ----------------------------------------------------------------------------- sentences
@pytest.mark.parametrize(("sentence", "wrong"), [
    # 1,300 → 1,470 is +170, +13.1%: "13%" and "170" hold
    ("Concerns rose from 1,300 to 1,470, an increase of 13%.", False),
    ("Concerns rose from 1,300 to 1,470, an increase of 15%.", True),
    ("Concerns increased by 170, from 1,300 to 1,470.", False),
    ("Concerns increased by 150, from 1,300 to 1,470.", True),
    # latest first: the base is the earlier figure, 170 ÷ 1,300; 170 ÷ 1,470 = 11.6% is wrong
    ("There were 1,470 concerns in 2024-25 compared with 1,300 in 2023-24, a rise of 13%.",
     False),
    ("There were 1,470 concerns in 2024-25 compared with 1,300 in 2023-24, a rise of 12%.",
     True),
    ("Requests: 1,470; up 13% on last year, from 1,300 to 1,470.", False),
    # a direction the figures contradict
    ("DoLS applications fell from 2,100 in 2023-24 to 2,345 in 2024-25.", True),
    ("DoLS applications rose from 2,100 in 2023-24 to 2,345 in 2024-25.", False),
    # the amount between the figures, and 'last year' saying which is earlier: 260 ÷ 2,050
    ("We completed 2,310 assessments, up 15% from 2,050 last year.", True),
    ("We completed 2,310 assessments, up 12.7% from 2,050 last year.", False),
    ("We completed 2,310 assessments, 2,050 last year, a rise of 15%.", True),
    ("We completed 2,310 assessments, 2,050 last year, a rise of 13%.", False),
    # a rate's unit not repeated: 601.4 → 560.2 is a 6.9% fall
    ("Admissions were 560.2 per 100,000, down from 601.4 the year before (a 9% fall).", True),
    ("Admissions were 560.2 per 100,000, down from 601.4 the year before (a 7% fall).", False),
    # a projection's horizon year is not a change ("by 2099")
    ("People aged 85 and over are projected to rise from 1,000 to 1,500 (50%) by 2099.", False),
    # percentage points: 80.0% → 82.0% is 2.0 points
    ("The share rose from 80.0% to 82.0%, up 2.0 percentage points.", False),
    ("The share rose from 80.0% to 82.0%, up 3.0 percentage points.", True),
])
def test_stated_changes(tmp_path: Path, sentence: str, wrong: bool) -> None:
    assert bool(errors(check_md(tmp_path, sentence + "\n"), "change")) is wrong


def test_a_relative_change_given_in_points_is_a_warning(tmp_path: Path) -> None:
    """70.0% → 77.0% is 7.0 points but a 10.0% relative rise: "up 7%" reads as the latter,
    so it holds only if the writer meant points."""
    res = check_md(tmp_path, "The share rose from 70.0% to 77.0%, up 7%.\n")
    assert [f.severity for f in res.findings if f.check == "change"] == ["warning"]


@pytest.mark.parametrize(("sentence", "wrong"), [
    # 620 ÷ 1,470 = 42.2%
    ("Of the 1,470 concerns, 620 (42%) led to an enquiry.", False),
    ("Of the 1,470 concerns, 620 (45%) led to an enquiry.", True),
    ("620 of the 1,470 concerns (42.2%) led to an enquiry.", False),
    ("620 of the 1,470 concerns (40.2%) led to an enquiry.", True),
    ("Out of 1,470 concerns, 620, or 42%, led to an enquiry.", False),
    # 'of them' points back to the sentence's first count: 920 ÷ 1,460 = 63.0%
    ("1,460 carers were assessed, and 920 of them (63%) received a direct payment.", False),
    ("1,460 carers were assessed, and 920 of them (68%) received a direct payment.", True),
])
def test_a_percentage_of_counts_in_a_sentence(tmp_path: Path, sentence: str,
                                             wrong: bool) -> None:
    assert bool(errors(check_md(tmp_path, sentence + "\n"), "percent_of_counts")) is wrong


def test_shares_with_the_remaining_make_100(tmp_path: Path) -> None:
    """62% + 38% = 100%; 62% + 35% = 97% is not a whole."""
    ok = "Of those who finished reablement, 62% were women and the remaining 38% men.\n"
    assert not errors(check_md(tmp_path, ok))
    assert errors(check_md(tmp_path, ok.replace("38%", "35%")), "percent_sum")


RATES = ("The adult population (aged 18 and over) is 480,000.\n\n"
         "We recorded 1,470 safeguarding concerns, a rate of {r} per 100,000 adults.\n\n"
         "There were 600 admissions of people aged 65 and over, 500.0 per 100,000 people "
         "aged 65 and over.\n")


def test_a_rate_against_its_count_and_the_stated_population(tmp_path: Path) -> None:
    """1,470 ÷ 480,000 × 100,000 = 306.25 (the population may be rounded to the thousand:
    305.9 to 306.6); 330.0 cannot be. The 65+ rate is over another population: not judged."""
    assert not errors(check_md(tmp_path, RATES.format(r="306.3")))
    bad = errors(check_md(tmp_path, RATES.format(r="330.0")), "rate")
    assert len(bad) == 1 and "= 306.2" in bad[0].working


def test_the_odd_rate_out_among_rates_over_one_population(tmp_path: Path) -> None:
    """300 at 60.0, 900 at 180.0 and 150 at 30.0 per 100,000 adults all imply 500,000
    adults; 450 at 100.0 implies 450,000: the odd one out, a warning (it assumes the rates
    share their population)."""
    text = "\n\n".join([
        "We recorded 300 other enquiries, a rate of 60.0 per 100,000 adults.",
        "We recorded 900 safeguarding concerns, a rate of 180.0 per 100,000 adults.",
        "We recorded 150 complaints, a rate of 30.0 per 100,000 adults.",
        "We recorded 450 DoLS applications, a rate of 100.0 per 100,000 adults."]) + "\n"
    found = [f for f in check_md(tmp_path, text).findings if f.check == "rate_population"]
    assert [(f.severity, "450" in f.quote) for f in found] == [("warning", True)]


def test_the_same_count_told_twice(tmp_path: Path) -> None:
    """1,470 and 1,475 safeguarding concerns for one year cannot both be; last year's 1,300
    is another period."""
    text = ("We received 1,470 safeguarding concerns in 2024-25.\n\n"
            "In 2023-24 we received 1,300 safeguarding concerns.\n\n"
            "Most of the {n} safeguarding concerns in 2024-25 came from health services.\n")
    assert not errors(check_md(tmp_path, text.format(n="1,470")))
    assert errors(check_md(tmp_path, text.format(n="1,475")), "repeated")


@pytest.mark.parametrize(("sentence", "wrong"), [
    ("One in five carers (21%) said they feel safe.", False),
    ("One in five carers (17%) said they feel safe.", True),   # 1 in 5: 18.2% to 22.2%
    ("More than half of people (53%) were satisfied.", False),
    ("More than half of people (48%) were satisfied.", True),
    ("Nearly a third of people (31%) had enough contact.", False),
    ("Nearly a third of people (35%) had enough contact.", True),
    ("The majority of people (46%) found information easily.", True),
    ("About a quarter of carers (24%) had a break.", False),
    ("Almost 9 in 10 people (88%) were satisfied.", False),
    ("Almost 9 in 10 people (91%) were satisfied.", True),
    # each fraction against its own percentage: 1 in 5 is not judged against the 67%
    ("Two thirds of our workforce (67%) are aged over 40, and 1 in 5 are over 60.", False),
    ("Two thirds of our workforce (57%) are aged over 40, and 1 in 5 are over 60.", True),
])
def test_words_against_numbers(tmp_path: Path, sentence: str, wrong: bool) -> None:
    assert bool(errors(check_md(tmp_path, sentence + "\n"), "words")) is wrong


def test_the_warehouse_compares_named_measures_only(tmp_path: Path) -> None:
    """The warehouse holds 1,469 concerns (published 1,470), 300 Section 42 enquiries and 60
    other enquiries: a conversion rate of (300 + 60) ÷ 1,469 = 24.5%, and 300 ÷ 1,469 =
    20.4% on Section 42 enquiries alone. '1,470 safeguarding concerns' matches (a note);
    '1,520 safeguarding concerns' is an error; a 20% conversion rate is the Section 42-only
    figure (a warning saying so); a change, a narrowed name ('concerns about neglect') and
    last year's figure are not compared."""
    from openasc.check.warehouse import held_values
    from openasc.reports.figures import parse_year
    from openasc.warehouse import connect

    start, end = parse_year("2024-25")
    con = connect(tmp_path / "wh.duckdb")
    con.executemany(
        "INSERT INTO metric_values VALUES (?, ?, 'E10000034', ?, ?, '', ?, ?, NULL, ?, NULL)",
        [("SAC", "CONCERNS", start, end, 1469, None, "count"),
         ("SAC", "S42", start, end, 300, None, "count"),
         ("SAC", "CONVERSION_RATE", start, end, 360, 1469, "percent"),
         ("SAC", "S42_CONVERSION_RATE", start, end, 300, 1469, "percent")])
    con.execute("UPDATE metric_values SET value = CASE unit WHEN 'percent' THEN "
                "numerator / denominator * 100 ELSE numerator END")
    held = held_values(con, "E10000034", start, end)
    con.close()
    text = "\n\n".join([
        "We received 1,470 safeguarding concerns.",
        "We received 1,520 safeguarding concerns.",
        "Our conversion rate was 20%.",
        "Our conversion rate was 25%.",
        "That was an increase of 170 safeguarding concerns.",
        "We had 200 safeguarding concerns about neglect.",
        "In 2023-24 we received 1,300 safeguarding concerns."]) + "\n"
    path = tmp_path / "draft.md"
    path.write_text(text, encoding="utf-8")
    got = [(f.severity, f.quote) for f in check_file(path, held, "2024-25").findings
           if f.check == "warehouse"]
    assert got == [("note", "We received 1,470 safeguarding concerns."),
                   ("error", "We received 1,520 safeguarding concerns."),
                   ("warning", "Our conversion rate was 20%."),
                   ("note", "Our conversion rate was 25%.")]
