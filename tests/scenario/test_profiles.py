"""Regional improvement profiles (reports.md §3): the exact wording of each kind of bullet,
a booklet for a synthetic region of 23 councils in HTML and PDF, and every profile's
bullets checked against the `comparisons` table they were written from."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openasc.cli.compare import app
from openasc.compare.comparisons import Comparison, read_comparisons
from openasc.compare.measure_set import ChangeRule, load_measure_set
from openasc.reports import profile_wording as wording
from openasc.reports.profiles import build_profiles, headline_bullets
from openasc.warehouse import connect

# slow: the module's comparison warehouse and PDF booklet take over 10 s (test.sh --quick).
pytestmark = pytest.mark.slow


def row(**kw: object) -> Comparison:
    base = dict(family="ASCOF", code="2A", breakdown="", la_code="E08000002",
                region_code="E12000002", region="North West", group_name=None,
                period_start=date(2024, 4, 1), period_end=date(2025, 3, 31), year=2024,
                unit="percent", polarity="higher", precision=1, value=82.73, shown=82.7,
                margin_of_error=None, source="imported", england_value=77.94,
                england_basis="published", england_mean=77.0, england_median=77.0,
                england_n=153, england_rank=9, england_quartile=1, region_value=78.01,
                region_basis="published", region_mean=78.01, region_median=78.0,
                region_n=23, region_rank=1, region_quartile=1, group_mean=None,
                group_median=None, group_n=None, group_rank=None, group_quartile=None,
                gap_england=4.8, gap_region=4.7, gap_group=None, previous_value=80.0,
                change=2.7, change_relative=0.03, rule_kind="points", rule_threshold=1.0,
                change_class="improved", trend_years=3, run_id="r",
                england_label="England", region_label="North West", england_scope="national",
                region_scope="national", england_full_n=153, reference_n=153,
                region_full_n=23, region_reference_n=23)
    base.update(kw)
    return Comparison(**base)  # type: ignore[arg-type]


def test_wording_of_each_kind_of_bullet() -> None:
    """The forms of reports.md §3, with this row: 82.73% (prints 82.7%), region 78.01%
    (78.0%), England 77.94% (77.9%), 1st of 23 and 9th of 153; gap 82.7 - 77.9 = 4.8
    percentage points; improved three years running."""
    r = row()
    assert wording.improved_count(5, 14, "ASCOF measures") == (
        "5 of the 14 ASCOF measures improved on the previous year.")
    assert wording.three_way(5, 6, 3, 0) == (
        "5 measures improved, 6 were about the same and 3 declined.")
    assert wording.three_way(1, 1, 0, 2) == (
        "1 measure improved, 1 was about the same and 0 declined; 2 could not be compared "
        "with the previous year (no figure for one of the two years, or a break in the series).")
    assert wording.value_rank(r, "Short-term services") == (
        "Short-term services: 82.7%, 1st of 23 in the region and 9th of 153 nationally "
        "(region 78.0%, England 77.9%).")
    assert wording.against_comparators(
        row(unit="per_100k", value=512.34, region_value=498.06, england_value=560.2),
        "Admissions") == ("Admissions is 512.3 per 100,000, against 498.1 per 100,000 for the "
                          "region and 560.2 per 100,000 for England.")
    assert wording.gap_to_england(r, "Short-term services") == (
        "Short-term services: 4.8 percentage points above the England figure (82.7% against "
        "77.9%), better than England.")
    assert wording.gap_to_england(
        row(unit="per_100k", polarity="lower", value=318.8, england_value=548.6,
            gap_england=-229.8), "Admissions 65+") == (
        "Admissions 65+: 229.8 per 100,000 below the England figure (318.8 per 100,000 against "
        "548.6 per 100,000), better than England.")
    assert wording.gap_to_england(row(gap_england=-1.0, value=76.9), "X") == (
        "X: 1.0 percentage point below the England figure (76.9% against 77.9%), worse than "
        "England.")
    assert wording.quartile("top", ["A", "B", "C"]) == "Top quartile in the region for A, B and C."
    assert wording.trend(r, "Short-term services") == (
        "Short-term services has improved for 3 years in a row.")
    assert wording.about_the_same([ChangeRule("percent", "points", 1.0),
                                   ChangeRule("per_100k", "relative", 0.02)]) == (
        "\"About the same\" means a change of less than 1 percentage point for percentages and "
        "a change of less than 2% of last year's value for rates per 100,000; where both years "
        "carry a margin of error (survey measures), overlapping intervals are about the same.")
    assert [wording.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th"]


def test_headline_bullets_count_over_the_declared_set() -> None:
    """Only one measure has a row (2A, improved): the set still has 14 measures, so the
    split says 13 could not be compared, and the count is '1 of the 14'."""
    ms = load_measure_set()
    bullets, counts = headline_bullets([row()], ms)
    assert len(ms.profile_measures) == 14
    assert bullets[0] == "1 of the 14 ASCOF measures improved on the previous year."
    assert counts == {"improved": 1, "about the same": 0, "declined": 0, "not compared": 13}
    assert any(b.startswith("Short-term services with no further request for ongoing support: "
                            "82.7%, 1st of 23") for b in bullets)


@pytest.fixture(scope="module")
def booklet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Synthetic England 2019-20 to 2022-23, North West 2022-23: 23 councils (before the
    Cumbria split of April 2023). One director's narrative supplied (Bury)."""
    tmp = tmp_path_factory.mktemp("profiles")
    wh, data, out, content = tmp / "w.duckdb", tmp / "c.csv", tmp / "out", tmp / "content"
    content.mkdir()
    (content / "E08000002.md").write_text(
        "---\ndirector: A. Director\ntitle: Director of Adult Social Services\n---\n"
        "We have focused on reablement this year.\n")
    runner = CliRunner()
    for args in (["synth-comparators", "--out", str(data), "--years", "2019-20:2022-23"],
                 ["ingest-comparators", str(data)],
                 ["improvement-profiles", "--region", "North West", "--year", "2022-23",
                  "--out", str(out), "--content", str(content)]):
        res = runner.invoke(app, ["--warehouse", str(wh), *args])
        assert res.exit_code == 0, res.output
    return wh, out


