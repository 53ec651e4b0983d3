"""The draft's prose as sentences, each with its figures (claims.py) and its location."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openasc.check.claims import Claim, claims_in, sentences
from openasc.check.model import Draft, Location

YEAR = re.compile(r"\b(?:19|20)\d{2}(?:\s?[-/–]\s?\d{2,4})?\b")
# 'this year' is the draft's own period, as a sentence with no period named is.
RELATIVE = re.compile(r"\b(?:last|previous|prior|next|earlier)\s+(?:year|quarter|month)s?\b|"
                      r"\bthe year before\b|\ba year (?:earlier|before)\b", re.I)


@dataclass(frozen=True)
class Sentence:
    text: str
    where: Location
    claims: tuple[Claim, ...]

    @property
    def periods(self) -> frozenset[str]:
        """The years and 'last year'-like periods the sentence names."""
        found = {re.sub(r"\s", "", m.group(0)).replace("/", "-").replace("–", "-")
                 for m in YEAR.finditer(self.text)}
        found |= {m.group(0).lower() for m in RELATIVE.finditer(self.text)}
        return frozenset(found)


def draft_sentences(draft: Draft, round_to: int) -> list[Sentence]:
    return [Sentence(s, p.where, tuple(claims_in(s, round_to)))
            for p in draft.paragraphs for s in sentences(p.text)]
