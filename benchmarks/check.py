"""`openasc check` on a 60-page PDF: target ≤ 10 s.

Writes a 60-page Local Account-like draft with WeasyPrint (prose, tables and an SVG bar
chart per section, from the test corpus generator, tests/check/draft_corpus.py), then times
the whole command (`python -m openasc.cli check draft.pdf`, start-up included) over several
runs and quotes the median. Baseline, in the same run: pypdf extracting the text alone, the
floor any checker reading this PDF with pypdf pays.

    python benchmarks/check.py [--pages 60] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import write_result

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "check"))

from draft_corpus import Facts, make_draft, to_html  # noqa: E402


def chart(rng: random.Random) -> str:
    bars = "".join(
        f'<rect x="{40 + i * 60}" y="{200 - h}" width="40" height="{h}" fill="#369"/>'
        f'<text x="{40 + i * 60}" y="215" font-size="10">Cat {i + 1}</text>'
        for i, h in enumerate(rng.randint(20, 180) for _ in range(6)))
    ticks = "".join(f'<text x="0" y="{200 - t}" font-size="9">{t * 5}</text>'
                    for t in range(0, 200, 40))
    return f'<svg width="420" height="230" xmlns="http://www.w3.org/2000/svg">{ticks}{bars}</svg>'


def write_pdf(pages: int, path: Path) -> int:
    from pypdf import PdfReader
    from weasyprint import HTML

    rng = random.Random(60)
    facts = Facts(rng, rounded=False)  # one council, no seeded errors: a clean long draft
    parts: list[str] = []
    n = 0
    while True:
        blocks, _, _ = make_draft(len(parts), rng, error_rate=0.0, facts=facts)
        body = to_html(blocks).split("<body>", 1)[1].rsplit("</body>", 1)[0]
        parts.append(body.replace("<h2>", chart(rng) + "<h2>", 3))
        html = ("<html><body style='font-family:sans-serif;font-size:11pt'>"
                + "\n".join(parts) + "</body></html>")
        HTML(string=html).write_pdf(str(path))
        n = len(PdfReader(path).pages)
        if n >= pages:
            return n


def _child_cpu() -> float:
    """CPU seconds (user + system) used by finished child processes: on a shared machine the
    wall clock includes waiting for a core, this does not."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "draft.pdf"
        pages = write_pdf(args.pages, pdf)
        runs, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), _child_cpu()
            r = subprocess.run([sys.executable, "-m", "openasc.cli", "check", str(pdf)],
                               capture_output=True, text=True)
            runs.append(time.perf_counter() - t)
            cpu.append(_child_cpu() - c)
            if r.returncode not in (0, 1):
                raise SystemExit(f"check failed ({r.returncode}): {r.stderr}")
        summary = r.stdout.strip().splitlines()[-1]
        from pypdf import PdfReader

        base = []
        for _ in range(args.runs):
            t = time.perf_counter()
            for page in PdfReader(pdf).pages:
                page.extract_text()
            base.append(time.perf_counter() - t)
    median, floor = statistics.median(runs), statistics.median(base)
    write_result("check", {
        "pages": pages, "runs": [round(x, 2) for x in runs],
        "median_seconds": round(median, 2), "target_seconds": 10,
        "median_cpu_seconds": round(statistics.median(cpu), 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "meets_target": median <= 10,
        "baseline_pypdf_text_only_median_seconds": round(floor, 2),
        "overhead_over_baseline": round(median / floor, 2) if floor else None,
        "checker_said": summary,
    })


if __name__ == "__main__":
    main()
