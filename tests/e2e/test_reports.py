"""Both documents, rendered for a small hand-made council through the real command line.

The warehouse holds a handful of `metric_values` rows for Worcestershire (E10000034),
2024-25 and 2023-24, and England's 2A for 2023-24 only. The reports print published
figures (docs/disclosure.md: counts to the nearest 5, percentages and rates from the
published counts). Worked figures (reports.md §1):

- ASCOF 2A: 412 → 410, 498 → 500; 410 ÷ 500 × 100 = "82.0%"; last year 400 ÷ 500 = 80.0%;
  the change is 82.0 − 80.0 = 2.0 percentage points, polarity higher → "improved".
  England's figure is for 2023-24, so it is printed "80.0% (2023-24)".
- ASCOF 2C: 681 → 680; 680 ÷ 132,512 × 100,000 = 513.16 → 513.2 per 100,000; last year
  700 ÷ 131,000 × 100,000 = 534.4; lower is better, so the fall "improved":
  (534.4 − 513.2) ÷ 534.4 = 4.0% → "down 4% on last year (improved)".
- STS001 requests by what followed: the 3 deceased are a count of 1-4, so they are
  suppressed and so is the smallest other cell, long-term support 147 (secondary
  suppression: otherwise 3 = 1,000 − 600 − 250 − 147; 3 + 147 = 150 is at least 10, so no
  more): the total is the measure's own, 1,000; information and advice 600 (60.0%) and
  ST-Max 250 (25.0%) are printed, long-term support and "no services" print [c].
- SAC concerns 1,300 → 1,469 published 1,470: up 170 ÷ 1,300 = 13.1% → "up 13% on last
  year"; by location 700 in the person's own home and 300 in care homes, so the own home
  is where the risk was most often found.
- No CARERS rows: the carers section is left out, without an error, and the annex says why.
- Population (mid-year estimates, persons): 2023 ages 30/70/90 = 100,000/40,000/5,000;
  2024 = 101,000/41,000/5,200. Adults 18+ in mid-2024: 101,000 + 41,000 + 5,200 = 147,200,
  up (147,200 − 145,000) ÷ 145,000 = 1.517% → "1.5%" since mid-2023; 65+: 46,200, up
  1,200 ÷ 45,000 = 2.67% → "2.7%"; 85+: 5,200, up 200 ÷ 5,000 = "4.0%".
"""

from __future__ import annotations

import html
import math
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
import yaml

from openasc.reports.figures import KEY_SEP
from openasc.reports.phrasing import round_half_up
from openasc.warehouse import connect

LA, ENG = "E10000034", "E92000001"
Y, P = ("2024-04-01", "2025-03-31"), ("2023-04-01", "2024-03-31")
ROWS = [
    ("ASCOF", "2A", LA, *Y, "", 412, 498, "percent"),
    ("ASCOF", "2A", LA, *P, "", 400, 500, "percent"),
    ("ASCOF", "2A", ENG, *P, "", 80000, 100000, "percent"),
    ("ASCOF", "2C", LA, *Y, "", 681, 132512, "per_100k"),
    ("ASCOF", "2C", LA, *P, "", 700, 131000, "per_100k"),
    ("ASCOF", "3D", LA, *Y, "part=1a", 900, 1000, "percent"),
    ("SALT", "STS001", LA, *Y, "", 1000, None, "count"),
    ("SALT", "STS001", LA, *Y, "what_next=Universal Services/ Signposted to other services",
     600, None, "count"),
    ("SALT", "STS001", LA, *Y, "what_next=Short Term Support to Maximise Independence", 250,
     None, "count"),
    ("SALT", "STS001", LA, *Y, "what_next=Long Term Support (eligible services) - community",
     147, None, "count"),
    ("SALT", "STS001", LA, *Y, "what_next=No Services Provided - Deceased", 3, None, "count"),
    ("SALT", "STS002a", LA, *Y, "what_next=Long Term Support (any setting)", 40, None, "count"),
    ("SALT", "STS002a", LA, *Y, "what_next=Ongoing Low Level Support", 60, None, "count"),
    ("SAC", "CONCERNS", LA, *Y, "", 1469, None, "count"),
    ("SAC", "CONCERNS", LA, *P, "", 1300, None, "count"),
    ("SAC", "CONCERNS_BY_LOCATION", LA, *Y, "location=Own Home", 700, None, "count"),
    ("SAC", "CONCERNS_BY_LOCATION", LA, *Y, "location=Care Home - Residential", 300, None,
     "count"),
    ("SAC", "S42_BY_TYPE", LA, *Y, "abuse_type=Neglect and Acts of Omission", 200, None, "count"),
    ("SAC", "S42_BY_TYPE", LA, *Y, "abuse_type=Financial or Material Abuse", 120, None, "count"),
    ("DOLS", "RECEIVED", LA, *Y, "", 2345, None, "count"),
    ("DOLS", "RECEIVED", LA, *P, "", 2100, None, "count"),
]


POPULATION = [(LA, 2023, 30, 100000), (LA, 2023, 70, 40000), (LA, 2023, 90, 5000),
              (LA, 2024, 30, 101000), (LA, 2024, 70, 41000), (LA, 2024, 90, 5200)]
LOCAL_ACCOUNT = ["local-account.html", "local-account-annex.html",
                 "local-account-easy-read.html"]
ALL_HTML = [*LOCAL_ACCOUNT, "self-assessment.html"]


