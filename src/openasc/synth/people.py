"""The people of a synthetic council: who they are and which journey each one takes.

A person is drawn once and keeps the same details on every row and in every submission, so
that the national de-duplication and the "latest person details" rules have something real
to work on. Each person follows one journey (`JOURNEYS`); the shares are set so that a file
looks like a council's: most requests end in advice, about one in seven people goes through
reablement, and long-term clients make up roughly a third of the people in a year.
All arrays are numpy and every draw is vectorised; dates are whole days since 1970-01-01.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from openasc.synth.values import code

# Sentinels for dates held as int64 days: an open end (and "no death") sorts after any real
# date, so `min(end, date_of_death)` ends a journey at death without special cases.
OPEN = 1_000_000
NO_DATE = -1_000_000

JOURNEYS = ("advice", "stmax", "community", "care_home", "transition", "carer", "kba")
SHARES = (0.29, 0.14, 0.28, 0.10, 0.03, 0.12, 0.04)

# Postcode areas by ONS region code; a council gets three of its region's areas.
POSTCODE_AREAS = {
    "E12000001": ("NE", "SR", "DH", "TS", "DL"),
    "E12000002": ("M", "L", "WA", "PR", "BL", "CH", "CA", "LA", "OL", "SK", "WN", "BB"),
    "E12000003": ("LS", "S", "BD", "HU", "YO", "WF", "HD", "HX", "DN", "HG"),
    "E12000004": ("NG", "LE", "DE", "LN", "NN"),
    "E12000005": ("B", "WR", "DY", "CV", "WV", "ST", "TF", "HR", "WS"),
    "E12000006": ("CB", "NR", "IP", "CO", "CM", "SG", "LU", "AL", "PE", "SS"),
    "E12000007": ("E", "N", "SE", "SW", "W", "NW", "EN", "HA", "UB", "TW", "KT", "CR", "BR"),
    "E12000008": ("RG", "OX", "GU", "BN", "CT", "ME", "MK", "PO", "SO", "TN", "RH", "HP"),
    "E12000009": ("BS", "BA", "EX", "PL", "TA", "TR", "GL", "SN", "BH", "DT"),
}
# First letter of GP practice codes (ODS) by region, so codes look local.
GP_LETTER = {
    "E12000001": "A",
    "E12000002": "P",
    "E12000003": "B",
    "E12000004": "C",
    "E12000005": "M",
    "E12000006": "D",
    "E12000007": "F",
    "E12000008": "J",
    "E12000009": "L",
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in the inward code


@dataclass
class People:
    """One entry per person; coded fields are indices into `values.LISTS`, -1 = blank."""

    journey: np.ndarray
    person_id: np.ndarray
    nhs_number: np.ndarray
    date_of_birth: np.ndarray
    date_of_death: np.ndarray
    gender: np.ndarray
    ethnicity: np.ndarray
    psr: np.ndarray
    accommodation: np.ndarray
    employment: np.ndarray
    has_carer: np.ndarray
    asd: np.ndarray
    visual: np.ndarray
    hearing: np.ndarray
    dementia: np.ndarray
    funding: np.ndarray
    postcode_area: np.ndarray
    postcode_district: np.ndarray
    postcode_sector: np.ndarray
    postcode_unit: np.ndarray
    gp: np.ndarray
    setting: np.ndarray  # care home journeys: 0 residential, 1 nursing
    areas: tuple[str, ...]
    gp_letter: str

    @property
    def n(self) -> int:
        return len(self.journey)

    def is_(self, journey: str) -> np.ndarray:
        return self.journey == JOURNEYS.index(journey)


def pick(rng: np.random.Generator, field: str, weights: dict[str, float], n: int) -> np.ndarray:
    """Draw n codes of `field` with the given relative weights (keys are R2 spellings)."""
    codes = np.array([code(field, v) for v in weights], dtype=np.int16)
    p = np.array(list(weights.values()), dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def valid_nhs_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct NHS numbers that pass the modulus 11 check, in the England/Wales ranges.

    The first nine digits are drawn from 400000000-499999999 and 600000000-799999999; the
    check digit is computed; prefixes whose check would be 10 (no valid number) are dropped.
    """
    k = int(n * 1.25) + 16
    low = rng.integers(400_000_000, 500_000_000, k)
    high = rng.integers(600_000_000, 800_000_000, k)
    prefix = np.where(rng.random(k) < 1 / 3, low, high).astype(np.int64)
    check = nhs_check_digit(prefix)
    prefix, check = prefix[check < 10], check[check < 10]
    _, first = np.unique(prefix, return_index=True)
    keep = np.sort(first)
    numbers = prefix[keep] * 10 + check[keep]
    if len(numbers) < n:  # vanishingly unlikely; draw again rather than return fewer
        return valid_nhs_numbers(rng, n)
    return numbers[:n]


