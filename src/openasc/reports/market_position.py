"""The market position statement (MPS): what the council's care market looks like and where
it is going, written for providers (docs/market-position.md, "The document").

Every figure is an MPS measure of `metric_values` as published (figures.py), traced to its
row; the words around them are the council's own, from a content folder (`openasc report
init-mps-content DIR`): vision, commissioning intentions, key messages, contacts and the
procurement pipeline. openasc never invents an intention. Without a folder the statement
prints the examples and is marked as a draft. The releases the figures come from (the
projection and its variant, the CQC snapshot date, each prevalence rate's source) are read
from the loaded inputs and printed in "About this statement".
"""

from __future__ import annotations

import csv
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb

from openasc.config import Settings
from openasc.errors import OpenascError, UnreadableInput
from openasc.reports import labels
from openasc.reports.charts import bar_chart
from openasc.reports.content import _lines, markdown, read_markdown
from openasc.reports.document import Document, Human, Placeholder, Section, Table
from openasc.reports.figures import Figures, Row
from openasc.reports.phrasing import Fig, P, year_label
from openasc.reports.pyramid import pyramid_chart
from openasc.reports.resident import measures_section
from openasc.reports.sections import fig
from openasc.reports.writing import Written, open_figures, write_document
from openasc.warehouse import connect, table_exists

FAMILY = "MPS"
TEXTS = ("vision", "intentions", "key-messages", "contacts")
BANDS = ("0-17", "18-64", "65-74", "75-84", "85+")
LTS_BANDS = ("18-64", "65-74", "75-84", "85+")
SETTINGS = ("Nursing", "Residential", "Community")
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate", "Not yet rated")


# ----------------------------------------------------------------------------- inputs
@dataclass
class MpsContent:
    """The council's words (Markdown, by key) and its procurement pipeline."""

    folder: Path | None
    texts: dict[str, Human] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    pipeline: list[dict[str, str]] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)


def _examples() -> Path:
    return Path(str(resources.files("openasc.reports").joinpath("templates", "mps-content")))


def _template_lines() -> set[str]:
    out: set[str] = set()
    for p in _examples().glob("*.md"):
        meta, body = read_markdown(p, p.parent)
        out |= _lines(body, meta)
    return out


PIPELINE_COLUMNS = ("expected_month", "service_area", "title", "route",
                    "estimated_value_band", "contract_length_months", "contact", "notes")


def _pipeline(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"{path}: cannot be read as UTF-8 CSV ({exc}).") from exc
    if rows and not set(PIPELINE_COLUMNS[:4]) <= set(rows[0]):
        raise OpenascError(f"{path}: expected the columns {', '.join(PIPELINE_COLUMNS)}.")
    for n, r in enumerate(rows, start=2):
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", (r.get("expected_month") or "").strip()):
            raise OpenascError(f"{path}: line {n}: expected_month {r.get('expected_month')!r} "
                               "is not a month; expected YYYY-MM, e.g. 2026-09.")
    return sorted(rows, key=lambda r: r["expected_month"])


def load_mps_content(folder: Path | None) -> MpsContent:
    """The content folder's parts; a missing part is the example, marked as a draft."""
    if folder is not None and not folder.is_dir():
        raise UnreadableInput(f"--content {folder}: there is no such folder. Create one with "
                              f"`openasc report init-mps-content {folder}`.")
    out = MpsContent(folder)
    template = _template_lines()
    for key in TEXTS:
        own = folder / f"{key}.md" if folder else None
        path = own if own is not None and own.is_file() else _examples() / f"{key}.md"
        meta, body = read_markdown(path, path.parent)
        draft = path.parent == _examples() or bool(_lines(body, meta) & template)
        out.texts[key] = Human(markdown(body, shift=1), f"{key}.md", draft)
        out.titles[key] = str(meta.get("title") or key)
        if draft:
            out.placeholders.append(Placeholder(str(meta.get("title") or key), f"{key}.md"))
    own = folder / "pipeline.csv" if folder else None
    path = own if own is not None and own.is_file() else _examples() / "pipeline.csv"
    out.pipeline = _pipeline(path)
    if path.parent == _examples():
        out.placeholders.append(Placeholder("Procurement pipeline", "pipeline.csv"))
    return out


