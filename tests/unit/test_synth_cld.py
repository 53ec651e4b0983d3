"""The synthetic council's CLD files: shape, spellings, journeys, faults, determinism.

Each test reads a small file written by `write_cld` back with DuckDB and checks one property
the reference (cld-r2.md, ascof.md §2) asks of a real submission.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pytest
import yaml

from openasc.errors import OpenascError
from openasc.synth import defects
from openasc.synth.cld import HEADER, PERSON_COLUMNS, people_frame, read_people, simulate, write_cld
from openasc.synth.people import JOURNEYS, OPEN, nhs_check_digit
from openasc.synth.values import LISTS, code, spellings

SPEC = Path(__file__).resolve().parents[2] / "src" / "openasc" / "spec" / "cld_r2.yaml"
CODED = [f for f in LISTS if f in HEADER and f != "Total_Hrs_Caring_per_week"]  # R1: hours
PEOPLE = 3000


def _write(folder: Path, name: str, **kw) -> tuple[Path, int]:
    args = dict(
        people=PEOPLE,
        la_code="416",
        year="2024-25",
        seed=7,
        release=2,
        defect_rate=0.0,
        submissions=1,
    )
    args.update(kw)
    return write_cld(out=folder / name, **args)[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("synth")
    return {
        "r2": _write(folder, "r2.csv")[0],
        "r1": _write(folder, "r1.csv", release=1)[0],
        "bad": _write(folder, "bad.csv", defect_rate=0.1)[0],
    }


@cache
def _con(path: Path) -> duckdb.DuckDBPyConnection:
    """The file loaded once as table `f` (all text), with view `d` adding parsed dates."""
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE f AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)"
    )
    con.execute(
        "CREATE VIEW d AS SELECT *, strptime(Event_Start_Date, '%d/%m/%Y')::DATE AS s, "
        "strptime(Event_End_Date, '%d/%m/%Y')::DATE AS e, "
        "strptime(Date_of_Death, '%d/%m/%Y')::DATE AS dod, "
        "strptime(Date_of_Birth, '%d/%m/%Y')::DATE AS dob FROM f"
    )
    return con


def _sql(path: Path, query: str) -> list[tuple]:
    return _con(path).execute(query).fetchall()


def test_same_arguments_give_the_same_bytes(tmp_path, files):
    """Determinism: writing again with the same arguments gives a byte-identical file;
    another seed gives a different one."""
    again, _ = _write(tmp_path, "again.csv")
    other, _ = _write(tmp_path, "other.csv", seed=8)
    assert again.read_bytes() == files["r2"].read_bytes()
    assert other.read_bytes() != files["r2"].read_bytes()


def test_header_is_the_r2_field_names(files):
    first = files["r2"].read_text("utf-8").splitlines()[0]
    assert tuple(first.split(",")) == HEADER
    assert {
        "NHS_Number",
        "LA_Person_Unique_Identifier",
        "Event_Outcome",
        "Request_Route_of_Access",
        "Planned_units_per_week",
    } <= set(HEADER)


def test_every_row_carries_the_nhs_council_code_and_the_period(files):
    """Worcestershire is 416 (NHS code), not its DfE code 885; 2024-25 is 01/04/2024-31/03/2025."""
    rows = _sql(
        files["r2"],
        "SELECT DISTINCT LA_Code, Reporting_Period_Start_Date, Reporting_Period_End_Date FROM f",
    )
    assert rows == [("416", "01/04/2024", "31/03/2025")]
    written = write_cld(
        out=files["r2"].with_name("ons.csv"),
        people=50,
        la_code="E10000034",
        year="2024-25",
        seed=1,
        release=2,
        defect_rate=0.0,
    )
    assert _sql(written[0][0], "SELECT DISTINCT LA_Code FROM f") == [("416",)]


def test_all_event_and_client_types_are_present(files):
    counts = dict(
        _sql(files["r2"], "SELECT coalesce(Event_Type, 'KBA'), count(*) FROM f GROUP BY 1")
    )
    assert set(counts) == {"Request", "Assessment", "Service", "Review", "KBA"}
    assert counts["Service"] > counts["Review"] > 0
    clients = dict(_sql(files["r2"], "SELECT Client_Type, count(*) FROM f GROUP BY 1"))
    assert set(clients) == {"Service user", "Unpaid carer", "Unpaid carer known by association"}


@pytest.mark.parametrize("release", [1, 2])
def test_coded_values_are_spelled_as_the_release_lists(files, release):
    """Every coded cell of a clean file is a value of its list in the file's release."""
    path = files["r2" if release == 2 else "r1"]
    for field in CODED:
        allowed = set(spellings(field, release))
        found = {
            r[0] for r in _sql(path, f"SELECT DISTINCT {field} FROM f WHERE {field} IS NOT NULL")
        }
        assert found <= allowed, (field, found - allowed)


