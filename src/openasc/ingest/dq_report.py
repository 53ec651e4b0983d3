"""The data-quality report a council reads before it submits: what failed, where, and verdict.

Written from `chk` (see `validate`), so it costs a few GROUP BYs, never a row loop. Example
rows are shown by row number and pseudonymised person ID only; no value of an identifier field
ever reaches the page or the CSV.

Verdict rule (docs/decisions.md): "fit to submit" when there are no file-level errors,
no rejected rows and no `Failed:` status in any field; warnings never block.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
from jinja2 import Environment

from openasc import files
from openasc.ingest.validate import NOT_MAPPED, Validation
from openasc.spec import Spec

TEMPLATE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Data quality: {{ source }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;
color:#0b0c0c;line-height:1.4}table{border-collapse:collapse;margin:0 0 1.5rem}
th,td{border:1px solid #505a5f;padding:.25rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:bold;padding:.25rem 0}.n{text-align:right}
.verdict{font-size:1.25rem;font-weight:bold;padding:.5rem;border:3px solid #0b0c0c}
</style></head>
<body>
<h1>Data quality: {{ source }}</h1>
<p class="verdict">{{ verdict }}</p>
<p>{{ rule }}</p>
<p>{{ "{:,}".format(v.rows) }} rows read; {{ "{:,}".format(v.rows - v.rejected) }} can be
loaded and {{ "{:,}".format(v.rejected) }} cannot. Council code {{ v.cassr_code or "unknown" }};
stated period {{ period }}; values mostly Release {{ v.release }}.
Specification: {{ spec.title }}, {{ spec.version }}.</p>
<h2>File-level errors</h2>
{% if v.file_errors %}<ul>{% for e in v.file_errors %}<li>{{ e }}</li>{% endfor %}</ul>
{% else %}<p>None.</p>{% endif %}
<h2>File-level warnings</h2>
{% if v.file_warnings %}<ul>{% for w in v.file_warnings %}<li>{{ w }}</li>{% endfor %}</ul>
{% else %}<p>None.</p>{% endif %}
<h2>Rows that cannot be loaded</h2>
{% if rejects %}<table><caption>Reasons rows cannot be loaded (up to 5 examples each)</caption>
<thead><tr><th scope="col">Field</th><th scope="col">Reason</th><th scope="col">Rows</th>
<th scope="col">Examples (row: person pseudonym)</th></tr></thead><tbody>
{% for r in rejects %}<tr><td>{{ r.field }}</td><td>{{ r.reason }}</td>
<td class="n">{{ "{:,}".format(r.n) }}</td><td>{{ r.examples }}</td></tr>{% endfor %}
</tbody></table>{% else %}<p>None.</p>{% endif %}
<h2>Fields, worst first</h2>
<table><caption>Count of rows by field and status</caption>
<thead><tr><th scope="col">Field</th>{% for s in statuses %}<th scope="col">{{ s }}</th>
{% endfor %}<th scope="col">Examples of failures and unmapped values
(row: person pseudonym)</th></tr></thead><tbody>
{% for f in fields %}<tr><th scope="row">{{ f.name }}</th>{% for s in statuses %}
<td class="n">{{ "{:,}".format(f.counts.get(s, 0)) }}</td>{% endfor %}
<td>{{ f.examples }}</td></tr>{% endfor %}
</tbody></table>
<h2>Values by field</h2>
{% for f in fields %}{% if f.vals %}
<table><caption>{{ f.name }}: cleaned values</caption>
<thead><tr><th scope="col">Value</th><th scope="col">Status</th><th scope="col">Rows</th>
</tr></thead><tbody>{% for val in f.vals %}<tr><td>{{ val.value }}</td>
<td>{{ val.status }}</td><td class="n">{{ "{:,}".format(val.n) }}</td></tr>{% endfor %}
</tbody></table>{% endif %}{% endfor %}
</body></html>
"""

RULE = ("Fit to submit means: no file-level error, no row that cannot be loaded, and no "
        "'Failed:' status in any field (blank mandatory, invalid or Release 1 values). "
        "Warnings do not block submission.")
VALUE_TYPES = {"list", "code", "ods_code", "integer", "decimal"}


# A value shaped like a direct identifier (an NHS number, a postcode) typed into another
# field is counted but never shown: the report is shared with the team that fixes the data.
IDENTIFIER_SHAPES = (r"[0-9 -]{10,13}", r"[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}")
HIDDEN = "(not shown: looks like an identifier)"


def _shown(value: str) -> str:
    """SQL: `value`, unless it looks like an identifier (see IDENTIFIER_SHAPES)."""
    shapes = " OR ".join(f"regexp_full_match(trim({value}), '{s}')" for s in IDENTIFIER_SHAPES)
    return f"CASE WHEN {shapes} THEN '{HIDDEN}' ELSE {value} END"


