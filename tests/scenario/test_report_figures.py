"""Every headline figure of both documents, for a small hand-made council, worked by hand.

Worcestershire (CASSR 416, E10000034), year 1 April 2024 to 31 March 2025. The input files
are written here, then `openasc ingest` → `compute` → `report local-account` and
`report self-assessment`; the printed figures are read from the HTML and compared with the
table below, which is worked from the reference definitions (sac-dols-salt.md, ascof.md),
not from anything the renderer traces.

Every count is a multiple of 5 and at least 10, so that a figure published with
disclosure control (counts of 1-4 hidden, counts rounded to the nearest 5, shares worked
from the rounded counts) prints exactly the hand value.

Population (ONS tidy file, mid-2024, persons): 1,000 at each age 18..64 = 47,000; 120 at
each age 65..89 = 3,000. Adults (18+) = 50,000; aged 65 and over = 3,000.

CLD (all born 15 June 1940, so aged 84 on 31 March 2025; submitted 1 May 2025; a person
with only two reviews, ending April 2024 and March 2025, makes the file cover the whole
year and enters no measure):

- A01-A20: a request on 3 Jun 2024, outcome NFA information and advice, nothing after. New
  clients (no long-term service open); no later event, so the STS001 sequel is the
  request's own outcome: Universal Services / signposted (C5).
- B01-B10: a request on 3 Jun 2024, outcome NFA support declined, nothing after: sequel No
  Services Provided - other reason (C5).
- C01-C10: a request on 1 May 2024, then Long term support: Community from 3 May 2024
  (open), CASSR commissioned support. The first later event starts 2 days after the
  request (within 28 days) and is a service: sequel Long Term Support: Community.
- D01-D10: Long term support: Community since 1 Jan 2023 (open), direct payment: existing
  clients, no request.
- E01-E10: Long term support: Residential care from 1 Jul 2024 (open): new admissions to a
  care home, aged 84.

- Journey (STS001 by what followed): 20 + 10 + 10 = 40 requests (each counted once: the
  breakdowns by route and by age band hold the same 40 again). Information, advice and
  universal services 20 = 20 ÷ 40 = 50.0%; Long-term support 10 = 25.0%; No services
  provided or other outcomes 10 = 25.0%.
- Activity: requests from service users (all) = 40 events; from new clients = 40;
  resolved with information or signposting 20 ÷ 40 = 50.0%; leading to long-term support
  10 ÷ 40 = 25.0%. In long-term support during the year: C + D + E = 30; at the year end
  30 (all still open). People with an assessment open at the year end: the data cannot
  say (CLD holds completed assessments only; the bound is 0), so "not available".
- DHSC's waiting times (new clients aged 25+): only C01-C10's requests indicate progress
  (the others closed NFA); each is answered by the community service 2 days later, which is
  both the first response and the first service: medians 2.0 days (10 waits each). DHSC's
  assessments page: no assessments, 0.
- ASCOF 2C: 10 admissions of people aged 65+ ÷ 3,000 × 100,000 = 333.33 → "333.3 per
  100,000 adults aged 65 and over" (not "adults aged 18 and over").
- ASCOF 3D (ascof.md §2.5): community long-term support at the year end = C + D = 20;
  direct payment (rank 3) = D = 10, managed budget none: part 1a = 10 ÷ 20 = 50.0%, part
  2a = 10 ÷ 20 = 50.0%, each under its own name.

Safeguarding (20 people, one concern each, received 1 May 2024): S01-S10 Section 42
enquiries started 10 May 2024, concluded 20 Jun 2024; S11-S20 no enquiry.
- Concerns 20; 20 ÷ 50,000 × 100,000 = 40 per 100,000 adults aged 18 and over.
- Section 42 enquiries 10; other enquiries 0; conversion rate (10 + 0) ÷ 20 = 50%.

DoLS (20 applications, standard, care home, from 20 people): G01-G10 received 1 Jun 2024,
granted 15 Jun 2024 (14 days); W01-W10 received 1 Feb 2025, not yet signed off.
- Received 20 (20 ÷ 50,000 × 100,000 = 40 per 100,000); completed 10 (20 per 100,000);
  not completed at the year end 10, all waiting 1 Feb → 31 Mar 2025 = 58 days: band
  "0 to 90 days"; mean days to complete 14; standard within 21 days 10 ÷ 10 = 100%.
- Change in applications received on last year: no applications a year earlier, so
  "not available" (never a percentage beside a missing year).

Content: budget Home care £1,000,000 + Direct payments £500,000 = £1,500,000; workforce
staff 250 (count), survey "feel safe" 70.0%.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sac_casefiles import DOLS_HEADER, SG_HEADER, application, concern, write_rows
from test_salt_events import bookends

from cldfile import cld_row, write_cld_csv

LA = "416"
Y = ("2024-04-01", "2025-03-31")


def openasc(base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openasc.cli", "--warehouse",
                           str(base / "w.duckdb"), *args], capture_output=True, text=True,
                          cwd=base, timeout=300)


def _cld_rows() -> list[dict[str, str]]:
    rows = []
    for i in range(1, 21):
        rows.append(cld_row(f"A{i:02d}", Event_Start_Date="2024-06-03",
                            Event_End_Date="2024-06-03"))
    for i in range(1, 11):
        rows.append(cld_row(f"B{i:02d}", Event_Start_Date="2024-06-03",
                            Event_End_Date="2024-06-03", Event_Outcome="NFA: Support declined"))
        rows.append(cld_row(f"C{i:02d}", Event_Start_Date="2024-05-01",
                            Event_End_Date="2024-05-01",
                            Event_Outcome="Progress to assessment, review or reassessment"))
        rows.append(cld_row(f"C{i:02d}", Event_Type="Service", Event_Start_Date="2024-05-03",
                            Event_Outcome=None))
        rows.append(cld_row(f"D{i:02d}", Event_Type="Service", Event_Start_Date="2023-01-01",
                            Delivery_Mechanism="Direct payment", Event_Outcome=None))
        rows.append(cld_row(f"E{i:02d}", Event_Type="Service", Event_Start_Date="2024-07-01",
                            Service_Type="Long term support: Residential care",
                            Service_Component="Long term residential care",
                            Delivery_Mechanism=None, Event_Outcome=None))
    return rows + bookends("2024-04-15", "2025-03-15")


def _sg_rows() -> list[dict[str, str]]:
    concluded = {"Enquiry_Start_Date": "10/05/2024", "Enquiry_Conclusion_Date": "20/06/2024",
                 "Types_of_Risk": "Neglect and Acts of Omission", "Location_of_Risk": "Own Home",
                 "Source_of_Risk": "Service Provider",
                 "Risk_Assessment_Outcome": "Risk identified and action taken",
                 "Risk_Outcome": "Risk reduced",
                 "MSP_Desired_Outcomes_Asked": "Yes they were asked and outcomes were expressed",
                 "MSP_Outcomes_Achieved": "Fully Achieved",
                 "Lacked_Capacity": "No, they did not lack capacity"}
    return ([concern(f"SC{i:02d}", f"S{i:02d}", "01/05/2024", "Section 42 enquiry", **concluded)
             for i in range(1, 11)]
            + [concern(f"SC{i:02d}", f"S{i:02d}", "01/05/2024") for i in range(11, 21)])


def _dols_rows() -> list[dict[str, str]]:
    return ([application(f"GA{i:02d}", f"G{i:02d}", "01/06/2024", "Granted", "15/06/2024")
             for i in range(1, 11)]
            + [application(f"WA{i:02d}", f"W{i:02d}", "01/02/2025", "Not yet signed off",
                           Priority="High") for i in range(1, 11)])


def _content(base: Path) -> Path:
    """The template from `report init-content`, with the council's own figures written in."""
    folder = base / "content"
    r = subprocess.run([sys.executable, "-m", "openasc.cli", "report", "init-content",
                        str(folder)], capture_output=True, text=True, cwd=base, timeout=120)
    assert r.returncode == 0, r.stderr
    (folder / "budget.csv").write_text("year,category,amount_gbp\n2024-25,Home care,1000000\n"
                                       "2024-25,Direct payments,500000\n", "utf-8")
    (folder / "workforce.yaml").write_text(
        "year: 2024-25\nitems:\n  - label: Council adult social care staff\n    value: 250\n"
        "    unit: count\n    source: HR system\n", "utf-8")
    (folder / "survey.yaml").write_text(
        "year: 2024-25\nitems:\n  - question: People who use services who feel safe\n"
        "    percent: 70\n    survey: Adult Social Care Survey\n", "utf-8")
    return folder


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("figures")
    pop = ["la_code,year,sex,age,population"]
    pop += [f"E10000034,2024,persons,{a},1000" for a in range(18, 65)]
    pop += [f"E10000034,2024,persons,{a},120" for a in range(65, 90)]
    (base / "population.csv").write_text("\n".join(pop) + "\n", "utf-8")
    write_cld_csv(base / "cld.csv", _cld_rows())
    write_rows(base / "sg.csv", SG_HEADER, _sg_rows())
    write_rows(base / "dols.csv", DOLS_HEADER, _dols_rows())
    for kind, name, *extra in (("population", "population.csv"),
                               ("cld", "cld.csv", "--submitted-on", "2025-05-01"),
                               ("safeguarding", "sg.csv"), ("dols", "dols.csv")):
        r = openasc(base, "ingest", kind, str(base / name), *extra)
        assert r.returncode == 0, r.stdout + r.stderr
    r = openasc(base, "compute", "--from", Y[0], "--to", Y[1], "--la", LA)
    assert r.returncode == 0, r.stdout + r.stderr
    content = _content(base)
    for cmd in ("local-account", "self-assessment"):
        r = openasc(base, "report", cmd, "--year", "2024-25", "--out", str(base / "out"),
                    "--la", LA, "--content", str(content))
        assert r.returncode == 0, r.stdout + r.stderr
        r = openasc(base, "report", cmd, "--year", "2024-25", "--out", str(base / "bare"),
                    "--la", LA)
        assert r.returncode == 0, r.stdout + r.stderr
    return {"base": base, "out": base / "out", "bare": base / "bare"}


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def section(page: Path, sid: str) -> str:
    raw = page.read_text("utf-8")
    start = raw.index(f'<section id="{sid}"')
    return text_of(raw[start:raw.index("</section>", start)])


