"""An attack on every published output: can a suppressed count be recovered?

Two councils are built with the demo pipeline: the demo council (5,000 people) and a small
one (300 people, 75 safeguarding concerns, 37 DoLS applications) whose breakdowns are full
of small cells. For each, every published output is read the way an outsider would read
it: `export metrics --published` as CSV, JSON and XLSX; the Local Account and the
self-assessment (the figures printed in the HTML, with the row each comes from in its
`data-mv` attribute); the improvement profile of the council (the values `comparisons`
gives it); and the dashboard's published view through its API, signed in as a viewer.

The attacker knows the publication rules (docs/disclosure.md: counts to the nearest 5,
counts 1-4 never printed) and which breakdowns add up to which totals — the test takes that
structure from the unrounded rows themselves (a relation is used only when it holds
exactly), which is what an attacker reading the catalogue's documentation knows. It then:

(a) differences: every count (numerators, and denominators that are not populations) gets
    the interval its printed figure allows ([c] = anything from 0 up); every breakdown
    key set of a measure is a set of sums (cells grouped by all but one key add up to the
    coarser row, down to the headline); intervals are tightened through these sums until
    nothing changes (total − shown cells, across sibling breakdowns), and shares printed
    beside a count are solved against their printed total;
(b) solves: for every printed percentage or rate, every pair of exact numerator and
    denominator inside their intervals is tried, and those whose ratio prints as the
    printed value (its decimals) are kept;
(c) a rate printed for a suppressed numerator is (b) with the numerator free: rate ×
    published denominator.

A recovery is a suppressed count (or a count of 1-4, or a complement denominator −
numerator of 1-4) pinned to one value from 1 to 4. The test checks the attack is sound
(every exact figure lies inside the interval the attacker derived: the model of the rules
is right), that it looked at many cells, and that it recovers nothing.

Before the disclosure module (main at f090538) the same attack recovered 8 cells of the
demo council and made 81 recoveries on the small council, from every output
(docs/decisions.md, "Disclosure control").
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from rich.console import Console

from openasc.config import Settings

LA = "E10000034"
INF = math.inf
SCALE = {"percent": 100, "per_100k": 100000, "per_1000": 1000}
POPULATION = {"per_100k", "per_1000"}
NUMBER = re.compile(r"-?[\d,]*\.?\d+")


# --------------------------------------------------------------------------- outputs
@dataclass
class Output:
    """What one published output prints: row key -> field -> printed text; and shares."""

    name: str
    printed: dict[tuple, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    shares: list[tuple[str, tuple, tuple]] = field(default_factory=list)  # text, of, over
    sums: dict[tuple, str] = field(default_factory=dict)  # keys -> printed sum


def _key(family: str, code: str, la: str, start: Any, end: Any, breakdown: str) -> tuple:
    return (family, code, la, str(start), str(end), breakdown or "")


def from_export_rows(name: str, rows: list[dict[str, Any]]) -> Output:
    out = Output(name)
    for r in rows:
        k = _key(r["family"], r["code"], r["la_code"], r["period_start"], r["period_end"],
                 r["breakdown"])
        for f in ("numerator", "denominator", "value"):
            v = r[f]
            out.printed[k][f] = "" if v is None else str(v)
    return out


def read_export(con: duckdb.DuckDBPyConnection) -> list[Output]:
    import csv

    from openpyxl import load_workbook

    from openasc.publish.export import export_bytes

    outs = []
    text = export_bytes(con, "csv", True).decode("utf-8")
    outs.append(from_export_rows("export csv", list(csv.DictReader(io.StringIO(text)))))
    outs.append(from_export_rows("export json", json.loads(export_bytes(con, "json", True))))
    ws = load_workbook(io.BytesIO(export_bytes(con, "xlsx", True))).active
    rows = list(ws.iter_rows(values_only=True))
    outs.append(from_export_rows("export xlsx", [dict(zip(rows[0], r, strict=True))
                                                 for r in rows[1:]]))
    return outs


FIG = re.compile(r'<span class="fig"([^>]*)>([^<]*)</span>')
ATTR = re.compile(r'data-([a-z]+)="([^"]*)"')


def read_html(name: str, text: str) -> Output:
    """Every printed figure traced to a metric_values row (data-mv, data-field), every sum
    of rows (data-calc=sum) and every share (data-calc=share)."""
    out = Output(name)
    for attrs, shown in FIG.findall(text):
        a = {k: html.unescape(v) for k, v in ATTR.findall(attrs)}
        shown = html.unescape(shown)
        if "mv" in a:
            out.printed[tuple(a["mv"].split("|"))][a.get("field", "value")] = shown
        elif a.get("calc") == "sum":
            out.sums[tuple(a["of"].split("~~"))] = shown
        elif a.get("calc") == "share":
            out.shares.append((shown, tuple(a["of"].split("~~")),
                               tuple(a["over"].split("~~"))))
    return out


def read_comparisons(name: str, rows: list[Any]) -> Output:
    """The council's own figure in `comparisons`, as the profiles and the API print it."""
    out = Output(name)
    for c in rows:
        if c.la_code != LA or c.shown is None:
            continue
        k = _key(c.family, c.code, LA, c.period_start, c.period_end, c.breakdown)
        out.printed[k]["value"] = f"{c.shown:.{c.precision}f}"
    return out


