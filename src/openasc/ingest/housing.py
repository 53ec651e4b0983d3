"""Specialist housing inputs for the market position statement (spec/housing_benchmarks.yaml,
spec/housing_supply.yaml): files a council writes about itself, so they carry no council
column and the council comes from the command (`--la`, else `council` in openasc.toml)."""

from __future__ import annotations

from pathlib import Path

from openasc import councils
from openasc.config import Settings
from openasc.ingest import pipeline
from openasc.ingest.pipeline import IngestResult


def ingest_housing_file(name: str, path: Path, settings: Settings,
                        la: str | None = None) -> IngestResult:
    """Load `housing_benchmarks` or `housing_supply` for the council named by `la`."""
    la = la or settings.council
    options = {"la_code": councils.resolve(la, "--la").ons_code} if la else {}
    return pipeline.ingest_file(name, path, settings, **options)
