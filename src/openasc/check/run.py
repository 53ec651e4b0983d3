"""Check one draft: read it, run every check, and say what was found.

The result keeps the findings in reading order and the counts by severity; the exit code
follows the contract: 0 when no error was found, 1 when one was, 2 when the file could not be
read (raised as UnreadableInput before any check runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openasc.check.changes import check_changes
from openasc.check.claims import stated_rounding
from openasc.check.model import Draft, Finding, Location
from openasc.check.rates import check_rates
from openasc.check.readers import read_draft
from openasc.check.repeated import check_repeated
from openasc.check.sentences import draft_sentences
from openasc.check.shares import check_shares
from openasc.check.tables import check_tables
from openasc.check.words import check_words

ORDER = {"error": 0, "warning": 1, "note": 2}


@dataclass
class CheckResult:
    draft: Draft
    findings: list[Finding] = field(default_factory=list)
    figures: int = 0

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("error") else 0


def check_draft(draft: Draft, held: dict | None = None, year: str | None = None
                ) -> CheckResult:
    """Every in-draft check, and the warehouse check when `held` values are given."""
    round_to = stated_rounding(draft.text + " " + " ".join(
        " ".join(" ".join(r) for r in t.rows) + " " + t.caption for t in draft.tables))
    sents = draft_sentences(draft, round_to)
    findings = [Finding("warning", "unreadable", Location(page=p), "",
                        f"Page {p} has no text layer (a scanned page?); its figures were not "
                        "checked.") for p in draft.unreadable_pages]
    findings += check_tables(draft, round_to)
    findings += check_changes(sents) + check_shares(sents) + check_repeated(sents)
    findings += check_rates(sents)
    findings += check_words(sents)
    if held is not None and year is not None:
        from openasc.check.warehouse import check_warehouse

        findings += check_warehouse(sents, held, year)
    findings = _unique(findings)
    findings.sort(key=lambda f: (_position(f.where), ORDER[f.severity]))
    return CheckResult(draft, findings, sum(len(s.claims) for s in sents))


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.check, f.where, f.quote)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _position(w: Location) -> tuple[int, int, int]:
    return (w.page or 0, w.paragraph or 0, w.line or 0)


def check_file(path: Path, held: dict | None = None, year: str | None = None) -> CheckResult:
    return check_draft(read_draft(path), held, year)
