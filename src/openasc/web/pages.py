"""The dashboard's pages: server-rendered HTML, forms that work without JavaScript."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import select
from starlette.datastructures import UploadFile

from openasc.compare.labels import england_rank_text
from openasc.errors import OpenascError
from openasc.reports.charts import Chart, bar_chart
from openasc.web import figures, security
from openasc.web.access import checked_form, client_of, council_of, ctx_of, page_user
from openasc.web.db import ROLES, User
from openasc.web.jobs import REPORT_KINDS, compute_work, ingest_work, report_work
from openasc.web.users import add_user

router = APIRouter(include_in_schema=False)
FAMILY_PAGES = {"safeguarding": ("SAC", "Safeguarding adults"),
                "dols": ("DOLS", "Deprivation of Liberty Safeguards")}
# DHSC's CLD dashboard for councils, one page per DHSC page (docs/dhsc-dashboard.md): the
# title, the family and, where the page shows only some of it, the measure codes.
DHSC_PAGES: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "waiting-times": ("Waiting times", "WAITS", None),
    "requests": ("Requests", "DHSC", ("DHSC-REQ-1",)),
    "assessments": ("Assessments", "DHSC", ("DHSC-ASM-1",)),
    "services": ("Services", "DHSC", ("DHSC-SRV-1", "DHSC-SRV-2")),
    "reviews": ("Reviews", "DHSC", ("DHSC-REV-1",)),
    "costs": ("Costs", "COSTS", None),
    "ascof": ("ASCOF from CLD", "ASCOF", ("2A", "2B", "2C", "2D", "2E", "2E-LD", "3D")),
    "data-quality": ("Data quality", "DQ", ("DQ-FIELDS",)),
}
YEAR_RE = re.compile(r"^\d{4}-\d{2}$")


def render(request: Request, name: str, who: security.Principal | None, page: str,
           status: int = 200, **values: Any) -> HTMLResponse:
    ctx = ctx_of(request)
    return ctx.templates.TemplateResponse(
        request, name, {"user": who, "page": page, "unit_label": figures.unit_label,
                        **values}, status_code=status)


def chart(request: Request, chart_id: str, title: str, labels: list[str],
          values: list[float], axis: str, alt: str) -> Chart | None:
    """A bar chart drawn once per warehouse generation (drawing costs tens of ms)."""
    if not labels:
        return None
    key = ("chart", chart_id, title, tuple(labels), tuple(values), axis, alt)
    return ctx_of(request).gate.cached(
        key, lambda: bar_chart(chart_id, title, labels, values, axis, alt))


def _alt(title: str, labels: list[str], texts: list[str], unit: str) -> str:
    parts = [f"{lab}: {txt}{(' ' + figures.unit_label(unit)) if unit != 'count' else ''}"
             for lab, txt in zip(labels, texts, strict=True)]
    return f"{title}. " + "; ".join(parts) + "."


# --------------------------------------------------------------------------- sign in
@router.get("/login")
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    ctx = ctx_of(request)
    nonce = request.cookies.get(security.LOGIN_COOKIE) or security.secrets.token_urlsafe(16)
    resp = render(request, "login.html", None, "login", next=_safe_next(next),
                  login_token=ctx.login_csrf.issue(nonce), error=None)
    resp.set_cookie(security.LOGIN_COOKIE, nonce, httponly=True, secure=ctx.secure_cookies,
                    samesite="strict", max_age=3600)
    return resp


def _safe_next(path: str) -> str:
    """Only a path on this site: never `//evil.example` or a full URL (open redirect)."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path \
        else "/"


@router.post("/login")
async def login(request: Request) -> Any:
    ctx = ctx_of(request)
    form = await request.form()
    if not ctx.login_csrf.check(str(form.get("login_token") or ""),
                                request.cookies.get(security.LOGIN_COOKIE)):
        raise HTTPException(403, "The sign-in form's security token is missing or wrong (CSRF); "
                                 "reload the page and try again.")
    name, password = str(form.get("username") or ""), str(form.get("password") or "")
    nxt = _safe_next(str(form.get("next") or "/"))
    nonce = request.cookies.get(security.LOGIN_COOKIE) or ""
    client = client_of(request)
    if security.throttled(ctx.users, name, client):
        security.audit(ctx.users, name or "(blank)", "sign-in throttled", "", client)
        return render(request, "login.html", None, "login", status=429, next=nxt,
                      login_token=ctx.login_csrf.issue(nonce),
                      error="Too many failed sign-ins. Wait a minute and try again (each "
                            "further failure doubles the wait, up to 15 minutes).")
    token = security.sign_in(ctx.users, name, password, client)
    if token is None:
        return render(request, "login.html", None, "login", status=401, next=nxt,
                      login_token=ctx.login_csrf.issue(nonce),
                      error="That user name and password do not match.")
    resp = RedirectResponse(nxt, status_code=303)
    resp.set_cookie(security.SESSION_COOKIE, token, httponly=True, secure=ctx.secure_cookies,
                    samesite="strict", max_age=int(security.SESSION_LIFETIME.total_seconds()))
    resp.delete_cookie(security.LOGIN_COOKIE)
    return resp


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    who = page_user(request)
    await checked_form(request, who)
    ctx = ctx_of(request)
    security.sign_out(ctx.users, request.cookies.get(security.SESSION_COOKIE), who.name)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(security.SESSION_COOKIE)
    return resp