def _counts_sql(spec: Spec) -> str:
    """Rows by field, status and (for coded and numeric fields) cleaned value.

    One small GROUP BY per field straight over `chk`: the field-by-row table is never built,
    so a million-row file costs a few scans of single columns, not fifty million rows.
    """
    return " UNION ALL ".join(
        f"SELECT {i} AS pos, '{f.name}' AS field, {f.column}__status AS status, coalesce("
        + ("NULL" if f.type not in VALUE_TYPES else _shown(f"{f.column}::VARCHAR"))
        + f", '') AS value, count(*) AS n FROM chk WHERE {f.column}__status IS NOT NULL "
        "GROUP BY ALL" for i, f in enumerate(spec.fields)) + " ORDER BY pos, status, value"


def _failure_examples_sql(spec: Spec, person: str) -> str:
    """Per field, its first five failing rows as `row: pseudonym`; the pseudonym (a keyed
    hash) is computed for those few rows only. A value outside a list that was mapped to
    `Invalid and not mapped` (a warning for a probable list) is shown so too, by row and
    field: its text is never carried into the report."""
    firsts = " UNION ALL ".join(
        f"(SELECT '{f.name}' AS field, _row FROM chk WHERE {f.column}__status LIKE 'Failed:%' "
        + (f"OR {f.column} = '{NOT_MAPPED}' " if f.type == "list" else "")
        + "ORDER BY _row LIMIT 5)" for f in spec.fields)
    return (f"SELECT e.field, string_agg(e._row || ': ' || coalesce(left({person}, 12), "
            "'no ID'), ', ' ORDER BY e._row) "
            f"FROM ({firsts}) e JOIN chk USING (_row) GROUP BY e.field")


def _reject_summary_sql(has_id: bool) -> str:
    """Rejected rows by field: the first row's reason, the count and five examples; the
    pseudonym is computed for the five examples only."""
    ident = "la_person_unique_identifier" if has_id else "NULL::VARCHAR"
    person = "CASE WHEN rn <= 5 THEN pseudo(ident) END" if has_id else "NULL::VARCHAR"
    return (
        "SELECT _reject_field, arg_min(_reject_reason, _row), count(*), string_agg(_row || ': ' "
        "|| coalesce(left(person, 12), 'no ID'), ', ' ORDER BY _row) FILTER (WHERE rn <= 5) "
        f"FROM (SELECT _row, _reject_field, _reject_reason, rn, {person} AS person FROM ("
        f"SELECT _row, _reject_field, _reject_reason, {ident} AS ident, row_number() OVER "
        "(PARTITION BY _reject_field ORDER BY _row) AS rn FROM chk "
        "WHERE _reject_reason IS NOT NULL)) GROUP BY ALL ORDER BY 3 DESC, 1")


def write_report(con: duckdb.DuckDBPyConnection, spec: Spec, validation: Validation,
                 report_dir: Path, source_name: str) -> tuple[Path, Path]:
    """Write `<stem>-dq.html` and `<stem>-dq.csv` into `report_dir`; return both paths."""
    report_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(source_name).stem
    has_id = any(f.column == "la_person_unique_identifier" for f in spec.fields)
    person = "pseudo(la_person_unique_identifier)" if has_id else "NULL"
    counts = con.execute(_counts_sql(spec)).fetchall()
    failures = dict(con.execute(_failure_examples_sql(spec, person)).fetchall())
    rejects = [dict(field=r[0] or "(whole row)", reason=r[1], n=r[2], examples=r[3])
               for r in con.execute(_reject_summary_sql(has_id)).fetchall()]
    by_field: dict[str, dict] = {}
    for pos, name, status, value, n in counts:
        f = by_field.setdefault(name, {"name": name, "pos": pos, "counts": {}, "vals": [],
                                       "examples": failures.get(name, "")})
        f["counts"][status] = f["counts"].get(status, 0) + n
        if value:
            f["vals"].append({"value": value, "status": status, "n": n})
    fields = sorted(by_field.values(), key=lambda f: (
        -sum(n for s, n in f["counts"].items() if s.startswith("Failed")), f["pos"]))
    failed = any(s.startswith("Failed") for f in fields for s in f["counts"])
    fit = not validation.file_errors and not validation.rejected and not failed
    period = (f"{validation.period_start:%d/%m/%Y} to {validation.period_end:%d/%m/%Y}"
              if validation.period_start and validation.period_end else "unknown")
    from openasc.ingest.validate import STATUSES

    html = Environment(autoescape=True).from_string(TEMPLATE).render(
        source=Path(source_name).name, v=validation, spec=spec, fields=fields,
        statuses=STATUSES, rejects=rejects, period=period, rule=RULE,
        verdict="Fit to submit." if fit else "Not fit to submit: see the failures below.")
    html_path = report_dir / f"{stem}-dq.html"
    csv_path = report_dir / f"{stem}-dq.csv"
    files.write_text(html_path, html)
    with files.atomic_write(csv_path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["field", "status", "value", "count"])
        for _pos, name, status, value, n in counts:
            writer.writerow([files.text_cell(name), files.text_cell(status),
                             files.text_cell(value), n])
    return html_path, csv_path