def openasc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openasc.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def build_documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both documents for the hand-made council (the `built` fixture, tests/e2e/conftest.py)."""
    base = tmp_path_factory.mktemp("reports")
    wh = base / "wh.duckdb"
    con = connect(wh)
    con.executemany("INSERT INTO metric_values VALUES (?,?,?,?,?,?,?,?,NULL,?,NULL)", ROWS)
    con.execute("UPDATE metric_values SET value = CASE unit WHEN 'percent' THEN "
                "numerator / denominator * 100 WHEN 'per_100k' THEN numerator / denominator "
                "* 100000 ELSE numerator END")
    con.executemany("INSERT INTO population VALUES (?, ?, 'persons', ?, ?)", POPULATION)
    con.close()
    content = base / "content"
    r = openasc("report", "init-content", str(content), cwd=base)
    assert r.returncode == 0, r.stderr
    (content / "budget.csv").write_text("year,category,amount_gbp\n2024-25,Home care,1250000\n"
                                        "2024-25,Direct payments,750500\n", "utf-8")
    out = base / "out"
    said = {}
    for cmd in ("local-account", "self-assessment"):
        r = openasc("--warehouse", str(wh), "report", cmd, "--year", "2024-25", "--out",
                    str(out), "--la", "416", "--content", str(content), cwd=base)
        assert r.returncode == 0, r.stdout + r.stderr
        said[cmd] = r.stdout
    return {"base": base, "wh": wh, "out": out, "content": content,
            "said": said}  # type: ignore[dict-item]


class Page(HTMLParser):
    """Collects headings, tables, figure spans, and the visible text outside traced parts."""

    SKIP_TAGS = {"style", "svg", "time", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.headings: list[tuple[int, str]] = []
        self.figs: list[tuple[dict[str, str], str]] = []
        self.loose: list[str] = []
        self.lang = ""
        self.tables = 0
        self.captions = 0
        self.th_col = 0
        self._fig: dict[str, str] | None = None
        self._text: list[str] = []
        self._h: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        traced = (tag in self.SKIP_TAGS or "data-input" in a
                  or (tag == "a" and "#def-" in a.get("href", ""))
                  or "defn" in a.get("class", "").split())
        if tag == "span" and "fig" in a.get("class", "").split():
            self._fig, self._text, traced = a, [], True
        if re.fullmatch(r"h[1-6]", tag):
            self._h, self._text = int(tag[1]), []
        self.tables += tag == "table"
        self.captions += tag == "caption"
        self.th_col += tag == "th" and a.get("scope") == "col"
        if tag not in ("br", "meta", "link"):
            self.stack.append((tag, traced or (bool(self.stack) and self.stack[-1][1])))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._fig is not None and self.stack[-1][0] == "span":
            self.figs.append((self._fig, "".join(self._text)))
            self._fig = None
        if self._h is not None and tag == f"h{self._h}":
            self.headings.append((self._h, "".join(self._text).strip()))
            self._h = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._fig is not None or self._h is not None:
            self._text.append(data)
        if not (self.stack and self.stack[-1][1]):
            self.loose.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    return page


def _row(con: duckdb.DuckDBPyConnection, key: str) -> tuple:
    """The row as published, worked out here from the rules of docs/disclosure.md (not by
    the code under test): counts to the nearest 5 (halves up); a count under 5 (zero too
    for SAC and DoLS) is suppressed; when a row of the measure's breakdown (the rows sharing
    its breakdown keys) holds a count of 1-4, the smallest other rows are suppressed with
    it, at least one and until the suppressed counts add up to 10; a small denominator
    (1-4) hides every denominator of the breakdown; a percentage or rate from the published
    counts (a population denominator as it is). Suppressed figures are None."""
    family, code, la, start, end, breakdown = key.split("|", 5)
    keys = sorted(p.split("=", 1)[0] for p in breakdown.split(";")) if breakdown else []
    rows = con.execute("SELECT breakdown, numerator, denominator, value, unit FROM "
                       "metric_values WHERE family=? AND code=? AND la_code=? AND "
                       "period_start=? AND period_end=?", [family, code, la, start, end]
                       ).fetchall()
    siblings = [r for r in rows if (sorted(p.split("=", 1)[0] for p in r[0].split(";"))
                                    if r[0] else []) == keys]
    got = next((r for r in siblings if r[0] == breakdown), None)
    assert got is not None, f"no metric_values row {key}"
    _, n, d, v, unit = got
    zero = family in ("SAC", "DOLS")
    population = unit in ("per_100k", "per_1000")

    def small(x: float | None) -> bool:
        return x is not None and x < 5 and (x != 0 or zero)

    def count(r: tuple) -> float | None:
        return r[1] if r[4] != "count" else r[3]

    def person(x: float | None) -> bool:
        return x is not None and 0 < x < 5

    hidden = {r[0] for r in siblings if small(count(r))}
    if any(person(count(r)) for r in siblings):
        total = sum(count(r) for r in siblings if r[0] in hidden)
        others = sorted((r for r in siblings if r[0] not in hidden and count(r) is not None),
                        key=lambda r: (count(r), r[0]))
        for i, r in enumerate(others):
            if i and total >= 10:
                break
            hidden.add(r[0])
            total += count(r)
    n_hidden = breakdown in hidden
    d_hidden = not population and (small(d) or any(person(r[2]) for r in siblings))
    n_pub = None if n_hidden or n is None else round_to_base(n, 5)
    d_pub = None if d_hidden or d is None else (d if population else round_to_base(d, 5))
    if unit == "count":
        return n_pub, None, None if n_hidden else round_to_base(v, 5)
    if n_pub is None or d_pub is None:
        return n_pub, d_pub, None
    scale = {"percent": 100, "per_100k": 100000, "per_1000": 1000}[unit]
    return n_pub, d_pub, n_pub / d_pub * scale


def round_to_base(x: float, base: int) -> int:
    return int(math.floor(x / base + 0.5)) * base


def _shown(text: str) -> float | None:
    if text.strip() == "[c]":
        return None
    m = re.search(r"-?[\d,]+(?:\.\d+)?", text)
    assert m, text
    return float(m.group(0).replace(",", ""))


def _declared(con: duckdb.DuckDBPyConnection, a: dict[str, str]) -> float | str | None:
    """A figure read from a declared input table: `comparator_values` (by its row key) or
    `comparisons` (family|code|breakdown|la_code|year), scaled or made positive as the
    trace says the page printed it."""
    field = a["data-field"]
    assert re.fullmatch(r"[a-z_]+", field), field
    if a["data-table"] == "population":  # adults aged from_age and over, persons
        return _population(con, a["data-key"])
    if a["data-table"] == "comparator_values":
        family, code, la, start, end, breakdown = a["data-key"].split("|", 5)
        got = con.execute(f"SELECT {field} FROM comparator_values WHERE family=? AND code=? AND "
                          "la_code=? AND period_start=? AND period_end=? AND breakdown=?",
                          [family, code, la, start, end, breakdown]).fetchone()
    else:
        assert a["data-table"] == "comparisons", a
        family, code, breakdown, la, year = a["data-key"].split("|")
        got = con.execute(f"SELECT {field} FROM comparisons WHERE family=? AND code=? AND "
                          "breakdown=? AND la_code=? AND year=?",
                          [family, code, breakdown, la, int(year)]).fetchone()
    assert got is not None, f"no {a['data-table']} row {a['data-key']}"
    value = got[0]
    if isinstance(value, str) or value is None:
        return value
    value = abs(value) if a.get("data-abs") else value
    return value * float(a.get("data-scale", "1"))


def _population(con: duckdb.DuckDBPyConnection, key: str) -> float:
    la, year, from_age = key.split("|")
    return con.execute("SELECT sum(population) FROM population WHERE la_code = ? AND year = ? "
                       "AND sex = 'persons' AND age >= ?",
                       [la, int(year), int(from_age)]).fetchone()[0]


QUARTILES = {1: "top quartile", 2: "second quartile", 3: "third quartile", 4: "bottom quartile"}


def expected(con: duckdb.DuckDBPyConnection, a: dict[str, str], content: Path) -> float | None:
    """Recompute a printed figure from its trace: the row, or the inputs it was worked from."""
    places = int(a["data-places"])
    calc = a.get("data-calc")
    if "data-table" in a:
        return _declared(con, a)
    if "data-input" in a:
        if calc == "sum":
            lines = [r for r in (content / a["data-input"]).read_text().splitlines()[1:]
                     if r.startswith(a["data-year"])]
            return sum(float(r.rsplit(",", 1)[1]) for r in lines)
        raw = float(a["data-raw"])
        assert a["data-raw"].rstrip("0").rstrip(".") in (content / a["data-input"]).read_text() \
            or str(int(raw)) in (content / a["data-input"]).read_text()
        return raw
    if "data-mv" in a:
        n, d, v = _row(con, a["data-mv"])
        return {"value": v, "numerator": n, "denominator": d}[a["data-field"]]
    if calc == "popgrowth":
        now, then = (_population(con, k) for k in a["data-pair"].split(KEY_SEP))
        return abs(now - then) / then * 100
    if calc in ("pp", "pct"):
        now, before = (_row(con, k)[2] for k in a["data-pair"].split(KEY_SEP))
        now, before = round_half_up(now, places), round_half_up(before, places)
        return abs(now - before) if calc == "pp" else abs(now - before) / before * 100
    if calc in ("sum", "share"):  # of published rows; suppressed if any of them is
        part = [_row(con, k)[2] for k in a["data-of"].split(KEY_SEP)]
        whole = [_row(con, k)[2] for k in a.get("data-over", a["data-of"]).split(KEY_SEP)]
        if None in part or None in whole:
            return None
        return sum(part) if calc == "sum" else sum(part) / sum(whole) * 100
    raise AssertionError(f"figure with no trace: {a}")


# Numbers that are words of the document, not figures: the report's year labels, the
# per-100,000 unit, the Care Act 2014, Section 42, the ages in a rate's population (adults
# aged 18 and over, 18 to 64, 65 and over, 65 to 84, 85 and over), and the years of the
# mid-year population estimates ("mid-2024").
ALLOWED = {"2024-25", "2023-24", "100,000", "2014", "42", "18", "64", "65", "84", "85",
           "2023", "2024"}


@pytest.mark.parametrize("name", ALL_HTML)
def test_every_number_is_traced(built: dict[str, Path], name: str) -> None:
    assert_traced(built["out"] / name, built["wh"], built["content"])


def assert_traced(path: Path, wh: Path, content: Path) -> None:
    """Every figure on the page equals what its trace recomputes, and no number in the
    visible text goes untraced."""
    name = path.name
    page = parse(path)
    assert len(page.figs) >= (4 if "easy-read" in name else 10)
    con = duckdb.connect(str(wh), read_only=True)
    for attrs, text in page.figs:
        want = expected(con, attrs, content)
        if attrs.get("data-text"):  # a word the table states: a change class, a quartile
            field = attrs["data-field"]
            assert text == (QUARTILES[want] if field.endswith("quartile") else want), attrs
            continue
        got = _shown(text)
        if got is None:  # suppressed: the published row is, or a sum or share of one
            assert want is None, (text, attrs)
            continue
        assert want is not None
        places = 0 if attrs.get("data-calc") == "pct" else int(attrs["data-places"])
        assert got == round_half_up(want, places), (text, attrs)
    con.close()
    loose = " ".join(page.loose)
    # a number glued to letters is a code (2A, STS002a, part 1a, E10000034), not a figure
    numbers = re.findall(r"(?<![A-Za-z\d])\d(?:[\d,.\-]*\d)?(?![A-Za-z\d])", loose)
    strays = [n for n in numbers if n not in ALLOWED]
    assert strays == [], f"untraced numbers in {name}: {strays}"


def test_local_account_structure(built: dict[str, Path]) -> None:
    page = parse(built["out"] / "local-account.html")
    assert page.lang == "en-GB"
    assert [h for h in page.headings if h[0] == 1] == [(1, "Local Account 2024-25")]
    levels = [h[0] for h in page.headings]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert page.tables == page.captions and page.tables >= 5
    h2 = [t for lv, t in page.headings if lv == 2]
    order = ["Foreword", "The year at a glance", "Our vision and priorities",
             "Who we are and our population", "How people come to us and what happens next",
             "Short-term support and reablement", "Long-term support and where people live",
             "Keeping people safe", "Deprivation of Liberty Safeguards", "How we compare",
             "Money", "Our workforce", "Complaints and compliments", "What people told us",
             "People's stories", "What we achieved this year", "What we will do next",
             "Words we use", "Contact us and other formats"]
    assert h2 == ["Contents", *order]
    html_text = (built["out"] / "local-account.html").read_text()
    assert "<script" not in html_text and not re.search(r'(src|href)="https?://', html_text)
    # definitions and breakdowns are in the annex, linked from the main document
    assert 'href="local-account-annex.html#def-' in html_text and 'id="def-' not in html_text
    assert 'href="local-account-easy-read.html"' in html_text


LEVEL2 = (r'<section id="([^"]+)" aria-labelledby="[^"]+" class="level2">(.*?)'
          r'(?=<section id="[^"]+" aria-labelledby="[^"]+" class="level2">|</main>)')


def _sections(raw: str) -> dict[str, str]:
    """Each top-level section's visible text, by its id."""
    return {sid: html.unescape(" ".join(re.sub(r"<[^>]+>", "", body).split()))
            for sid, body in re.findall(LEVEL2, raw, re.S)}


