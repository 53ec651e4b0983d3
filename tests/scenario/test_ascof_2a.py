"""ASCOF 2A scenarios: each a small council worked through ascof.md §2.0.5 and §2.1.

Period 2024-04-01 to 2025-03-31 throughout. Unless a test says otherwise the person was born
1940-06-15 (cldfile default; proxy birth 1940-06-01, so 84 at any 2024 cluster end: band
65 and above), has no death date and no other events. "N/D" is numerator/denominator of
the headline row (all ages).
"""

from __future__ import annotations

import pytest
from ascof_harness import scenario, service

# slow: the module's batch takes over 10 s to build (scripts/test.sh --quick leaves it out)
pytestmark = [pytest.mark.usefixtures("ascof_batch"), pytest.mark.slow]

ST = "Short term support: ST-Max"
COMMUNITY = "Long term support: Community"
ENDED = "NFA: Support ended as planned"
PLANNING = "Progress to support planning or services"


def stmax(person: str, start: str, end: str | None, outcome: str, **fields: str) -> dict:
    return service(person, ST, start, end, component="Reablement", outcome=outcome, **fields)


def test_worked_example_a_five_day_gap_one_cluster_then_community_support(tmp_path):
    """ascof.md worked example A. S1 06-03→06-20, S2 06-25→07-10: S2 starts 5 days after
    the running latest end 06-20 (≤ 7) → one cluster 06-03→07-10, ending in the year;
    outcome = S2's (latest end) `NFA: Support ended as planned`. No LTS before 06-03 → new.
    Sequel window: start in [06-03, 07-17], end after 07-10: community LTS C from 07-14
    (open) → service rank 3 → `Long term support: Community` → D only. N/D = 0/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-06-03", "2024-06-20", PLANNING),
        stmax("P", "2024-06-25", "2024-07-10", ENDED),
        service("P", COMMUNITY, "2024-07-14"),
    ])
    assert f.get("2A") == (0, 1)
    assert f.get("2A", "age_band=65 and above") == (0, 1)
    assert f.get("2A", "age_band=18 to 64") == (0, 0)


def test_community_support_ten_days_after_is_outside_the_sequel_window(tmp_path):
    """Example A variant: C starts 07-20 = cluster end + 10 > 7 → not a candidate; no
    candidates at all and the cluster outcome (`NFA: Support ended as planned`, rank 14) is
    usable → step 4a → final outcome ended as planned → N and D. N/D = 1/1, value 100."""
    f = scenario(tmp_path, [
        stmax("P", "2024-06-03", "2024-06-20", PLANNING),
        stmax("P", "2024-06-25", "2024-07-10", ENDED),
        service("P", COMMUNITY, "2024-07-20"),
    ])
    assert f.get("2A") == (1, 1)
    assert f.value("2A") == 100.0


def test_community_support_seven_days_after_is_inside_the_sequel_window(tmp_path):
    """Boundary of the sequel window: C starts 07-17 = cluster end 07-10 + 7 → start ≤ end
    + 7 → candidate → `Long term support: Community` → D only. N/D = 0/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-06-25", "2024-07-10", ENDED),
        service("P", COMMUNITY, "2024-07-17"),
    ])
    assert f.get("2A") == (0, 1)


def test_nine_day_gap_makes_two_clusters(tmp_path):
    """Example A variant: S2 starts 06-29, 9 days after S1's end → two clusters.
    Cluster 1 (S1, ends 06-20, outcome `Progress to support planning or services`, unusable):
    no candidates (S2 starts after 06-27; C after 06-27) → no 4a (unusable), no nested
    events → step 6 → unable to classify → neither N nor D. Cluster 2 (S2 06-29→07-10): new
    client; C starts 07-14 ≤ 07-17 → community → D only. N/D = 0/1."""
    f = scenario(tmp_path, [
        stmax("P", "2024-06-03", "2024-06-20", PLANNING),
        stmax("P", "2024-06-29", "2024-07-10", ENDED),
        service("P", COMMUNITY, "2024-07-14"),
    ])
    assert f.get("2A") == (0, 1)


