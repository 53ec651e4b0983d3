"""How easy each section is to read: Flesch reading ease and the Flesch-Kincaid grade, so
that plain English is checked, not hoped for.

Both are the published formulas (Flesch 1948; Kincaid et al. 1975) over counts of
sentences, words and syllables; syllables come from pyphen's English hyphenation
dictionary (a word has one syllable more than it has hyphenation points), which works
offline and needs nothing else installed.

GOV.UK writes for a reading age of about nine; a Local Account's generated sentences
should stay near a reading age of 9-12 (Flesch-Kincaid grade 4-7; UK reading age is the US
grade plus five). Figures are part of the text a resident reads, so they stay in; tables,
charts and the glossary's definitions are not prose and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

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


WORD = re.compile(r"[A-Za-z0-9£][A-Za-z0-9£%'’,.-]*")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@cache
def _dictionary():  # noqa: ANN202 - pyphen.Pyphen
    import pyphen

    return pyphen.Pyphen(lang="en_GB")


def syllables(word: str) -> int:
    """Hyphenation points + 1 ('assessment' -> as-sess-ment, 3); a figure is one."""
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(_dictionary().positions(letters.lower())) + 1 if letters else 1


def score(document: str, title: str, text: str) -> Score | None:
    """Flesch reading ease = 206.835 - 1.015 x words per sentence - 84.6 x syllables per
    word; Flesch-Kincaid grade = 0.39 x words per sentence + 11.8 x syllables per word -
    15.59. None for fewer than ten words (too little prose to score)."""
    words = WORD.findall(text)
    if len(words) < 10:
        return None
    sentences = max(1, len(SENTENCE_END.findall(text)))
    per_sentence = len(words) / sentences
    per_word = sum(syllables(w) for w in words) / len(words)
    return Score(document, title, len(words),
                 round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1),
                 round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1))


def scores(doc: Document, name: str) -> list[Score]:
    """One score per top-level section with enough prose to measure (ten words or more)."""
    got = [score(name, s.title, prose(s)) for s in doc.sections]
    return [s for s in got if s is not None]
