"""Hospital discharges for ASCOF 2D: `spec/discharges.yaml` through the ingest pipeline.

2D links reablement in CLD to hospital spells (ascof.md §2.3). Nationally that link is made
with SUS; a council gets the same spells from its ICB or a data-sharing extract. The layout
is in docs/discharges.md and, as data, in `spec/discharges.yaml`: its fields and checks, the
`hospital_discharges` table, and how each column is made. The NHS number is pseudonymised
exactly as the CLD ingest does (HMAC-SHA256 of the ten digits, same key), so a spell's
`person_id` equals the CLD person's `person_id` wherever CLD holds the NHS number, and only
there: that is the national link. The full date of birth never arrives (year and month only).
Everything else - reading, quarantine, accounting, "already loaded", the one transaction -
is the pipeline's (ingest/pipeline.py); this input needs no hook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openasc.config import Settings
from openasc.ingest.pipeline import IngestResult, ingest_file


def ingest_discharges_file(path: Path, settings: Settings, **checks: Any) -> IngestResult:
    """`openasc ingest discharges FILE`: load a discharges file once, in one transaction
    (`checks`: the pipeline's extract checks, e.g. `date_order`)."""
    return ingest_file("discharges", path, settings, **checks)