def test_each_resident_section_has_one_chart_at_most_one_table(built: dict[str, Path]) -> None:
    """Issue 13 item 1: a section is a few sentences, one chart and at most one small table
    (the breakdowns are in the annex)."""
    bodies = re.findall(LEVEL2, (built["out"] / "local-account.html").read_text(), re.S)
    assert len(bodies) >= 15
    for sid, body in bodies:
        assert body.count("<table") <= 1, sid
        assert body.count('<figure class="chart"') <= 1, sid
    charted = {sid for sid, body in bodies if '<figure class="chart"' in body}
    # safeguarding's and DoLS's charts are breakdowns the hand-made council does not hold
    assert {"population", "journey", "short-term", "money"} <= charted


def test_sections_left_out_are_listed_in_the_annex_with_their_reason(
        built: dict[str, Path]) -> None:
    """Every section of data/local_account.yaml is either in the main document or in the
    annex's table of sections left out, with the reason declared for it."""
    import openasc.reports

    spec = yaml.safe_load((Path(openasc.reports.__file__).parent / "data" /
                           "local_account.yaml").read_text())
    main = (built["out"] / "local-account.html").read_text()
    annex = html.unescape((built["out"] / "local-account-annex.html").read_text())
    ids = set(re.findall(r'<section id="([^"]+)"', main))
    left = [i for i in spec["sections"] if i["id"] not in ids]
    assert {i["id"] for i in left} == {"carers", "waits"}
    for item in left:
        assert f"<th scope=\"row\">{item['title']}</th><td>{item['omitted']}</td>" in annex, \
            item["id"]


