"""Worked examples of how numbers become words (reports.md §1, "How figures are stated").

Each test is one of the mistakes found in hand-made Local Accounts, stated the right way.
"""

from openasc.reports.phrasing import (
    P,
    against,
    change,
    classified,
    comparator,
    counted,
    direction,
    gap,
    in_units,
    moved,
    number,
    ordinal,
    plural,
    ranked,
    rate_population,
    round_half_up,
    rule_limit,
    value_text,
)


def test_thousands_separators_and_half_up_rounding():
    """1234567 → '1,234,567'; 82.75 to 1 dp is 82.8 (half away from zero, as published),
    not 82.7 (Python's round gives 82.7 on the binary value)."""
    assert number(1234567) == "1,234,567"
    assert number(82.75, 1) == "82.8"
    assert round_half_up(2.5, 0) == 3.0
    assert number(-0.04, 1) == "0.0"


def test_percentage_points_not_percent_for_a_percentage():
    """5% → 6%: the change is 1 percentage point (singular), never '1%'."""
    text = str(change(6.0, 5.0, "percent", 0, "neutral"))
    assert text == "up 1 percentage point, from 5% to 6%"
    text = str(change(82.73, 80.0, "percent", 1, "higher"))
    assert text == "up 2.7 percentage points (improved), from 80.0% to 82.7%"


def test_percent_change_for_a_count():
    """1,300 → 1,469 concerns: (1,469 − 1,300) ÷ 1,300 = 13.0% → 'up 13% on last year'."""
    text = str(change(1469, 1300, "count", 0, "neutral"))
    assert text == "up 13% on last year, from 1,300 to 1,469"


def test_change_is_worked_from_the_printed_values():
    """80.04% and 79.96% both print as 80.0%: the sentence must not claim a change of
    0.1 points between two equal printed figures."""
    assert str(change(80.04, 79.96, "percent", 1, "higher")) == "the same as last year (80.0%)"


def test_direction_follows_polarity():
    """A fall in care-home admissions (lower is better) improved; a fall in 2A worsened."""
    assert direction(-20.5, "lower") == "improved"
    assert direction(-1.0, "higher") == "worsened"
    assert direction(3.0, "neutral") == "rose"
    text = str(change(513.9, 534.4, "per_100k", 1, "lower"))
    assert text == "down 4% on last year (improved), from 534.4 per 100,000 to 513.9 per 100,000"


def test_comparator_from_another_year_is_labelled():
    """Our 2024-25 figure against England's 2023-24: England's year must be printed."""
    assert str(comparator("England", 80.0, "percent", 1, 2024, 2023)) == "England 80.0% (2023-24)"
    assert str(comparator("England", 80.0, "percent", 1, 2024, 2024)) == "England 80.0%"


def test_against_uses_polarity_and_print_precision():
    assert against("England", 82.7, 80.0, "percent", 1, "higher") == "better than England"
    assert against("England", 600, 500, "per_100k", 1, "lower") == "worse than England"
    assert against("England", 80.04, 79.96, "percent", 1, "higher") == "the same as England"


def test_rates_say_which_population():
    assert rate_population("per_100k", 2024) == (
        " adults aged 18 and over (mid-2024 population estimate)")
    assert rate_population("per_100k", 2024, "adults aged 65 and over") == (
        " adults aged 65 and over (mid-2024 population estimate)")
    assert rate_population("percent", 2024) == ""


def test_singular_plural_and_zero():
    assert str(counted(1, "request")) == "1 request"
    assert str(counted(2, "request")) == "2 requests"
    assert str(counted(0, "enquiry", "enquiries")) == "no enquiries"
    assert plural(1, "person", "people") == "person"
    assert value_text(1, "days", 0) == "1 day"


def test_suppressed_values():
    """A suppressed figure prints as [c], and no change is computed from it."""
    assert str(counted(None, "request")) == "[c] requests"
    assert value_text(None, "percent", 1) == "[c]"
    assert "suppressed" in str(change(None, 5.0, "percent", 1, "higher"))


