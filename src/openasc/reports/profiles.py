"""Regional improvement profiles (reports.md §3): a booklet with one profile per council of
an ADASS region — a page of headline bullets written from `comparisons`, then the
director's narrative from a content folder, then the director's name and title.

The bullets count over one declared measure set (its size is printed), respect each
measure's polarity and say what "about the same" means, which is where hand-made profiles
went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rich.console import Console

from openasc import files
from openasc.compare.comparisons import Comparison, build_comparisons, read_comparisons
from openasc.compare.labels import england_rank_text, region_rank_text
from openasc.compare.measure_set import MeasureSet, load_measure_set
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.reports import profile_wording as wording
from openasc.reports.content import markdown, read_markdown
from openasc.reports.phrasing import value_text, year_label
from openasc.warehouse import connect

GAPS_SHOWN = 3  # the largest gaps to England printed per profile
TREND_YEARS = 3  # a direction held this many years running is a trend worth a bullet


@dataclass
class Profile:
    la_code: str
    name: str
    bullets: list[str]
    rows: list[tuple[str, Comparison | None]]
    narrative: Markup
    director: str
    director_title: str
    draft: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def headline_bullets(rows: list[Comparison], ms: MeasureSet) -> tuple[list[str], dict[str, int]]:
    """The generated bullets of one council's profile, from its rows of `comparisons` for
    the year (any measures; the profile set is taken from `ms`)."""
    by_key = {(c.family, c.code, c.breakdown): c for c in rows}
    titles = {m.key: m.title for m in ms.measures}
    in_set = [(m, by_key.get(m.key)) for m in ms.profile_measures]
    size = len(in_set)
    classes = [c.change_class if c else None for _, c in in_set]
    counts = {k: classes.count(k) for k in ("improved", "about the same", "declined")}
    counts["not compared"] = size - sum(counts.values())
    bullets = [wording.improved_count(counts["improved"], size, ms.set_label),
               wording.three_way(counts["improved"], counts["about the same"], counts["declined"],
                                 counts["not compared"])]
    present = [(m, c) for m, c in in_set if c is not None]
    bullets += [wording.value_rank(c, m.title) for m, c in present if c.region_rank == 1]
    top = [m.title for m, c in present if c.region_quartile == 1]
    bottom = [m.title for m, c in present if c.region_quartile == 4]
    if top:
        bullets.append(wording.quartile("top", top))
    if bottom:
        bullets.append(wording.quartile("bottom", bottom))
    gaps = [(abs(c.gap_england) / abs(c.england_value), m, c) for m, c in present
            if c.polarity != "neutral" and c.gap_england and c.england_value]
    gaps.sort(key=lambda g: (-g[0], g[1].family, g[1].code, g[1].breakdown))
    bullets += [wording.gap_to_england(c, m.title) for _, m, c in gaps[:GAPS_SHOWN]]
    bullets += [wording.trend(c, m.title) for m, c in present
                if c.trend_years is not None and c.trend_years >= TREND_YEARS]
    for m in ms.measures:
        c = by_key.get(m.key)
        if not m.profile and c is not None:
            bullets.append(wording.against_comparators(c, titles[m.key]))
    return bullets, counts


def _councils(con: duckdb.DuckDBPyConnection, region: str, start: date, end: date
              ) -> list[tuple[str, str]]:
    got = con.execute(
        "SELECT DISTINCT ons_code, name FROM councils WHERE lower(region) = lower(?) "
        "AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?) "
        "ORDER BY name", [region, end, end]).fetchall()
    if not got:
        regions = [r[0] for r in con.execute(
            "SELECT DISTINCT region FROM councils WHERE region IS NOT NULL ORDER BY 1").fetchall()]
        raise OpenascError(f"--region {region!r} is not an English region. Expected one of: "
                           f"{', '.join(regions)}.")
    return [(r[0], r[1]) for r in got]


def _narrative(content: Path | None, la_code: str, name: str) -> tuple[Markup, str, str, bool]:
    """The director's narrative: `<content>/<ONS code>.md`, front matter `director:` and
    `title:`. Missing → a marked draft placeholder, so a booklet can be reviewed early."""
    path = content / f"{la_code}.md" if content else None
    if path is None or not path.is_file():
        where = f"{path}" if path else "no --content folder was given"
        return (Markup(f"<p class=\"draft\">Director's narrative to follow ({where}).</p>"),
                "Director of Adult Social Services", name, True)
    assert content is not None
    meta, body = read_markdown(path, content)
    director = str(meta.get("director") or "").strip()
    title = str(meta.get("title") or "Director of Adult Social Services").strip()
    if not director:
        raise OpenascError(f"{path}: the front matter needs `director:` (the director's name), "
                           "printed under the narrative.")
    return markdown(body), director, title, False


def build_profiles(con: duckdb.DuckDBPyConnection, region: str, year: int,
                   content: Path | None = None, ms: MeasureSet | None = None) -> list[Profile]:
    ms = ms or load_measure_set()
    start, end = date(year, 4, 1), date(year + 1, 3, 31)
    profiles = []
    for la_code, name in _councils(con, region, start, end):
        rows = read_comparisons(con, la_code=la_code, year=year)
        bullets, counts = headline_bullets(rows, ms)
        by_key = {(c.family, c.code, c.breakdown): c for c in rows}
        table = [(m.title, by_key.get(m.key)) for m in ms.measures]
        narrative, director, title, draft = _narrative(content, la_code, name)
        profiles.append(Profile(la_code=la_code, name=name, bullets=bullets, rows=table,
                                narrative=narrative, director=director, director_title=title,
                                draft=draft, counts=counts))
    return profiles


_env = Environment(loader=PackageLoader("openasc.reports", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                   lstrip_blocks=True)


def render_booklet(profiles: list[Profile], region: str, year: int, ms: MeasureSet) -> str:
    from importlib import resources

    css = resources.files("openasc.reports").joinpath("templates", "profiles.css").read_text(
        "utf-8")
    units = sorted({m.unit for m in ms.profile_measures})
    return _env.get_template("profiles.html.j2").render(
        profiles=profiles, region=region, year=year_label(year), css=css,
        set_size=len(ms.profile_measures), set_label=ms.set_label,
        measures=ms.profile_measures,
        about_same=wording.about_the_same([ms.rules[u] for u in units]),
        value_text=value_text, england_rank=england_rank_text, region_rank=region_rank_text)


def improvement_profiles_command(region: str, year: str, out: Path, content: Path | None,
                                 groups_file: Path | None, settings: Settings,
                                 console: Console, pdf: bool = True) -> list[Path]:
    """`openasc report improvement-profiles`: rebuild comparisons, write HTML and PDF."""
    from openasc.compare.comparators import parse_year

    y = parse_year(year, "--year")
    ms = load_measure_set()
    con = connect(settings.warehouse)
    try:
        build_comparisons(con, ms, groups_file)
        profiles = build_profiles(con, region, y, content, ms)
    finally:
        con.close()
    if not any(p.rows and any(c for _, c in p.rows) for p in profiles):
        raise OpenascError(f"No comparison figures for {region} in {year}. Load comparator data "
                           "first (`openasc ingest comparators FILE`, or `openasc synth "
                           "comparators` for a demonstration).")
    out.mkdir(parents=True, exist_ok=True)
    slug = region.lower().replace(" ", "-")
    html_path = out / f"improvement-profiles-{slug}-{year}.html"
    files.write_text(html_path, render_booklet(profiles, profiles_region_name(profiles, region),
                                               y, ms))
    written = [html_path]
    console.print(f"Wrote {len(profiles)} profiles to {html_path}")
    if pdf:
        from openasc.reports.pdf import write_pdf

        pdf_path = write_pdf(html_path, html_path.with_suffix(".pdf"))
        written.append(pdf_path)
        console.print(f"Wrote {pdf_path}")
    drafts = sum(p.draft for p in profiles)
    if drafts:
        console.print(f"{drafts} of {len(profiles)} profiles have no director's narrative yet "
                      "(marked as drafts).")
    return written


def profiles_region_name(profiles: list[Profile], region: str) -> str:
    """The region as councils.csv spells it (the user may type it in any case)."""
    from openasc.councils import find

    for p in profiles:
        c = find(p.la_code)
        if c is not None:
            return c.region
    return region