def init_mps_content(folder: Path) -> list[Path]:
    """Write the example content folder; refuses to overwrite a council's own file."""
    files = sorted(p for p in _examples().iterdir() if p.is_file())
    for p in files:
        if (folder / p.name).exists():
            raise OpenascError(f"{folder / p.name}: already exists; not overwritten.")
    folder.mkdir(parents=True, exist_ok=True)
    for p in files:
        (folder / p.name).write_bytes(p.read_bytes())
    return [folder / p.name for p in files]


@dataclass(frozen=True)
class Sources:
    """What the figures were made from, as the statement names them."""

    release: str | None
    directory_as_at: date | None
    conditions: dict[str, tuple[str, str]]  # code -> (label, source)
    # (type, tenure) -> (ratio per 1,000 aged 75+, its source); the supply file's dates
    housing: dict[tuple[str, str], tuple[float, str]] = field(default_factory=dict)
    housing_as_at: date | None = None
    fee_sources: tuple[str, ...] = ()


def read_sources(con: duckdb.DuckDBPyConnection, la_code: str) -> Sources:
    release = as_at = None
    conditions: dict[str, tuple[str, str]] = {}
    if table_exists(con, "population_projections"):
        got = con.execute("SELECT string_agg(DISTINCT release, '; ') FROM "
                          "population_projections WHERE la_code = ?", [la_code]).fetchone()
        release = got[0] if got else None
    if table_exists(con, "care_locations"):
        as_at = con.execute("SELECT max(as_at) FROM care_locations").fetchone()[0]
    if table_exists(con, "prevalence_rates"):
        conditions = {c: (label, src) for c, label, src in con.execute(
            "SELECT condition_code, any_value(condition_label), string_agg(DISTINCT source, "
            "'; ') FROM prevalence_rates GROUP BY 1 ORDER BY 1").fetchall()}
    housing: dict[tuple[str, str], tuple[float, str]] = {}
    housing_as_at = None
    if table_exists(con, "housing_benchmarks"):
        housing = {(t, n): (r, src) for t, n, r, src in con.execute(
            "SELECT type_code, tenure, per_1000_75plus, source FROM housing_benchmarks "
            "WHERE la_code = ?", [la_code]).fetchall()}
    if table_exists(con, "housing_supply"):
        housing_as_at = con.execute("SELECT max(as_at) FROM housing_supply WHERE la_code = ?",
                                    [la_code]).fetchone()[0]
    fee_sources: tuple[str, ...] = ()
    if table_exists(con, "fee_rates"):
        fee_sources = tuple(x for (x,) in con.execute(
            "SELECT DISTINCT source FROM fee_rates WHERE la_code = ? ORDER BY 1",
            [la_code]).fetchall())
    return Sources(release, as_at, conditions, housing, housing_as_at, fee_sources)


# ----------------------------------------------------------------------------- helpers
class Mps:
    """The council's MPS rows, by code and breakdown, and the cells made from them."""

    def __init__(self, f: Figures) -> None:
        self.f = f
        self.base = f.year
        self.years = [self.base + k for k in (0, 5, 10, 15)]
        self.horizon = self.base + 10

    def row(self, code: str, breakdown: str = "") -> Row | None:
        return self.f.get(FAMILY, code, breakdown)

    def cell(self, code: str, breakdown: str = "", what: str = "value") -> Fig | str:
        r = self.row(code, breakdown)
        if r is None:
            return "not available"
        m = self.f.measure(FAMILY, code, r.unit)
        return fig(r, m, what, self.f)

    def value(self, code: str, breakdown: str = "", what: str = "value") -> float | None:
        r = self.row(code, breakdown)
        return None if r is None else getattr(r, what)

    def has(self, code: str) -> bool:
        return any(r.family == FAMILY and r.code == code for r in self.f.rows)


