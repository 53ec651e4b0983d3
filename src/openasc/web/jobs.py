"""Long work started from the browser: reports, ingest and compute, with progress.

A report takes seconds (charts, then a PDF), so it runs in a thread and the page polls its
progress; a run that writes the warehouse goes through the gate's exclusive door so readers
never see half a run. Jobs live in memory: a restart forgets them, while what they wrote
stays (reports on disk under the job folder, runs in the warehouse's `runs`).
"""

from __future__ import annotations

import secrets
import shutil
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openasc import warehouse
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.web.warehouse_gate import WarehouseGate

REPORT_KINDS = {"local-account": "Local Account", "self-assessment": "CQC self-assessment",
                "profiles": "Improvement profiles"}


@dataclass
class Job:
    job_id: str
    kind: str
    owner: str
    title: str
    steps: int
    done: int = 0
    stage: str = "Waiting to start"
    status: str = "running"  # running | done | failed
    message: str = ""
    files: list[Path] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return 100 if self.status != "running" else int(100 * self.done / max(self.steps, 1))

    def advance(self, stage: str) -> None:
        self.done += 1
        self.stage = stage


class Jobs:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def start(self, kind: str, owner: str, title: str, steps: int,
              work: Callable[[Job, Path], None]) -> Job:
        job = Job(job_id=secrets.token_hex(8), kind=kind, owner=owner, title=title, steps=steps)
        out = self.folder / job.job_id
        with self._lock:
            self._jobs[job.job_id] = job

        def run() -> None:
            try:
                out.mkdir(parents=True, exist_ok=True)
                work(job, out)
                job.status, job.stage = "done", "Finished"
            except OpenascError as exc:
                job.status, job.message = "failed", exc.message
            except Exception as exc:  # noqa: BLE001 - shown to the user as a failed job
                job.status = "failed"
                job.message = f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
            if job.status == "failed":
                shutil.rmtree(out, ignore_errors=True)

        threading.Thread(target=run, name=f"job-{job.job_id}", daemon=True).start()
        return job


def report_work(gate: WarehouseGate, settings: Settings, kind: str, year: str,
                la: str | None, pdf: bool) -> Callable[[Job, Path], None]:
    """The steps of one report: figures, document, HTML, and the PDF when asked for."""

    def work(job: Job, out: Path) -> None:
        from openasc.reports.content import load_content
        from openasc.reports.render import write_html
        from openasc.reports.writing import DOCUMENTS, open_figures

        if kind == "profiles":
            _profiles(gate, year, la, pdf, job, out)
            return
        job.stage = "Reading the figures"
        with gate.read() as con:
            f = open_figures(con, la or settings.council, year)
        job.advance("Writing the document and drawing its charts")
        if kind == "local-account":  # the set: the main document links its annex and Easy Read
            from openasc.reports.writing import write_local_account

            job.files += [p for p in write_local_account(f, load_content(None), year, out,
                                                         pdf).files if p.suffix != ".log"]
            job.advance("Finishing")
            return
        stem = kind
        doc = DOCUMENTS[kind][0](f, load_content(None), year)
        html = write_html(doc, f.period_start, f.period_end, out / f"{stem}.html")
        job.files.append(html)
        job.advance("Making the PDF" if pdf else "Finishing")
        if pdf:
            from openasc.reports.pdf import write_pdf

            job.files.append(write_pdf(html, out / f"{stem}.pdf"))
            job.advance("Finishing")

    return work


def _profiles(gate: WarehouseGate, year: str, la: str | None, pdf: bool, job: Job,
              out: Path) -> None:
    """Improvement profiles for the council's region, from the `comparisons` table."""
    from openasc.compare.comparators import parse_year
    from openasc.compare.measure_set import load_measure_set
    from openasc.councils import find
    from openasc.reports.profiles import build_profiles, profiles_region_name, render_booklet
    from openasc.warehouse import table_exists

    y = parse_year(year, "year")
    council = find(la) if la else None
    if council is None:
        raise OpenascError("Choose a council for the improvement profiles.")
    job.stage = "Reading the comparisons"
    ms = load_measure_set()
    with gate.read() as con:
        if not table_exists(con, "comparisons"):
            raise OpenascError("The warehouse has no comparisons yet; run `openasc compare` "
                               "(after loading comparator data) first.")
        profiles = build_profiles(con, council.region, y, None, ms)
    job.advance("Writing the booklet")
    html = out / f"improvement-profiles-{year}.html"
    html.write_text(render_booklet(profiles, profiles_region_name(profiles, council.region),
                                   y, ms), "utf-8")
    job.files.append(html)
    job.advance("Making the PDF" if pdf else "Finishing")
    if pdf:
        from openasc.reports.pdf import write_pdf

        job.files.append(write_pdf(html, html.with_suffix(".pdf")))
        job.advance("Finishing")


def compute_work(gate: WarehouseGate, settings: Settings, start: date, end: date,
                 la: str | None) -> Callable[[Job, Path], None]:
    """`openasc compute` from the browser, with the file to itself while it writes."""

    def work(job: Job, out: Path) -> None:
        from openasc.metrics.engine import run_compute

        warehouse.RUN_USER.set(f"dashboard:{job.owner}")
        job.stage = "Waiting for readers to finish"
        with gate.exclusive():
            job.advance("Computing every measure")
            result = run_compute(start, end, la, settings)
        job.message = "\n".join(result.summary_lines())

    return work


def ingest_work(gate: WarehouseGate, settings: Settings, source: str, upload: Path,
                submitted_on: date | None) -> Callable[[Job, Path], None]:
    """`openasc ingest cld|safeguarding|dols` on an uploaded file; the job's message is the
    result as the command line words it (ingest/pipeline.py `render_lines`)."""

    def work(job: Job, out: Path) -> None:
        from openasc.ingest.pipeline import render_lines

        warehouse.RUN_USER.set(f"dashboard:{job.owner}")  # the runs table names who started it
        job.stage = "Waiting for readers to finish"
        try:
            with gate.exclusive():
                job.advance("Validating and loading the file")
                if source == "cld":
                    from openasc.ingest.cld import ingest_files

                    result = ingest_files([upload], submitted_on=submitted_on,
                                          settings=settings)
                else:
                    from openasc.ingest.cases import ingest_case_file

                    result = ingest_case_file(source, upload, settings=settings)
        finally:
            shutil.rmtree(upload.parent, ignore_errors=True)
        job.message = "\n".join(render_lines(result)) + "\n"

    return work
