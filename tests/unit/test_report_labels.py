"""How measures are named and ordered on a published page (reports/labels.py, sections.py).

Each test builds the few `metric_values` rows it is about in memory and reads what the
document would print.
"""

from __future__ import annotations

from datetime import date

from openasc.councils import resolve
from openasc.reports import labels, sections
from openasc.reports.document import Table
from openasc.reports.figures import Figures, Row, load_measures

LA = "E10000034"
Y = (date(2024, 4, 1), date(2025, 3, 31))
P = (date(2023, 4, 1), date(2024, 3, 31))


def row(family: str, code: str, breakdown: str, value: float | None, unit: str = "count",
        numerator: float | None = None, denominator: float | None = None,
        period: tuple[date, date] = Y) -> Row:
    return Row(family, code, LA, *period, breakdown,
               value if numerator is None else numerator, denominator, value, unit)


def figures(rows: list[Row], previous: list[Row] | None = None) -> Figures:
    return Figures(council=resolve(LA, on=Y[1]), period_start=Y[0], period_end=Y[1],
                   rows=rows, previous=previous or [], comparators=[],
                   measures=load_measures(), population_year=2024)


def test_duration_bands_in_their_natural_order() -> None:
    """The waiting list by time waiting reads from the shortest wait to the longest, not
    alphabetically ('181 to 365 days' before '91 to 180 days')."""
    bands = ["0 to 90 days", "181 to 365 days", "91 to 180 days", "More than 365 days"]
    f = figures([row("DOLS", "NOT_COMPLETED", "", 100)]
                + [row("DOLS", "NOT_COMPLETED", f"duration={b}", 25) for b in bands])
    table = next(b for b in sections.breakdown_tables(f, "DOLS", "NOT_COMPLETED", "dols")
                 if isinstance(b, Table))
    assert [r[0] for r in table.rows] == ["0 to 90 days", "91 to 180 days", "181 to 365 days",
                                          "More than 365 days"]
    assert table.headers[0] == "Time waiting"


def test_age_bands_in_their_natural_order() -> None:
    f = figures([row("SAC", "SG1a", f"age_band={b}", 10) for b in
                 ("95+", "18-64", "85-94", "65-74", "75-84")])
    table = sections.breakdown_tables(f, "SAC", "SG1a", "safeguarding")[0]
    assert [r[0] for r in table.rows] == ["18-64", "65-74", "75-84", "85-94", "95+"]


def test_captions_do_not_repeat_the_breakdown() -> None:
    """'Individuals involved in Section 42 enquiries by gender' broken down by sex was
    captioned '... by gender by sex'; a title that says how it is broken down is kept."""
    f = figures([row("SAC", "SG1b", "sex=Female", 10), row("SAC", "SG1b", "sex=Male", 10)])
    table = sections.breakdown_tables(f, "SAC", "SG1b", "safeguarding")[0]
    assert table.caption == "Individuals involved in Section 42 enquiries by gender, 2024-25"
    m = load_measures()[("SALT", "STS002a")]
    assert labels.caption(m, ("what_next",)) == m.title  # 'What followed ...' by what followed
    assert labels.caption(m, ("age_band", "what_next")) == f"{m.title} by age band"


def test_a_change_is_printed_only_between_two_available_years() -> None:
    """DoLS received 506 this year and a stored change of +332% on a year earlier (389 ÷
    117), but the document has no 2023-24 'applications received' figure: the change is
    "not available" with its reason, never a percentage beside a missing year. With both
    years in the document (506 and 117) it is printed: 389 ÷ 117 = 332%."""
    now = row("DOLS", "RECEIVED", "", 506)
    change = row("DOLS", "RECEIVED_CHANGE", "", 332.4786, "percent", 389, 117)
    f = figures([now, change])
    text = str(sections.headline_sentence(f, change))
    assert "not available" in text and "2023-24" in text and "%" not in text
    assert sections.fig(change, f.measure("DOLS", "RECEIVED_CHANGE"), f=f) == "not available"
    f = figures([now, change], previous=[row("DOLS", "RECEIVED", "", 117, period=P)])
    assert str(sections.headline_sentence(f, change)).endswith(": 332%.")