def read_api(client: Any) -> list[Output]:
    from openasc.metrics.catalogue import all_measures

    out = Output("dashboard API")
    for m in all_measures():
        r = client.get(f"/api/measures/{m.family}/{m.code}", params={"la_code": LA})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["figures"] == "published"
        for v in body["values"]:
            k = _key(m.family, m.code, v["la_code"], v["period_start"], v["period_end"],
                     v["breakdown"])
            for f in ("numerator", "denominator", "value"):
                out.printed[k][f] = v[f]
    from openasc.compare.measure_set import load_measure_set

    places = {m.key: m.precision for m in load_measure_set().measures}
    comps = Output("dashboard API comparisons")
    for c in client.get("/api/comparisons", params={"la_code": LA}).json():
        if c["shown"] is not None:
            k = _key(c["family"], c["code"], LA, c["period_start"], c["period_end"], "")
            p = places.get((c["family"], c["code"], ""), 1)
            comps.printed[k]["value"] = f"{c['shown']:.{p}f}"  # shown at the set's precision
    return [out, comps]


# --------------------------------------------------------------------------- the attack
def parse(text: str) -> float | None:
    m = NUMBER.search(text or "")
    return float(m.group().replace(",", "")) if m else None


def decimals_of(text: str) -> int:
    m = NUMBER.search(text)
    return len(m.group().split(".")[1]) if m and "." in m.group() else 0


def half_away(x: float, places: int) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass
class Exact:
    numerator: float | None
    denominator: float | None
    value: float | None
    unit: str


