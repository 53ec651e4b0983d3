"""The findings as a CSV (one row each) and an HTML page a reviewer can work through.

Both say, for each finding, how serious it is (error: the arithmetic cannot hold; warning:
it holds only under an assumption; note: a figure matched the warehouse), where it is, the
text quoted, and the working in plain words.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

from openasc.check.run import CheckResult

COLUMNS = ("severity", "check", "location", "quoted_text", "working")
CHECK_NAMES = {
    "table_total": "Table total", "percent_sum": "Shares adding to 100%",
    "percent_of_counts": "Percentage of counts", "change": "Stated change",
    "rate": "Rate against count and population", "rate_population": "Population implied by rates",
    "repeated": "Same figure stated twice", "words": "Words against numbers",
    "warehouse": "Against the warehouse", "unreadable": "Unreadable page",
}


def summary(result: CheckResult) -> str:
    d = result.draft
    return (f"{d.path}: {result.count('error')} errors, {result.count('warning')} warnings, "
            f"{result.count('note')} notes; {result.figures:,} figures in "
            f"{len(d.paragraphs):,} paragraphs and {len(d.tables):,} tables "
            f"({d.pages:,} page{'s' if d.pages != 1 else ''}{_unreadable(result)}).")


def _unreadable(result: CheckResult) -> str:
    pages = result.draft.unreadable_pages
    return f", {len(pages)} without a text layer" if pages else ""


def write_report(result: CheckResult, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = folder / "check-findings.csv", folder / "check-findings.html"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for f in result.findings:
            w.writerow([f.severity, f.check, str(f.where), f.quote, f.working])
    html_path.write_text(_html(result), encoding="utf-8")
    return [html_path, csv_path]


def _html(result: CheckResult) -> str:
    e = html.escape
    rows = "\n".join(
        f'<tr class="{e(f.severity)}"><td>{e(f.severity)}</td>'
        f"<td>{e(CHECK_NAMES.get(f.check, f.check))}</td><td>{e(str(f.where))}</td>"
        f"<td><q>{e(f.quote)}</q></td><td>{e(f.working)}</td></tr>"
        for f in result.findings)
    body = (f"<table><caption>Findings, in reading order</caption><thead><tr>"
            f'<th scope="col">Severity</th><th scope="col">Check</th>'
            f'<th scope="col">Where</th><th scope="col">Text</th>'
            f'<th scope="col">Working</th></tr></thead><tbody>{rows}</tbody></table>'
            if result.findings else "<p>No findings: every figure checked holds.</p>")
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Figures check: {e(Path(result.draft.path).name)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 75rem; color: #111; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #999; padding: .4rem; vertical-align: top; text-align: left; }}
tr.error td:first-child {{ font-weight: bold; color: #a00; }}
tr.warning td:first-child {{ color: #850; }}
</style></head>
<body><main>
<h1>Figures check: {e(Path(result.draft.path).name)}</h1>
<p>{e(summary(result))}</p>
<p><strong>Error</strong>: the arithmetic cannot hold, whatever the unrounded figures were.
<strong>Warning</strong>: it holds only under an assumption the finding names.
<strong>Note</strong>: a figure matched a measure in the warehouse.
How each check works: docs/check.md in openasc.</p>
{body}
</main></body></html>
"""
