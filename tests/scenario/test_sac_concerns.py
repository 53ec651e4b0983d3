"""Concerns by type and by location of risk, and zero categories (issue 11 items 3 and 4).

The case list (period 1 April 2024 to 31 March 2025; Worcestershire, CASSR 416; everyone
female, born June 1940, so 84 on 31 March 2025: age band 75-84; ethnicity White: Irish):

| concern | received   | enquiry           | types of risk                 | location      |
|---------|------------|-------------------|-------------------------------|---------------|
| K1      | 01/05/2024 | none              | Physical; Neglect and Acts... | Own Home      |
| K2      | 01/06/2024 | none              | Physical Abuse                | Care Home - R |
| K3      | 01/07/2024 | S42, 02/07-01/08  | Financial (written twice)     | Own Home      |
| K4      | 01/08/2024 | none              | (none)                        | (none)        |
| K5      | 10/03/2024 | none (last year)  | Physical Abuse                | Own Home      |

(Care Home - R is Care Home - Residential; Financial is Financial or Material Abuse.)
Concerns received in the year: K1-K4 = 4 (K5 is last year's).

By type (a concern once under each different type): Physical K1, K2 = 2; Neglect K1 = 1;
Financial K3 = 1 (written twice, counted once); the other eight national types 0. Risks
recorded 2 + 1 + 1 = 4, so the shares are 50%, 25%, 25% and 0% for the rest.

By location: Own Home K1, K3 = 2; Care Home - Residential K2 = 1; the other seven 0. Three
concerns have a location, so the shares are 2/3 = 66.666...% and 1/3 = 33.333...%; K4 is in
the headline (4) only.

Zero rows elsewhere: the one concluded Section 42 enquiry (K3) has type Financial, so SG2a
has Financial 1 and the ten other types 0; SG1a (one person, 75-84) has 0 for 18-64, 65-74,
85-94 and 95+; SG1b has Male 0 and Not Known 0. Partitioning breakdowns still sum to their
headline: SG1a 1 = 0 + 0 + 1 + 0 + 0; SG1b 1 = 1 + 0 + 0; SG3a 1 (Not recorded 1, three 0s).
"""

from __future__ import annotations

import pytest
from sac_casefiles import SG_HEADER, concern, export, openasc, write_rows

from openasc.spec import load_spec

PERIOD = ["--from", "2024-04-01", "--to", "2025-03-31", "--la", "416"]
TYPES = load_spec("safeguarding").lists["Type_of_Risk"].values
LOCATIONS = load_spec("safeguarding").lists["Location_of_Risk"].values


def _rows() -> list[dict]:
    return [
        concern("K1", "P1", "01/05/2024", Types_of_Risk="Physical Abuse; Neglect and Acts of "
                "Omission", Location_of_Risk="Own Home"),
        concern("K2", "P2", "01/06/2024", Types_of_Risk="Physical Abuse",
                Location_of_Risk="Care Home - Residential"),
        concern("K3", "P3", "01/07/2024", "Section 42 enquiry", Enquiry_Start_Date="02/07/2024",
                Enquiry_Conclusion_Date="01/08/2024",
                Types_of_Risk="Financial or Material Abuse; Financial or Material Abuse",
                Location_of_Risk="Own Home"),
        concern("K4", "P4", "01/08/2024"),
        concern("K5", "P5", "10/03/2024", Types_of_Risk="Physical Abuse",
                Location_of_Risk="Own Home"),
    ]


@pytest.fixture(scope="module")
def m(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("sac_concerns")
    path = write_rows(tmp / "safeguarding.csv", SG_HEADER, _rows())
    r = openasc(tmp, "ingest", "safeguarding", str(path))
    assert r.returncode == 0, r.stderr
    r = openasc(tmp, "compute", *PERIOD)
    assert r.returncode == 0, r.stderr
    return export(tmp)


def _n(m: dict, code: str, breakdown: str = "") -> str:
    return m[("SAC", code, breakdown)][0]


def _rows_of(m: dict, code: str) -> dict[str, tuple[str, ...]]:
    return {b: v for (f, c, b), v in m.items() if f == "SAC" and c == code and b}


def test_concerns_by_type_of_risk(m: dict) -> None:
    expected = {t: "0" for t in TYPES} | {"Physical Abuse": "2",
                                          "Neglect and Acts of Omission": "1",
                                          "Financial or Material Abuse": "1"}
    assert _n(m, "CONCERNS") == "4"
    assert _n(m, "CONCERNS_BY_TYPE") == "4"
    assert {b: v[0] for b, v in _rows_of(m, "CONCERNS_BY_TYPE").items()} == {
        f"abuse_type={t}": n for t, n in expected.items()}
    assert len(expected) == 11


def test_concerns_by_type_shares(m: dict) -> None:
    shares = _rows_of(m, "CONCERNS_BY_TYPE_PCT")
    assert shares["abuse_type=Physical Abuse"] == ("2", "4", "50")
    assert shares["abuse_type=Neglect and Acts of Omission"] == ("1", "4", "25")
    assert shares["abuse_type=Sexual Abuse"] == ("0", "4", "0")
    assert len(shares) == 11 and ("SAC", "CONCERNS_BY_TYPE_PCT", "") not in m


def test_concerns_by_location(m: dict) -> None:
    expected = {loc: "0" for loc in LOCATIONS} | {"Own Home": "2",
                                                  "Care Home - Residential": "1"}
    assert _n(m, "CONCERNS_BY_LOCATION") == "4"
    assert {b: v[0] for b, v in _rows_of(m, "CONCERNS_BY_LOCATION").items()} == {
        f"location={k}": n for k, n in expected.items()}
    shares = _rows_of(m, "CONCERNS_BY_LOCATION_PCT")
    assert shares["location=Own Home"] == ("2", "3", "66.666666666667")
    assert shares["location=Care Home - Residential"] == ("1", "3", "33.333333333333")
    assert shares["location=Hospital - Acute"] == ("0", "3", "0")


def test_zero_categories_of_enquiry_tables(m: dict) -> None:
    sg2a = _rows_of(m, "SG2a")
    assert len(sg2a) == 11
    assert sg2a["abuse_type=Financial or Material Abuse"][0] == "1"
    assert sg2a["abuse_type=Physical Abuse"][0] == "0"
    assert _rows_of(m, "SG2b")["location=Hospital - Acute"][0] == "0"
    assert {b: v[0] for b, v in _rows_of(m, "SG1a").items()} == {
        "age_band=18-64": "0", "age_band=65-74": "0", "age_band=75-84": "1",
        "age_band=85-94": "0", "age_band=95+": "0"}
    assert {b: v[0] for b, v in _rows_of(m, "SG1b").items()} == {
        "sex=Female": "1", "sex=Male": "0", "sex=Not Known": "0"}


@pytest.mark.parametrize("code", ["SG1a", "SG1b", "SG1c", "SG1d", "SG3a", "SG4a_ASKED"])
def test_partitioning_breakdowns_still_sum_to_the_headline(m: dict, code: str) -> None:
    """Zero rows add nothing: each single-label breakdown sums to its headline (1 here)."""
    parts = _rows_of(m, code)
    assert sum(int(v[0]) for v in parts.values()) == int(_n(m, code)) == 1