def test_exactly_seven_day_gap_joins_the_cluster(tmp_path):
    """S1 06-03→06-20 and S2 06-27→07-10, both ended as planned: gap 06-20→06-27 = 7 ≤ 7
    → one cluster → one episode, outcome ended as planned, no candidates → N/D = 1/1.
    (Two clusters would give 2/2.)"""
    f = scenario(tmp_path, [
        stmax("P", "2024-06-03", "2024-06-20", ENDED),
        stmax("P", "2024-06-27", "2024-07-10", ENDED),
    ])
    assert f.get("2A") == (1, 1)


def test_eight_day_gap_splits_the_cluster(tmp_path):
    """S1 06-03→06-20 and S2 06-28→07-10, both ended as planned: gap 8 > 7 → two clusters.
    Cluster 1: candidates must start ≤ 06-27; S2 starts 06-28 → none; usable outcome → 4a →
    N and D. Cluster 2 likewise. N/D = 2/2."""
    f = scenario(tmp_path, [
        stmax("P", "2024-06-03", "2024-06-20", ENDED),
        stmax("P", "2024-06-28", "2024-07-10", ENDED),
    ])
    assert f.get("2A") == (2, 2)


def test_gap_is_measured_from_the_latest_end_so_far_not_the_previous_row(tmp_path):
    """S1 05-01→07-31, S2 05-10→05-20 (inside S1), S3 08-05→08-20. Ordered by start:
    S1, S2, S3. Running latest end before S3 = 07-31 (S1), not S2's 05-20 → gap 5 → one
    cluster 05-01→08-20, outcome S3's. All ended as planned → N/D = 1/1 (the previous-row
    rule would make S3 a second cluster: 2/2)."""
    f = scenario(tmp_path, [
        stmax("P", "2024-05-01", "2024-07-31", ENDED),
        stmax("P", "2024-05-10", "2024-05-20", ENDED),
        stmax("P", "2024-08-05", "2024-08-20", ENDED),
    ])
    assert f.get("2A") == (1, 1)


def test_long_term_support_ended_exactly_91_days_before_is_a_new_client(tmp_path):
    """Cluster 2024-09-01→09-20 (ended as planned). Community LTS 2024-01-01→2024-06-02:
    diff(06-02, 09-01) = 91, not < 91 → new client → N/D = 1/1."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", "2024-06-02", outcome=ENDED),
        stmax("P", "2024-09-01", "2024-09-20", ENDED),
    ])
    assert f.get("2A") == (1, 1)


def test_long_term_support_ended_90_days_before_makes_an_existing_client(tmp_path):
    """As before but the LTS ends 2024-06-03: diff = 90 < 91 and it started before the
    cluster → existing client → cluster dropped. N/D = 0/0."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-01-01", "2024-06-03", outcome=ENDED),
        stmax("P", "2024-09-01", "2024-09-20", ENDED),
    ])
    assert f.get("2A") == (0, 0)
    assert f.value("2A") is None