def sentences(page: Path, sid: str) -> list[str]:
    raw = page.read_text("utf-8")
    start = raw.index(f'<section id="{sid}"')
    body = raw[start:raw.index("</section>", start)]
    return [text_of(li) for li in re.findall(r"<li>(.*?)</li>", body, re.S)]


def table_rows(page: Path, sid: str) -> dict[str, list[str]]:
    """The rows of every table in a section (with its subsections), keyed by first cell."""
    raw = page.read_text("utf-8")
    start = raw.index(f'<section id="{sid}"')
    depth, i = 0, start
    for m in re.finditer(r"<(/?)section\b", raw[start:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            i = start + m.end()
            break
    out: dict[str, list[str]] = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", raw[start:i], re.S):
        cells = [text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        out.setdefault(cells[0], cells[1:])
    return out


def said(lines: list[str], title: str) -> str:
    found = [s for s in lines if s.startswith(title + ":") or s.startswith(title + " (")]
    assert len(found) == 1, (title, lines)
    return found[0]


def test_journey_counts_each_request_once(council: dict[str, Path]) -> None:
    page = council["out"] / "local-account.html"
    text = section(page, "journey")
    assert "we received 40 requests for support" in text
    rows = table_rows(page, "journey")
    assert rows["Information, advice and universal services"] == ["20", "50.0%"]
    assert rows["Long-term support"] == ["10", "25.0%"]
    assert rows["No services provided or other outcomes"] == ["10", "25.0%"]
    assert rows["All requests"] == ["40", "100.0%"]


def paragraphs(page: Path, sid: str) -> list[str]:
    """The sentences of a resident section, one paragraph each."""
    raw = page.read_text("utf-8")
    start = raw.index(f'<section id="{sid}"')
    body = raw[start:raw.index("</section>", start)]
    return [text_of(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", body, re.S)]


def test_activity_headlines(council: dict[str, Path]) -> None:
    """The resident sections state the hand figures in plain words: 40 requests from people
    new to us; 30 people in long-term support during the year and 30 at its end; 10
    admissions of people aged 65+ per 3,000 = 333.3 per 100,000. The number of people with an
    assessment open cannot be known from CLD and is not printed at all (never as 0)."""
    page = council["out"] / "local-account.html"
    assert "we received 40 requests for support from people new to us" in section(page,
                                                                                "journey")
    lines = paragraphs(page, "long-term")
    assert said(lines, "People we gave long-term support during the year").endswith(": 30.")
    assert said(lines, "People getting long-term support at the end of the year").endswith(
        ": 30.")
    assert said(lines, "Older people (65 and over) who moved into a care home").endswith(
        ": 333.3 per 100,000 adults aged 65 and over (mid-2024 population estimate).")
    assert "assessment open" not in page.read_text("utf-8")


def test_safeguarding_and_dols_headlines(council: dict[str, Path]) -> None:
    page = council["out"] / "local-account.html"
    sg = paragraphs(page, "safeguarding")
    assert said(sg, "Safeguarding concerns raised with us").endswith(": 20.")
    assert said(sg, "Safeguarding enquiries we started").endswith(": 10.")
    assert said(sg, "Concerns that led to an enquiry").endswith(
        "(national definition: Section 42 and other enquiries): 50%.")
    dols = paragraphs(page, "dols")
    assert said(dols, "Applications we received").endswith(": 20.")
    assert said(dols, "Applications we completed").endswith(": 10.")
    assert said(dols, "Applications still waiting at the end of the year").endswith(": 10.")
    assert said(dols, "Standard applications completed within three weeks").endswith(": 100%.")
    annex = council["out"] / "local-account-annex.html"
    assert table_rows(annex, "dols-not_completed")["0 to 90 days"] == ["10"]


def test_how_we_compare_names_each_part_and_its_population(council: dict[str, Path]) -> None:
    lines = sentences(council["out"] / "local-account-annex.html", "compare")
    c2 = said(lines, "Number of adults aged 65 and over whose long-term support needs are met "
                     "by admission to residential and nursing care homes, per 100,000 "
                     "population")
    assert ": 333.3 per 100,000 adults aged 65 and over (mid-2024 population estimate)" in c2
    assert "aged 18 and over" not in c2
    assert said(lines, "People who use services who receive self-directed support").startswith(
        "People who use services who receive self-directed support (ASCOF 3D part 1a): 50.0%")
    assert said(lines, "People who use services who receive direct payments").startswith(
        "People who use services who receive direct payments (ASCOF 3D part 2a): 50.0%")
    assert len({s.split(":")[0] for s in lines}) == len(lines)  # no title printed twice


def test_content_figures(council: dict[str, Path]) -> None:
    page = council["out"] / "local-account.html"
    assert table_rows(page, "money")["Total"] == ["£1,500,000"]
    assert table_rows(page, "workforce")["Council adult social care staff (HR system)"] == ["250"]
    assert table_rows(page, "survey")[
        "People who use services who feel safe (Adult Social Care Survey)"] == ["70.0%"]


def test_self_assessment_evidence(council: dict[str, Path]) -> None:
    """The same hand figures, placed by quality statement (reports.md §2)."""
    page = council["out"] / "self-assessment.html"
    needs = table_rows(page, "assessing-needs")
    assert needs["Requests for support from new clients"][0] == "40"
    assert "People with an assessment open at the period end" not in needs  # cannot be known
    # DHSC's assessments page: none of the council's events is an assessment. DHSC's
    # waiting times: only C01-C10's requests indicate progress (the others closed NFA); each
    # is answered by the community service 2 days later, first response and first service.
    assert needs["Assessments completed (DHSC dashboard)"][0] == "0"
    assert needs["Days from request to first response (median, new clients aged 25+)"][0] \
        == "2.0 days"
    assert needs["Days from request to first service (median, new clients aged 25+)"][0] \
        == "2.0 days"
    equity = table_rows(page, "equity-in-experiences-and-outcomes")
    assert equity["People who use services who receive self-directed support (ASCOF 3D part "
                  "1a)"][0] == "50.0%"
    assert equity["People who use services who receive direct payments (ASCOF 3D part 2a)"][0] \
        == "50.0%"
    care = table_rows(page, "care-provision-integration-and-continuity")
    assert care["Number of adults aged 65 and over whose long-term support needs are met by "
                "admission to residential and nursing care homes, per 100,000 population"][0] \
        == "333.3 per 100,000"
    safe = table_rows(page, "safe-systems-pathways-and-transitions")
    assert safe["DoLS applications received"][0] == "20"
    # a change with no earlier year cannot be known: not printed as evidence at all
    assert "Change in DoLS applications received on the previous year" not in safe
    assert safe["Median days to complete a DoLS application"][0] == "14 days"
    sg = table_rows(page, "safeguarding")
    assert sg["Total Number of Safeguarding Concerns"][0] == "20"
    assert sg["Conversion Rate (the national definition, Section 42 and other enquiries as a "
              "share of concerns)"][0] == "50%"


INTERNAL = re.compile(r"\.csv\b|\.ya?ml\b|\.md\b|\.sql\b|docs/|spec/|init-content|TODO|"
                      r"Replace this|Replace it|--content", re.I)


@pytest.mark.parametrize("folder", ["out", "bare"])
@pytest.mark.parametrize("name", ["local-account.html", "self-assessment.html"])
def test_no_internal_names_in_public_text(council: dict[str, Path], folder: str,
                                          name: str) -> None:
    """What a reader sees (text, not the trace attributes) names no file, folder or command
    of the project, and no template instruction."""
    raw = (council[folder] / name).read_text("utf-8")
    raw = re.sub(r"<(style|svg)\b.*?</\1>", " ", raw, flags=re.S)
    found = sorted({m.group(0) for m in INTERNAL.finditer(text_of(raw))})
    assert found == []


def test_unedited_template_keeps_the_draft_banner(council: dict[str, Path]) -> None:
    """The content folder keeps the template's foreword, vision and other text unedited:
    the Local Account is a draft and says which parts; the council's own budget, workforce
    and survey figures are not listed."""
    raw = (council["out"] / "local-account.html").read_text("utf-8")
    banner = text_of(raw[raw.index('class="draft-banner"'):raw.index("</header>")])
    assert "Draft: not for publication" in banner
    for item in ("Foreword", "Our vision and priorities", "What we achieved this year"):
        assert item in banner
    assert "What we spent" not in banner and "workforce" not in banner


def test_placeholder_values_are_not_printed_as_figures(tmp_path: Path,
                                                       council: dict[str, Path]) -> None:
    """`init-content` writes budget, workforce and survey values of 0: a document built
    from them prints none of those zeros as a figure, no budget total, and lists them."""
    content = tmp_path / "c"
    r = subprocess.run([sys.executable, "-m", "openasc.cli", "report", "init-content",
                        str(content)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    r = openasc(council["base"], "report", "local-account", "--year", "2024-25", "--out",
                str(tmp_path / "o"), "--la", LA, "--content", str(content))
    assert r.returncode == 0, r.stderr
    assert "budget.csv" in r.stdout  # the console says where to fix it
    page = tmp_path / "o" / "local-account.html"
    budget = table_rows(page, "money")
    assert budget["Home care"] == ["not yet provided"] and budget["Total"] == ["not yet provided"]
    assert "£0" not in page.read_text("utf-8")
    assert table_rows(page, "survey")[
        "People who use services who feel safe (Adult Social Care Survey)"] == ["not yet provided"]
    raw = page.read_text("utf-8")
    banner = text_of(raw[raw.index('class="draft-banner"'):raw.index("</header>")])
    assert "What we spent: 7 amounts not yet provided" in banner
    assert "What people told us: People who use services who feel safe" in banner