def test_plain_sentences_judge_by_polarity_against_last_year_and_england(
        built: dict[str, Path]) -> None:
    """2A (higher is better): 80.0% → 82.0% improved, above England's 80.0% (2023-24), so
    better. 2C (lower is better): 534.4 → 513.2 per 100,000 is a fall, so improved."""
    text = _sections((built["out"] / "local-account.html").read_text())
    assert ("People who needed no more support after short-term help: 82.0%. This is up 2.0 "
            "percentage points (improved), from 80.0% to 82.0%. England's figure was 80.0% "
            "(2023-24), so ours is better.") in text["short-term"]
    assert ("down 4% on last year (improved), from 534.4 per 100,000 to 513.2 per 100,000"
            in text["long-term"])
    assert ("Safeguarding concerns raised with us: 1,470. This is up 13% on last year, from "
            "1,300 to 1,470.") in text["safeguarding"]
    # the location with the most concerns (700 in the own home, 300 in care homes), in words
    assert "The place where the risk was most often found was the person's own home." \
        in text["safeguarding"]


def _glance(raw: str) -> str:
    got = raw[raw.index('<ul class="glance">'):]
    return got[:got.index("</ul>")]


def test_year_at_a_glance_prints_the_same_figures_with_last_year_and_england(
        built: dict[str, Path]) -> None:
    raw = (built["out"] / "local-account.html").read_text()
    cards = re.findall(r"<li>(.*?)</li>", _glance(raw), re.S)
    assert len(cards) == 4  # STS001, 2A, SAC CONCERNS, DOLS RECEIVED: the four held
    two_a = " ".join(re.sub(r"<[^>]+>", " ", next(c for c in cards if "82.0%" in c)).split())
    assert "Last year: 80.0% England: 80.0% (2023-24)" in two_a
    assert all('aria-hidden="true"' in c for c in cards)  # the icon is decoration
    # the glance's figures are rows the sections print too
    keys = set(re.findall(r'data-mv="([^"]+)"', _glance(raw)))
    rest = raw[raw.index('id="population"'):]
    assert len(keys) >= 4 and all(f'data-mv="{k}"' in rest for k in keys)