def test_r2_values_are_in_the_shared_specification():
    """Our R2 spellings are the ones spec/cld_r2.yaml (the validator's lists) accepts, and our
    R1 spellings are its R1 values where it gives one."""
    spec = yaml.safe_load(SPEC.read_text("utf-8"))["lists"]
    for field, pairs in LISTS.items():
        values = spec[field]["values"]
        r2 = {v["value"] for v in values}
        r1 = {
            r
            for v in values
            for r in ([v["r1"]] if isinstance(v.get("r1"), str) else v.get("r1") or [])
        }
        for ours_r2, ours_r1 in pairs:
            assert ours_r2 in r2, (field, ours_r2)
            if field != "Total_Hrs_Caring_per_week":
                assert ours_r1 in r1 | r2, (field, ours_r1)


def test_release_switch_changes_spellings_only(files):
    """R1 and R2 files of the same council hold the same rows; only the spellings differ,
    e.g. Client_Type `Service user` (R2) is `Service User` (R1)."""
    assert _sql(files["r1"], "SELECT count(*) FROM f") == _sql(
        files["r2"], "SELECT count(*) FROM f"
    )
    r2 = dict(_sql(files["r2"], "SELECT Client_Type, count(*) FROM f GROUP BY 1"))
    r1 = dict(_sql(files["r1"], "SELECT Client_Type, count(*) FROM f GROUP BY 1"))
    assert r1["Service User"] == r2["Service user"]
    assert r1["Carer"] == r2["Unpaid carer"]
    hours = _sql(
        files["r1"],
        "SELECT count(*) FROM f WHERE TRY_CAST(Total_Hrs_Caring_per_week AS INTEGER) IS NOT NULL",
    )
    assert hours[0][0] > 0  # R1 sends a number of hours, R2 a band