def test_long_term_support_running_at_the_cluster_start_makes_an_existing_client(tmp_path):
    """Open community LTS from 2024-02-01; cluster 2024-09-01→09-20. The LTS started before
    and is open (diff negative < 91) → existing → dropped. N/D = 0/0."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-02-01"),
        stmax("P", "2024-09-01", "2024-09-20", ENDED),
    ])
    assert f.get("2A") == (0, 0)


def test_long_term_support_starting_on_the_cluster_start_does_not_make_existing(tmp_path):
    """Community LTS starts 2024-09-01, the cluster's first day: not *before* the cluster
    start → still new. It is a candidate (start ≥ 09-01, open) → `Long term support:
    Community` → D only. N/D = 0/1."""
    f = scenario(tmp_path, [
        service("P", COMMUNITY, "2024-09-01"),
        stmax("P", "2024-09-01", "2024-09-20", ENDED),
    ])
    assert f.get("2A") == (0, 1)


def test_age_bands_and_under_18_at_the_cluster_end(tmp_path):
    """Three people, each one cluster ended as planned on 2024-09-28, no other events.
    A born 1960-01-15 → proxy 1960-01-01 → 64.7 at 09-28 → 18 to 64. B born 1959-08-15 →
    proxy 1959-08-01 → 65.2 → 65 and above. C born 2007-01-15 → 17.7 → under 18 → dropped.
    Total N/D = 2/2; 18 to 64: 1/1; 65 and above: 1/1."""
    f = scenario(tmp_path, [
        stmax("A", "2024-09-01", "2024-09-28", ENDED, Date_of_Birth="1960-01-15"),
        stmax("B", "2024-09-01", "2024-09-28", ENDED, Date_of_Birth="1959-08-15"),
        stmax("C", "2024-09-01", "2024-09-28", ENDED, Date_of_Birth="2007-01-15"),
    ])
    assert f.get("2A") == (2, 2)
    assert f.get("2A", "age_band=18 to 64") == (1, 1)
    assert f.get("2A", "age_band=65 and above") == (1, 1)


def test_cluster_ending_on_the_last_day_of_the_period_counts(tmp_path):
    """Cluster 2025-03-10→2025-03-31: end within the period (inclusive) → counted; ended as
    planned → N/D = 1/1. A second person's cluster ends 2024-03-30, before the period →
    not counted."""
    f = scenario(tmp_path, [
        stmax("P", "2025-03-10", "2025-03-31", ENDED),
        stmax("Q", "2024-03-01", "2024-03-30", ENDED),
    ])
    assert f.get("2A") == (1, 1)


def test_labels_are_compared_without_regard_to_case(tmp_path):
    """Worked example A again with the service type written `SHORT TERM SUPPORT: ST-MAX`
    and the outcome `nfa: support ended as planned`: the labels must match case-
    insensitively (ascof.md §0). Ended as planned, no candidates → N/D = 1/1."""
    f = scenario(tmp_path, [
        service("P", "SHORT TERM SUPPORT: ST-MAX", "2024-06-25", "2024-07-10",
                component="Reablement", outcome="nfa: support ended as planned"),
    ])
    assert f.get("2A") == (1, 1)


def test_the_disaggregation_shows_each_episode_by_sequel_and_final_outcome(tmp_path):
    """DHSC's disaggregated 2A table (2A-EPISODES). The nine-day-gap scenario: cluster 1
    (ends 06-20) has no candidate and an unusable outcome → step 6, final outcome
    `Progress to support planning or services` → unable to classify; cluster 2 → step 3,
    `Long term support: Community` → denominator only. A second person Q's ST-Max ending
    `NFA: Support ended as planned` with nothing after → step 4a → numerator. Three episodes
    (band 65 and above); 2A itself is 1/2."""
    f = scenario(tmp_path, [
        stmax("P", "2024-06-03", "2024-06-20", PLANNING),
        stmax("P", "2024-06-29", "2024-07-10", ENDED),
        service("P", COMMUNITY, "2024-07-14"),
        stmax("Q", "2024-09-01", "2024-09-20", ENDED),
    ])
    assert f.get("2A") == (1, 2)
    assert f.get("2A-EPISODES") == (3, None)
    assert f.get("2A-EPISODES", "counted=unable to classify") == (1, None)
    assert f.get("2A-EPISODES", "counted=denominator only") == (1, None)
    assert f.get("2A-EPISODES", "counted=numerator") == (1, None)
    assert f.get("2A-EPISODES", "age_band=65 and above;counted=denominator only;"
                 f"final_outcome={COMMUNITY};sequel=3") == (1, None)
    assert f.get("2A-EPISODES", "age_band=65 and above;counted=unable to classify;"
                 f"final_outcome={PLANNING};sequel=6") == (1, None)
    assert f.get("2A-EPISODES", "sequel=4a") == (1, None)
