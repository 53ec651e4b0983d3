"""ASCOF 2D scenarios (hospital discharge into reablement), worked through ascof.md §2.3,
plus the discharges file itself (docs/discharges.md).

Period 2024-04-01 to 2025-03-31. Person Z is born 1944-05-15 (proxy 1944-05-01: 80 at any
2024 discharge), female, resident in the council; every discharge uses eligible codes
(admission method 21, discharge method 1, destination 19, treatment function 300, last
episode Y, emergency management type EM) unless stated. Part 1 is the headline row; part 2
rows carry `part=2`.
"""

from __future__ import annotations

import duckdb
import pytest
from ascof_harness import LA_ONS, _invoke, discharge, scenario, service

# slow: the module's batch takes over 10 s to build (scripts/test.sh --quick leaves it out)
pytestmark = [pytest.mark.usefixtures("ascof_batch"), pytest.mark.slow]

ST = "Short term support: ST-Max"
BORN = "1944-05-15"
ENDED = "NFA: Support ended as planned"


def reablement(person: str, start: str, end: str, **kw: str) -> dict:
    return service(person, ST, start, end, component="Reablement", outcome=ENDED,
                   Date_of_Birth=BORN, **kw)


def test_worked_example_remained_in_the_community(tmp_path):
    """ascof.md §2.3 example: Z, 80, emergency admission 2024-09-01, discharged 09-10;
    reablement cluster 09-12→10-20. Discharge is 2 days before the cluster start (within
    −7/+3) and the admission is before it → linked. Follow-up to 09-10 + 84 = 12-03: no
    readmission, death or care home → part 1 N/D = 1/1 (value 100). Part 2: N = 1 linked
    episode; D = 1 eligible discharge → 1/1."""
    f = scenario(tmp_path, [reablement("Z", "2024-09-12", "2024-10-20")],
                 discharges=[discharge("Z", "2024-09-01", "2024-09-10")])
    assert f.get("2D") == (1, 1)
    assert f.value("2D") == 100.0
    assert f.get("2D", "part=2") == (1, 1)
    assert f.get("2D", "age_band=75 to 84") == (1, 1)
    assert f.get("2D", "sex=Female") == (1, 1)
    assert f.get("2D", "setting=Those not in any LTS") == (1, 1)


def test_emergency_readmission_within_84_days(tmp_path):
    """Example variant: emergency readmission 2024-11-20 (after the cluster start and the
    discharge, 71 days after 09-10 ≤ 84) → flagged → part 1 N/D = 0/1. Part 2: the
    readmission's own spell (discharged 11-25) is also an eligible discharge, but links to
    no cluster → D = 2, N = 1."""
    f = scenario(tmp_path, [reablement("Z", "2024-09-12", "2024-10-20")],
                 discharges=[discharge("Z", "2024-09-01", "2024-09-10"),
                             discharge("Z", "2024-11-20", "2024-11-25")])
    assert f.get("2D") == (0, 1)
    assert f.get("2D", "part=2") == (1, 2)


def test_elective_readmission_does_not_count(tmp_path):
    """A readmission 2024-11-20 with management type EL (elective) is not an emergency →
    no flag → part 1 N/D = 1/1."""
    f = scenario(tmp_path, [reablement("Z", "2024-09-12", "2024-10-20")],
                 discharges=[discharge("Z", "2024-09-01", "2024-09-10"),
                             discharge("Z", "2024-11-20", "2024-11-25", management="EL")])
    assert f.get("2D") == (1, 1)