def test_a_lower_bound_prints_at_least_or_not_available() -> None:
    """Assessments open at the year end: CLD holds completed assessments only, so the
    count is a lower bound; 0 says nothing ("not available", with the reason), 15 is "at
    least 15"; and no change on last year is stated between two lower bounds."""
    m = load_measures()[("ACTIVITY", "ACT-ASM-001")]
    zero = row("ACTIVITY", "ACT-ASM-001", "", 0)
    f = figures([zero])
    text = str(sections.headline_sentence(f, zero))
    assert "not available" in text and "completed" in text and ": 0" not in text
    fifteen = row("ACTIVITY", "ACT-ASM-001", "", 15)
    f = figures([fifteen], previous=[row("ACTIVITY", "ACT-ASM-001", "", 10, period=P)])
    assert str(sections.fig(fifteen, m, f=f)) == "at least 15"
    assert str(sections.headline_sentence(f, fifteen)).endswith(": at least 15.")


def test_rate_population_from_the_measure_definition() -> None:
    """ASCOF 2C is per 100,000 people aged 65 and over (its denominator), 2B per 100,000
    aged 18 to 64, SAC concerns per 100,000 adults aged 18 and over."""
    ms = load_measures()
    assert labels.population(ms[("ASCOF", "2C")]) == "adults aged 65 and over"
    assert labels.population(ms[("ASCOF", "2B")]) == "adults aged 18 to 64"
    assert labels.population(ms[("SAC", "CONCERNS_PER_100K")]) == "adults aged 18 and over"
    c2 = row("ASCOF", "2C", "", 333.33, "per_100k", 10, 3000)
    assert "per 100,000 adults aged 65 and over (mid-2024 population estimate)" in str(
        sections.headline_sentence(figures([c2]), c2))


def test_each_part_of_3d_has_its_own_name() -> None:
    parts = [row("ASCOF", "3D", f"part={p}", 50.0, "percent", 10, 20)
             for p in ("1a", "1b", "2a", "2b")]
    f = figures(parts)
    names = {str(sections.measure_name(f, r)) for r in parts}
    assert len(names) == 4
    assert "Carers who receive direct payments (ASCOF 3D part 2b)" in names


def test_public_reference_names_the_published_source() -> None:
    assert labels.public_reference(
        "Safeguarding Adults Collection guidance (NHS England), table SG1b") == \
        "NHS England, Safeguarding Adults Collection guidance (SG1b)"
    assert labels.public_reference(
        "Safeguarding Adults statistics, England (NHS England), derived measures; "
        "docs/decisions.md") == "NHS England, Safeguarding Adults statistics, England"
    assert labels.public_text("See (spec/safeguarding.yaml) and `x`; rate is S42_CONVERSION_RATE.",
                              {"S42_CONVERSION_RATE": "Section 42 rate"}) == \
        "See and x; rate is \u201cSection 42 rate\u201d."


def test_profile_signature_uses_the_reference_name() -> None:
    """The reference names the council 'Stoke-on-Trent'; a draft profile signed by
    'Stoke-on-Trent Council' invented a name."""
    from openasc.reports.profiles import _narrative

    name = resolve("E06000021").name
    assert name == "Stoke-on-Trent"
    assert _narrative(None, "E06000021", name)[2] == name


def test_a_hidden_figure_prints_c_and_a_missing_one_not_available() -> None:
    """Disclosure control hid the first count ([c]: there is a figure, it is not printed);
    the second has no figure at all ("not available"). Before, both printed "not
    available", which told a reader a suppressed count did not exist."""
    hidden = Row("SALT", "STS002a", LA, *Y, "age_band=18 to 64", None, None, None, "count",
                 hidden=("numerator", "value"))
    missing = Row("SALT", "STS002a", LA, *Y, "age_band=65 and above", None, None, None,
                  "count")
    f = figures([hidden, missing])
    m = f.measure("SALT", "STS002a")
    shown = sections.fig(hidden, m, f=f)
    assert str(shown) == "[c]" and shown.trace["mv"] == hidden.key
    assert sections.fig(missing, m, f=f) == "not available"