# ----------------------------------------------------------------------------- sections
def about_section(f: Figures, m: Mps, s: Sources) -> Section:
    sec = Section("about", "About this statement")
    sec.blocks.append(P(
        f"This market position statement is for providers of adult social care in "
        f"{f.council.name} - care homes, home care, supported living and extra care, "
        "voluntary and community organisations, and anyone thinking of starting a service - "
        "and for our health partners. It sets out the population we serve and how it is "
        "projected to change, the need for care that this implies, the care available today "
        "and its quality, and what the council intends to commission. Councils publish one "
        "as part of their duty to shape the care market (Care Act 2014, section 5, and the "
        "Care and support statutory guidance, chapter 4)."))
    items = [P(f"Base year: mid-{m.base} (the year {year_label(m.base)} starts); projections "
               f"to {m.years[1]}, {m.years[2]} and {m.years[3]}.")]
    if s.release:
        items.append(P(f"Population: {s.release} (ONS sub-national population projections; "
                       "the council's districts summed)."))
    if s.directory_as_at:
        items.append(P("Care services: CQC care directory with filters, as at "
                       f"{s.directory_as_at.day} {s.directory_as_at:%B %Y}."))
    for code, (label, src) in s.conditions.items():
        items.append(P(f"{label} ({code}): prevalence rates from {src}."))
    if m.has("MPS-U1"):
        items.append(P("People supported: the council's client level data (CLD), people in "
                       f"long-term support on {f.period_end.day} {f.period_end:%B %Y}."))
    sec.blocks.append(items)
    return sec


def population_section(m: Mps, s: Sources) -> Section:
    sec = Section("population", "Our population")
    if not m.has("MPS-P1"):
        return sec
    rows = [[band, *(m.cell("MPS-P1", f"band={band};year={y}") for y in m.years)]
            for band in BANDS]
    sec.blocks.append(Table(caption=f"Population by age band, {m.base} and projected",
                            headers=["Age band", *map(str, m.years)], rows=rows,
                            note=s.release or ""))
    b85, h85 = (m.value("MPS-P1", f"band=85+;year={y}") for y in (m.base, m.horizon))
    if b85 is not None and h85 is not None and m.row("MPS-D2"):
        verb = "rise" if h85 >= b85 else "fall"
        sec.blocks.append(P(
            "The number of people aged 85 and over is projected to ", verb, " from ",
            m.cell("MPS-P1", f"band=85+;year={m.base}"), " to ",
            m.cell("MPS-P1", f"band=85+;year={m.horizon}"), " (", m.cell("MPS-D2"), ") by ",
            str(m.horizon), f" ({s.release or 'ONS projections'})."))
    if m.row("MPS-D1"):
        sec.blocks.append(P("The population aged 65 and over is projected to change by ",
                            m.cell("MPS-D1"), f" between {m.base} and {m.horizon}, ",
                            m.cell("MPS-D1", f"year={m.years[3]}"), f" by {m.years[3]}."))
    sec.children.append(pyramid_section(m))
    return sec


def _five_year_bands(m: Mps) -> list[str]:
    got = {r.parts.get("band", "") for r in m.f.breakdowns(FAMILY, "MPS-P2")}
    return sorted((b for b in got if b), key=lambda b: int(b.rstrip("+").split("-")[0]))


def pyramid_section(m: Mps) -> Section:
    sec = Section("pyramid", f"Population by sex and age, {m.base} and {m.horizon}")
    bands = _five_year_bands(m)
    if not bands:
        return sec

    def key(band: str, sex: str, y: int) -> str:
        return f"band={band};sex={sex};year={y}"

    rows = [[b.replace("-", " to ").replace("90+", "90 and over"),
             *(m.cell("MPS-P2", key(b, sex, y)) for sex in ("male", "female")
               for y in (m.base, m.horizon))] for b in reversed(bands)]
    sec.blocks.append(Table(
        caption=f"Population by sex and five-year age band, {m.base} and {m.horizon}",
        headers=["Age band", f"Males {m.base}", f"Males {m.horizon}", f"Females {m.base}",
                 f"Females {m.horizon}"], rows=rows))
    male = {(b, y): m.value("MPS-P2", key(b, "male", y)) or 0.0 for b in bands
            for y in (m.base, m.horizon)}
    female = {(b, y): m.value("MPS-P2", key(b, "female", y)) or 0.0 for b in bands
              for y in (m.base, m.horizon)}
    older = sum(male[(b, m.horizon)] + female[(b, m.horizon)] for b in bands[-4:])
    older_now = sum(male[(b, m.base)] + female[(b, m.base)] for b in bands[-4:])
    trend = "more" if older > older_now else "fewer"
    sec.blocks.append(pyramid_chart(
        "chart-pyramid", f"Population pyramid, {m.base} (bars) and {m.horizon} (outlines)",
        bands, male, female, m.base, m.horizon,
        f"Population pyramid: males left, females right, five-year age bands. By "
        f"{m.horizon} there are projected to be {trend} people in the oldest bands (75 and "
        "over) than today."))
    return sec


