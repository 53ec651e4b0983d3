# ruff: noqa: E501 - rows spell the reference labels in full, one event per line
"""The two SALT methods, one person at a time, through the real command line (2024-25).

`salt_method = "nhse"` (the default) reproduces NHS England's published replication code
(NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations); `corrected` is openasc's
reading of the SALT guidance. Each scenario is one person whose events expose one rule on
which the two differ; it is ingested once and computed under both methods. Expected cells
are worked from the code's lines (cited as "STS001 L643": line 643 of "SALT STS001/STS001
replication code.txt") and from sac-dols-salt.md C4 for `corrected`. Everyone is born June
1940 (84 at 31 March 2025) unless stated; BOOKEND reviews make the file cover the year
(test_salt_events.py).
"""

from __future__ import annotations

from pathlib import Path

from test_salt_events import Figures, bookends, compute_and_export, ev, ingest, openasc

REABLE = "Short term support: ST-Max"
COMMUNITY = "Long term support: Community"
RESIDENTIAL = "Long term support: Residential care"
YEAR_BOOKENDS = ("2024-04-15", "2025-03-15")


def both(folder: Path, rows: list[dict[str, str]]) -> tuple[Figures, Figures]:
    """(nhse, corrected) figures of one file submitted 1 May 2025."""
    wh = ingest(folder, [*bookends(*YEAR_BOOKENDS), *rows])
    return compute_and_export(wh, salt_method="nhse"), compute_and_export(wh)


def cell(f: Figures, code: str, breakdown: str = "") -> float:
    return f[(code, breakdown)] if (code, breakdown) in f.rows else 0.0


def test_1_sts001_counts_requests_of_people_under_18_only_under_nhse(tmp_path: Path) -> None:
    """Born January 2008: 17 at 31 March 2025. One request, ending 1 June 2024 with
    information and advice, nothing after. The code keeps every age with a known birth
    month and year (STS001 L140-143) and maps the outcome with no later event (record type 1,
    L585-593): `Universal Services/ Signposted to other services`. `corrected` counts people
    aged 18 and over only (C4 "Age"), so the table is empty."""
    nhse, corrected = both(tmp_path, [
        ev("Y", "Request", "2024-06-01", "2024-06-01", birth_year=2008, birth_month=1,
           request_route_of_access="Community or other route",
           event_outcome="NFA: Information and advice or signposting")])
    what = "what_next=Universal Services/ Signposted to other services"
    assert cell(nhse, "STS001") == 1
    assert cell(nhse, "STS001", f"age_band=Under 18;route=Community or other route;{what}") == 1
    assert cell(corrected, "STS001") == 0


def test_2_sts001_chain_gap_is_measured_from_the_previous_event_only(tmp_path: Path) -> None:
    """Request 20 Apr - 1 May 2024. Then long-term community support from 2 May (open), a
    review 3-3 May, residential care from 10 May (open). The code compares each start with
    the previous row's end (STS001 L627-633, a LAG): residential starts 7 days after the
    review ended, so the chain breaks before it and the best service is community. openasc
    measures from the latest end so far (the community service is open), so residential is
    reached and outranks community."""
    nhse, corrected = both(tmp_path, [
        ev("P", "Request", "2024-04-20", "2024-05-01", request_route_of_access="Community or other route",
           event_outcome="Progress to support planning or services"),
        ev("P", "Service", "2024-05-02", None, service_type=COMMUNITY),
        ev("P", "Review", "2024-05-03", "2024-05-03", event_outcome="Continuation of support or services"),
        ev("P", "Service", "2024-05-10", None, service_type=RESIDENTIAL)])
    assert cell(nhse, "STS001", f"what_next={COMMUNITY}") == 1
    assert cell(nhse, "STS001", f"what_next={RESIDENTIAL}") == 0
    assert cell(corrected, "STS001", f"what_next={RESIDENTIAL}") == 1


