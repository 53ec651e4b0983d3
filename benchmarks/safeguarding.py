"""Scale: 200,000 safeguarding concerns and 100,000 DoLS applications, ingested and computed.

Target (benchmarks/README.md): ingest of both files plus `compute` in at most 10 seconds on
the 2-core reference machine. Synthesis is not timed. Prints the figures and writes
benchmarks/results/safeguarding.json.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _harness import run_timed, write_result  # noqa: E402

CONCERNS, APPLICATIONS, TARGET = 200_000, 100_000, 10.0


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="openasc-bench-") as tmp, \
            tempfile.TemporaryDirectory(prefix="openasc-key-") as keydir:
        t = Path(tmp)
        env = {**os.environ, "OPENASC_KEY_FILE": str(Path(keydir) / "key")}
        wh = ["openasc", "--warehouse", str(t / "w.duckdb")]
        subprocess.run(["openasc", "synth", "safeguarding", "--out", str(t / "sg.csv"),
                        "--concerns", str(CONCERNS)], check=True, env=env)
        subprocess.run(["openasc", "synth", "dols", "--out", str(t / "dols.csv"),
                        "--applications", str(APPLICATIONS)], check=True, env=env)
        steps = {
            "ingest_safeguarding": run_timed(wh + ["ingest", "safeguarding", str(t / "sg.csv")],
                                             env),
            "ingest_dols": run_timed(wh + ["ingest", "dols", str(t / "dols.csv")], env),
            "compute": run_timed(wh + ["compute", "--from", "2024-04-01", "--to", "2025-03-31",
                                       "--la", "416"], env),
        }
    total = sum(s["seconds"] for s in steps.values())
    write_result("safeguarding", {"concerns": CONCERNS, "applications": APPLICATIONS,
                                  "steps": steps, "total_seconds": total,
                                  "target_seconds": TARGET, "met": total <= TARGET})


if __name__ == "__main__":
    main()