def need_section(m: Mps, s: Sources) -> Section:
    sec = Section("need", "Projected need")
    conditions = sorted({r.parts["condition"] for r in m.f.breakdowns(FAMILY, "MPS-N3")})
    if not conditions:
        return sec
    sec.blocks.append(P(
        "These are estimates of how many people have each condition, found by applying "
        "national prevalence rates by age (and sex) to the projected population, the rates "
        "held constant. They are not counts of people diagnosed or known to services, and "
        "are rounded to the nearest 10."))
    rows = [[s.conditions.get(c, (c, ""))[0],
             *(m.cell("MPS-N3", f"condition={c};year={y}") for y in m.years)]
            for c in conditions]
    note = "; ".join(f"{s.conditions[c][0]}: {s.conditions[c][1]}" for c in conditions
                     if c in s.conditions)
    sec.blocks.append(Table(caption="Estimated people with each condition, by year",
                            headers=["Condition", *map(str, m.years)], rows=rows,
                            note=f"Rates' sources - {note}" if note else ""))
    if "DEM65" in conditions:
        values = [m.value("MPS-N3", f"condition=DEM65;year={y}") or 0.0 for y in m.years]
        sec.blocks.append(bar_chart(
            "chart-dementia", "Estimated people aged 65 and over with dementia",
            [str(y) for y in m.years], values, "Estimated people (rounded to 10)",
            f"Estimated people aged 65 and over with dementia in {m.base}, {m.years[1]}, "
            f"{m.years[2]} and {m.years[3]}: the figures are in the table above."))
    return sec


def demand_section(m: Mps) -> Section:
    sec = Section("demand", "Current and projected demand")
    if not m.has("MPS-U1"):
        return sec
    sec.blocks.append(P(
        "People the council supports in long-term care on the last day of the year, by "
        "setting and age, and how many there would be if today's rates of support for each "
        "age group held as the population changes (a constant usage rate projection; not a "
        "forecast: eligibility, practice, prices and the share of people paying for their "
        "own care are held as they are)."))
    rows = []
    for setting in SETTINGS:
        for band in LTS_BANDS:
            b = f"band={band};setting={setting}"
            rows.append([f"{setting}, {band}", m.cell("MPS-U1", b, "numerator"),
                         m.cell("MPS-U1", b),
                         *(m.cell("MPS-U3", f"{b};year={y}") for y in m.years[1:3])])
    sec.blocks.append(Table(
        caption=f"People in long-term support, 31 March {m.base + 1}, and projected",
        headers=["Setting and age", "People", "Per 1,000 population",
                 f"Projected {m.years[1]}", f"Projected {m.years[2]}"], rows=rows,
        note="Counts are rounded to the nearest 5; [c] marks a figure hidden to protect "
             "privacy. Per 1,000 of the mid-year population estimate."))
    if m.row("MPS-U2"):
        sec.blocks.append(P("At today's rates, the number of people aged 65 and over the "
                            "council supports in residential or nursing care would be ",
                            m.cell("MPS-U2"), f" in {m.horizon}."))
        values = [m.value("MPS-U2", f"year={y}") or 0.0 for y in m.years[1:]]
        sec.blocks.append(bar_chart(
            "chart-demand", "Projected people aged 65+ in residential or nursing care",
            [str(y) for y in m.years[1:]], values, "People (projected)",
            "Projected people aged 65 and over in council-supported residential or nursing "
            "care, by year: the figures are in the table above."))
    return sec


AREAS = (("", "Council"), ("area=region", "Region"), ("area=England", "England"))