class Attack:
    """One attacker's knowledge of one council's published figures."""

    def __init__(self, exact: dict[tuple, Exact], outputs: list[Output]) -> None:
        self.exact = exact
        self.outputs = outputs
        printed_counts = [t for o in outputs for k, fs in o.printed.items() if k in exact
                          for f, t in fs.items() if self._is_count(k, f) and parse(t) is not None]
        # an output rounds its counts when every count it prints is a multiple of 5
        self.rounded = {o.name: all(parse(t) % 5 == 0 for k, fs in o.printed.items()
                                    if k in exact for f, t in fs.items()
                                    if self._is_count(k, f) and parse(t) is not None)
                        for o in outputs}
        self.cells_seen = len(printed_counts)
        self.lo: dict[tuple, float] = {}
        self.hi: dict[tuple, float] = {}
        self.hidden: set[tuple] = set()
        self.recoveries: list[str] = []
        self.values_solved = 0

    def _is_count(self, k: tuple, f: str) -> bool:
        e = self.exact[k]
        if f == "denominator":
            return e.unit not in POPULATION and e.denominator is not None
        if f == "value":
            return e.unit == "count"
        return e.numerator is not None

    @staticmethod
    def _cell(k: tuple, f: str, unit: str) -> tuple:
        return (k, "numerator" if f == "value" and unit == "count" else f)

    def _interval(self, text: str, rounded: bool) -> tuple[float, float] | None:
        if text.strip() == "[c]":
            return (0, INF)
        p = parse(text)
        if p is None:
            return None
        if not rounded:
            return (p, p)
        lo, hi = max(0, p - 2), p + 2
        if p == 0:
            return (0, 0)  # 1 and 2 would have been suppressed
        return (max(lo, 5), hi)  # 3 and 4 would have been suppressed

    def know(self, outputs: list[Output]) -> None:
        for o in outputs:
            for k, fs in o.printed.items():
                if k not in self.exact:
                    continue
                for f, text in fs.items():
                    if not self._is_count(k, f):
                        continue
                    got = self._interval(str(text), self.rounded[o.name])
                    if got is None:
                        continue
                    c = self._cell(k, f, self.exact[k].unit)
                    if str(text).strip() == "[c]":
                        self.hidden.add(c)
                    self.lo[c] = max(self.lo.get(c, 0), got[0])
                    self.hi[c] = min(self.hi.get(c, INF), got[1])

    def relations(self) -> list[tuple[tuple, list[tuple]]]:
        """parent cell = sum of child cells, for every breakdown key set of every measure and
        each key dropped, wherever the unrounded rows add up exactly."""
        groups: dict[tuple, dict[str, tuple]] = defaultdict(dict)
        for k in self.exact:
            groups[k[:5]][k[5]] = k
        out = []
        for by_bd in groups.values():
            for f in ("numerator", "denominator"):
                children: dict[tuple, list[tuple]] = defaultdict(list)
                for bd, k in by_bd.items():
                    if not bd:
                        continue
                    parts = dict(p.split("=", 1) for p in bd.split(";"))
                    for drop in parts:
                        rest = ";".join(f"{a}={b}" for a, b in sorted(parts.items())
                                        if a != drop)
                        children[(rest, tuple(sorted(parts)))].append(k)
                for (rest, _), kids in children.items():
                    parent = by_bd.get(rest)
                    if parent is None:
                        continue
                    e = [getattr(self.exact[x], f) for x in (parent, *kids)]
                    if any(v is None for v in e) or abs(e[0] - sum(e[1:])) > 1e-9:
                        continue
                    if f == "denominator" and self.exact[parent].unit in POPULATION:
                        continue
                    out.append(((parent, f), [(x, f) for x in kids]))
        return out

    def propagate(self, rels: list[tuple[tuple, list[tuple]]]) -> None:
        cells = {c for p, kids in rels for c in (p, *kids)}
        for c in cells:
            self.lo.setdefault(c, 0)
            self.hi.setdefault(c, INF)
        for _ in range(200):
            changed = False
            for p, kids in rels:
                slo = sum(self.lo[c] for c in kids)
                shi = sum(self.hi[c] for c in kids)
                if slo > self.lo[p]:
                    self.lo[p], changed = slo, True
                if shi < self.hi[p]:
                    self.hi[p], changed = shi, True
                for c in kids:
                    lo = self.lo[p] - (shi - self.hi[c]) if shi < INF else -INF
                    hi = self.hi[p] - (slo - self.lo[c])
                    if lo > self.lo[c]:
                        self.lo[c], changed = lo, True
                    if hi < self.hi[c]:
                        self.hi[c], changed = hi, True
            if not changed:
                break

    def exact_of(self, c: tuple) -> float:
        return getattr(self.exact[c[0]], c[1])

    def check_sound(self) -> None:
        for c in self.lo:
            x = self.exact_of(c)
            assert self.lo[c] - 1e-9 <= x <= self.hi[c] + 1e-9, (c, x, self.lo[c], self.hi[c])

    def pinned_small(self, where: str) -> None:
        for c in self.lo:
            x = self.exact_of(c)
            if self.lo[c] == self.hi[c] and 1 <= x <= 4:
                self.recoveries.append(f"{where}: {c} = {x:g} by differencing")

    def solve_values(self, o: Output) -> None:
        """(b) and (c): exact numerator and denominator from a printed value."""
        for k, fs in o.printed.items():
            e = self.exact.get(k)
            text = str(fs.get("value", ""))
            if e is None or e.unit not in SCALE or parse(text) is None or not e.denominator:
                continue
            if e.value is None or e.numerator is None or abs(
                    e.value - e.numerator / e.denominator * SCALE[e.unit]) > 1e-6 * max(1, e.value):
                continue  # not a plain ratio (an age-standardised rate): nothing to solve
            n_cell, d_cell = (k, "numerator"), (k, "denominator")
            v, places = parse(text), decimals_of(text)
            if e.unit in POPULATION:
                ds = [e.denominator]
            else:
                d_hi = self.hi.get(d_cell, INF)
                if d_hi == INF:
                    continue
                ds = range(int(self.lo.get(d_cell, 0)), int(d_hi) + 1)
            n_lo = int(self.lo.get(n_cell, 0))
            n_hi = self.hi.get(n_cell, INF)
            self.values_solved += 1
            ns, comps = set(), set()
            for d in ds:
                if d <= 0:
                    continue
                top = n_hi if n_hi < INF else math.ceil((abs(v) + 1) * d / SCALE[e.unit]) + 1
                if e.unit == "percent" and e.numerator <= e.denominator:
                    top = min(top, d)
                for n in range(n_lo, int(top) + 1):
                    if self._explains(n, d, e.unit, v, places):
                        ns.add(n)
                        comps.add(d - n)
            assert e.numerator in ns, (o.name, k, text, "the solver must be sound")
            hidden = n_cell in self.hidden or 1 <= e.numerator <= 4
            if len(ns) == 1 and hidden and 1 <= e.numerator <= 4:
                self.recoveries.append(f"{o.name}: {k} numerator = {e.numerator:g} from "
                                       f"value {text}")
            if (e.unit == "percent" and e.numerator <= e.denominator and len(comps) == 1
                    and 1 <= e.denominator - e.numerator <= 4):
                self.recoveries.append(f"{o.name}: {k} complement = "
                                       f"{e.denominator - e.numerator:g} from value {text}")

    @staticmethod
    def _explains(n: int, d: float, unit: str, v: float, places: int) -> bool:
        """Whether the exact pair n, d could have printed v: worked out from the exact
        counts, or from the published ones (nearest 5; a count of 1-4 is never published,
        a population denominator is as it is). The attacker cannot tell which way a value
        was worked out, so either explains it."""
        want = half_away(v, places)
        if half_away(n / d * SCALE[unit], places) == want:
            return True
        if 1 <= n <= 4 or (unit not in POPULATION and 1 <= d <= 4):
            return False
        rn = math.floor(n / 5 + 0.5) * 5
        rd = d if unit in POPULATION else math.floor(d / 5 + 0.5) * 5
        return rd > 0 and half_away(rn / rd * SCALE[unit], places) == want

    def solve_shares(self, o: Output) -> None:
        """A share printed beside a suppressed count, against its printed total."""
        for text, of, over in o.shares:
            count_text, total_text = o.sums.get(of, ""), o.sums.get(over, "")
            share, total = parse(text), parse(total_text)
            if share is None or total is None or count_text.strip() != "[c]":
                continue
            exact = sum((self.exact[tuple(k.split("|"))].value or 0) for k in of)
            places = decimals_of(text)
            rounded = self.rounded[o.name]
            totals = range(int(max(total - 2, 0)), int(total + 3)) if rounded else [int(total)]
            ns = {n for t in totals if t > 0 for n in range(0, t + 1)
                  if half_away(n / t * 100, places) == half_away(share, places)}
            self.values_solved += 1
            if len(ns) == 1 and 1 <= exact <= 4:
                self.recoveries.append(f"{o.name}: share {text} of {of[0]}... = {exact:g}")


