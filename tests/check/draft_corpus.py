"""A corpus of council drafts with known errors, written in every format `openasc check` reads.

Each draft is one council's year, told from one set of facts (concerns, enquiries, DoLS
applications, requests, populations) so that its correct figures agree with each other, as a
real report's do. Templates write the kinds of statement councils publish; some are written
with an error seeded, and the seed is recorded as data (`Seed`: the check that should catch
it and an anchor, a figure text that appears once in the draft), so recall and false errors
are counted, not asserted by hand. Hard negatives are written on purpose: tables rounded to
the nearest 5 that do not add up exactly, suppressed cells, overlapping categories with a
note, changes stated latest first, percentage-point changes, rates over other populations,
last year's figure beside this year's.

`build_corpus(folder)` writes the drafts (docx, pdf, html, md, txt) and returns their
manifest; `score(results, manifest)` computes recall and false errors per check type.
"""

from __future__ import annotations

import html
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

YEAR, LAST = "2024-25", "2023-24"
# One council per draft (ONS codes from councils.csv), so one warehouse can hold them all.
COUNCILS = ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005", "E06000006",
            "E06000007", "E06000008", "E06000009", "E06000010", "E06000011", "E06000012",
            "E06000013", "E06000014", "E06000015"]
FORMATS = ["html", "md", "txt", "docx", "pdf"]


@dataclass
class Seed:
    check: str
    anchor: str


@dataclass
class Built:
    blocks: list[tuple] = field(default_factory=list)
    seeds: list[Seed] = field(default_factory=list)


@dataclass
class DraftSpec:
    path: Path
    la: str
    seeds: list[Seed]
    held: list[tuple[str, str, float, float | None, str]]  # family, code, num, den, unit


def r5(x: float) -> int:
    return int(x / 5 + 0.5) * 5


class Facts:
    """One council's year; `show` prints a count as the draft does (rounded when it says so)."""

    def __init__(self, rng: random.Random, rounded: bool) -> None:
        self.rounded = rounded
        self.concerns = rng.randint(900, 3200)
        self.concerns_last = int(self.concerns * rng.uniform(0.8, 0.95))
        self.s42 = int(self.concerns * rng.uniform(0.2, 0.45))
        self.other = int(self.concerns * rng.uniform(0.03, 0.1))
        self.dols = rng.randint(1100, 4200)
        self.dols_last = int(self.dols * rng.uniform(1.05, 1.25))
        self.requests = rng.randint(3000, 12000)
        self.requests_last = int(self.requests * rng.uniform(0.85, 0.97))
        self.pop18 = rng.randint(150_000, 900_000)
        self.pop65 = int(self.pop18 * rng.uniform(0.2, 0.3))

    def n(self, x: float) -> int:
        return r5(x) if self.rounded else int(round(x))

    def show(self, x: float) -> str:
        return f"{self.n(x):,}"


FILLER = [
    "Adult social care helps people to live the lives they want, as independently as they can.",
    "We work with the NHS, housing and the voluntary sector so that people get the right help "
    "at the right time.",
    "This report tells residents what we did this year, what went well and what we must do "
    "better.",
    "People told us that they want to be listened to and to tell their story only once.",
    "Our teams visit people at home, in hospital and in care homes across the county.",
    "Unpaid carers are at the heart of our communities and we want to support them better.",
    "We publish this report every year under Section 42 of the Care Act 2014 duties and the "
    "guidance on Local Accounts.",
    "The figures cover the year from 1 April 2024 to 31 March 2025 unless we say otherwise.",
    "Our three priorities are to prevent, reduce and delay the need for care.",
    "People aged 65 and over make up most of the people we support with long-term care.",
    "You can call us on 0300 123 4567 or write to the address on the back page.",
    "We asked people who use our services and their families what matters most to them.",
    "Reablement helps people regain skills and confidence after a stay in hospital.",
    "We will keep working with partners to make safeguarding everyone's business.",
    "Our workforce strategy sets out how we will recruit and keep skilled staff.",
    "Information and advice help people find support in their own community.",
]