# --------------------------------------------------------------------------- overview
@router.get("/")
def overview(request: Request, la: str | None = None) -> HTMLResponse:
    who = page_user(request)
    ctx = ctx_of(request)
    la_code, known = council_of(request, la)

    def load() -> dict[str, Any]:
        with ctx.gate.read() as cur:
            rows = figures.headlines(cur, la_code, "ASCOF", who.unrounded)
            comps = figures.comparison_rows(cur, "ASCOF", None, la_code)
        return {"rows": rows, "comps": comps}

    got = ctx.gate.cached(("overview", la_code, who.unrounded), load)
    cards = _headline_cards(got["rows"], got["comps"])
    return render(request, "overview.html", who, "overview", la_code=la_code, councils=known,
                  cards=cards)


def _headline_cards(rows: list[figures.Shown], comps: list[dict]) -> list[dict[str, Any]]:
    """Latest value of each headline measure, the one before it, and England's figure."""
    cat = figures.catalogue()
    by_measure: dict[tuple[str, str], list[figures.Shown]] = {}
    for r in rows:
        by_measure.setdefault((r.family.upper(), r.code.upper()), []).append(r)
    comp = {(c["family"].upper(), c["code"].upper(), c["period_end"]): c for c in comps}
    cards = []
    for key, series in sorted(by_measure.items()):
        series.sort(key=lambda r: r.period_end)
        latest, prev = series[-1], (series[-2] if len(series) > 1 else None)
        m = cat.get(key)
        c = comp.get((*key, latest.period_end))
        trend = None
        if prev is not None and latest.number is not None and prev.number is not None:
            trend = ("up" if latest.number > prev.number else
                     "down" if latest.number < prev.number else "same")
        cards.append({"m": m, "row": latest, "prev": prev, "trend": trend, "comp": c,
                      "title": m.title if m else key[1]})
    return cards


# --------------------------------------------------------------------------- measures
@router.get("/measures")
def measures_index(request: Request, family: str | None = None,
                   la: str | None = None) -> HTMLResponse:
    who = page_user(request)
    ctx = ctx_of(request)
    la_code, known = council_of(request, la)
    fams = figures.families()
    if family and family.upper() not in fams:
        raise HTTPException(404, f"There is no family {family!r}; expected one of "
                                 f"{', '.join(fams)}.")

    def load() -> list[figures.Shown]:
        with ctx.gate.read() as cur:
            return figures.headlines(cur, la_code, family, who.unrounded)

    rows = ctx.gate.cached(("index", la_code, family, who.unrounded), load)
    latest = {(r.family.upper(), r.code.upper()): r for r in
              sorted(rows, key=lambda r: r.period_end)}
    cat = figures.catalogue()
    ms = [m for k, m in sorted(cat.items()) if not family or k[0] == family.upper()]
    return render(request, "measures.html", who, "measures", measures=ms, latest=latest,
                  families=fams, family=(family or "").upper(), la_code=la_code,
                  councils=known)