def test_link_window_seven_days_before_to_three_after(tmp_path):
    """Four people, cluster each starting 2024-09-12. A discharged 09-05 (7 days before) →
    linked. B discharged 09-04 (8 before) → not. C discharged 09-15 (3 after; admitted
    09-10, before the start) → linked. D discharged 09-16 (4 after) → not. Part 1 D = 2
    (A, C), N = 2. Part 2: D = 4 discharges, N = 2."""
    people = {"A": "2024-09-05", "B": "2024-09-04", "C": "2024-09-15", "D": "2024-09-16"}
    rows = [reablement(p, "2024-09-12", "2024-10-20") for p in people]
    dis = [discharge(p, "2024-09-02" if p in "AB" else "2024-09-10", d)
           for p, d in people.items()]
    f = scenario(tmp_path, rows, discharges=dis)
    assert f.get("2D") == (2, 2)
    assert f.get("2D", "part=2") == (2, 4)


def test_admission_after_the_cluster_start_does_not_link(tmp_path):
    """Discharge 09-14 is within +3 of the cluster start 09-12, but the admission 09-13 is
    after the cluster start → not linked. Part 1 D = 0; part 2 N/D = 0/1."""
    f = scenario(tmp_path, [reablement("Z", "2024-09-12", "2024-10-20")],
                 discharges=[discharge("Z", "2024-09-13", "2024-09-14")])
    assert f.get("2D") == (0, 0)
    assert f.get("2D", "part=2") == (0, 1)


def test_care_home_within_84_days_and_on_day_85(tmp_path):
    """Z: residential LTS starting 2024-12-03 = discharge 09-10 + 84 → flagged (N 0).
    Y (same dates): residential starting 12-04 = day 85 → not flagged (N 1).
    Part 1 N/D = 1/2."""
    res = "Long term support: Residential care"
    f = scenario(tmp_path, [
        reablement("Z", "2024-09-12", "2024-10-20"),
        service("Z", res, "2024-12-03", component="Long term residential care",
                Date_of_Birth=BORN),
        reablement("Y", "2024-09-12", "2024-10-20"),
        service("Y", res, "2024-12-04", component="Long term residential care",
                Date_of_Birth=BORN),
    ], discharges=[discharge("Z", "2024-09-01", "2024-09-10"),
                   discharge("Y", "2024-09-01", "2024-09-10")])
    assert f.get("2D") == (1, 2)


def test_death_within_84_days(tmp_path):
    """Z died 2024-11-01 (52 days after the discharge) → flagged → part 1 N/D = 0/1."""
    f = scenario(tmp_path, [
        reablement("Z", "2024-09-12", "2024-10-20", Date_of_Death="2024-11-01")],
        discharges=[discharge("Z", "2024-09-01", "2024-09-10")])
    assert f.get("2D") == (0, 1)


def test_ineligible_discharges_are_left_out_of_part_2(tmp_path):
    """Five discharges, no reablement: A eligible (80) → counted. B 64 at discharge (born
    1960-01) → out. C zero-day stay (admitted and discharged 09-10) → out. D discharge
    method 4 (died) → out. E treatment function 700 (begins 7) → out. Part 2 N/D = 0/1."""
    f = scenario(tmp_path, [service("X", "Long term support: Community", "2024-01-01")],
                 discharges=[
                     discharge("A", "2024-09-01", "2024-09-10"),
                     discharge("B", "2024-09-01", "2024-09-10", birth="1960-01"),
                     discharge("C", "2024-09-10", "2024-09-10"),
                     discharge("D", "2024-09-01", "2024-09-10", Discharge_Method="4"),
                     discharge("E", "2024-09-01", "2024-09-10",
                               Treatment_Function_Code="700"),
                 ])
    assert f.get("2D", "part=2") == (0, 1)


def test_community_support_on_admission_sets_the_setting(tmp_path):
    """Z has a long-term community service open since 2024-01-01, so is 'Those in LT
    community support' on admission 09-01; the cluster links → setting row 1/1, the other
    setting 0/0. Part 1 N/D = 1/1: community support is not residential or nursing care."""
    f = scenario(tmp_path, [
        service("Z", "Long term support: Community", "2024-01-01", Date_of_Birth=BORN),
        reablement("Z", "2024-09-12", "2024-10-20")],
        discharges=[discharge("Z", "2024-09-01", "2024-09-10")])
    assert f.get("2D", "setting=Those in LT community support") == (1, 1)
    assert f.get("2D", "setting=Those not in any LTS") == (0, 0)
    assert f.get("2D") == (1, 1)