def _profiles_in_html(html: str) -> dict[str, list[str]]:
    got = {}
    for m in re.finditer(r'<section class="profile" id="p-(E\d+)".*?<ul class="bullets">(.*?)</ul>',
                         html, re.S):
        got[m.group(1)] = [unescape(b) for b in re.findall(r"<li>(.*?)</li>", m.group(2), re.S)]
    return got


def test_booklet_renders_23_profiles_in_html_and_pdf(booklet: tuple[Path, Path]) -> None:
    wh, out = booklet
    html_path = out / "improvement-profiles-north-west-2022-23.html"
    pdf_path = html_path.with_suffix(".pdf")
    html = html_path.read_text("utf-8")
    profiles = _profiles_in_html(html)
    assert len(profiles) == 23
    assert html.count('<li><a href="#p-') == 23  # contents page
    assert "declared set of 14 ASCOF measures" in " ".join(html.split())
    assert "We have focused on reablement this year." in html and "A. Director" in html
    assert pdf_path.read_bytes().startswith(b"%PDF") and pdf_path.stat().st_size > 10_000


def test_every_profile_bullet_agrees_with_the_comparisons_table(
        booklet: tuple[Path, Path]) -> None:
    """Recount each profile's improved / same / declined, best-in-region and quartile bullets
    straight from `comparisons`, and check the printed sentences say exactly that."""
    wh, out = booklet
    html = (out / "improvement-profiles-north-west-2022-23.html").read_text("utf-8")
    printed = _profiles_in_html(html)
    ms = load_measure_set()
    keys = {m.key: m.title for m in ms.profile_measures}
    con = connect(wh)
    trends_seen = 0
    try:
        for la, bullets in printed.items():
            rows = [c for c in read_comparisons(con, la_code=la, year=2022)
                    if (c.family, c.code, c.breakdown) in keys]
            n = {k: sum(c.change_class == k for c in rows)
                 for k in ("improved", "about the same", "declined")}
            assert bullets[0] == wording.improved_count(n["improved"], 14, "ASCOF measures")
            assert bullets[1] == wording.three_way(n["improved"], n["about the same"],
                                                   n["declined"], 14 - sum(n.values()))
            best = {keys[(c.family, c.code, c.breakdown)] for c in rows if c.region_rank == 1}
            said_best = {b.split(":")[0] for b in bullets if ", 1st of " in b}
            assert said_best == best
            top = [keys[(c.family, c.code, c.breakdown)] for c in rows if c.region_quartile == 1]
            tops = [b for b in bullets if b.startswith("Top quartile")]
            assert (tops == [wording.quartile("top", top)]) if top else not tops
            trends = [wording.trend(c, keys[(c.family, c.code, c.breakdown)]) for c in rows
                      if c.trend_years and c.trend_years >= 3]
            assert trends == [b for b in bullets if b.endswith("years in a row.")]
            trends_seen += len(trends)
        assert trends_seen > 0  # the synthetic data holds 3-year trends, so this was tested
    finally:
        con.close()


def test_unknown_region_is_a_user_error(booklet: tuple[Path, Path]) -> None:
    wh, _ = booklet
    con = connect(wh)
    try:
        from openasc.errors import OpenascError
        with pytest.raises(OpenascError, match="not an English region"):
            build_profiles(con, "Wessex", 2022)
    finally:
        con.close()