def filler(rng: random.Random, n: int = 5) -> tuple:
    return ("p", " ".join(rng.sample(FILLER, n)))


# ----------------------------------------------------------------------------- templates
# Each template returns the blocks it writes and the seed when `bad` is true. Blocks:
# ("h", text), ("p", text), ("t", caption, header, rows, note).

def t_category_table(f: Facts, rng: random.Random, bad: bool) -> Built:
    types = rng.sample(["Neglect and acts of omission", "Financial or material abuse",
                        "Psychological abuse", "Physical abuse", "Self-neglect",
                        "Domestic abuse", "Organisational abuse"], rng.randint(3, 5))
    shares = [rng.uniform(1, 4) for _ in types]
    true = [f.s42 * s / sum(shares) for s in shares]
    cells = [f.n(x) for x in true]
    total = f.n(sum(true)) if f.rounded else sum(cells)
    seeds = []
    if bad:
        total += rng.choice([1, 2, 3, -1, -2]) if not f.rounded else rng.choice([25, 30, -25])
    rows = [[t, f"{c:,}"] for t, c in zip(types, cells, strict=True)]
    rows.append(["Total", f"{total:,}"])
    if bad:
        seeds.append(Seed("table_total", f"{total:,}"))
    note = "Figures are rounded to the nearest 5, so they may not add up exactly." \
        if f.rounded else ""
    return Built([("t", f"Section 42 enquiries by type of abuse, {YEAR}",
                   ["Type of abuse", "Enquiries"], rows, note)], seeds)


def t_row_total_table(f: Facts, rng: random.Random, bad: bool) -> Built:
    kinds = ["Home care", "Residential care", "Nursing care", "Direct payments"]
    rows, seeds = [], []
    wrong = rng.randrange(len(kinds)) if bad else -1
    for i, k in enumerate(kinds):
        a, b = rng.randint(40, 900), rng.randint(100, 2400)
        a, b = f.n(a), f.n(b)
        tot = f.n(a + b) if not f.rounded else r5(a + b)
        if i == wrong:
            tot += rng.choice([1, 2, -1, 10]) if not f.rounded else rng.choice([20, -25])
            seeds.append(Seed("table_total", f"{tot:,}"))
        rows.append([k, f"{a:,}", f"{b:,}", f"{tot:,}"])
    return Built([("t", f"People receiving long-term support by age, {YEAR}",
                   ["Type of support", "Aged 18 to 64", "Aged 65 and over", "Total"], rows,
                   "")], seeds)


def t_share_table(f: Facts, rng: random.Random, bad: bool) -> Built:
    """Counts with their shares of the total (percent_of_counts when one share is wrong)."""
    routes = ["Information and advice", "Short-term support", "Long-term support",
              "No services provided"]
    w = [rng.uniform(1, 5) for _ in routes]
    counts = [int(f.requests * x / sum(w)) for x in w]
    counts[-1] = f.requests - sum(counts[:-1])
    total = f.requests
    seeds = []
    rows = []
    wrong = rng.randrange(len(routes)) if bad else -1
    for i, (r, c) in enumerate(zip(routes, counts, strict=True)):
        share = round(c / total * 100, 1)
        if i == wrong:
            share = round(share + rng.choice([2.4, 3.1, -2.7, 4.2]), 1)
            seeds.append(Seed("percent_of_counts", f"{share:.1f}%"))
        rows.append([r, f"{c:,}", f"{share:.1f}%"])
    rows.append(["All requests", f"{total:,}", "100.0%"])
    return Built([("t", f"What followed a request for support, {YEAR}",
                   ["What followed", "Requests", "Share of requests"], rows, "")], seeds)


