"""How far a rank reaches, in words: "9th of 153 nationally" only when it is national.

A rank among the councils that happen to be loaded is not a national rank, and printing "1st
of 1 nationally" misleads. `comparisons` records each rank's scope (docs/comparisons.md):
`national` (every council of the reference for the year is ranked), `published` (every
council with a figure for the measure in the imported national data), or `loaded` (only
the councils loaded). These functions say which, for every output that prints a rank.
"""

from __future__ import annotations

from typing import Protocol


class Ranked(Protocol):
    england_rank: int | None
    england_n: int
    england_scope: str
    region_rank: int | None
    region_n: int
    region_scope: str


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _councils(n: int) -> str:
    return f"{n} council" if n == 1 else f"{n} councils"


def england_rank_text(c: Ranked) -> str:
    """'9th of 153 nationally'; '9th of 151 councils with a published figure'; '1st of 1
    council loaded — not a national rank'; 'not ranked' (neutral measure)."""
    if c.england_rank is None:
        return "not ranked"
    rank = ordinal(c.england_rank)
    if c.england_scope == "national":
        return f"{rank} of {c.england_n} nationally"
    if c.england_scope == "published":
        return f"{rank} of {c.england_n} councils with a published figure"
    return f"{rank} of {_councils(c.england_n)} loaded — not a national rank"


def region_rank_text(c: Ranked) -> str:
    """'1st of 23 in the region'; '1st of 2 councils loaded in the region — not a full
    regional rank'; 'not ranked'."""
    if c.region_rank is None:
        return "not ranked"
    rank = ordinal(c.region_rank)
    if c.region_scope in ("national", "published"):
        return f"{rank} of {c.region_n} in the region"
    return f"{rank} of {_councils(c.region_n)} loaded in the region — not a full regional rank"