def supply_section(m: Mps, s: Sources) -> Section:
    sec = Section("supply", "Supply and quality")
    if not m.has("MPS-S7"):
        return sec
    when = (f" as at {s.directory_as_at.day} {s.directory_as_at:%B %Y}"
            if s.directory_as_at else "")
    sec.blocks.append(P(
        f"Adult social care services registered with CQC in {m.f.council.name}{when}. A "
        "service registered by two providers is counted once; services registered but not "
        "operating (dormant) are left out and counted separately. No provider is named."))
    rows = [["Care homes with nursing", m.cell("MPS-S6", "type=nursing"),
             m.cell("MPS-S7", "type=nursing")],
            ["Care homes without nursing", m.cell("MPS-S6", "type=residential"),
             m.cell("MPS-S7", "type=residential")]]
    if m.row("MPS-S6", "type=not stated"):
        rows.append(["Care homes, type not stated", m.cell("MPS-S6", "type=not stated"),
                     m.cell("MPS-S7", "type=not stated")])
    rows += [["All care homes", m.cell("MPS-S6"), m.cell("MPS-S7")],
             ["of which registered for dementia", m.cell("MPS-S6", "dementia=registered"),
              m.cell("MPS-S7", "dementia=registered")]]
    for service in ("Home care", "Supported living", "Extra care housing", "Shared Lives"):
        rows.append([service, m.cell("MPS-S9", f"service={service}"), "-"])
    sec.blocks.append(Table(caption="Registered services by type", headers=[
        "Service", "Locations", "Beds"], rows=rows, note=(
        "A home registered both with and without nursing is counted with nursing, all its "
        "beds. Home care agencies are counted where their office is registered.")))
    extra = []
    if m.row("MPS-S8"):
        extra.append(P("Dormant (registered, not operating): ", m.cell("MPS-S8"),
                       " location(s), left out of every figure above."))
    if m.row("MPS-C1"):
        extra.append(P("Care homes whose CQC registration ended in the 12 months before the "
                       "snapshot: ", m.cell("MPS-C1", "what=care homes"), ", with ",
                       m.cell("MPS-C1"), " beds (a home that changed provider counts too)."))
    if m.row("MPS-Q6"):
        extra.append(P("Locations whose rating was inherited from a previous registration: ",
                       m.cell("MPS-Q6"), " (counted in the ratings below)."))
    if extra:
        sec.blocks.append(extra)
    codes = ("MPS-S1", "MPS-S2", "MPS-S3", "MPS-S4", "MPS-S5")
    rate_rows = [[m.f.measure(FAMILY, c).title, *(m.cell(c, a) for a, _ in AREAS)]
                 for c in codes if m.row(c)]
    sec.blocks.append(Table(caption="Care home beds and home care agencies against the "
                            "population", headers=["Measure", *(n for _, n in AREAS)],
                            rows=rate_rows, note=(
        f"Population: the projection for {m.base}. The region and England are the sum of "
        "their councils' figures; not available where the inputs do not cover every "
        "council there.")))
    labels, values = [], []
    for a, name in AREAS:
        v = m.value("MPS-S1", a)
        if v is not None:
            labels.append(name)
            values.append(v)
    if labels:
        sec.blocks.append(bar_chart("chart-beds", "Care home beds per 1,000 people aged 75+",
                                    labels, values, "Beds per 1,000 aged 75+",
                                    "Care home beds per 1,000 people aged 75 and over for "
                                    "the council, its region and England: the figures are in "
                                    "the table above."))
    sec.children.append(quality_section(m))
    return sec


def quality_section(m: Mps) -> Section:
    sec = Section("quality", "Quality")
    codes = ("MPS-Q1", "MPS-Q2", "MPS-Q3", "MPS-Q4")
    rows = [[m.f.measure(FAMILY, c).title, *(m.cell(c, a) for a, _ in AREAS)]
            for c in codes if m.row(c)]
    if not rows:
        return sec
    sec.blocks.append(P("CQC's latest overall ratings. Shares are of rated services: a "
                        "service not yet rated is left out of the shares and counted below."))
    sec.blocks.append(Table(caption="Services rated Good or Outstanding, and Inadequate",
                            headers=["Measure", *(n for _, n in AREAS)], rows=rows))
    # Two tables, not one: "All adult social care" also counts services that are neither a
    # care home nor home care (supported living, Shared Lives...), so beside those two
    # columns it would read as their total and not add up.
    services = ("Care homes", "Home care")
    mix = [[rating, *(m.cell("MPS-Q5", f"rating={rating};service={sv}") for sv in services)]
           for rating in RATINGS]
    sec.blocks.append(Table(caption="Care homes and home care services by CQC rating",
                            headers=["Rating", *services], rows=mix))
    every = [[rating, m.cell("MPS-Q5", f"rating={rating};service=All adult social care")]
             for rating in RATINGS]
    sec.blocks.append(Table(caption="All adult social care services by CQC rating (care "
                                    "homes, home care and every other registered service)",
                            headers=["Rating", "Services"], rows=every))
    return sec