def attack(exact: dict[tuple, Exact], outputs: list[Output]) -> Attack:
    """Each output alone, then all of them together (an attacker reads them all)."""
    rels = None
    found = Attack(exact, outputs)
    for o in outputs:
        a = Attack(exact, [o])
        rels = rels or a.relations()
        a.know([o])
        a.propagate(rels)
        a.check_sound()
        a.pinned_small(o.name)
        a.solve_values(o)
        a.solve_shares(o)
        found.recoveries += a.recoveries
        found.values_solved += a.values_solved
    together = Attack(exact, outputs)
    together.know(outputs)
    together.propagate(rels or [])
    together.check_sound()
    together.pinned_small("all outputs together")
    for o in outputs:
        together.solve_values(o)
    found.recoveries += together.recoveries
    found.hidden = together.hidden
    found.lo = together.lo
    return found


# --------------------------------------------------------------------------- councils
def build(tmp: Path, people: int) -> tuple[Path, Path]:
    from openasc.demo import run_demo

    out = tmp / f"council-{people}"
    run_demo(out, people, Console(file=io.StringIO()), warehouse=out / "wh.duckdb")
    return out, out / "wh.duckdb"


def exact_rows(con: duckdb.DuckDBPyConnection) -> dict[tuple, Exact]:
    """The rows published under the rule the attacker models (nearest 5, 1-4 hidden), whose
    counts are counts of people. A survey estimate's numerator and denominator are weighted
    (fractional) population estimates, not counts, so they are left out; the respondents
    behind each (its base, on the margin-of-error row) stay in. The market position's
    population, need estimates (nearest 10) and CQC figures are published under other rules
    because they count no one's record; they are left out too."""
    from openasc.metrics.disclosure import rule_for

    got = con.execute("SELECT family, code, la_code, period_start, period_end, breakdown, "
                      "numerator, denominator, value, unit FROM metric_values").fetchall()
    exact = {(f, c) for f, c in {(r[0], r[1]) for r in got}
             if rule_for(f, c).get("rounding_base") != 5 or not rule_for(f, c).get(
                 "suppress_below")}
    return {_key(*r[:6]): Exact(*r[6:]) for r in got if (r[0], r[1]) not in exact
            and all(x is None or float(x).is_integer() for x in r[6:8])}