def t_suppressed_table(f: Facts, rng: random.Random, bad: bool) -> Built:
    """A breakdown with suppressed cells: only an upper bound can be checked."""
    a, b = rng.randint(300, 900), rng.randint(100, 300)
    total = a + b + rng.randint(5, 12)
    seeds = []
    if bad:  # the cells shown already exceed the total
        total = a + b - rng.randint(20, 60)
        seeds.append(Seed("table_total", f"{total:,}"))
    rows = [["Community", f"{a:,}"], ["Care home", f"{b:,}"], ["Hospital", "[c]"],
            ["Total", f"{total:,}"]]
    return Built([("t", f"Safeguarding concerns by location of risk, {YEAR}",
                   ["Location of risk", "Concerns"], rows,
                   "[c]: fewer than 5, withheld to protect privacy.")], seeds)


def t_overlap_table(f: Facts, rng: random.Random, bad: bool) -> Built:
    """Overlapping categories with a note: the rows may add to more than the total."""
    total = rng.randint(300, 700)
    rows = [["Physical", f"{int(total * 0.5):,}"], ["Emotional", f"{int(total * 0.6):,}"],
            ["Financial", f"{int(total * 0.2):,}"], ["Total people", f"{total:,}"]]
    return Built([("t", "Types of risk recorded for each person",
                   ["Type of risk", "People"], rows,
                   "A person can be counted under more than one type of risk, so the rows do "
                   "not add up to the total.")], [])


def t_pct_share_only(f: Facts, rng: random.Random, bad: bool) -> Built:
    groups = ["White", "Mixed", "Asian or Asian British", "Black or Black British", "Other"]
    w = [rng.uniform(0.3, 6) for _ in groups]
    shares = [round(x / sum(w) * 100) for x in w]
    seeds = []
    if bad:  # a shift the rounding of five shares (±2.5 in all) cannot explain
        i = rng.randrange(len(groups))
        shift = rng.choice([4, 5, -4, 6])
        while abs(sum(shares) + shift - 100) <= 0.5 * len(shares) or shares[i] + shift < 1:
            shift += 1 if shift > 0 else -1
            if shares[i] + shift < 1:
                shift = abs(shift)
        shares[i] += shift
        seeds.append(Seed("percent_sum", f"{shares[i]}%"))
    rows = [[g, f"{s}%"] for g, s in zip(groups, shares, strict=True)]
    rows.append(["Total", "100%"])
    return Built([("t", f"People in Section 42 enquiries by ethnicity, {YEAR}",
                   ["Ethnic group", "Share of people"], rows,
                   "Percentages are rounded to whole numbers.")], seeds)


def t_text_share(f: Facts, rng: random.Random, bad: bool) -> Built:
    p = f.s42 / f.concerns * 100
    shown = round(p + (rng.choice([3, -4, 5, 6]) if bad else 0))
    forms = [
        f"Of the {f.show(f.concerns)} safeguarding concerns we received, {f.show(f.s42)} "
        f"({shown}%) needed a Section 42 enquiry.",
        f"{f.show(f.s42)} of the {f.show(f.concerns)} concerns ({shown}%) went on to a "
        "Section 42 enquiry.",
        f"Out of {f.show(f.concerns)} safeguarding concerns, {f.show(f.s42)}, or {shown}%, "
        "needed an enquiry under Section 42.",
    ]
    return Built([("p", rng.choice(forms))],
                 [Seed("percent_of_counts", f"{shown}%")] if bad else [])


def t_remaining(f: Facts, rng: random.Random, bad: bool) -> Built:
    a = rng.randint(52, 68)
    b = 100 - a + (rng.choice([3, 4, -3, 5]) if bad else 0)
    s = (f"Of the people who finished reablement, {a}% were women and the remaining {b}% "
         "were men.")
    return Built([("p", s)], [Seed("percent_sum", f"{b}%")] if bad else [])


def _pct(x: float, places: int) -> str:
    return f"{x:.{places}f}%"