def test_population_section(built: dict[str, Path]) -> None:
    text = _sections((built["out"] / "local-account.html").read_text())["population"]
    assert "Adults aged 18 and over: 147,200. This is up 1.5% since mid-2023." in text
    assert "People aged 65 and over: 46,200. This is up 2.7% since mid-2023." in text
    assert "People aged 85 and over: 5,200. This is up 4.0% since mid-2023." in text


def test_abbreviations_are_spelled_out_at_first_use_and_the_glossary_is_data(
        built: dict[str, Path]) -> None:
    import openasc.reports

    terms = yaml.safe_load((Path(openasc.reports.__file__).parent / "data" /
                            "glossary.yaml").read_text())["terms"]
    raw = (built["out"] / "local-account.html").read_text()
    main = raw[raw.index("<main>"):raw.index('id="glossary"')]
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))
    seen = 0
    for t in terms:
        short = t.get("short")
        found = short and re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text)
        if found:
            seen += 1
            assert t["term"].lower() in text[:found.start()].lower(), short
    assert seen >= 2 and "Adult Social Care Outcomes Framework (ASCOF)" in text
    glossary = html.unescape(raw[raw.index('id="glossary"'):])
    assert all(t["term"] in glossary for t in terms)


def test_easy_read_summary(built: dict[str, Path]) -> None:
    """Short sentences, one idea a line, large type, a picture beside each point; its
    figures are the glance's."""
    raw = (built["out"] / "local-account-easy-read.html").read_text()
    points = re.findall(r"<li>(.*?)</li>", raw, re.S)
    assert len(points) == 6  # about, the four headline figures, find out more
    assert all(p.count("<svg") == 1 for p in points)
    lines = [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", x).split())).replace(" .", ".")
             for x in re.findall(r"<p>(.*?)</p>", raw, re.S)]
    assert all(len(line.split()) <= 16 for line in lines), lines
    assert "82.0% of people needed no more support after short-term help." in lines
    assert "That is higher than last year. That is better." in lines
    assert re.search(r"html \{[^}]*font-size: 2\dpx", raw)  # large type on screen
    main = (built["out"] / "local-account.html").read_text()
    big = re.findall(r'<p class="big"><span class="fig"[^>]*data-mv="([^"]+)"', _glance(main))
    assert len(big) == 4 and set(re.findall(r'data-mv="([^"]+)"', raw)) == set(big)


def test_readability_is_measured_per_section_and_said(built: dict[str, Path]) -> None:
    said = built["said"]["local-account"]  # type: ignore[index]
    log = (built["out"] / "local-account-build.log").read_text()
    assert "Readability" in said and "Readability" in log
    for title in ("Keeping people safe", "Who we are and our population", "How we compare"):
        line = next(x for x in log.splitlines() if title in x)
        assert line in said
        ease, age = (float(v) for v in line.split()[-2:])
        assert 0 < age < 16 and ease > 40, line
    assert "Left out: Supporting carers: no carers' measures" in log
    assert "easy-read" in log


def test_readability_scores_harder_prose_as_older() -> None:
    from openasc.reports.readability import score

    easy = score("d", "s", "We help people at home. We help carers too. We keep people safe "
                 "from harm. We ask what they want.")
    hard = score("d", "s", "Notwithstanding considerable organisational complexity, the "
                 "authority's multidisciplinary safeguarding arrangements demonstrated "
                 "substantially improved effectiveness throughout the reporting period.")
    assert easy is not None and hard is not None
    assert easy.reading_age < 10 < hard.reading_age and easy.reading_ease > hard.reading_ease


def test_readability_formulas_worked_by_hand() -> None:
    """'The cat sat on the mat. The dog ran to the park. We help.' has 14 words in 3
    sentences, every word one syllable: 14/3 = 4.667 words a sentence, 1 syllable a word.
    Flesch ease = 206.835 - 1.015 x 4.667 - 84.6 x 1 = 117.5; Flesch-Kincaid grade =
    0.39 x 4.667 + 11.8 x 1 - 15.59 = -1.97 -> -2.0. 'assessment' has hyphenation points
    as-sess-ment: 3 syllables; '1,855' is one."""
    from openasc.reports.readability import score, syllables

    got = score("d", "s", "The cat sat on the mat. The dog ran to the park. We help.")
    assert got is not None and (got.words, got.reading_ease, got.grade) == (14, 117.5, -2.0)
    assert syllables("assessment") == 3 and syllables("1,855") == 1
    assert score("d", "s", "Too short to score.") is None