def test_nhs_numbers_are_valid_and_one_per_person(files):
    """Modulus 11: e.g. 401 023 2137 -> 4*10+0*9+1*8+0*7+2*6+3*5+2*4+1*3+3*2 = 92;
    92 mod 11 = 4; 11 - 4 = 7 = last digit. Every number is in 400-499 or 600-799 million."""
    assert nhs_check_digit(np.array([401023213]))[0] == 7
    rows = _sql(files["r2"], "SELECT DISTINCT LA_Person_Unique_Identifier, NHS_Number FROM f")
    numbers = np.array([int(n) for _, n in rows])
    assert (nhs_check_digit(numbers // 10) == numbers % 10).all()
    first3 = numbers // 10_000_000
    assert (((first3 >= 400) & (first3 < 500)) | ((first3 >= 600) & (first3 < 800))).all()
    assert len({p for p, _ in rows}) == len(rows) == len(set(numbers))


def test_postcodes_gp_codes_and_provider_ids_have_valid_formats(files):
    postcode = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}$")
    rows = _sql(files["r2"], "SELECT DISTINCT Postcode, GP_Practice_Code FROM f")
    assert all(postcode.match(p) for p, _ in rows)
    assert all(re.fullmatch(r"M\d{5}", g) for _, g in rows)  # West Midlands practices
    areas = {re.match(r"[A-Z]+", p).group() for p, _ in rows}
    assert areas <= {"B", "WR", "DY", "CV", "WV", "ST", "TF", "HR", "WS"}
    ids = _sql(
        files["r2"],
        "SELECT DISTINCT Provider_CQC_Location_ID FROM f "
        "WHERE Provider_CQC_Location_ID IS NOT NULL",
    )
    assert ids and all(re.fullmatch(r"1-\d{8,11}", i) for (i,) in ids)


def test_events_sit_in_the_period_and_in_date_order(files):
    """Requests, assessments, reviews end in the 12 months; services overlap them; no end
    before its start; nobody is born after their event."""
    bad = _sql(
        files["r2"],
        """
        SELECT count(*) FROM d WHERE
          (Event_Type <> 'Service' AND (e < DATE '2024-04-01' OR e > DATE '2025-03-31'))
          OR (Event_Type = 'Service' AND (s > DATE '2025-03-31' OR e < DATE '2024-04-01'))
          OR e < s OR dob > s OR (Event_Type <> 'Service' AND e IS NULL)""",
    )
    assert bad == [(0,)]


def test_no_events_after_death_and_services_end_on_death(files):
    """A death in the period ends the person's open services on that day (outcome
    `NFA: Deceased`); nothing starts or ends after it."""
    after = _sql(
        files["r2"],
        "SELECT count(*) FROM d WHERE dod IS NOT NULL AND "
        "(s > dod OR e > dod OR (Event_Type IS NOT NULL AND e IS NULL))",
    )
    assert after == [(0,)]
    deceased = _sql(
        files["r2"],
        "SELECT count(*) FROM d WHERE Event_Type = 'Service' "
        "AND e = dod AND Event_Outcome = 'NFA: Deceased'",
    )
    assert deceased[0][0] > 10


def test_st_max_follows_a_request_and_leads_to_its_sequel():
    """In the full history: every ST-Max starts on or after a request of the same person
    ends; an ST-Max ending `Progress to support planning or services` is followed within
    7 days (the 2A sequel window) by a service; `Admitted to hospital` and `NFA` ones are not
    followed by long-term support in that window."""
    crowd, ev, _ = simulate(PEOPLE, "416", "2024-25", 7)
    con = duckdb.connect()
    st_max = code("Service_Type", "Short term support: ST-Max")
    service, request = code("Event_Type", "Service"), code("Event_Type", "Request")
    lts = [
        code("Service_Type", f"Long term support: {s}")
        for s in ("Nursing care", "Residential care", "Community")
    ]
    con.register(
        "ev",
        {k: ev[k] for k in ("person", "event_type", "service_type", "start", "end", "outcome")},
    )
    orphan = con.execute(f"""SELECT count(*) FROM ev x WHERE x.service_type = {st_max} AND NOT
        EXISTS (SELECT 1 FROM ev r WHERE r.person = x.person AND r.event_type = {request}
                AND r."end" <= x.start)""").fetchone()[0]
    assert orphan == 0
    progress = code("Event_Outcome", "Progress to support planning or services")
    rows = con.execute(f"""SELECT count(*), count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM ev n WHERE n.person = x.person AND n.event_type = {service}
        AND n.service_type <> {st_max} AND n.start > x."end" AND n.start <= x."end" + 7))
        FROM ev x WHERE x.service_type = {st_max} AND x.outcome = {progress}
        AND x."end" < {OPEN}""").fetchone()
    assert rows[0] > 20 and rows[1] == rows[0]
    ended = code("Event_Outcome", "NFA: Support ended as planned")
    hospital = code("Event_Outcome", "Admitted to hospital")
    followed = con.execute(f"""SELECT count(*) FROM ev x WHERE x.service_type = {st_max}
        AND x.outcome IN ({ended}, {hospital}) AND EXISTS (SELECT 1 FROM ev n WHERE
        n.person = x.person AND n.service_type IN ({",".join(map(str, lts))})
        AND n.start > x."end" AND n.start <= x."end" + 7)""").fetchone()[0]
    assert followed == 0
    assert crowd.n == PEOPLE


def test_hospital_discharge_transition_and_carers_are_realistic(files):
    """Hospital discharge is the commonest route into ST-Max; young people (17-25 at the
    request) come in by planned entry (transition); carers link to service users in the file."""
    routes = dict(
        _sql(
            files["r2"],
            "SELECT Request_Route_of_Access, count(*) FROM f "
            "WHERE Event_Outcome = 'Progress to reablement/ST-Max' GROUP BY 1",
        )
    )
    assert max(routes, key=routes.get) == "Discharge from hospital"
    ages = _sql(
        files["r2"],
        "SELECT min(date_diff('year', dob, s)), max(date_diff('year', dob, s)),"
        " count(*) FROM d WHERE Request_Route_of_Access = "
        "'Planned entry (transition)'",
    )
    assert ages[0][2] > 20 and 16 <= ages[0][0] and ages[0][1] <= 25
    linked = _sql(
        files["r2"],
        """SELECT count(*), count(*) FILTER (WHERE Adult_1_Linked_Person_ID IN
        (SELECT LA_Person_Unique_Identifier FROM f WHERE Client_Type = 'Service user'))
        FROM f WHERE Client_Type <> 'Service user'""",
    )
    assert linked[0][0] > 50 and linked[0][1] / linked[0][0] > 0.9
    kba_events = _sql(
        files["r2"],
        "SELECT count(*) FROM f WHERE Client_Type = "
        "'Unpaid carer known by association' AND (Event_Type IS NOT NULL "
        "OR Event_Start_Date IS NOT NULL OR Adult_1_Linked_Person_ID IS NULL)",
    )
    assert kba_events == [(0,)]


def test_long_term_support_by_setting_mechanism_and_age(files):
    """Admissions to residential/nursing care in the year for both 18-64 and 65+, with far
    more older people (2B vs 2C); community support by all three mechanisms with costs;
    working-age learning-disability clients mostly settled, some in paid work."""
    adm = dict(
        _sql(
            files["r2"],
            """SELECT date_diff('year', dob, s) >= 65, count(DISTINCT
        LA_Person_Unique_Identifier) FROM d WHERE Service_Type IN
        ('Long term support: Residential care', 'Long term support: Nursing care')
        AND s >= DATE '2024-04-01' GROUP BY 1""",
        )
    )
    assert adm[True] > 5 * adm.get(False, 0) and adm.get(False, 0) >= 1
    mech = dict(
        _sql(
            files["r2"],
            "SELECT Delivery_Mechanism, count(*) FROM f WHERE Service_Type = "
            "'Long term support: Community' GROUP BY 1",
        )
    )
    assert {"Direct payment", "CASSR managed personal budget", "CASSR commissioned support"} <= set(
        mech
    )
    missing_cost = _sql(
        files["r2"],
        """SELECT count(*) FROM f WHERE Service_Type LIKE 'Long term%'
        AND Delivery_Mechanism <> 'CASSR commissioned support' AND (Unit_Cost IS NULL OR
        Cost_Frequency_Unit_Type IS NULL OR Planned_units_per_week IS NULL)""",
    )
    assert missing_cost == [(0,)]
    ld = _sql(
        files["r2"],
        """SELECT count(DISTINCT LA_Person_Unique_Identifier),
        count(DISTINCT LA_Person_Unique_Identifier) FILTER (WHERE Employment_Status LIKE 'Paid%'),
        count(DISTINCT LA_Person_Unique_Identifier) FILTER (WHERE Employment_Status IS NULL)
        FROM d WHERE Primary_Support_Reason = 'Learning disability support'
        AND date_diff('year', dob, DATE '2025-03-31') BETWEEN 18 AND 64""",
    )[0]
    assert ld[0] > 30 and 0 < ld[1] < ld[0] * 0.2 and ld[2] == 0


def _faults(path: Path) -> dict[str, int]:
    """Count each planted fault the way a validator would see it."""
    con = duckdb.connect()
    con.execute(f"CREATE VIEW f AS SELECT * FROM read_csv('{path}', all_varchar = true)")
    nums = con.execute("SELECT NHS_Number FROM f WHERE NHS_Number IS NOT NULL").fetchall()
    n = np.array([int(x) for (x,) in nums])
    bad_check = int((nhs_check_digit(n // 10) != n % 10).sum())
    counts = con.execute("""SELECT
      count(*) FILTER (WHERE Ethnicity = 'White'),
      count(*) FILTER (WHERE Client_Type IN ('Service User', 'Carer',
                                             'Carer known by association')),
      count(*) FILTER (WHERE Gender <> trim(Gender)),
      count(*) FILTER (WHERE NHS_Number IS NULL),
      count(*) FILTER (WHERE try_strptime(Event_End_Date, '%d/%m/%Y')
                           < try_strptime(Event_Start_Date, '%d/%m/%Y')),
      count(*) FILTER (WHERE Postcode IS NULL),
      count(*) FILTER (WHERE Date_of_Birth LIKE '____-__-__'),
      count(*) FILTER (WHERE Accommodation_Status = 'NULL'),
      count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM f)),
      count(*) FROM f""").fetchone()
    names = [
        "invalid value",
        "wrong release",
        "case and spacing",
        "missing NHS number",
        "end before start",
        "missing mandatory field",
        "ISO dates",
        "NULL text",
        "duplicate row",
        "rows",
    ]
    out = dict(zip(names, counts, strict=True))
    out["invalid check digit"] = bad_check
    return out


def test_a_clean_file_has_no_faults(files):
    faults = _faults(files["r2"])
    assert {k: v for k, v in faults.items() if k != "rows" and v} == {}


def test_faults_appear_at_the_requested_rate(files):
    """At --defect-rate 0.1 about 10% of the written rows carry one fault each, and every
    kind of fault appears (each kind about 1% of rows)."""
    faults = _faults(files["bad"])
    rows = faults.pop("rows")
    assert set(faults) == {name for name, _, _ in defects.KINDS.values()}
    assert all(v > 0 for v in faults.values()), faults
    assert 0.085 < sum(faults.values()) / rows < 0.115


def test_quarterly_submissions_restate_open_services(tmp_path):
    """Four files end 30/06/2024, 30/09/2024, 31/12/2024 and 31/03/2025, each covering 12
    months; a service open throughout appears in all four with the same reference and start."""
    written = write_cld(
        out=tmp_path / "sub.csv",
        people=400,
        la_code="416",
        year="2024-25",
        seed=3,
        release=2,
        defect_rate=0.0,
        submissions=4,
    )
    assert [p.name for p, _ in written] == [f"sub_q{k}.csv" for k in range(1, 5)]
    periods = [
        _sql(p, "SELECT DISTINCT Reporting_Period_Start_Date, Reporting_Period_End_Date FROM f")[0]
        for p, _ in written
    ]
    assert periods == [
        ("01/07/2023", "30/06/2024"),
        ("01/10/2023", "30/09/2024"),
        ("01/01/2024", "31/12/2024"),
        ("01/04/2024", "31/03/2025"),
    ]
    refs = [
        {
            r
            for r in _sql(
                p,
                "SELECT Event_Reference, Event_Start_Date FROM f WHERE Event_Type = "
                "'Service' AND Event_End_Date IS NULL",
            )
        }
        for p, _ in written
    ]
    assert len(refs[0] & refs[1] & refs[2] & refs[3]) > 50


def test_rows_per_person():
    """About 2.6 rows per person in a single file (so ~385,000 people give ~1M rows)."""
    crowd, ev, _ = simulate(20000, "416", "2024-25", 1)
    from openasc.synth.cld import ROWS_PER_PERSON, _cut, _days, plan_submissions

    plan = plan_submissions(Path("x.csv"), "2024-25", 1)[0]
    rows = len(_cut(ev, _days(plan.start), _days(plan.end))["person"])
    assert abs(rows / 20000 - ROWS_PER_PERSON) < 0.2
    assert len(JOURNEYS) == 7


def test_people_of_a_file_can_be_read_back_for_other_returns(files):
    """Safeguarding/DoLS generators take people from a CLD file: one row per person with the
    person columns, the same as `people_frame` gives for those people."""
    from_file = read_people(files["r2"])
    assert tuple(from_file.column_names) == PERSON_COLUMNS
    ids = from_file.column("LA_Person_Unique_Identifier").to_pylist()
    assert len(ids) == len(set(ids)) > PEOPLE * 0.8
    frame = people_frame(PEOPLE, "416", "2024-25", 7)
    by_id = {r["LA_Person_Unique_Identifier"]: r for r in frame.to_pylist()}
    assert all(by_id[r["LA_Person_Unique_Identifier"]] == r for r in from_file.to_pylist())


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"year": "2024"}, "--year"),
        ({"year": "2024-26"}, "--year"),
        ({"la_code": "885"}, "885"),
        ({"release": 3}, "--release"),
        ({"defect_rate": 2.0}, "--defect-rate"),
        ({"people": 0}, "--people"),
        ({"submissions": 0}, "--submissions"),
    ],
)
def test_bad_arguments_are_user_errors(tmp_path, kw, message):
    args = dict(
        out=tmp_path / "x.csv",
        people=10,
        la_code="416",
        year="2024-25",
        seed=1,
        release=2,
        defect_rate=0.0,
    )
    args.update(kw)
    with pytest.raises(OpenascError, match=re.escape(message)):
        write_cld(**args)
