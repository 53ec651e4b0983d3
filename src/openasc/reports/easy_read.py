"""The Easy Read summary of the Local Account: short sentences, one idea per line, large
type and a picture beside each point, built from the same headline figures as the year at
a glance (so every number is the published one, traced like the rest).

The pictures are small inline SVG icons drawn here (no network, no image files): they
support the words and are hidden from screen readers, which read the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from openasc.reports import resident, sections
from openasc.reports.figures import Figures, Row
from openasc.reports.phrasing import Link, P, Phrase, against, precision_for, round_half_up

# 48×48 pictures, drawn in the accent colour; simple shapes a reader recognises.
_SHAPES = {
    "door": '<rect x="12" y="4" width="24" height="40" rx="2"/><circle cx="30" cy="25" r="2.5" '
            'fill="#fff"/>',
    "home": '<path d="M24 5 4 22h6v21h11V31h6v12h11V22h6z"/>',
    "up": '<path d="M24 4 8 22h10v22h12V22h10z"/>',
    "heart": '<path d="M24 43S5 31 5 17a10 10 0 0 1 19-4 10 10 0 0 1 19 4c0 14-19 26-19 26z"/>',
    "shield": '<path d="M24 3 6 10v12c0 11 8 19 18 23 10-4 18-12 18-23V10z"/>',
    "tick": '<circle cx="24" cy="24" r="21"/><path d="m14 25 7 7 13-15" stroke="#fff" '
            'stroke-width="5" fill="none"/>',
    "key": '<circle cx="15" cy="24" r="10"/><rect x="22" y="21" width="22" height="6"/>'
           '<rect x="36" y="27" width="5" height="8"/>',
    "clock": '<circle cx="24" cy="24" r="21"/><path d="M24 11v14l9 6" stroke="#fff" '
             'stroke-width="4" fill="none"/>',
    "smile": '<circle cx="24" cy="24" r="21"/><circle cx="17" cy="19" r="3" fill="#fff"/>'
             '<circle cx="31" cy="19" r="3" fill="#fff"/><path d="M14 29q10 10 20 0" '
             'stroke="#fff" stroke-width="4" fill="none"/>',
    "pound": '<circle cx="24" cy="24" r="21"/><path d="M30 15q-4-5-9 0-3 4 0 10v8h12M16 27h12'
             'M16 34h16" stroke="#fff" stroke-width="4" fill="none"/>',
    "people": '<circle cx="16" cy="14" r="7"/><circle cx="33" cy="14" r="7"/>'
              '<path d="M3 44c0-12 6-20 13-20s13 8 13 20zM20 44c0-12 6-20 13-20s13 8 13 20z"/>',
    "book": '<path d="M4 8q10-4 20 2v34q-10-6-20-2zM44 8q-10-4-20 2v34q10-6 20-2z"/>',
    "phone": '<rect x="13" y="3" width="22" height="42" rx="4"/><rect x="17" y="9" width="14" '
             'height="26" fill="#fff"/>',
    "dot": '<circle cx="24" cy="24" r="16"/>',
}


def icon(name: str) -> Markup:
    shape = _SHAPES.get(name, _SHAPES["dot"])
    return Markup('<svg class="icon" viewBox="0 0 48 48" width="64" height="64" '
                  f'aria-hidden="true" focusable="false" fill="#1d4f91">{shape}</svg>')


@dataclass(frozen=True)
class Point:
    """One point: a picture and one to three short lines."""

    icon: Markup
    lines: list[Phrase]


@dataclass
class EasyRead:
    title: str
    council: str
    year_label: str
    groups: list[tuple[str, list[Point]]] = field(default_factory=list)
    companions: list[tuple[str, str]] = field(default_factory=list)


def compared_with_last_year(f: Figures, row: Row) -> Phrase | None:
    """'That is more than last year.' from the two printed figures; 'This is better.' when
    the measure has a better direction."""
    before = f.before(row)
    m = f.measure(row.family, row.code, row.unit)
    if (before is None or row.shown() is None or before.shown() is None
            or sections.not_known(f, before, m)):
        return None
    places = precision_for(row.unit, m.precision)
    delta = round_half_up(row.value, places) - round_half_up(before.value, places)
    if delta == 0:
        return P("That is the same as last year.")
    more = {"percent": ("higher", "lower"), "count": ("more", "fewer")}.get(
        row.unit, ("higher", "lower"))[0 if delta > 0 else 1]
    judged = {"higher": delta > 0, "lower": delta < 0}.get(m.polarity)
    tail = "" if judged is None else (" That is better." if judged else " That is worse.")
    return P(f"That is {more} than last year.{tail}")


def compared_with_england(f: Figures, row: Row) -> Phrase | None:
    m = f.measure(row.family, row.code, row.unit)
    got = resident.england_value(f, row)
    if got is None or row.shown() is None or m.polarity not in ("higher", "lower"):
        return None
    words = against("England", row.value, got[0], row.unit, m.precision, m.polarity)
    return P(f"This is {words.replace('England', 'in England as a whole')}.")


def build_easy_read(f: Figures, year: str, main: str, annex: str) -> EasyRead:
    doc = EasyRead(title="Our year in adult social care", council=f.council.name,
                   year_label=year, companions=[(main, "Local Account"),
                                                (annex, "Technical annex")])
    doc.groups.append(("About this report", [Point(icon("book"), [
        P(f"This is a short, easy report from {f.council.name}."),
        P(f"It is about adult social care in {year}."),
        P("Adult social care helps adults who need care, and the people who care for "
          "them.")])]))
    numbers: list[Point] = []
    for item in resident.glance_items(f):
        m = f.measure(item.row.family, item.row.code, item.row.unit)
        before, _, after = item.easy.partition("{}")
        lines = [P(before, sections.fig(item.row, m, f=f), after)]
        lines += [x for x in (compared_with_last_year(f, item.row),
                              compared_with_england(f, item.row)) if x is not None]
        numbers.append(Point(icon(item.icon), lines))
    if numbers:
        doc.groups.append(("Our year in numbers", numbers))
    doc.groups.append(("Find out more", [Point(icon("phone"), [
        P("You can read our ", Link("full report", main), "."),
        P("You can ask us for this report in another format, such as large print.")])]))
    return doc