def test_local_account_worked_sentences(built: dict[str, Path]) -> None:
    text = re.sub(r"<[^>]+>", "", (built["out"] / "local-account.html").read_text())
    annex = re.sub(r"<[^>]+>", "", (built["out"] / "local-account-annex.html").read_text())
    assert "82.0%; up 2.0 percentage points (improved), from 80.0% to 82.0%" in annex
    assert "80.0% (2023-24)" in text  # England's earlier year is labelled
    assert "down 4% on last year (improved), from 534.4 per 100,000 to 513.2 per 100,000" in text
    assert "up 13% on last year, from 1,300 to 1,470" in text
    for page in (text, annex):
        assert "1,469" not in page and "82.7" not in page and "513.9" not in page
    assert "we received 1,000 requests" in text and "60.0%" in text and "25.0%" in text
    assert "£2,000,500" in text  # budget total = 1,250,000 + 750,500


def _outline(reader: object) -> list[str]:
    titles: list[str] = []

    def walk(items: list) -> None:
        for o in items:
            walk(o) if isinstance(o, list) else titles.append(o.title)
    walk(reader.outline)  # type: ignore[attr-defined]
    return titles


@pytest.mark.parametrize("name,first", [
    ("local-account.pdf", "Local Account"),
    ("local-account-annex.pdf", "Local Account: technical annex"),
    ("local-account-easy-read.pdf", "Easy Read"),
    ("self-assessment.pdf", "Adult social care self-assessment")])
def test_pdf_is_tagged_with_bookmarks_and_text(built: dict[str, Path], name: str,
                                               first: str) -> None:
    """PDF/UA: a tagged PDF (structure tree, marked content), the document language, and a
    bookmark for every h1 and h2 of the page."""
    from pypdf import PdfReader

    reader = PdfReader(built["out"] / name)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "en-GB"
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert first in text
    page = parse(built["out"] / name.replace(".pdf", ".html"))
    heads = {t for lv, t in page.headings if lv <= 2 and t != "Contents"}
    assert heads and heads <= set(_outline(reader)), heads - set(_outline(reader))
    if name != "local-account-easy-read.pdf":
        assert "Contents" in text and 3 <= len(reader.pages) <= 60


def test_local_account_contents_page_numbers(built: dict[str, Path]) -> None:
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(built["out"] / "local-account.pdf").pages]
    assert len(pages) <= 40
    m = re.search(r"How we compare \S page (\d+)", pages[1])
    assert m, pages[1]
    assert pages[int(m.group(1)) - 1].lstrip().startswith("How we compare")


STATEMENTS = {"assessing-needs": "Assessing needs",
              "supporting-people-to-live-healthier-lives":
                  "Supporting people to live healthier lives",
              "equity-in-experiences-and-outcomes": "Equity in experiences and outcomes",
              "care-provision-integration-and-continuity":
                  "Care provision, integration and continuity",
              "partnerships-and-communities": "Partnerships and communities",
              "safe-systems-pathways-and-transitions": "Safe systems, pathways and transitions",
              "safeguarding": "Safeguarding",
              "governance-management-and-sustainability":
                  "Governance, management and sustainability",
              "learning-improving-and-innovation": "Learning, improving and innovation"}


def statement_bodies(raw: str) -> dict[str, str]:
    """Each quality statement's section, by its id."""
    out = {}
    for slug in STATEMENTS:
        body = raw[raw.index(f'<section id="{slug}"'):]
        out[slug] = body[:body.index("</section>")]
    return out


def test_self_assessment_structure(built: dict[str, Path]) -> None:
    page = parse(built["out"] / "self-assessment.html")
    h2 = [t for lv, t in page.headings if lv == 2]
    themes = ["Working with people", "Providing support",
              "How the local authority ensures safety within the system", "Leadership"]
    assert h2[1:5] == themes and "Improvement plan" in h2
    h3 = [t for lv, t in page.headings if lv == 3]
    assert set(STATEMENTS.values()) <= set(h3)
    text = re.sub(r"<[^>]+>", "", (built["out"] / "self-assessment.html").read_text())
    assert "Describe a key strength" in text  # from theme-1.md front matter


def test_every_quality_statement_has_evidence_or_says_no_data_held(
        built: dict[str, Path]) -> None:
    """The hand-made council holds 2A, 2C, 3D part 1a, SAC CONCERNS and DOLS RECEIVED: those
    statements have an evidence table (this year, change, England); Assessing needs,
    Partnerships, Governance and Learning have none of their measures, so each says "No
    data held" and names them. No row prints a figure that cannot be known, and each
    statement keeps a slot for the council's narrative."""
    bodies = statement_bodies((built["out"] / "self-assessment.html").read_text())
    with_table = {s for s, b in bodies.items() if "<table" in b}
    no_data = {s for s, b in bodies.items() if "No data held" in b}
    assert with_table == {"supporting-people-to-live-healthier-lives",
                          "equity-in-experiences-and-outcomes",
                          "care-provision-integration-and-continuity",
                          "safe-systems-pathways-and-transitions", "safeguarding"}
    assert no_data == set(STATEMENTS) - with_table
    for slug, body in bodies.items():
        assert 'class="human' in body, slug  # the council's narrative (or its draft slot)
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        assert not any("not available" in r for r in rows[1:]), slug
    healthier = html.unescape(re.sub(r"<[^>]+>", "", bodies[
        "supporting-people-to-live-healthier-lives"]))
    assert "up 2.0 percentage points (improved), from 80.0% to 82.0%" in healthier
    assert "Not held, so not yet evidence here:" in healthier  # 2D and the rest