def published_outputs(out: Path, wh: Path, tmp: Path) -> list[Output]:
    from fastapi.testclient import TestClient

    from openasc.compare.comparisons import read_comparisons as comparisons_of
    from openasc.compare.measure_set import load_measure_set
    from openasc.councils import find
    from openasc.reports.profiles import build_profiles, render_booklet
    from openasc.web.app import create_app
    from web_fixtures import PASSWORDS, make_users

    con = duckdb.connect(str(wh), read_only=True)
    try:
        outputs = read_export(con)
        region = find(LA).region
        ms = load_measure_set()
        profiles = build_profiles(con, region, 2024, None, ms)
        booklet = render_booklet(profiles, region, 2024, ms)
        assert LA in booklet or find(LA).name in booklet
        mine = [c for p in profiles if p.la_code == LA for _, c in p.rows if c is not None]
        outputs.append(read_comparisons("improvement profile", mine))
        outputs.append(read_comparisons("comparisons table", comparisons_of(con, la_code=LA)))
    finally:
        con.close()
    for doc in ("local-account", "local-account-annex", "local-account-easy-read",
                "self-assessment", "market-position"):
        outputs.append(read_html(doc, (out / f"{doc}.html").read_text("utf-8")))
    url = f"sqlite:///{tmp / 'users.sqlite'}"
    make_users(url)
    app = create_app(Settings(warehouse=wh, key_file=tmp / "nokey"), users_url=url,
                     reports_dir=tmp / "reports")
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"login_token": token, "username": "vic",
                                    "password": PASSWORDS["vic"], "next": "/"})
    assert r.status_code == 303, r.text
    outputs += read_api(client)
    return outputs


@pytest.fixture(scope="module", params=[5000, 300], ids=["demo", "small-council"])
def council(request, tmp_path_factory) -> tuple[dict[tuple, Exact], list[Output]]:
    tmp = tmp_path_factory.mktemp(f"attack-{request.param}")
    out, wh = build(tmp, request.param)
    con = duckdb.connect(str(wh), read_only=True)
    exact = exact_rows(con)
    con.close()
    return exact, published_outputs(out, wh, tmp)


def test_no_suppressed_count_can_be_recovered_from_any_published_output(council) -> None:
    exact, outputs = council
    found = attack(exact, outputs)
    names = {o.name for o in outputs}
    assert {"export csv", "export json", "export xlsx", "local-account", "local-account-annex",
            "local-account-easy-read", "self-assessment", "improvement profile",
            "dashboard API", "dashboard API comparisons"} <= names
    # the attack reached its targets: many printed counts, many suppressed cells, many
    # printed values solved, and figures from the documents and the dashboard
    assert sum(len(o.printed) for o in outputs if o.name == "local-account") > 30
    assert sum(len(o.printed) for o in outputs if o.name == "dashboard API") > 500
    assert len(found.hidden) > 100, len(found.hidden)
    assert found.values_solved > 100, found.values_solved
    by_output = Counter(r.split(":", 1)[0] for r in set(found.recoveries))
    assert not found.recoveries, (f"{len(set(found.recoveries))} recoveries {dict(by_output)}:\n"
                                  + "\n".join(sorted(set(found.recoveries))[:40]))
