"""How easy each section is to read, measured with textstat (Flesch reading ease and the
Flesch-Kincaid grade), so that plain English is checked, not hoped for.

GOV.UK writes for a reading age of about nine; a Local Account's generated sentences
should stay near a reading age of 9-12 (Flesch-Kincaid grade 4-7; UK reading age is the US
grade plus five). Figures are part of the text a resident reads, so they stay in; tables,
charts and the glossary's definitions are not prose and are left out.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from openasc.reports.document import Document, Human, Section
from openasc.reports.phrasing import Phrase

GRADE_TO_AGE = 5  # UK reading age = US school grade + 5


@dataclass(frozen=True)
class Score:
    document: str
    section: str
    words: int
    reading_ease: float  # Flesch: 60-70 plain English, higher is easier
    grade: float  # Flesch-Kincaid US grade

    @property
    def reading_age(self) -> float:
        return round(self.grade + GRADE_TO_AGE, 1)

    def line(self) -> str:
        return (f"  {self.document:<24} {self.section[:44]:<44} {self.words:>5} "
                f"{self.reading_ease:>6.1f} {self.reading_age:>5.1f}")


HEADER = (f"  {'document':<24} {'section':<44} {'words':>5} {'ease':>6} {'age':>5}")


def prose(s: Section) -> str:
    """The sentences of a section and its subsections, as a reader meets them."""
    parts: list[str] = []
    for b in s.blocks:
        if isinstance(b, Phrase):
            parts.append(str(b))
        elif isinstance(b, list):
            parts += [str(p) for p in b]
        elif isinstance(b, Human) and b.source != "glossary":
            parts.append(re.sub(r"<[^>]+>", " ", str(b.html)))
    parts += [prose(c) for c in s.children]
    return " ".join(" ".join(parts).split())


def score(document: str, title: str, text: str) -> Score | None:
    with warnings.catch_warnings():  # textstat 0.7.4 imports pkg_resources, which warns
        warnings.simplefilter("ignore", DeprecationWarning)
        import textstat

    words = textstat.lexicon_count(text)
    if words < 10:
        return None
    return Score(document, title, words, float(textstat.flesch_reading_ease(text)),
                 float(textstat.flesch_kincaid_grade(text)))


def scores(doc: Document, name: str) -> list[Score]:
    """One score per top-level section with enough prose to measure (ten words or more)."""
    got = [score(name, s.title, prose(s)) for s in doc.sections]
    return [s for s in got if s is not None]