def test_case_study_without_consent_is_refused(built: dict[str, Path], tmp_path: Path) -> None:
    content = tmp_path / "c"
    (content / "case-studies").mkdir(parents=True)
    (content / "case-studies" / "mr-b.md").write_text("---\ntitle: Mr B\nconsent: false\n---\n"
                                                      "Story.\n", "utf-8")
    r = openasc("--warehouse", str(built["wh"]), "report", "local-account", "--year", "2024-25",
                "--out", str(tmp_path / "o"), "--la", LA, "--content", str(content),
                cwd=tmp_path)
    assert r.returncode == 1
    assert "mr-b.md" in r.stderr and "consent: true" in r.stderr
    assert "Traceback" not in r.stderr


def test_without_content_placeholders_are_marked_draft(built: dict[str, Path],
                                                       tmp_path: Path) -> None:
    r = openasc("--warehouse", str(built["wh"]), "report", "local-account", "--year", "2024-25",
                "--out", str(tmp_path), "--la", LA, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "local-account.html").read_text()
    assert "Draft: this section is still to be written" in html and "draft-banner" in html
    assert "What we spent" not in html  # no budget file, no budget section


def test_self_assessment_mapping_is_data(built: dict[str, Path]) -> None:
    import openasc.reports

    path = Path(openasc.reports.__file__).parent / "data" / "self_assessment.yaml"
    spec = yaml.safe_load(path.read_text())
    assert len(spec["themes"]) == 4
    assert sum(len(t["statements"]) for t in spec["themes"]) == 9


