"""SAC measures on a hand-made case list, through the command line (sac-dols-salt.md A4-A7).

The list (period 1 April 2024 to 31 March 2025; Worcestershire, CASSR 416):

| concern | person | received   | enquiry | started    | concluded  | notes |
|---------|--------|------------|---------|------------|------------|-------|
| C1 | P1 | 10/03/2024 | S42   | 15/03/2024 | 20/04/2024 | see below |
| C2 | P1 | 01/05/2024 | S42   | 02/05/2024 | 30/06/2024 | risk Physical; source Service Provider |
| C3 | P2 | 10/06/2024 | S42   | 12/06/2024 | (open)     | |
| C4 | P2 | 01/02/2025 | S42   | 03/03/2025 | 10/05/2025 | concludes next year |
| C5 | P3 | 05/07/2024 | Other | 06/07/2024 |            | |
| C6 | P4 | 01/08/2024 | none  |            |            | |
| C7 | P4 | 01/09/2024 | none  |            |            | |
| C8 | P5 | 01/12/2024 | none  |            |            | |

C1 opened last year and concluded this year; its risks are Physical + Neglect and its
sources Service Provider + Known to individual.
P1: female, born June 1940 (age 84 on 31/03/2025: 75-84). P2: male, born January 1958 (67:
65-74). Population: 1,000 persons at each age 18..90, so 73,000 adults; 47,000 aged 18-64,
10,000 65-74, 10,000 75-84, 6,000 85+.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sac_casefiles import (
    SG_HEADER,
    add_population,
    concern,
    export,
    openasc,
    write_rows,
)

PERIOD = ["--from", "2024-04-01", "--to", "2025-03-31", "--la", "416"]
CONCLUDED = {"Location_of_Risk": "Own Home",
             "Risk_Assessment_Outcome": "Risk identified and action taken"}


def _rows() -> list[dict]:
    p2 = {"Date_of_Birth": "01/01/1958", "Gender": "Male"}
    return [
        concern("C1", "P1", "10/03/2024", "Section 42 enquiry", Enquiry_Start_Date="15/03/2024",
                Enquiry_Conclusion_Date="20/04/2024",
                Types_of_Risk="Physical Abuse; Neglect and Acts of Omission",
                Source_of_Risk="Service Provider; Other - Known to individual",
                Risk_Outcome="Risk reduced",
                MSP_Desired_Outcomes_Asked="Yes they were asked and outcomes were expressed",
                MSP_Outcomes_Achieved="Fully Achieved",
                Lacked_Capacity="Yes, they lacked capacity", Advocacy_Support="Yes", **CONCLUDED),
        concern("C2", "P1", "01/05/2024", "Section 42 enquiry", Enquiry_Start_Date="02/05/2024",
                Enquiry_Conclusion_Date="30/06/2024", Types_of_Risk="Physical Abuse",
                Source_of_Risk="Service Provider", Risk_Outcome="Risk removed",
                MSP_Desired_Outcomes_Asked="Yes they were asked but no outcomes were expressed",
                Lacked_Capacity="No, they did not lack capacity", **CONCLUDED),
        concern("C3", "P2", "10/06/2024", "Section 42 enquiry", Enquiry_Start_Date="12/06/2024",
                **p2),
        concern("C4", "P2", "01/02/2025", "Section 42 enquiry", Enquiry_Start_Date="03/03/2025",
                Enquiry_Conclusion_Date="10/05/2025", **p2),
        concern("C5", "P3", "05/07/2024", "Other enquiry", Enquiry_Start_Date="06/07/2024"),
        concern("C6", "P4", "01/08/2024"),
        concern("C7", "P4", "01/09/2024"),
        concern("C8", "P5", "01/12/2024"),
    ]


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sac")
    path = write_rows(tmp / "safeguarding.csv", SG_HEADER, _rows())
    r = openasc(tmp, "ingest", "safeguarding", str(path))
    assert r.returncode == 0, r.stderr
    assert "8 rows in = 8 loaded + 0 quarantined" in r.stdout
    add_population(tmp, 2024, {age: 1000 for age in range(18, 91)})
    r = openasc(tmp, "compute", *PERIOD)
    assert r.returncode == 0, r.stderr
    return tmp


def _n(m: dict, code: str, breakdown: str = "") -> str:
    return m[("SAC", code, breakdown)][0]


def test_concerns_and_enquiries_started(computed: Path) -> None:
    """Concerns received in the year: C2-C8 = 7 (C1 was received last year). S42 started:
    C2, C3, C4 = 3; other: C5 = 1; total enquiries 4."""
    m = export(computed)
    assert (_n(m, "CONCERNS"), _n(m, "S42"), _n(m, "OTHER_ENQ"), _n(m, "TOTAL_ENQ")) == \
        ("7", "3", "1", "4")


def test_conversion_rate_is_the_national_one(computed: Path) -> None:
    """Conversion rate = (S42 + Other) / concerns = 4 / 7 = 57.142857...%; the S42-only rate is
    a separate measure: 3 / 7 = 42.857...%; Proportion S42 = 3 / 4 = 75%."""
    m = export(computed)
    assert m[("SAC", "CONVERSION_RATE", "")] == ("4", "7", "57.142857142857")
    assert m[("SAC", "S42_CONVERSION_RATE", "")] == ("3", "7", "42.857142857143")
    assert m[("SAC", "PROPORTION_S42", "")] == ("3", "4", "75")


def test_people_are_counted_once_cases_every_time(computed: Path) -> None:
    """SG1a: P1 (C2) and P2 (C3, C4) = 2 people from 3 enquiries; P1 is 84 (75-84), P2 67
    (65-74). SG1b: 1 female, 1 male. SG1d counts cases: 3, all Mental Health Support."""
    m = export(computed)
    assert _n(m, "SG1a") == "2"
    assert _n(m, "SG1a", "age_band=75-84") == "1"
    assert _n(m, "SG1a", "age_band=65-74") == "1"
    assert (_n(m, "SG1b", "sex=Female"), _n(m, "SG1b", "sex=Male")) == ("1", "1")
    assert _n(m, "SG1d") == "3"
    assert _n(m, "SG1d", "psr=Mental Health Support") == "3"


def test_concluded_enquiries_cross_the_year_end(computed: Path) -> None:
    """Concluded in 2024-25: C1 (opened March 2024, concluded April 2024) and C2 = 2; C4
    concludes in May 2025 and C3 is open, so neither counts."""
    m = export(computed)
    assert _n(m, "CONCLUDED_S42") == "2"
    assert _n(m, "SG3a") == "2"


def test_multi_label_risk_types_sum_to_more_than_the_total(computed: Path) -> None:
    """SG2a: C1 has Physical and Neglect, C2 Physical: Physical 2 + Neglect 1 = 3 > 2
    concluded enquiries. Sources: Service Provider 2 (C1, C2), Known 1 (C1)."""
    m = export(computed)
    assert _n(m, "SG2a") == "2"
    assert _n(m, "SG2a", "abuse_type=Physical Abuse") == "2"
    assert _n(m, "SG2a", "abuse_type=Neglect and Acts of Omission") == "1"
    assert _n(m, "SG2_SOURCE", "source=Service Provider") == "2"
    assert _n(m, "SG2_SOURCE", "source=Other - Known to individual") == "1"


def test_outcomes_capacity_and_msp(computed: Path) -> None:
    """SG2e (risk identified and action taken): reduced 1 (C1), removed 1 (C2): 2 / 2 = 100%
    reduced or removed. SG3a: Yes 1, No 1; advocacy 1. MSP asked: expressed 1 (C1) of 2 =
    50%; achieved: Fully 1 of 1 = 100%."""
    m = export(computed)
    assert _n(m, "SG2e", "outcome=Risk reduced") == "1"
    assert _n(m, "SG2e", "outcome=Risk removed") == "1"
    assert m[("SAC", "RISK_REDUCED_REMOVED", "")] == ("2", "2", "100")
    assert _n(m, "SG3a", "outcome=Yes, they lacked capacity") == "1"
    assert _n(m, "SG3a_ADVOCACY") == "1"
    assert m[("SAC", "MSP_ASKED_EXPRESSED", "")] == ("1", "2", "50")
    assert m[("SAC", "MSP_FULLY_ACHIEVED", "")] == ("1", "1", "100")


def test_repeat_concerns(computed: Path) -> None:
    """People with more than one concern received in the year: P2 (C3, C4) and P4 (C6, C7) =
    2 of 5 people with a concern (P1's C1 was last year) = 40%."""
    m = export(computed)
    assert _n(m, "REPEAT_CONCERNS") == "2"
    assert m[("SAC", "REPEAT_CONCERNS_PCT", "")] == ("2", "5", "40")


def test_rates_per_100k_and_age_standardised(computed: Path) -> None:
    """Concerns per 100,000 adults: 7 / 73,000 x 100,000 = 9.589041095890. Age-specific:
    65-74 1 / 10,000 = 10; 75-84 10; 18-64 and 85+ 0. No England rows loaded, so the fixed
    England weights apply: ASR = 10 x 5.6/45.0 + 10 x 3.9/45.0 = 2.111111111111."""
    m = export(computed)
    assert m[("SAC", "CONCERNS_PER_100K", "")] == ("7", "73000", "9.58904109589")
    assert m[("SAC", "S42_AGE_RATE", "age_band=65-74")] == ("1", "10000", "10")
    assert m[("SAC", "S42_AGE_RATE", "age_band=18-64")][2] == "0"
    assert abs(float(m[("SAC", "S42_ASR", "")][2]) - 10 * 9.5 / 45.0) < 1e-9


def test_published_rounding_and_suppression(computed: Path) -> None:
    """A7: 7 concerns -> 5; 3 S42 enquiries -> [c] (under 5); zero people aged 18-64 -> [c] too
    (SAC suppresses zero); a rate from a suppressed count is [c]; a rate is worked out from
    the published count (docs/disclosure.md): 5 / 73,000 x 100,000 = 6.85 -> 7 (0 dp), not
    the 9.589 -> 10 of the unrounded 7, which with 73,000 would pin 7; its population is
    printed as it is."""
    m = export(computed, published=True)
    assert _n(m, "CONCERNS") == "5"
    assert _n(m, "S42") == "[c]"
    assert m[("SAC", "S42_AGE_RATE", "age_band=18-64")][0] == "[c]"
    assert m[("SAC", "CONVERSION_RATE", "")][2] == "[c]"
    assert m[("SAC", "CONCERNS_PER_100K", "")] == ("5", "73000", "7")


def test_same_file_twice_is_already_loaded(computed: Path) -> None:
    r = openasc(computed, "ingest", "safeguarding", str(computed / "safeguarding.csv"))
    assert r.returncode == 0
    assert "already loaded" in r.stdout