@router.get("/measures/{family}/{code}")
def measure_page(request: Request, family: str, code: str, la: str | None = None,
                 period: str | None = None, by: str | None = None) -> HTMLResponse:
    who = page_user(request)
    ctx = ctx_of(request)
    m = figures.measure(family, code)
    if m is None:
        raise HTTPException(404, f"There is no measure {family} {code} in the catalogue.")
    la_code, known = council_of(request, la)

    def load() -> dict[str, Any]:
        with ctx.gate.read() as cur:
            return {"rows": figures.measure_rows(cur, family, code, la_code, who.unrounded),
                    "comps": figures.comparison_rows(cur, family, code, la_code)}

    got = ctx.gate.cached(("measure", family.upper(), code.upper(), la_code, who.unrounded),
                          load)
    rows: list[figures.Shown] = got["rows"]
    ends = sorted({r.period_end for r in rows}, reverse=True)
    period_end = period if period in ends else (ends[0] if ends else "")
    keys = figures.breakdown_keys([r for r in rows if r.period_end == period_end])
    if by and by not in keys:
        raise HTTPException(404, f"{m.family} {m.code} has no breakdown by {by!r}; expected one "
                                 f"of {', '.join(keys) or 'none'}.")
    key = by or (keys[0] if keys else None)
    split = figures.by_breakdown(rows, key, period_end) if key else []
    series = sorted((r for r in rows if r.breakdown == ""), key=lambda r: r.period_end)
    cid = re.sub(r"[^a-z0-9]", "", f"{m.family}{m.code}".lower())
    labels = [r.breakdown.split("=", 1)[1] for r in split]
    split_chart = chart(request, f"{cid}-split", f"{m.title}, by {key}",
                        [lab for lab, r in zip(labels, split, strict=True)
                         if r.number is not None],
                        [r.number for r in split if r.number is not None],
                        figures.unit_label(m.unit) or m.unit,
                        _alt(f"{m.code} by {key}", labels, [r.value for r in split], m.unit)) \
        if split else None
    time_chart = chart(request, f"{cid}-time", f"{m.title}, over time",
                       [r.period_end for r in series if r.number is not None],
                       [r.number for r in series if r.number is not None],
                       figures.unit_label(m.unit) or m.unit,
                       _alt(f"{m.code} by period ending", [r.period_end for r in series],
                            [r.value for r in series], m.unit)) if series else None
    comp = next((c for c in got["comps"] if c["period_end"] == period_end), None)
    comp_chart = None
    if comp:
        pairs = [("This council", comp["shown"]),
                 (comp["england_label"].capitalize(), comp["england_value"]),
                 (comp["region_label"] or comp["region"] or "Region", comp["region_value"]),
                 (comp["group_name"] or "Comparator group", comp["group_mean"])]
        pairs = [(lab, round(v, m.precision)) for lab, v in pairs if v is not None]
        comp_chart = chart(request, f"{cid}-comp", f"{m.title}: how we compare",
                           [p[0] for p in pairs], [p[1] for p in pairs],
                           figures.unit_label(m.unit) or m.unit,
                           _alt(f"{m.code} compared", [p[0] for p in pairs],
                                [str(p[1]) for p in pairs], m.unit))
        comp = {**comp, "pairs": pairs,
                "rank_text": england_rank_text(SimpleNamespace(**comp))}
    return render(request, "measure.html", who, "measures", m=m, la_code=la_code,
                  councils=known, ends=ends, period_end=period_end, keys=keys, key=key,
                  split=split, series=series, split_chart=split_chart, time_chart=time_chart,
                  comp=comp, comp_chart=comp_chart)


@router.get("/safeguarding")
def safeguarding(request: Request, la: str | None = None) -> HTMLResponse:
    return _family_page(request, "safeguarding", la)


@router.get("/dols")
def dols(request: Request, la: str | None = None) -> HTMLResponse:
    return _family_page(request, "dols", la)


def _family_page(request: Request, slug: str, la: str | None) -> HTMLResponse:
    who = page_user(request)
    ctx = ctx_of(request)
    fam, title = FAMILY_PAGES[slug]
    la_code, known = council_of(request, la)

    def load() -> list[figures.Shown]:
        with ctx.gate.read() as cur:
            return figures.headlines(cur, la_code, fam, who.unrounded)

    rows = ctx.gate.cached(("family", fam, la_code, who.unrounded), load)
    cards = _headline_cards(rows, [])
    return render(request, "family.html", who, slug, cards=cards, title=title, family=fam,
                  la_code=la_code, councils=known)