def gap_section(m: Mps) -> Section:
    sec = Section("demand-supply", "Demand against today's supply")
    if not m.row("MPS-X1"):
        return sec
    sec.blocks.append(P(
        "If the number of care home beds for each person aged 75 and over stayed as it is "
        f"today, {m.f.council.name} would need ", m.cell("MPS-X1"), f" beds in {m.horizon}: ",
        m.cell("MPS-X2"), " more than today's ", m.cell("MPS-S7"), "."))
    rows = [[str(y), m.cell("MPS-X1", f"year={y}"), m.cell("MPS-X2", f"year={y}")]
            for y in m.years[1:]]
    sec.blocks.append(Table(caption="Care home beds needed at today's provision rate",
                            headers=["Year", "Beds needed", "More than today"], rows=rows,
                            note="Holds today's beds per 1,000 aged 75+; it does not say "
                                 "whether today's number is right."))
    return sec


HOUSING_TYPES = {"SHELTERED": "Sheltered or retirement housing",
                 "ENH_SHELTERED": "Enhanced sheltered housing",
                 "EXTRA_CARE": "Extra care housing", "RES_CARE": "Residential care beds",
                 "NURSING_CARE": "Nursing care beds", "DEMENTIA_CARE": "Dementia care beds"}
TENURES = {"rent": "For rent", "sale": "For sale", "any": "Any tenure"}


def housing_section(m: Mps, s: Sources) -> Section:
    """Need at the council's own planning ratios against today's units (MPS-H1..H3)."""
    sec = Section("housing", "Housing with care")
    kinds = sorted({(r.parts["type"], r.parts["tenure"])
                    for r in m.f.breakdowns(FAMILY, "MPS-H2")})
    if not kinds:
        return sec
    when = (f" (units as at {s.housing_as_at.day} {s.housing_as_at:%B %Y})"
            if s.housing_as_at else "")
    sec.blocks.append(P(
        "How much specialist housing and care for older people we would need if we kept "
        "to our planning ratios (units per 1,000 people aged 75 and over) as the population "
        f"grows, against what there is today{when}. The ratios are our indicative planning "
        "assumptions, not a measure of need; a gap is positive where today's supply falls "
        "short."))
    rows = []
    for t, n in kinds:
        ratio = s.housing.get((t, n), (None, ""))[0]
        rows.append([
            HOUSING_TYPES.get(t, t), TENURES.get(n, n),
            "-" if ratio is None else f"{ratio:g}",
            m.cell("MPS-H3", f"tenure={'all' if n == 'any' else n};type={t}"),
            *(m.cell("MPS-H2", f"tenure={n};type={t};year={y}") for y in m.years[1:]),
            m.cell("MPS-H1", f"tenure={n};type={t};year={m.horizon}")])
    cited = sorted({src for _, src in s.housing.values()})
    sec.blocks.append(Table(
        caption="Specialist housing and care for older people: need at our planning ratios "
                "and today's supply",
        headers=["Type", "Tenure", "Per 1,000 aged 75+", "Units today",
                 *(f"Need {y}" for y in m.years[1:]), f"Gap {m.horizon}"], rows=rows,
        note="Planning ratios: " + "; ".join(cited) + ". Need = ratio x projected population "
             "aged 75 and over / 1,000. A gap is shown only where we know today's supply of "
             "that type and tenure."))
    return sec


def fees_section(m: Mps, s: Sources) -> Section:
    """The rates the council pays providers now and a year before (MPS-F1..F3)."""
    sec = Section("fees", "Fees we pay")
    rows = []
    for code, unit in (("MPS-F1", "per_week"), ("MPS-F2", "per_hour")):
        for r in sorted(m.f.breakdowns(FAMILY, code), key=lambda r: r.parts["service"]):
            change = f"service={r.parts['service']};unit={unit}"
            rows.append([r.parts["service"], m.cell(code, r.breakdown),
                         m.cell("MPS-F3", change) if m.row("MPS-F3", change) else "-"])
    if not rows:
        return sec
    day = f"{m.f.period_end.day} {m.f.period_end:%B %Y}"
    sec.blocks.append(P(
        f"The fees we pay providers for the main services, as in effect on {day}, and the "
        "change from the rate in effect a year before."))
    sec.blocks.append(Table(caption=f"Fees we pay, {day}", headers=[
        "Service", "Fee", "Change over the year"], rows=rows,
        note="Rates: " + "; ".join(s.fee_sources) + ". A change is shown only where we "
             "paid a rate for the service a year before."))
    return sec