def nhs_check_digit(prefix: np.ndarray) -> np.ndarray:
    """Modulus 11 check digit of nine-digit prefixes (11 becomes 0; 10 means invalid)."""
    total = np.zeros(len(prefix), dtype=np.int64)
    for i, weight in enumerate(range(10, 1, -1)):
        total += (prefix // 10 ** (8 - i)) % 10 * weight
    check = 11 - total % 11
    return np.where(check == 11, 0, check)


def draw_people(
    rng: np.random.Generator, n: int, region_code: str, la_code: str, year_end: int
) -> People:
    """Draw n people and their journeys; person details are fixed here once and for all."""
    journey = rng.choice(len(JOURNEYS), size=n, p=np.array(SHARES) / sum(SHARES)).astype(np.int8)
    j = {name: journey == i for i, name in enumerate(JOURNEYS)}

    share_old = np.select(
        [j["advice"], j["stmax"], j["community"], j["care_home"]], [0.65, 0.85, 0.60, 0.93], 0.5
    )
    old = rng.random(n) < share_old
    age = np.where(
        old, 65 + np.minimum(rng.gamma(2.4, 7.0, n), 39.0), 18 + rng.beta(2.0, 1.4, n) * 46.9
    )
    age = np.where(j["care_home"] & old, 70 + np.minimum(rng.gamma(2.6, 5.5, n), 34.0), age)
    carer_age = np.clip(rng.normal(58, 14, n), 18, 92)
    young_carer = rng.random(n) < 0.05
    carer_age = np.where(young_carer, 14 + rng.random(n) * 3.9, carer_age)
    age = np.where(j["carer"] | j["kba"], carer_age, age)
    age = np.where(j["transition"], 18 + rng.random(n) * 6.5, age)
    dob = (year_end - age * 365.25).astype(np.int64)
    working = age < 65

    gender = np.where(
        rng.random(n) < np.where(working, 0.48, 0.62),
        code("Gender", "Female"),
        code("Gender", "Male"),
    ).astype(np.int16)
    odd = rng.random(n)
    gender[odd < 0.004] = code("Gender", "Other")
    gender[(odd >= 0.004) & (odd < 0.01)] = code("Gender", "Unknown")
    eth_weights = np.array(
        [
            82,
            1,
            0.3,
            0.2,
            3.5,
            0.6,
            0.3,
            0.6,
            0.5,
            2.5,
            2.0,
            0.7,
            0.4,
            0.8,
            1.2,
            0.9,
            0.3,
            0.3,
            0.6,
            0.5,
            0.8,
        ]
    )
    ethnicity = rng.choice(21, size=n, p=eth_weights / eth_weights.sum()).astype(np.int16)

    psr_old = pick(
        rng,
        "Primary_Support_Reason",
        {
            "Physical support: Personal care support": 58,
            "Physical support: Access and mobility only": 9,
            "Support with memory and cognition": 18,
            "Mental health support": 6,
            "Sensory support: Support for visual impairment": 2,
            "Sensory support: Support for hearing impairment": 1,
            "Social support: Support for social isolation or other reason": 3,
            "Learning disability support": 1.5,
            "Unknown": 1.5,
        },
        n,
    )
    psr_young = pick(
        rng,
        "Primary_Support_Reason",
        {
            "Learning disability support": 34,
            "Mental health support": 22,
            "Physical support: Personal care support": 24,
            "Physical support: Access and mobility only": 5,
            "Social support: Substance misuse support": 3,
            "Sensory support: Support for dual impairment": 1,
            "Sensory support: Support for visual impairment": 1.5,
            "Social support: Asylum seeker support": 1,
            "Social support: Support for social isolation or other reason": 6.5,
            "Unknown": 2,
        },
        n,
    )
    psr_transition = pick(
        rng,
        "Primary_Support_Reason",
        {
            "Learning disability support": 66,
            "Mental health support": 12,
            "Physical support: Personal care support": 12,
            "Sensory support: Support for dual impairment": 2,
            "Social support: Support for social isolation or other reason": 8,
        },
        n,
    )
    psr = np.where(working, psr_young, psr_old)
    psr = np.where(j["transition"], psr_transition, psr)
    psr = np.where(
        j["carer"] | j["kba"],
        code("Primary_Support_Reason", "Social support: Support to unpaid carer"),
        psr,
    )
    ld = psr == code("Primary_Support_Reason", "Learning disability support")
    memory = psr == code("Primary_Support_Reason", "Support with memory and cognition")

    setting = (rng.random(n) < 0.4).astype(np.int8)
    accommodation = pick(
        rng,
        "Accommodation_Status",
        {
            "Owner occupier or shared ownership scheme": 42,
            "Tenant: Local authority or other social housing provider": 20,
            "Tenant: Private landlord": 8,
            "Settled mainstream housing with family or friends": 14,
            "Sheltered housing, extra care housing or other sheltered housing": 6,
            "Supported accommodation, supported lodgings or supported group home": 3,
            "Staying with family or friends as a short term guest": 0.8,
            "Placed in temporary accommodation by the council "
            "(inc. homelessness resettlement)": 0.5,
            "Rough sleeper or squatting": 0.2,
            "Other temporary accommodation": 0.5,
            "Unknown": 5,
        },
        n,
    )
    accommodation_ld = pick(
        rng,
        "Accommodation_Status",
        {
            "Settled mainstream housing with family or friends": 42,
            "Supported accommodation, supported lodgings or supported group home": 30,
            "Tenant: Local authority or other social housing provider": 10,
            "Shared Lives scheme": 5,
            "Owner occupier or shared ownership scheme": 3,
            "Tenant: Private landlord": 3,
            "Registered care home": 3,
            "Other temporary accommodation": 1,
            "Unknown": 3,
        },
        n,
    )
    accommodation = np.where(ld & working, accommodation_ld, accommodation)
    accommodation = np.where(
        j["care_home"],
        np.where(
            setting == 1,
            code("Accommodation_Status", "Registered nursing home"),
            code("Accommodation_Status", "Registered care home"),
        ),
        accommodation,
    )

    employment_ld = pick(
        rng,
        "Employment_Status",
        {
            "Paid: Less than 16 hours a week": 4.5,
            "Paid: 16 or more hours a week": 1.5,
            "Paid: Hours per week unknown": 0.8,
            "Not in paid employment: Seeking work": 6,
            "Not in paid employment: Not actively seeking work or retired": 75,
            "Not in paid employment: Voluntary work only": 6,
            "Unknown": 6,
        },
        n,
    )
    employment_working = pick(
        rng,
        "Employment_Status",
        {
            "Paid: Less than 16 hours a week": 3,
            "Paid: 16 or more hours a week": 5,
            "Not in paid employment: Seeking work": 8,
            "Not in paid employment: Not actively seeking work or retired": 60,
            "Unknown": 24,
        },
        n,
    )
    employment_old = pick(
        rng,
        "Employment_Status",
        {"Not in paid employment: Not actively seeking work or retired": 80, "Unknown": 20},
        n,
    )
    employment = np.where(working, np.where(ld, employment_ld, employment_working), employment_old)
    # Mandatory only for learning-disability clients of working age; others often left blank.
    employment = np.where(~(ld & working) & (rng.random(n) < 0.35), -1, employment)

    has_carer = pick(rng, "Has_Unpaid_Carer", {"Yes": 38, "No": 55, "Unknown": 7}, n)
    asd = np.where(
        rng.random(n) < np.where(ld, 0.3, 0.015),
        code("Autism_Spectrum_Disorder_ASD", "Yes"),
        pick(rng, "Autism_Spectrum_Disorder_ASD", {"No": 85, "Unknown": 15}, n),
    )
    asd = np.where(
        j["transition"] & (rng.random(n) < 0.3), code("Autism_Spectrum_Disorder_ASD", "Yes"), asd
    )
    dementia_p = np.where(memory, 0.85, np.where(working, 0.005, 0.14))
    dementia = np.where(
        rng.random(n) < dementia_p,
        code("Dementia", "Yes"),
        pick(rng, "Dementia", {"No": 80, "Unknown": 20}, n),
    )
    visual = pick(
        rng,
        "Visual_Impairment",
        {
            "No visual impairment": 80,
            "Unknown": 15,
            "Partially sighted or sight impaired": 3,
            "Blind or severely sight impaired": 1,
            "Visual impairment: Severity unknown": 1,
        },
        n,
    )
    visual = np.where(
        psr == code("Primary_Support_Reason", "Sensory support: Support for visual impairment"),
        code("Visual_Impairment", "Blind or severely sight impaired"),
        visual,
    )
    hearing = pick(
        rng,
        "Hearing_Impairment",
        {
            "No hearing impairment": 78,
            "Unknown": 15,
            "Hard of hearing": 6,
            "Deaf with speech": 0.7,
            "Deaf without speech": 0.3,
        },
        n,
    )
    hearing = np.where(
        psr == code("Primary_Support_Reason", "Sensory support: Support for hearing impairment"),
        code("Hearing_Impairment", "Deaf with speech"),
        hearing,
    )
    funding = pick(
        rng,
        "Client_Funding_Status",
        {
            "Fully social care funded": 42,
            "Joint client and social care funded": 52,
            "Fully client funded": 6,
        },
        n,
    )
    carer = j["carer"] | j["kba"]
    for arr in (asd, dementia, visual, hearing, funding):
        arr[carer] = -1  # service-user fields, not applicable to carers

    k = zlib.crc32(la_code.encode()) % 997
    region_areas = POSTCODE_AREAS.get(region_code, POSTCODE_AREAS["E12000005"])
    areas = tuple(region_areas[(k + i * 3) % len(region_areas)] for i in range(3))
    n_practices = max(5, n // 1500)
    person_id = (100_000 + rng.permutation(n * 4)[:n]).astype(np.int64)
    return People(
        journey=journey,
        person_id=person_id,
        nhs_number=valid_nhs_numbers(rng, n),
        date_of_birth=dob,
        date_of_death=np.full(n, OPEN, dtype=np.int64),
        gender=gender,
        ethnicity=ethnicity,
        psr=psr.astype(np.int16),
        accommodation=accommodation.astype(np.int16),
        employment=employment.astype(np.int16),
        has_carer=has_carer.astype(np.int16),
        asd=asd.astype(np.int16),
        visual=visual.astype(np.int16),
        hearing=hearing.astype(np.int16),
        dementia=dementia.astype(np.int16),
        funding=funding.astype(np.int16),
        postcode_area=rng.choice(3, size=n, p=[0.5, 0.3, 0.2]).astype(np.int8),
        postcode_district=rng.integers(1, 30, n).astype(np.int16),
        postcode_sector=rng.integers(0, 10, n).astype(np.int8),
        postcode_unit=rng.integers(0, len(INWARD_LETTERS) ** 2, n).astype(np.int16),
        gp=rng.integers(0, n_practices, n).astype(np.int32),
        setting=setting,
        areas=areas,
        gp_letter=GP_LETTER.get(region_code, "M"),
    )