def test_without_a_discharges_file_2d_is_not_computable(tmp_path):
    """No discharges loaded → 2D is listed as not computable (requires hospital_discharges)
    and has no row; it is never approximated."""
    f = scenario(tmp_path, [reablement("Z", "2024-09-12", "2024-10-20")])
    assert not f.has("2D") and not f.has("2D", "part=2")
    assert "ASCOF 2D: not computable for" in f.compute_output


def test_discharges_file_is_pseudonymised_checked_and_loaded_once(tmp_path):
    """Three rows: a good one, one with an NHS number whose check digit is wrong, one with
    discharge before admission. Loaded 1, quarantined 2 (row 3 field NHS_Number, row 4
    field Discharge_Date). The NHS number is stored only as the same keyed hash the CLD
    ingest makes, so the spell's person_id equals Z's CLD person_id. Loading the file again
    changes nothing."""
    good = discharge("Z", "2024-09-01", "2024-09-10")
    bad_nhs = discharge("Q", "2024-09-01", "2024-09-10")
    bad_nhs["NHS_Number"] = bad_nhs["NHS_Number"][:9] + str((int(bad_nhs["NHS_Number"][9]) + 1)
                                                          % 10)
    backwards = discharge("R", "2024-09-10", "2024-09-01")
    f = scenario(tmp_path, [reablement("Z", "2024-09-12", "2024-10-20")],
                 discharges=[good, bad_nhs, backwards], batch=False)
    assert f.get("2D") == (1, 1)
    wh = str(f.warehouse)
    again = _invoke(["--warehouse", wh, "ingest", "discharges", str(tmp_path / "discharges.csv")])
    assert "already loaded" in again
    con = duckdb.connect(wh, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM hospital_discharges").fetchone()[0] == 1
        q = con.execute("SELECT row_number, field FROM quarantine WHERE source = 'discharges' "
                        "ORDER BY row_number").fetchall()
        assert q == [(3, "NHS_Number"), (4, "Discharge_Date")]
        linked = con.execute(
            "SELECT count(*) FROM hospital_discharges h JOIN cld_events e "
            "ON e.person_id = h.person_id WHERE e.la_code = ?", [LA_ONS]).fetchone()[0]
        assert linked >= 1
        text = " ".join(str(v) for row in con.execute(
            "SELECT * FROM hospital_discharges").fetchall() for v in row)
        assert good["NHS_Number"] not in text
    finally:
        con.close()


def test_outcome_combinations_of_each_episode(tmp_path):
    """DHSC's 2D outcome combinations (2D-OUTCOMES). Z as the worked example but readmitted
    as an emergency 2024-11-20 (71 days after the 09-10 discharge) and dying 2024-11-30
    (81 days after): death and readmission within 84 days, no care home → combination
    `death + readmission`; `death=Yes`, `readmission=Yes`, `care_home=No`; one episode, so
    `outcomes=none` (2D part 1's numerator) is absent and 2D part 1 is 0/1."""
    f = scenario(tmp_path, [reablement("Z", "2024-09-12", "2024-10-20",
                                       Date_of_Death="2024-11-30")],
                 discharges=[discharge("Z", "2024-09-01", "2024-09-10"),
                             discharge("Z", "2024-11-20", "2024-11-25")])
    assert f.get("2D") == (0, 1)
    assert f.get("2D-OUTCOMES") == (1, None)
    assert f.get("2D-OUTCOMES", "outcomes=death + readmission") == (1, None)
    assert f.get("2D-OUTCOMES", "death=Yes") == (1, None)
    assert f.get("2D-OUTCOMES", "care_home=No") == (1, None)
    assert not f.has("2D-OUTCOMES", "outcomes=none")
