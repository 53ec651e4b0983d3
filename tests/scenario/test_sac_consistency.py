"""On a synthetic council, every part-to-total relation the collections imply holds in the
export (sac-dols-salt.md A8, B4): single-label breakdowns sum to their headline, multi-label
ones to at least it, and the checks of A8 (advocacy within lacked capacity, achieved within
expressed, people within cases)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sac_casefiles import add_population, export, openasc

SUMS_TO_HEADLINE = {"SG1a", "SG1a_CONCERNS", "SG1a_OTHER", "SG1b", "SG1c", "SG1d", "SG3a",
                    "SG4a_ASKED"}
AT_LEAST_HEADLINE = {"SG2a", "SG2_SOURCE"}
AT_MOST_HEADLINE = {"SG2b", "SG2c", "SG2e", "SG4a_ACHIEVED"}


@pytest.fixture(scope="module")
def metrics(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("consistency")
    for args in (["synth", "cld", "--out", "cld.csv", "--people", "600"],
                 ["synth", "safeguarding", "--out", "sg.csv", "--concerns", "3000",
                  "--people-from", "cld.csv", "--defect-rate", "0.02"],
                 ["synth", "dols", "--out", "dols.csv", "--applications", "1500",
                  "--people-from", "cld.csv", "--defect-rate", "0.02"],
                 ["ingest", "safeguarding", "sg.csv"], ["ingest", "dols", "dols.csv"]):
        r = openasc(tmp, *args)
        assert r.returncode == 0, r.stderr
    add_population(tmp, 2024, {age: 3000 for age in range(18, 91)})
    r = openasc(tmp, "compute", "--from", "2024-04-01", "--to", "2025-03-31", "--la", "416")
    assert r.returncode == 0, r.stderr
    return export(tmp)


def _parts(m: dict, family: str) -> dict[str, dict[str, dict[str, float]]]:
    """code -> key -> {value: numerator}; '' key holds the headline."""
    out: dict = defaultdict(lambda: defaultdict(dict))
    for (fam, code, breakdown), (num, _, _) in m.items():
        if fam == family:
            key, _, value = breakdown.partition("=")
            out[code][key][value] = float(num)
    return out


def test_sac_parts_and_totals(metrics: dict) -> None:
    p = _parts(metrics, "SAC")
    for code in SUMS_TO_HEADLINE | AT_LEAST_HEADLINE | AT_MOST_HEADLINE:
        total = p[code][""][""]
        for key, values in p[code].items():
            if key == "":
                continue
            s = sum(values.values())
            if code in SUMS_TO_HEADLINE:
                assert s == total, (code, key, s, total)
            elif code in AT_LEAST_HEADLINE:
                assert s >= total, (code, key, s, total)
            else:
                assert s <= total, (code, key, s, total)
    assert p["SG2a"]["abuse_type"] and sum(p["SG2a"]["abuse_type"].values()) > p["SG2a"][""][""]
    assert p["TOTAL_ENQ"][""][""] == p["S42"][""][""] + p["OTHER_ENQ"][""][""]
    assert p["SG1a"][""][""] <= p["S42"][""][""]  # people <= cases
    assert p["SG1a"][""][""] == p["SG1b"][""][""] == p["SG1c"][""][""]
    assert p["SG1d"][""][""] == p["S42"][""][""]
    assert p["SG3a"][""][""] == p["CONCLUDED_S42"][""][""]
    assert p["SG3a_ADVOCACY"][""][""] <= p["SG3a"]["outcome"]["Yes, they lacked capacity"]
    assert p["SG4a_ACHIEVED"][""][""] == \
        p["SG4a_ASKED"]["outcome"]["Yes they were asked and outcomes were expressed"]
    assert p["SG2e"][""][""] == p["SG2c"]["outcome"]["Risk identified and action taken"]


def test_dols_parts_and_totals(metrics: dict) -> None:
    p = _parts(metrics, "DOLS")
    for code, keys in {"RECEIVED": ("setting", "type"), "RECEIVED_PEOPLE": ("age_band", "sex"),
                       "COMPLETED": ("outcome", "type"),
                       "NOT_COMPLETED": ("duration", "priority"),
                       "NOT_GRANTED_REASON": ("outcome",)}.items():
        for key in keys:
            assert sum(p[code][key].values()) == p[code][""][""], (code, key)
    assert p["RECEIVED_PEOPLE"][""][""] <= p["RECEIVED"][""][""]
    assert p["NOT_GRANTED_REASON"][""][""] == p["COMPLETED"]["outcome"]["Not granted"]
    assert p["RECEIVED"][""][""] > 0 and p["NOT_COMPLETED"][""][""] > 0