def test_3_referral_within_the_council_has_no_column_in_the_code(tmp_path: Path) -> None:
    """Release 2's `NFA: Referral to other service within the local authority` is not in the
    code's mapping (STS001 L20-50, Release 1). Person N: request ending 1 June 2024, nothing
    after (record type 1): `Unable to classify` (L595-604). Person M: request 30 May - 1 June,
    next event an assessment 40 days later (> 28, L644: out of scope, record type 5): the
    code concatenates the prefix with a NULL mapping (L872-879), so the row has no category.
    `corrected` maps the outcome to `No Services Provided – other reason` (decision 13)."""
    rows = []
    for who, start, later in (("N", "2024-06-01", None), ("M", "2024-05-30", "2024-07-11")):
        rows.append(ev(who, "Request", start, "2024-06-01",
                       request_route_of_access="Community or other route",
                       event_outcome="NFA: Referral to other service within the local authority"))
        if later:
            rows.append(ev(who, "Assessment", later, later, event_outcome="NFA: Support declined"))
    nhse, corrected = both(tmp_path, rows)
    assert cell(nhse, "STS001") == 2
    assert cell(nhse, "STS001", "what_next=Unable to classify") == 1
    assert cell(nhse, "STS001", "what_next=No category") == 1
    assert cell(corrected, "STS001", "what_next=No Services Provided – other reason") == 2


def test_3b_the_28_day_test_is_skipped_when_the_request_starts_on_its_last_day(
        tmp_path: Path) -> None:
    """A one-day request (1 June 2024) is itself a "later event" of its cluster (it starts on
    the cluster end) and takes the first start-day number before it is removed (STS001
    L515 then L527-530); the 28-day test applies only to that first day (L644), so an
    assessment 40 days later, ending `NFA: Support declined`, is the sequel (record type 3):
    `No Services Provided – other reason`. openasc applies the 28 days: out of scope, the
    request's own outcome (`Progress to support planning or services`) has no column."""
    nhse, corrected = both(tmp_path, [
        ev("D", "Request", "2024-06-01", "2024-06-01", request_route_of_access="Community or other route",
           event_outcome="Progress to support planning or services"),
        ev("D", "Assessment", "2024-07-11", "2024-07-11", event_outcome="NFA: Support declined")])
    assert cell(nhse, "STS001", "what_next=No Services Provided – other reason") == 1
    assert cell(corrected, "STS001", "what_next=Unable to classify") == 1


def _reablement(start_next: str) -> list[dict[str, str]]:
    """Request 1-2 May 2024 -> ST-Max 3 May - 10 June -> long-term community from
    `start_next` (open)."""
    return [
        ev("S", "Request", "2024-05-01", "2024-05-02", request_route_of_access="Discharge from hospital",
           event_outcome="Progress to reablement/ST-Max"),
        ev("S", "Service", "2024-05-03", "2024-06-10", service_type=REABLE,
           event_outcome="NFA: Support ended as planned"),
        ev("S", "Service", start_next, None, service_type=COMMUNITY)]


def test_4_sts002a_takes_an_open_first_event_however_late(tmp_path: Path) -> None:
    """The ST-Max (the request's sequel in both methods) ends 10 June; community support
    starts 30 June, 20 days later, and is open. The code checks "open and first" before the
    3-day gap (STS002a L550-551), so the open service is the sequel: `Long Term Support (any setting)`. openasc
    applies the gap: nothing follows within 3 days, so the episode's own outcome (`NFA:
    Support ended as planned`) gives `No services provided – other`."""
    nhse, corrected = both(tmp_path, _reablement("2024-06-30"))
    assert cell(nhse, "STS001", f"what_next={REABLE}") == 1
    assert cell(nhse, "STS002a", "what_next=Long Term Support (any setting)") == 1
    assert cell(corrected, "STS002a", "what_next=No services provided – other") == 1
    assert cell(corrected, "STS002a", "what_next=Long Term Support (any setting)") == 0


def test_5_sts002b_long_term_service_starting_the_same_day(tmp_path: Path) -> None:
    """Community support from 1 June 2024 (open) and an ST-Max 1-20 June 2024. The code
    calls the episode an existing client's when it starts between the service's start and
    end, both included (STS002b L311, `between`): STS002b = 1. openasc requires the
    service to have started before the episode (C4 STS002b "service started before"): 0."""
    nhse, corrected = both(tmp_path, [
        ev("X", "Service", "2024-06-01", None, service_type=COMMUNITY),
        ev("X", "Service", "2024-06-01", "2024-06-20", service_type=REABLE,
           event_outcome="NFA: Support ended as planned")])
    assert cell(nhse, "STS002b") == 1
    assert cell(corrected, "STS002b") == 0