def test_html_marks_each_figure_with_its_origin():
    """The HTML form keeps the words escaped and carries each figure's row key."""
    phrase = P("A & B: ", counted(3000, "request", trace={"mv": "SALT|STS001|x", "field": "value"}))
    html = str(phrase.html())
    assert "A &amp; B: " in html
    assert 'data-mv="SALT|STS001|x"' in html and ">3,000</span> requests" in html


def test_ranks_say_out_of_how_many_and_where():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th"]
    phrase = ranked(5, 14, "the West Midlands", {"field": "region_rank"}, {"field": "region_n"})
    assert str(phrase) == "5th of 14 in the West Midlands"
    assert 'data-field="region_rank">5th</span>' in str(phrase.html())


def test_a_gap_is_in_the_measures_unit_and_judged_by_polarity():
    """82.7% against England 77.5%: 5.2 percentage points above, better (higher is better);
    534.4 against 500.0 per 100,000 for a lower-is-better measure: 34.4 above, worse."""
    assert str(gap(5.2, "percent", 1, "England", "higher", their=P("77.5%"))) == (
        "5.2 percentage points above England (77.5%), better")
    assert str(gap(34.4, "per_100k", 1, "England", "lower")) == (
        "34.4 per 100,000 above England, worse")
    assert str(gap(-1.0, "percent", 1, "England", "neutral")) == (
        "1.0 percentage point below England")
    assert str(gap(0.0, "percent", 1, "England", "higher")) == "the same as England"
    assert str(in_units(12, "days", 0)) == "12 days"


def test_the_about_the_same_rule_in_words():
    """A points rule of 1 for percentages: '1 percentage point'; a relative rule of 0.02:
    '2% of last year's value', its figure scaled by 100 so the trace can be recomputed."""
    assert str(rule_limit("points", 1.0, "percent")) == "1 percentage point"
    assert str(rule_limit("points", 0.5, "percent")) == "0.5 percentage points"
    limit = rule_limit("relative", 0.02, "per_100k", {"field": "rule_threshold"})
    assert str(limit) == "2% of last year's value"
    assert 'data-scale="100"' in str(limit.html()) and 'data-places="0"' in str(limit.html())


def test_the_change_class_is_printed_as_stated_with_its_rule():
    """The class comes from the comparisons table; the words around it only explain it. A
    0.5-point rise 'about the same' and a 2.7-point rise 'improved' under the 1-point rule;
    a relative change of -3.14% printed as 'down 3.1% on last year'."""
    limit = rule_limit("points", 1.0, "percent")
    same = classified("about the same", moved(0.5, None, "points", "percent", 1), limit, False)
    assert str(same) == "about the same: up 0.5 percentage points, less than 1 percentage point"
    up = classified("improved", moved(2.7, None, "points", "percent", 1), limit, False)
    assert str(up) == "improved: up 2.7 percentage points, at least 1 percentage point"
    rel = moved(-16.8, -0.0314, "relative", "per_100k", 1)
    assert str(rel) == "down 3.1% on last year"
    assert str(classified("not comparable", P(), limit, False)).startswith("not comparable: ")
    assert str(classified(None, P(), limit, False)) == "no previous year"
    survey = classified("about the same", moved(1.5, None, "points", "percent", 1), limit, True)
    assert str(survey).endswith("or within the survey's margins of error")


def test_money_and_workforce_units_print_in_their_unit() -> None:
    """ASC-FR spend per head has no decimals and a pound sign (776.4 -> '£776 a head'); an
    hourly rate keeps its pence (25.036 -> '£25.04 an hour'); a real-terms change is a
    percentage (3.84 -> '3.8%'); filled posts per 100 people (18.04 -> '18.0 per 100'). A
    change in money is in pounds ('£44'), a change in a percent change in percentage points."""
    assert value_text(776.4, "gbp_per_head") == "£776 a head"
    assert value_text(25.036, "gbp_per_hour") == "£25.04 an hour"
    assert value_text(612.5, "gbp_per_week") == "£613 a week"
    assert value_text(3.84, "percent_change") == "3.8%"
    assert value_text(18.04, "per_100") == "18.0 per 100"
    assert str(in_units(44.0, "gbp_per_head", 0)) == "£44 a head"
    assert str(in_units(-0.4, "percent_change", 1)) == "0.4 percentage points"