def t_change(f: Facts, rng: random.Random, bad: bool) -> Built:
    old, new = f.n(f.concerns_last), f.n(f.concerns)
    rel = (new - old) / old * 100
    diff = new - old
    kind = rng.randrange(6)
    seeds: list[Seed] = []
    if kind == 0:
        shown = round(rel + (rng.choice([3, -3, 4]) if bad else 0))
        s = (f"Safeguarding concerns rose from {old:,} in {LAST} to {new:,} in {YEAR}, an "
             f"increase of {shown}%.")
        anchor = f"{shown}%"
    elif kind == 1:
        shown = diff + (rng.choice([20, -30, 50]) if bad else 0)
        s = f"Concerns increased by {shown:,}, from {old:,} to {new:,}."
        anchor = f"by {shown:,}"
    elif kind == 2:  # latest first, the base of the percentage is last year's figure
        wrong_base = (new - old) / new * 100
        shown = round(wrong_base if bad and abs(round(wrong_base) - rel) > 0.6 else rel)
        if bad and abs(round(wrong_base) - rel) <= 0.6:
            shown = round(rel) + 3
        s = (f"There were {new:,} safeguarding concerns in {YEAR} compared with {old:,} in "
             f"{LAST}, a rise of {shown}%.")
        anchor = f"rise of {shown}%"
    elif kind == 3:  # DoLS applications fell; the wrong version says they rose
        o, n = f.n(f.dols_last), f.n(f.dols)
        word = "rose" if bad else "fell"
        s = f"DoLS applications {word} from {o:,} in {LAST} to {n:,} in {YEAR}."
        anchor = f"{word} from {o:,}"
    elif kind == 4:  # percentage points
        a = rng.randint(600, 850) / 10
        b = round(a + rng.randint(5, 40) / 10, 1)
        pts = round(b - a + (rng.choice([1.0, 0.8, 1.5]) if bad else 0), 1)
        s = (f"People who said the help made them feel safe rose from {a:.1f}% to {b:.1f}%, "
             f"up {pts:.1f} percentage points.")
        anchor = f"up {pts:.1f} percentage points"
    else:  # "up N% on last year" after the figure
        o, n = f.n(f.requests_last), f.n(f.requests)
        r = (n - o) / o * 100
        shown = round(r + (rng.choice([3, -4, 5]) if bad else 0))
        s = (f"Requests for support: {n:,}; up {shown}% on last year, from {o:,} to {n:,}.")
        anchor = f"up {shown}%"
    if bad:
        seeds.append(Seed("change", anchor))
    return Built([("p", s)], seeds)


RATE_THINGS = [("safeguarding concerns", "concerns"), ("Section 42 enquiries", "s42"),
               ("other safeguarding enquiries", "other"), ("DoLS applications", "dols"),
               ("requests for support", "requests")]


def t_rates(f: Facts, rng: random.Random, bad: bool, stated: bool) -> Built:
    """Several rates per 100,000 adults; one wrong when bad. With `stated`, the population is
    given once in the draft (the check is then against it: 'rate'); without, the odd one out
    among the rates ('rate_population')."""
    blocks: list[tuple] = []
    seeds = []
    if stated:
        pop = f"{f.pop18:,}" if rng.random() < 0.5 else f"{round(f.pop18, -3):,}"
        blocks.append(("p", f"The adult population of the county (aged 18 and over) is {pop}, "
                            "from the ONS mid-year estimates."))
        blocks.append(("p", f"There are {f.pop65:,} residents aged 65 and over in the "
                            "population, a growing share."))
    things = rng.sample(RATE_THINGS, 4)
    wrong = rng.randrange(len(things)) if bad else -1
    for i, (name, attr) in enumerate(things):
        n = getattr(f, attr)
        rate = n / f.pop18 * 100000
        if i == wrong:
            rate *= rng.choice([1.12, 0.85, 1.2, 1.3])
        shown = f"{rate:.1f}"
        text = rng.choice([
            f"We recorded {f.show(n)} {name}, a rate of {shown} per 100,000 adults.",
            f"The {f.show(n)} {name} are {shown} per 100,000 adults aged 18 and over.",
        ])
        blocks.append(("p", text))
        if i == wrong:
            seeds.append(Seed("rate" if stated else "rate_population", f"{shown} per 100,000"))
    # A rate over another population (65+) must not be judged against the adult one.
    adm = rng.randint(300, 900)
    blocks.append(("p", f"There were {adm:,} admissions to care homes of people aged 65 and "
                        f"over, {adm / f.pop65 * 100000:.1f} per 100,000 people aged 65 and "
                        "over."))
    return Built(blocks, seeds)