# What care costs and who provides it (ASC-FR and Skills for Care, families FIN and WF):
# providers read fees and staffing beside supply. Sentences compare with last year and England
# as the Local Account's do; left out when neither family is held.
COSTS_AND_WORKFORCE = {
    "id": "costs-workforce", "title": "The cost of care and the care workforce",
    "intro": "What care cost us, and the people who provide it in our area, against England.",
    "measures": [
        {"measure": "FIN/FIN-4", "label": "Cost of a week of residential care, 65 and over"},
        {"measure": "FIN/FIN-5", "label": "Cost of a week of nursing care, 65 and over"},
        {"measure": "FIN/FIN-6", "label": "Average hourly rate we pay for home care"},
        {"measure": "WF/WF-1", "label": "Care jobs that were vacant"},
        {"measure": "WF/WF-2", "label": "Staff who left in the year (turnover)"},
        {"measure": "WF/WF-3", "label": "Turnover of care workers in home care"},
        {"measure": "WF/WF-7", "label": "Typical (median) hourly pay of a care worker"},
    ],
}


def text_section(c: MpsContent, key: str, sid: str) -> Section:
    return Section(sid, c.titles[key], [c.texts[key]])


def pipeline_section(c: MpsContent, today: date) -> Section:
    sec = Section("pipeline", "Procurement pipeline")
    if not c.pipeline:
        return sec
    month = f"{today:%Y-%m}"
    rows = [[r["expected_month"] + (" (past)" if r["expected_month"] < month else ""),
             r["service_area"], r["title"], r["route"], r.get("estimated_value_band", ""),
             r.get("contract_length_months", ""), r.get("contact", "")] for r in c.pipeline]
    sec.blocks.append(Table(caption="Tenders and other procurements we expect", headers=[
        "Month", "Service area", "What", "Route", "Estimated value", "Length (months)",
        "Contact"], rows=rows, source="pipeline.csv"))
    return sec


def notes(f: Figures) -> list[dict[str, str]]:
    """One note per MPS measure printed: its definition, source and method."""
    out = []
    for family, code in sorted(f.used):
        mm = f.measure(family, code)
        d = asdict(mm)
        d["anchor"] = mm.anchor
        d["unit"] = {"percent": "per cent", "per_1000": "per 1,000", "count": "number",
                     "rate": "per 10,000"}.get(mm.unit, mm.unit)
        d["reference"] = labels.public_reference(mm.reference)
        out.append(d)
    return out


def build_market_position(f: Figures, content: MpsContent, sources: Sources,
                          today: date | None = None) -> Document:
    m = Mps(f)
    parts = [
        about_section(f, m, sources),
        text_section(content, "vision", "vision"),
        population_section(m, sources),
        need_section(m, sources),
        demand_section(m),
        supply_section(m, sources),
        gap_section(m),
        housing_section(m, sources),
        measures_section(f, COSTS_AND_WORKFORCE),
        fees_section(m, sources),
        text_section(content, "intentions", "intentions"),
        pipeline_section(content, today or date.today()),
        text_section(content, "key-messages", "key-messages"),
        text_section(content, "contacts", "contacts"),
    ]
    kept = [s.prune() for s in parts if not s.is_empty()]
    return Document(title="Market position statement",
                    subtitle="Adult social care: our population, the care market and what "
                             "we intend to commission",
                    council=f.council.name, year_label=year_label(f.year), sections=kept,
                    notes=notes(f), placeholders=list(content.placeholders))


def market_position_command(year: str, out: Path, content: Path | None, la: str | None,
                            settings: Settings, pdf: bool = True) -> Written:
    """`openasc report market-position`: build the statement and write its HTML and PDF."""
    started = time.perf_counter()
    f = open_figures(settings, la, year)
    if not any(r.family == FAMILY for r in f.rows):
        raise OpenascError(
            f"There are no market position (MPS) measures for {f.council.name} in "
            f"{year}: load projections (`openasc ingest projections`) and the CQC directory "
            "(`openasc ingest care-directory`), then run `openasc compute --select MPS` for "
            "the year.")
    con = connect(settings.warehouse, read_only=True)
    try:
        sources = read_sources(con, f.council.ons_code)
    finally:
        con.close()
    loaded = load_mps_content(content)
    doc = build_market_position(f, loaded, sources)
    written = write_document(doc, f, out, "market-position", pdf)
    return Written("Market position statement", f.council.name, year, written,
                   list(doc.placeholders), content is not None,
                   time.perf_counter() - started)

