"""How a measure, its population, its parts and its breakdowns are named on a public page.

A published figure is only as honest as its label: a rate for people aged 65 and over
labelled "per 100,000 adults aged 18+", four parts of ASCOF 3D under one title, duration
bands in alphabetical order, or a definition that cites an internal file all mislead the
reader. The words come from the measure's definition in the catalogue (its denominator
text) and from `data/labels.yaml`, never from the code path that prints the number.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from openasc.reports.figures import Measure

ADULTS = "adults aged 18 and over"


@cache
def labels() -> dict[str, Any]:
    return yaml.safe_load(resources.files("openasc.reports").joinpath("data", "labels.yaml")
                          .read_text("utf-8"))


def population(m: Measure) -> str:
    """Whom a per-100,000 rate is per, read from the measure's denominator text:
    'adults aged 65 and over', 'adults aged 18 to 64', 'people in the age band'."""
    text = m.denominator.lower()
    if "standardised" in text:
        return f"{ADULTS}, age-standardised"
    if "of the band" in text:
        return "people in the age band"
    aged = re.search(r"aged (\d+) (to \d+|and over)", text)
    if aged:
        return f"adults aged {aged.group(1)} {aged.group(2)}"
    return ADULTS


def part_title(m: Measure, part: str) -> str:
    """The national name of one part of a measure published in parts ('Carers who receive
    direct payments' for ASCOF 3D part 2b); the measure's title and the part otherwise."""
    named = (labels()["parts"].get(f"{m.family} {m.code}") or {}).get(part)
    return named or f"{m.title}, part {part}"


def dimension(key: str) -> str:
    """A breakdown key as a reader says it: 'psr' → 'primary support reason'."""
    spec = labels()["dimensions"].get(key) or {}
    return str(spec.get("label") or key.replace("_", " "))


def category_order(key: str, value: str) -> tuple[int, str]:
    """Sort key putting ordered categories (age bands, waiting times, priorities) in their
    natural order; unlisted categories follow, alphabetically."""
    order = (labels()["dimensions"].get(key) or {}).get("order") or []
    return (order.index(value) if value in order else len(order), value)


def caption(m: Measure, keys: tuple[str, ...]) -> str:
    """A breakdown table's title without repeated words. A measure whose title already says
    how it is broken down ('... by gender', broken down by sex) keeps its title; a dimension
    the title names already ('What followed ...' by what followed) is not named again."""
    own = re.search(r",? by ", m.title)
    if own is not None and len(keys) == 1:
        return m.title
    title = m.title.lower()
    rest = [d for d in map(dimension, keys) if not re.search(rf"\b{re.escape(d)}", title)]
    if not rest:
        return m.title
    return f"{m.title}{' and ' if own else ' by '}{' and '.join(rest)}"


def said(m: Measure) -> str | None:
    """What the title leaves unsaid (which definition a conversion rate uses)."""
    return labels()["said"].get(f"{m.family} {m.code}")


def lower_bound_reason(m: Measure) -> str | None:
    """Why a measure is only a lower bound, when it is one."""
    return labels()["lower_bounds"].get(f"{m.family} {m.code}")


def change_of(m: Measure) -> tuple[str, str] | None:
    """The measure a change-on-last-year measure is the change of."""
    target = labels()["changes"].get(f"{m.family} {m.code}")
    if not target:
        return None
    family, code = target.split(" ", 1)
    return family, code


_CITED = re.compile(r"\b(SG\d+[a-z]?|STS\d+[a-z]?|LTS\d+[a-z]?)\b")


def public_reference(reference: str) -> str:
    """A catalogue reference as the published source it stands for, with the national
    item codes it cites: 'sac-dols-salt.md A4 (SG1b)' → 'NHS England, Safeguarding Adults
    Collection guidance (SG1b)'. Internal files (the project's notes) are never printed."""
    out: list[str] = []
    for part in (p.strip() for p in reference.split(";")):
        low = part.lower()
        source = next((r["source"] for r in labels()["references"]
                       if low.startswith(r["match"].lower())), None)
        if source is None:
            continue
        codes = list(dict.fromkeys(_CITED.findall(part)))
        text = source + (f" ({', '.join(codes)})" if codes else "")
        if text not in out:
            out.append(text)
    return "; ".join(out)


_FILE = re.compile(r"[\w./-]*\b[\w-]+\.(?:md|csv|yaml|yml|sql|py|json)\b")


def public_text(text: str, titles: dict[str, str]) -> str:
    """Definition text fit to publish: a bracket that cites an internal file is dropped,
    any other file name is dropped with its 'see', back-quotes are removed, and a measure
    code the catalogue knows is replaced by the measure's title in quotes."""
    text = re.sub(r"\s*\([^()]*" + _FILE.pattern + r"[^()]*\)", "", text)
    text = re.sub(r"(?:,?\s*see\s+)?" + _FILE.pattern, "", text)
    text = text.replace("`", "")
    if titles:
        codes = sorted(titles, key=len, reverse=True)
        pattern = r"(?<![\w-])(" + "|".join(re.escape(c) for c in codes) + r")(?![\w-])"
        text = re.sub(pattern, lambda mt: f"\u201c{titles[mt.group(1)]}\u201d", text)
    return re.sub(r"\s+([.,;])", r"\1", re.sub(r"[ \t]+", " ", text)).strip()