def t_repeated(f: Facts, rng: random.Random, bad: bool) -> Built:
    second = f.n(f.dols) + (rng.choice([15, 40, -35, 60]) if bad else 0)
    return Built([
        ("p", f"In {YEAR} we received {f.show(f.dols)} DoLS applications, most of them "
              "from care homes and hospitals."),
        ("p", f"In {LAST} we received {f.show(f.dols_last)} DoLS applications."),
        ("p", f"The {second:,} DoLS applications came mostly from care homes."),
    ], [Seed("repeated", f"{second:,} DoLS")] if bad else [])


WORD_CASES = [
    # (phrase, good share, bad share)
    ("One in five carers", 21, 17),
    ("More than half of people who use services", 53, 48),
    ("Nearly a third of people", 31, 35),
    ("About a quarter of carers", 26, 36),
    ("Two in three people", 66, 58),
    ("The majority of people", 56, 46),
    ("Almost half of carers", 47, 52),
    ("Less than a quarter of people", 22, 27),
    ("One in ten people", 10, 14),
]
WORD_ENDS = [
    "said they feel safe", "were satisfied with their care and support",
    "found it easy to find information", "had as much social contact as they would like",
    "said they had control over their daily life",
]


def t_words(f: Facts, rng: random.Random, bad: bool, used: set[str]) -> Built:
    phrase, good, wrong = rng.choice([c for c in WORD_CASES if c[0] not in used])
    used.add(phrase)
    p = wrong if bad else good
    end = rng.choice(WORD_ENDS)
    s = rng.choice([f"{phrase} ({p}%) {end}.", f"{phrase} {end} ({p}%)."])
    return Built([("p", s)], [Seed("words", f"({p}%)")] if bad else [])


def t_warehouse(f: Facts, rng: random.Random, bad: bool, held: dict) -> Built:
    """Figures the warehouse holds. A bad draft quotes a conversion rate on Section 42
    enquiries alone, or a count the warehouse does not hold (the draft is consistent with
    itself: the extract it was written from differs)."""
    blocks, seeds = [], []
    conv = f.s42 / f.concerns * 100
    national = (f.s42 + f.other) / f.concerns * 100
    if bad and rng.random() < 0.5:
        blocks.append(("p", f"Our conversion rate was {conv:.0f}% this year."))
        seeds.append(Seed("warehouse", f"conversion rate was {conv:.0f}%"))
    else:
        blocks.append(("p", f"Our conversion rate was {national:.0f}% this year."))
        if bad:  # the warehouse's DoLS count is not the one the draft was written from
            held["DOLS/RECEIVED"] = (f.dols * 1.1, None, "count")
            seeds.append(Seed("warehouse", f"{f.show(f.dols)} DoLS"))
    blocks.append(("p", f"We received {f.show(f.concerns)} safeguarding concerns in {YEAR}."))
    return Built(blocks, seeds)


def facts_held(f: Facts) -> dict[str, tuple[float, float | None, str]]:
    return {
        "SAC/CONCERNS": (f.concerns, None, "count"),
        "SAC/S42": (f.s42, None, "count"),
        "SAC/OTHER_ENQ": (f.other, None, "count"),
        "SAC/CONVERSION_RATE": (f.s42 + f.other, f.concerns, "percent"),
        "SAC/S42_CONVERSION_RATE": (f.s42, f.concerns, "percent"),
        "DOLS/RECEIVED": (f.dols, None, "count"),
        "SALT/STS001": (f.requests, None, "count"),
    }