@router.get("/dhsc/{slug}")
def dhsc_page(request: Request, slug: str, la: str | None = None) -> HTMLResponse:
    """One page of DHSC's CLD dashboard, from the measures that reproduce its figures."""
    who = page_user(request)
    ctx = ctx_of(request)
    if slug not in DHSC_PAGES:
        raise HTTPException(404, f"There is no DHSC dashboard page {slug!r}; expected one of "
                                 f"{', '.join(DHSC_PAGES)}.")
    title, fam, codes = DHSC_PAGES[slug]
    la_code, known = council_of(request, la)

    def load() -> list[figures.Shown]:
        with ctx.gate.read() as cur:
            return figures.headlines(cur, la_code, fam, who.unrounded)

    def load_profile() -> figures.FieldProfile | None:
        with ctx.gate.read() as cur:
            return figures.field_profile(cur, la_code, who.unrounded)

    if slug == "data-quality":  # a table of every field, not a headline card
        profile = ctx.gate.cached(("dhsc-profile", la_code, who.unrounded), load_profile)
        return render(request, "dhsc.html", who, "dhsc", slug=slug, pages=DHSC_PAGES,
                      title=title, family=fam, profile=profile, la_code=la_code,
                      councils=known)
    rows = [r for r in ctx.gate.cached(("dhsc", slug, la_code, who.unrounded), load)
            if codes is None or r.code.upper() in codes]
    return render(request, "dhsc.html", who, "dhsc", slug=slug, pages=DHSC_PAGES, title=title,
                  family=fam, cards=_headline_cards(rows, []), la_code=la_code,
                  councils=known)


# --------------------------------------------------------------------------- data quality
@router.get("/quality")
def quality(request: Request) -> HTMLResponse:
    who = page_user(request, "analyst")
    ctx = ctx_of(request)

    def load() -> dict[str, Any]:
        with ctx.gate.read() as cur:
            return {"subs": figures.submissions(cur), "files": figures.quarantine_summary(cur)}

    got = ctx.gate.cached("quality", load)
    return render(request, "quality.html", who, "quality", **got)


# --------------------------------------------------------------------------- reports
@router.get("/reports")
def reports(request: Request) -> HTMLResponse:
    who = page_user(request)
    la_code, known = council_of(request, None)
    ctx = ctx_of(request)
    with ctx.gate.read() as cur:
        ends = [e for _, e in figures.periods(cur, la_code)] if la_code else []
    years = sorted({f"{int(e[:4]) - 1}-{e[2:4]}" for e in ends if e[5:] == "03-31"},
                   reverse=True)
    return render(request, "reports.html", who, "reports", kinds=REPORT_KINDS, years=years,
                  la_code=la_code, councils=known)


@router.post("/reports")
async def start_report(request: Request) -> RedirectResponse:
    who = page_user(request)
    form = await checked_form(request, who)
    ctx = ctx_of(request)
    kind, year = form.get("kind", ""), form.get("year", "")
    if kind not in REPORT_KINDS:
        raise HTTPException(400, f"Unknown report {kind!r}; expected one of "
                                 f"{', '.join(REPORT_KINDS)}.")
    if not YEAR_RE.match(year):
        raise HTTPException(400, f"Year {year!r} is not a financial year; expected YYYY-YY.")
    la_code, _ = council_of(request, form.get("la") or None)
    pdf = form.get("pdf") == "yes"
    title = f"{REPORT_KINDS[kind]}, {year}"
    job = ctx.jobs.start(kind, who.name, title, 3 if pdf else 2,
                         report_work(ctx.gate, ctx.settings, kind, year, la_code or None, pdf))
    security.audit(ctx.users, who.name, "report started", f"{title} ({job.job_id})",
                   client_of(request))
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


def _own_job(request: Request, job_id: str, who: security.Principal):  # noqa: ANN202
    job = ctx_of(request).jobs.get(job_id)
    if job is None or (job.owner != who.name and not who.can("admin")):
        raise HTTPException(404, "There is no such job (jobs are forgotten when the dashboard "
                                 "restarts).")
    return job


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> HTMLResponse:
    who = page_user(request)
    job = _own_job(request, job_id, who)
    return render(request, "job.html", who, "reports" if job.kind in REPORT_KINDS else "runs",
                  job=job)


@router.get("/jobs/{job_id}/status")
def job_status(request: Request, job_id: str) -> JSONResponse:
    who = page_user(request)
    job = _own_job(request, job_id, who)
    return JSONResponse({"status": job.status, "percent": job.percent, "stage": job.stage,
                         "message": job.message if job.status == "failed" else "",
                         "files": [p.name for p in job.files] if job.status == "done" else []})


@router.get("/jobs/{job_id}/files/{name}")
def job_file(request: Request, job_id: str, name: str) -> FileResponse:
    who = page_user(request)
    job = _own_job(request, job_id, who)
    match = next((p for p in job.files if p.name == name), None)
    if match is None or job.status != "done":
        raise HTTPException(404, f"The job has no file {name!r}.")
    security.audit(ctx_of(request).users, who.name, "export", f"{job.title}: {name}",
                   client_of(request))
    media = "application/pdf" if name.endswith(".pdf") else "text/html"
    return FileResponse(match, media_type=media, filename=name)