def test_6_lts001c_chain_begun_exactly_a_year_before_the_snapshot(tmp_path: Path) -> None:
    """Community support from 31 March 2024, open at 31 March 2025. The code keeps chains
    that began strictly before the snapshot less a year (LTS001c L308 `Chain_Start_Date <
    '2022-12-31'` for a 31 December 2023 snapshot): not counted. openasc counts 12 months
    or more (decision 23): counted. Both count the person in LTS001b."""
    nhse, corrected = both(tmp_path, [
        ev("C", "Service", "2024-03-31", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment")])
    assert cell(nhse, "LTS001b") == cell(corrected, "LTS001b") == 1
    assert cell(nhse, "LTS001c") == 0
    assert cell(corrected, "LTS001c") == 1


def test_7_lts_tables_read_only_the_latest_whole_submission(tmp_path: Path) -> None:
    """File A covers 2024-25 (submitted 20 April 2025); file B, the next rolling year
    (1 July 2024 - 30 June 2025, submitted 15 July 2025), adds community support for L from
    10 January 2025 (open) that A lacked. The code reads only the last import that covers the
    whole period (LTS001a L99-128 "Latest_Submission": reporting period from 1 April, imported after
    the period end): A, so L is not counted. openasc reads its joined table of both files
    (decision 15), where B supplies July 2024 onwards: L is counted."""
    ingest(tmp_path, [*bookends(*YEAR_BOOKENDS)], "2025-04-20", ("2024-04-01", "2025-03-31"))
    wh = ingest(tmp_path, [*bookends("2024-07-15", "2025-06-15"),
                           ev("L", "Service", "2025-01-10", None, service_type=COMMUNITY,
                              delivery_mechanism="Direct payment")],
                "2025-07-15", ("2024-07-01", "2025-06-30"))
    nhse, corrected = compute_and_export(wh, salt_method="nhse"), compute_and_export(wh)
    assert cell(nhse, "LTS001a") == cell(nhse, "LTS001b") == 0
    assert cell(corrected, "LTS001a") == cell(corrected, "LTS001b") == 1


def test_8_lts003_counts_a_carer_request_only_when_it_ended_in_advice(tmp_path: Path) -> None:
    """An unpaid carer whose one event is a request (1-2 June 2024) ending `NFA: Support
    declined`. NHS England's LTS003 code reads a request only when it has no service type
    and ends with information and advice (its #LTS003_Build filter), so the carer is not
    counted. openasc counts every carer request as information and advice (C5 carer
    support mapping: "request -> Information, Advice and Other Universal Services")."""
    nhse, corrected = both(tmp_path, [
        ev("K", "Request", "2024-06-01", "2024-06-02", client_type="Unpaid carer",
           request_route_of_access="Community or other route",
           event_outcome="NFA: Support declined")])
    info = "support=Information, Advice and Other Universal Services / Signposting"
    assert cell(nhse, "LTS003") == 0
    assert cell(corrected, "LTS003") == cell(corrected, "LTS003", info) == 1


def test_the_salt_export_says_which_method_made_each_table(tmp_path: Path) -> None:
    """`openasc export salt` heads every sheet with the method of the compute run that wrote
    its rows: after an `nhse` run, NHS England's code; the STS002a sheet's `All` row holds
    the code's one breakdown (by sequel): person S of test 4, `Long Term Support (any
    setting)` = 1. After a `corrected` run, openasc's method."""
    from openpyxl import load_workbook

    wh = ingest(tmp_path, [*bookends(*YEAR_BOOKENDS), *_reablement("2024-06-30")])
    for method, words in (("nhse", "NHS England's published replication code"),
                          ("corrected", "openasc's reading of the SALT guidance")):
        compute_and_export(wh, salt_method=method)
        out = tmp_path / f"salt-{method}.xlsx"
        done = openasc("--warehouse", str(wh), "export", "salt", "--out", str(out),
                       cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        wb = load_workbook(out)
        for name in ("STS001", "STS002a", "LTS001a"):
            assert words in wb[name]["D1"].value, (method, name, wb[name]["D1"].value)
        if method == "nhse":
            rows = [[c.value for c in r] for r in wb["STS002a"].iter_rows()]
            header = next(r for r in rows if r[:2] == ["Table", "all"])
            all_row = next(r for r in rows if r[:2] == ["all", "All"])
            assert all_row[header.index("Long Term Support (any setting)")] == 1