# ----------------------------------------------------------------------------- a draft
def make_draft(i: int, rng: random.Random, error_rate: float = 0.45,
               facts: Facts | None = None) -> tuple[list[tuple], list[Seed], dict]:
    """One draft: each template seeded with an error at `error_rate` (the benchmark writes
    error-free drafts of one council's `facts`, several to a PDF)."""
    f = facts or Facts(rng, rounded=i % 3 == 2)
    held = facts_held(f)
    used: set[str] = set()
    def bad() -> bool:  # one coin per template
        return rng.random() < error_rate
    parts: list[tuple[str, Built]] = [
        ("Who we helped", t_share_table(f, rng, bad())),
        ("Who we helped", t_row_total_table(f, rng, bad())),
        ("Keeping people safe", t_category_table(f, rng, bad())),
        ("Keeping people safe", t_text_share(f, rng, bad())),
        ("Keeping people safe", t_suppressed_table(f, rng, bad())),
        ("Keeping people safe", t_overlap_table(f, rng, bad())),
        ("Keeping people safe", t_pct_share_only(f, rng, bad())),
        ("How things changed", t_change(f, rng, bad())),
        ("How things changed", t_change(f, rng, bad())),
        ("Reablement", t_remaining(f, rng, bad())),
        ("How we compare", t_rates(f, rng, bad(), stated=i % 2 == 0)),
        ("Deprivation of Liberty Safeguards", t_repeated(f, rng, bad())),
        ("What people told us", t_words(f, rng, bad(), used)),
        ("What people told us", t_words(f, rng, bad(), used)),
        ("What people told us", t_words(f, rng, bad(), used)),
        ("Our figures", t_warehouse(f, rng, bad(), held)),
    ]
    blocks: list[tuple] = [("h", f"Local Account {YEAR}"), filler(rng, 6)]
    if f.rounded:
        blocks.append(("p", "Counts in this report are rounded to the nearest 5."))
    seeds: list[Seed] = []
    heading = ""
    for head, built in parts:
        if head != heading:
            blocks.append(("h", head))
            heading = head
        blocks += built.blocks
        blocks.append(filler(rng, rng.randint(3, 6)))
        seeds += built.seeds
    blocks += [("h", "About these figures"), filler(rng, 8), filler(rng, 8)]
    return blocks, seeds, held


def unique_anchors(blocks: list[tuple], seeds: list[Seed]) -> bool:
    text = " ".join(_block_text(b) for b in blocks)
    return all(text.count(s.anchor) == 1 for s in seeds)


def _block_text(b: tuple) -> str:
    if b[0] == "t":
        return " ".join([b[1], *b[2], *(" ".join(r) for r in b[3]), b[4]])
    return b[1]


# ----------------------------------------------------------------------------- formats
def to_html(blocks: list[tuple]) -> str:
    e = html.escape
    out = ['<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Draft'
           '</title><style>body{font-family:sans-serif;font-size:11pt} td,th{padding:2px 8px}'
           '</style></head><body>']
    for b in blocks:
        if b[0] == "h":
            out.append(f"<h2>{e(b[1])}</h2>")
        elif b[0] == "p":
            out.append(f"<p>{e(b[1])}</p>")
        else:
            head = "".join(f'<th scope="col">{e(h)}</th>' for h in b[2])
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>"
                           for r in b[3])
            out.append(f"<table><caption>{e(b[1])}</caption><thead><tr>{head}</tr></thead>"
                       f"<tbody>{rows}</tbody></table>")
            if b[4]:
                out.append(f"<p>{e(b[4])}</p>")
    return "\n".join(out + ["</body></html>"])


def to_markdown(blocks: list[tuple]) -> str:
    out = []
    for b in blocks:
        if b[0] == "h":
            out.append(f"## {b[1]}")
        elif b[0] == "p":
            out.append(b[1])
        else:
            out.append(f"Table: {b[1]}")
            rows = [b[2], ["---"] * len(b[2]), *b[3]]
            out.append("\n".join("| " + " | ".join(r) + " |" for r in rows))
            if b[4]:
                out.append(b[4])
    return "\n\n".join(out) + "\n"