# --------------------------------------------------------------------------- runs
@router.get("/runs")
def runs_page(request: Request) -> HTMLResponse:
    who = page_user(request, "analyst")
    ctx = ctx_of(request)
    with ctx.gate.read() as cur:
        runs = figures.runs(cur)
    web_runs = security.recent_audit(ctx.users, 100, ("run started", "report started"))
    return render(request, "runs.html", who, "runs", runs=runs, web_runs=web_runs)


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"{what} {text!r} is not a date; expected YYYY-MM-DD.") \
            from None


@router.post("/runs/compute")
async def run_compute(request: Request) -> RedirectResponse:
    who = page_user(request, "analyst")
    form = await checked_form(request, who)
    ctx = ctx_of(request)
    start, end = _day(form.get("from", ""), "From"), _day(form.get("to", ""), "To")
    la = form.get("la") or None
    job = ctx.jobs.start("compute", who.name, f"Compute {start} to {end}", 2,
                         compute_work(ctx.gate, ctx.settings, start, end, la))
    security.audit(ctx.users, who.name, "run started", f"compute {start} {end} {la or ''}",
                   client_of(request))
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.post("/runs/ingest")
async def run_ingest(request: Request) -> RedirectResponse:
    who = page_user(request, "analyst")
    form = await request.form()
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(403, "The form was sent from another site; refused (CSRF).")
    if not security.tokens_match(who.csrf_token, str(form.get("csrf_token") or "")):
        raise HTTPException(403, "The form's security token is missing or wrong (CSRF).")
    source = str(form.get("source") or "")
    if source not in ("cld", "safeguarding", "dols"):
        raise HTTPException(400, f"Unknown source {source!r}; expected cld, safeguarding or "
                                 "dols.")
    # request.form() gives Starlette's UploadFile; FastAPI's is a subclass of it, so an
    # isinstance check against FastAPI's class refused every upload.
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HTTPException(400, "Choose a file to load.")
    name = Path(upload.filename).name
    if not re.match(r"^[\w.\- ]+\.(csv|xlsx)$", name, re.IGNORECASE):
        raise HTTPException(400, f"File {name!r} is not a CSV or XLSX file.")
    folder = Path(tempfile.mkdtemp(prefix="openasc-upload-"))
    target = folder / name
    with target.open("wb") as fh:
        while chunk := await upload.read(1 << 20):
            fh.write(chunk)
    submitted = str(form.get("submitted_on") or "")
    ctx = ctx_of(request)
    job = ctx.jobs.start("ingest", who.name, f"Ingest {source} {name}", 2,
                         ingest_work(ctx.gate, ctx.settings, source, target,
                                     _day(submitted, "Submitted on") if submitted else None))
    security.audit(ctx.users, who.name, "run started", f"ingest {source} {name}",
                   client_of(request))
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


# --------------------------------------------------------------------------- users
@router.get("/users")
def users_page(request: Request, error: str | None = None) -> HTMLResponse:
    who = page_user(request, "admin")
    ctx = ctx_of(request)
    with ctx.users() as db:
        users = list(db.scalars(select(User).order_by(User.name)))
    return render(request, "users.html", who, "users", users=users, roles=ROLES,
                  audit=security.recent_audit(ctx.users, 200), error=error)


@router.post("/users")
async def users_add(request: Request) -> Any:
    who = page_user(request, "admin")
    form = await checked_form(request, who)
    ctx = ctx_of(request)
    try:
        add_user(ctx.users, form.get("username", ""), form.get("role", ""),
                 form.get("password", ""), by=who.name, client=client_of(request))
    except OpenascError as exc:
        return users_page(request, error=exc.message)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/active")
async def users_active(request: Request, user_id: int) -> RedirectResponse:
    who = page_user(request, "admin")
    form = await checked_form(request, who)
    ctx = ctx_of(request)
    active = form.get("active") == "yes"
    if user_id == who.user_id and not active:
        raise HTTPException(400, "You cannot disable yourself.")
    with ctx.users() as db, db.begin():
        user = db.get(User, user_id)
        if user is None:
            raise HTTPException(404, "No such user.")
        user.active = active
        name = user.name
    if not active:
        security.end_sessions_of(ctx.users, user_id)
    security.audit(ctx.users, who.name, "user enabled" if active else "user disabled", name,
                   client_of(request))
    return RedirectResponse("/users", status_code=303)
