"""Docs and packaged data cite public sources, never the project's internal reference notes.

Users have the repository and the installed package, not the notes the developers worked
from (`ascof.md`, `cld-r2.md`, `sac-dols-salt.md`, `reports.md`, `mps.md`,
`finance-workforce.md` under `../shared/`). The catalogue's `reference:` and `method_notes`
are printed in the reports' "About these figures" notes, so a citation of an internal file
there would be published. This test reads every packaged data file (catalogue, input
specifications, comparison and report data, disclosure rules), every file in docs/ and
README.md, and fails on any mention of those notes. A link to the repository's own
`docs/reports.md` (a path, or a Markdown link target) is not a citation of the notes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openasc.metrics.catalogue import all_measures
from openasc.reports import labels

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "openasc"

INTERNAL = re.compile(
    r"(?<![\w/.-])(?<!\]\()(?:cld-r2|ascof|sac-dols-salt|reports|mps|finance-workforce)\.md"
    r"|shared/")


def published_files() -> list[Path]:
    data = [*(PACKAGE / "metrics" / "catalogue").glob("*.yaml"),
            *(PACKAGE / "metrics" / "catalogue").glob("*.csv"),
            *(PACKAGE / "spec").glob("*.yaml"),
            *(PACKAGE / "compare" / "data").glob("*.yaml"),
            *(PACKAGE / "compare" / "data").glob("*.csv"),
            *(PACKAGE / "reports" / "data").glob("*.yaml"),
            *(PACKAGE / "reports" / "data").glob("*.csv"),
            PACKAGE / "metrics" / "disclosure.yaml"]
    return sorted([*data, *(ROOT / "docs").glob("*.md"), ROOT / "README.md"])


def test_the_files_checked_include_the_catalogue_specs_and_docs() -> None:
    """Guard against a vacuous pass: the globs must find the files the rule is about."""
    names = {p.relative_to(ROOT).as_posix() for p in published_files()}
    assert {"src/openasc/metrics/catalogue/sac.yaml", "src/openasc/spec/cld_r2.yaml",
            "src/openasc/compare/data/sac_open_data.yaml",
            "src/openasc/reports/data/labels.yaml", "src/openasc/metrics/disclosure.yaml",
            "docs/decisions.md", "README.md"} <= names
    assert all(p.is_file() for p in published_files())


@pytest.mark.parametrize("text", [
    "reference: sac-dols-salt.md C4 STS001",
    "Method: ascof.md §2.1",
    "(cld-r2.md §5.2)",
    "Source: /work/shared/reference/mps.md",
    "see ../shared/reference",
    "finance-workforce.md §1.4",
    "(reports.md §1)",
])
def test_the_pattern_finds_citations_of_the_notes(text: str) -> None:
    assert INTERNAL.search(text)


@pytest.mark.parametrize("text", [
    "[the reports](docs/reports.md)",
    "see [Reports](reports.md#sections)",
    "docs/measures-activity.md",
    "ASCOF handbook of definitions 2024-25 (DHSC), measure 2A",
])
def test_the_pattern_leaves_the_repositorys_own_docs_alone(text: str) -> None:
    assert not INTERNAL.search(text)


def test_no_published_file_cites_an_internal_reference_note() -> None:
    found = [f"{p.relative_to(ROOT).as_posix()}:{n}: {line.strip()}"
             for p in published_files()
             for n, line in enumerate(p.read_text("utf-8").splitlines(), start=1)
             if INTERNAL.search(line)]
    assert not found, "cite the public source instead:\n" + "\n".join(found)


def test_every_catalogue_reference_prints_as_a_published_source() -> None:
    """A report's "About these figures" note prints a measure's reference through
    labels.yaml's `references` list; a reference no entry matches would print nothing."""
    unmatched = [f"{m.family} {m.code}: {m.reference}" for m in all_measures()
                 if m.reference and not labels.public_reference(m.reference)]
    assert not unmatched, "\n".join(unmatched)