# --------------------------------------------------------------------------- comparisons
COMPARED_ROWS = [
    ("ASCOF", "2A", LA, *Y, "", 412, 498, "percent"),
    ("ASCOF", "2A", LA, *P, "", 400, 500, "percent"),
    ("ASCOF", "2D", LA, *Y, "", 850, 1000, "percent"),
    ("ASCOF", "2D", LA, *P, "", 845, 1000, "percent"),
    ("ASCOF", "2B", LA, *Y, "", 3, 60000, "per_100k"),
]


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Worcestershire's own 2A and 2D for two years, every other council's synthetic
    figures for 2023-24 and 2024-25, a published England 2A of 77.5% for 2024-25, the
    comparisons table built from them, and the Local Account rendered to HTML."""
    from openasc.compare.comparators import import_comparators
    from openasc.compare.comparisons import build_comparisons
    from openasc.councils import resolve
    from openasc.reports.annex import build_annex
    from openasc.reports.content import load_content
    from openasc.reports.figures import load_figures, parse_year
    from openasc.reports.local_account import build_local_account
    from openasc.reports.render import write_html
    from openasc.synth.comparators import synth_comparators

    base = tmp_path_factory.mktemp("compared")
    wh = base / "wh.duckdb"
    con = connect(wh)
    con.executemany("INSERT INTO metric_values VALUES (?,?,?,?,?,?,?,?,NULL,?,NULL)",
                    COMPARED_ROWS)
    con.execute("UPDATE metric_values SET value = numerator / denominator * CASE unit "
                "WHEN 'percent' THEN 100 ELSE 100000 END")
    path = base / "comparators.csv"
    synth_comparators(path, years=[2023, 2024], seed=3)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"ASCOF,2A,{ENG},{Y[0]},{Y[1]},,,,77.5,percent,\n")
    import_comparators(con, path)
    build_comparisons(con)
    start, end = parse_year("2024-25")
    f = load_figures(con, resolve(LA, "--la", on=end), start, end)
    con.close()
    out = base / "out" / "local-account.html"
    main = build_local_account(f, load_content(None), "2024-25")
    write_html(main, start, end, out)
    annex = write_html(build_annex(f, main), start, end, out.with_name(
        "local-account-annex.html"))
    return {"wh": wh, "html": out, "annex": annex, "base": base}


def _compare_text(page: Path) -> str:
    raw = page.read_text("utf-8")
    section = raw[raw.index('<section id="compare"'):]
    section = section[:section.index("</section>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section)))


def test_how_we_compare_reads_the_comparisons_table(compared: dict[str, Path]) -> None:
    """The section states what `comparisons` holds, worked by hand where the data is ours:

    - 2A: published 410 ÷ 500 = 82.0% (412 → 410, 498 → 500); England's published
      2024-25 figure is 77.5%, so the gap is 82.0 − 77.5 = 4.5 percentage points above
      England, better (higher is better). The measure set declares a series break in 2024
      (ascof.md §4.1), so the change class is "not comparable", and the section says so
      instead of "improved" (80.0% → 82.0%).
    - 2D (2 decimals): 85.00% against 84.50% last year: up 0.50 percentage points, less than
      the 1 percentage point rule for percentages, so "about the same".
    - Ranks: 1 + the number of West Midlands councils whose printed 2A is higher than ours.
    - 2B: 3 admissions ÷ 60,000 × 100,000 = 5.0 per 100,000, from a count of 1-4, so it
      prints [c]; a suppressed figure is not compared at all (no comparisons row: a rank
      or gap would tell what was hidden), so the sentence and the rank column say none.
    """
    from openasc.compare.comparisons import read_comparisons
    from openasc.reports.phrasing import ordinal

    text = _compare_text(compared["annex"])
    raw = compared["annex"].read_text("utf-8")
    sentences = [html.unescape(re.sub(r"<[^>]+>", "", li))
                 for li in re.findall(r"<li>(.*?)</li>", raw[raw.index('id="compare"'):])]
    con = duckdb.connect(str(compared["wh"]), read_only=True)
    rows = {c.code: c for c in read_comparisons(con, LA, 2024)}
    a2, d2 = rows["2A"], rows["2D"]
    higher = con.execute("SELECT count(*) FROM comparisons WHERE code = '2A' AND year = 2024 "
                         "AND region = 'West Midlands' AND shown > ?", [a2.shown]).fetchone()[0]
    con.close()
    assert (a2.england_value, a2.england_basis, a2.gap_england) == (77.5, "published", 4.5)
    assert a2.change_class == "not comparable" and d2.change_class == "about the same"
    assert a2.region_rank == 1 + higher and a2.region_n > 2
    assert (f"82.0%, {ordinal(a2.region_rank)} of {a2.region_n} in the West Midlands") in text
    assert f"{ordinal(a2.england_rank)} of {a2.england_n} in England" in text
    assert "4.5 percentage points above England (77.5%), better" in text
    assert "on last year, not comparable: the way the measure is counted changed" in text
    assert ("on last year, about the same: up 0.50 percentage points, less than 1 percentage "
            "point") in text
    assert "(improved)" not in text  # the class is the table's, not re-derived
    b2 = next(line for line in sentences if line.startswith("Number of adults aged 18 to 64"))
    assert "[c]" in b2 and " in England" not in b2 and "2B" not in rows
    assert ("Of the one ASCOF measure that can be compared with last year, none improved, "
            "one stayed about the same and none declined") in text
    assert "\"About the same\" means a change of less than 1 percentage point for percentages" \
        in text
    # 2D's England figure has no published row: the mean of the councils, saying how many
    assert f"England ({d2.shown - d2.gap_england:.2f}%, the average of {d2.england_n} " \
        "councils)" in text


def test_comparison_figures_are_traced_to_the_table(compared: dict[str, Path]) -> None:
    """Every figure in the comparison Local Account recomputes from metric_values or the
    comparisons table, including ranks, counts of councils, gaps and change classes."""
    page = parse(compared["annex"])
    tables = {a.get("data-table") for a, _ in page.figs}
    fields = {a.get("data-field") for a, _ in page.figs if a.get("data-table")}
    assert "comparisons" in tables
    assert {"region_rank", "england_value", "gap_england", "change_class",
            "rule_threshold"} <= fields
    assert_traced(compared["annex"], compared["wh"], compared["base"])
    assert_traced(compared["html"], compared["wh"], compared["base"])


def test_resident_compare_counts_measures_better_than_england(
        compared: dict[str, Path]) -> None:
    """2A is 4.5 percentage points above England's 77.5% (higher is better): better; 2D's
    side is its stated gap with England (the councils' mean) by its better direction; 2B
    is hidden ([c]) and not compared. The sentence counts them; the chart draws them."""
    from openasc.compare.comparisons import read_comparisons

    con = duckdb.connect(str(compared["wh"]), read_only=True)
    d2 = next(c for c in read_comparisons(con, LA, 2024) if c.code == "2D")
    con.close()
    gap = round_half_up(d2.gap_england, d2.precision)
    better, same, worse = 1 + (gap > 0), int(gap == 0), int(gap < 0)
    words = ["none", "one", "two"]
    text = _compare_text(compared["html"])
    assert (f"Compared with England this year, {words[better]} of our two measures "
            f"{'was' if better == 1 else 'were'} better, {words[same]} the same and "
            f"{words[worse]} worse.") in text
    assert 'id="compare-england"' in compared["html"].read_text()


def test_before_the_national_figures_are_out_last_years_england_is_labelled(
        tmp_path: Path) -> None:
    """Comparator figures for 2023-24 only; our own 2A for 2024-25 and 2023-24. This year's
    comparisons row then compares Worcestershire with itself alone (england_n = 1), so no
    rank or gap is printed for 2024-25; England's figure is last year's, from last year's
    comparisons row, labelled "(2023-24)"; the change class is still this year's row's
    ("not comparable": the 2024 series break)."""
    from openasc.compare.comparators import import_comparators
    from openasc.compare.comparisons import build_comparisons, read_comparisons
    from openasc.councils import resolve
    from openasc.reports.figures import load_figures, parse_year
    from openasc.reports.phrasing import value_text
    from openasc.reports.sections import compare_section
    from openasc.synth.comparators import synth_comparators

    con = connect(tmp_path / "wh.duckdb")
    con.executemany("INSERT INTO metric_values VALUES (?,?,?,?,?,?,?,?,NULL,?,NULL)",
                    COMPARED_ROWS[:2])
    con.execute("UPDATE metric_values SET value = numerator / denominator * 100")
    synth_comparators(tmp_path / "c.csv", years=[2023], seed=5)
    import_comparators(con, tmp_path / "c.csv")
    build_comparisons(con)
    now = {c.year: c for c in read_comparisons(con, LA) if c.code == "2A"}
    assert now[2024].england_n == 1 and now[2023].england_n > 100
    start, end = parse_year("2024-25")
    sec = compare_section(load_figures(con, resolve(LA, "--la", on=end), start, end))
    con.close()
    row = [str(c) for c in sec.blocks[-1].rows[0]]
    england = value_text(now[2023].england_value, "percent", 1)
    assert row[3] == f"{england} (2023-24) (average of {now[2023].england_n} councils)"
    assert row[5] == "not available"  # no rank against nobody
    assert row[6].startswith("not comparable")
    sentence = str(sec.blocks[-2][0])
    assert " of " not in sentence.split(":")[1] and "above England" not in sentence
