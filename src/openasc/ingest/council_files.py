"""Files a council writes about itself for the market position statement: housing ratios
and supply (spec/housing_benchmarks.yaml, spec/housing_supply.yaml) and its fee rates
(spec/fees.yaml). They carry no council column, so the council comes from the command
(`--la`, else `council` in openasc.toml) and is stamped on every row."""

from __future__ import annotations

from pathlib import Path

from openasc import councils
from openasc.config import Settings
from openasc.ingest import pipeline
from openasc.ingest.pipeline import IngestResult


def ingest_council_file(name: str, path: Path, settings: Settings,
                        la: str | None = None) -> IngestResult:
    """Load input `name` (housing_benchmarks, housing_supply, fees) for the council `la`."""
    la = la or settings.council
    options = {"la_code": councils.resolve(la, "--la").ons_code} if la else {}
    return pipeline.ingest_file(name, path, settings, **options)