def to_text(blocks: list[tuple]) -> str:
    out = []
    for b in blocks:
        if b[0] == "h":
            out.append(b[1].upper())
        elif b[0] == "p":
            out.append(b[1])
        else:
            widths = [max(len(r[c]) for r in [b[2], *b[3]]) + 3 for c in range(len(b[2]))]
            lines = [b[1]] + ["".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
                              .rstrip() for r in [b[2], *b[3]]]
            out.append("\n".join(lines))
            if b[4]:
                out.append(b[4])
    return "\n\n".join(out) + "\n"


def to_docx(blocks: list[tuple], path: Path) -> None:
    import docx

    d = docx.Document()
    for b in blocks:
        if b[0] == "h":
            d.add_heading(b[1], level=2)
        elif b[0] == "p":
            d.add_paragraph(b[1])
        else:
            d.add_paragraph(b[1])
            t = d.add_table(rows=0, cols=len(b[2]))
            for r in [b[2], *b[3]]:
                cells = t.add_row().cells
                for c, v in zip(cells, r, strict=True):
                    c.text = v
            if b[4]:
                d.add_paragraph(b[4])
    d.save(str(path))


def write_draft(blocks: list[tuple], path: Path) -> None:
    fmt = path.suffix[1:]
    if fmt == "html":
        path.write_text(to_html(blocks), "utf-8")
    elif fmt == "md":
        path.write_text(to_markdown(blocks), "utf-8")
    elif fmt == "txt":
        path.write_text(to_text(blocks), "utf-8")
    elif fmt == "docx":
        to_docx(blocks, path)
    else:
        import logging

        from weasyprint import HTML

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        HTML(string=to_html(blocks)).write_pdf(str(path))


def build_corpus(folder: Path, n: int = 15, seed: int = 14) -> list[DraftSpec]:
    """`n` drafts, rotating through the formats, with their seeds and warehouse values."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    specs = []
    for i in range(n):
        while True:
            blocks, seeds, held = make_draft(i, rng)
            if unique_anchors(blocks, seeds):
                break
        path = folder / f"draft-{i + 1:02d}.{FORMATS[i % len(FORMATS)]}"
        write_draft(blocks, path)
        rows = [(k.split("/")[0], k.split("/")[1], num, den, unit)
                for k, (num, den, unit) in held.items()]
        specs.append(DraftSpec(path, COUNCILS[i], seeds, rows))
    return specs


# ----------------------------------------------------------------------------- scoring
@dataclass
class Score:
    seeded: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    false_errors: Counter = field(default_factory=Counter)
    false_warnings: Counter = field(default_factory=Counter)
    pages: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.seeded.values()))

    @property
    def false_per_20_pages(self) -> float:
        return sum(self.false_errors.values()) / max(1, self.pages) * 20

    def table(self) -> list[dict]:
        checks = sorted(set(self.seeded) | set(self.false_errors) | set(self.false_warnings))
        return [{"check": c, "seeded": self.seeded[c], "found": self.found[c],
                 "recall": round(self.found[c] / self.seeded[c], 3) if self.seeded[c] else None,
                 "false_errors": self.false_errors[c], "false_warnings": self.false_warnings[c]}
                for c in checks]


def _norm(text: str) -> str:
    return " ".join(text.split())


def score(results: list, specs: list[DraftSpec]) -> Score:
    """A seed is found when an error or warning quotes its anchor; an error that quotes no
    seed's anchor is a false error (a warning likewise a false warning)."""
    s = Score()
    for result, spec in zip(results, specs, strict=True):
        s.pages += result.draft.pages
        flagged = [f for f in result.findings if f.severity in ("error", "warning")]
        for seed in spec.seeds:
            s.seeded[seed.check] += 1
            if any(seed.anchor in _norm(f.quote) for f in flagged):
                s.found[seed.check] += 1
            else:
                s.missed.append(f"{spec.path.name}: {seed.check} {seed.anchor!r}")
        for f in flagged:
            if f.check == "unreadable" or any(seed.anchor in _norm(f.quote)
                                               for seed in spec.seeds):
                continue
            (s.false_errors if f.severity == "error" else s.false_warnings)[f.check] += 1
            s.false.append(f"{spec.path.name}: {f.severity} {f.check} at {f.where}: "
                           f"{f.working}")
    return s
