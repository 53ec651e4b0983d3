"""The CLD defined lists the synthetic council draws from, as (R2 spelling, R1 spelling) pairs.

Journeys are built with small integer codes into these tuples, so switching a file between
Release 1 and Release 2 is only a choice of which spelling to look up. Where the reference
(cld-r2.md §3) has no confirmed R2 spelling the R2 form follows the R2 style (sentence case,
`:` separators, "or" for "/", "unpaid carer" for "carer"); docs/decisions.md lists them.
Several entries share an R2 spelling because R2 merged R1 values (e.g. `No change in
package` and `Provision of service` both became `Continuation of support or services`).
"""

from __future__ import annotations

Pair = tuple[str, str]

LISTS: dict[str, tuple[Pair, ...]] = {
    "Event_Type": (
        ("Request", "Request"),
        ("Assessment", "Assessment"),
        ("Service", "Service"),
        ("Review", "Review"),
    ),
    "Client_Type": (
        ("Service user", "Service User"),
        ("Unpaid carer", "Carer"),
        ("Unpaid carer known by association", "Carer known by association"),
    ),
    "Gender": (("Male", "Male"), ("Female", "Female"), ("Other", "Other"), ("Unknown", "Unknown")),
    "Ethnicity": tuple(
        (f"{group}: {item}", f"{group} - {item_r1 or item}")
        for group, item, item_r1 in (
            ("White", "English, Welsh, Scottish, Northern Irish or British", None),
            ("White", "Irish", None),
            ("White", "Gypsy or Irish Traveller", None),
            ("White", "Roma", None),
            ("White", "Any other White background", None),
            ("Mixed or multiple ethnic groups", "White and Black Caribbean", None),
            ("Mixed or multiple ethnic groups", "White and Black African", None),
            ("Mixed or multiple ethnic groups", "White and Asian", None),
            (
                "Mixed or multiple ethnic groups",
                "Any other Mixed or multiple ethnic background",
                None,
            ),
            ("Asian or Asian British", "Indian", None),
            ("Asian or Asian British", "Pakistani", None),
            ("Asian or Asian British", "Bangladeshi", None),
            ("Asian or Asian British", "Chinese", None),
            ("Asian or Asian British", "Any other Asian background", None),
            ("Black, Black British, Caribbean or African", "African", None),
            ("Black, Black British, Caribbean or African", "Caribbean", None),
            (
                "Black, Black British, Caribbean or African",
                "Any other Black, Black British or Caribbean background",
                None,
            ),
            ("Other ethnic group", "Arab", None),
            ("Other ethnic group", "Any other ethnic group", None),
            ("No data", "Refused", None),
            ("No data", "Undeclared or not known", "Undeclared or Not known"),
        )
    ),
    "Primary_Support_Reason": (
        ("Physical support: Access and mobility only", "Physical Support: Access & mobility only"),
        ("Physical support: Personal care support", "Physical Support: Personal care support"),
        (
            "Sensory support: Support for visual impairment",
            "Sensory Support: Support for visual impairment",
        ),
        (
            "Sensory support: Support for hearing impairment",
            "Sensory Support: Support for hearing impairment",
        ),
        (
            "Sensory support: Support for dual impairment",
            "Sensory Support: Support for dual impairment",
        ),
        ("Support with memory and cognition", "Support with Memory & Cognition"),
        ("Learning disability support", "Learning Disability Support"),
        ("Mental health support", "Mental Health Support"),
        ("Social support: Substance misuse support", "Social Support: Substance misuse support"),
        ("Social support: Asylum seeker support", "Social Support: Asylum seeker support"),
        (
            "Social support: Support for social isolation or other reason",
            "Social Support: Support for Social Isolation/Other",
        ),
        ("Social support: Support to unpaid carer", "Social Support: Support to Carer"),
        ("Unknown", "Unknown"),
    ),
    "Accommodation_Status": (
        ("Owner occupier or shared ownership scheme", "Owner occupier or shared ownership scheme"),
        ("Tenant: Local authority or other social housing provider", "Tenant"),
        ("Tenant: Private landlord", "Tenant - private landlord"),
        (
            "Settled mainstream housing with family or friends",
            "Settled mainstream housing with family / friends",
        ),
        (
            "Supported accommodation, supported lodgings or supported group home",
            "Supported accommodation / supported lodgings / supported group home",
        ),
        ("Shared Lives scheme", "Shared Lives scheme"),
        (
            "Approved premises for offenders released from prison or under probation supervision",
            "Approved premises for offenders released from prison or under probation supervision",
        ),
        (
            "Sheltered housing, extra care housing or other sheltered housing",
            "Sheltered housing / extra care housing / other sheltered housing",
        ),
        (
            "Mobile accommodation for Gypsy, Roma and Traveller communities",
            "Mobile accommodation for Gypsy / Roma and Traveller communities",
        ),
        ("Rough sleeper or squatting", "Rough sleeper / squatting"),
        (
            "Night shelter, emergency hostel or direct access hostel",
            "Night shelter / emergency hostel / direct access hostel",
        ),
        ("Refuge", "Refuge"),
        (
            "Placed in temporary accommodation by the council (inc. homelessness resettlement)",
            "Placed in temporary accommodation by the council (inc. homelessness resettlement)",
        ),
        (
            "Staying with family or friends as a short term guest",
            "Staying with family / friends as a short-term guest",
        ),
        (
            "Acute hospital or long term healthcare residential facility",
            "Acute / long-term healthcare residential facility or hospital",
        ),
        ("Registered care home", "Registered care home"),
        ("Registered nursing home", "Registered nursing home"),
        (
            "Prison, young offenders institution or detention centre",
            "Prison / Young offenders institution / detention centre",
        ),
        ("Other temporary accommodation", "Other temporary accommodation"),
        ("Unknown", "Unknown"),
    ),
    "Employment_Status": (
        ("Paid: Less than 16 hours a week", "Paid: Less than 16 hours a week"),
        ("Paid: 16 or more hours a week", "Paid: 16 or more hours a week"),
        ("Paid: Hours per week unknown", "Paid: Hours per week unknown"),
        ("Not in paid employment: Seeking work", "Not in Paid Employment (seeking work)"),
        (
            "Not in paid employment: Not actively seeking work or retired",
            "Not in Paid Employment (not actively seeking work / retired)",
        ),
        (
            "Not in paid employment: Voluntary work only",
            "Not in Paid Employment (voluntary work only)",
        ),
        ("Unknown", "Unknown"),
    ),
    "Has_Unpaid_Carer": (("Yes", "Yes"), ("No", "No"), ("Unknown", "Unknown")),
    "Autism_Spectrum_Disorder_ASD": (("Yes", "Yes"), ("No", "No"), ("Unknown", "Unknown")),
    "Dementia": (("Yes", "Yes"), ("No", "No"), ("Unknown", "Unknown")),
    "Eligible_Needs_Identified": (("Yes", "Yes"), ("No", "No")),
    "Visual_Impairment": (
        ("Blind or severely sight impaired", "Blind/severely sight impaired"),
        ("Partially sighted or sight impaired", "Partial sight/sight impaired"),
        ("No visual impairment", "No visual impairment"),
        ("Visual impairment: Severity unknown", "Visual impairment - severity unknown"),
        ("Unknown", "Unknown"),
    ),
    "Hearing_Impairment": (
        ("Deaf with speech", "Deaf with speech"),
        ("Deaf without speech", "Deaf without speech"),
        ("Hard of hearing", "Hard of hearing"),
        ("No hearing impairment", "No hearing impairment"),
        ("Hearing impairment: Severity unknown", "Hearing impairment - severity unknown"),
        ("Unknown", "Unknown"),
    ),
    "Client_Funding_Status": (
        ("Fully social care funded", "Fully social care funded"),
        ("Joint client and social care funded", "Joint client and social care funded"),
        ("Fully client funded", "Fully client funded"),
    ),
    "Event_Outcome": (
        ("Progress to reablement/ST-Max", "Progress to Reablement/ST-Max"),
        ("Progress to assessment, review or reassessment", "Progress to Assessment"),
        (
            "Progress to assessment, review or reassessment",
            "Progress to Re-assessment / Unplanned Review",
        ),
        ("Progress to support planning or services", "Progress to Support Planning / Services"),
        ("Continuation of support or services", "Provision of service"),
        ("Continuation of support or services", "No change in package"),
        ("Admitted to hospital", "Admitted to hospital"),
        ("NFA: Responsibility moved to another local authority", "NFA - Moved to another LA"),
        ("NFA: Referral to NHS services or NHS funded social care", "NFA - 100% NHS funded care"),
        (
            "NFA: Self-funded client or under 12wk disregard",
            "NFA - Self-funded client (inc. 12wk disregard)",
        ),
        (
            "NFA: Information and advice or signposting",
            "NFA - Information & Advice / Signposting only",
        ),
        ("NFA: Referral to other service within the local authority", "NFA- Other"),
        ("NFA: Support declined", "NFA - Support declined"),
        ("NFA: Deceased", "NFA - Deceased"),
        ("NFA: Support ended as planned", "Service ended as planned"),
        ("NFA: Support ended for other reason", "NFA - Support ended: Other reason"),
        ("NFA: No services offered for other reason", "NFA - No services offered: Other reason"),
        ("NFA: Other", "NFA- Other"),
    ),
    "Request_Route_of_Access": (
        ("Planned entry (transition)", "Planned Entry (Transition)"),
        ("Discharge from hospital", "Discharge from Hospital"),
        ("Diversion from hospital services", "Diversion from Hospital Services"),
        ("Community or other route", "Community / Other route"),
        ("Prison", "Prison"),
        ("Self-funder", "Self-Funder"),
        ("Discharge from reablement", "Discharge from Reablement"),
        ("Transfer from other local authority", "Transfer from Other LA"),
    ),
    "Assessment_Type": (
        ("Long term assessment", "Long Term Assessment"),
        ("Short term assessment", "Short Term Assessment"),
    ),
    "Method_of_Assessment": (
        ("Service user only", "Service user only"),
        ("Unpaid carer only", "Carer only"),
        ("Service user and unpaid carer", "Service user and carer"),
    ),
    "Method_of_Review": (
        ("Service user only", "Service user only"),
        ("Unpaid carer only", "Carer only"),
        ("Service user and unpaid carer", "Service user and carer"),
    ),
    "Service_Type": (
        ("Long term support: Nursing care", "Long Term Support: Nursing Care"),
        ("Long term support: Residential care", "Long Term Support: Residential Care"),
        ("Long term support: Community", "Long Term Support: Community"),
        ("Long term support: Prison", "Long Term Support: Prison"),
        ("Short term support: ST-Max", "Short Term Support: ST-Max"),
        ("Short term support: Ongoing low level", "Short Term Support: Ongoing Low Level"),
        ("Short term support: Other short term", "Short Term Support: Other Short Term"),
        ("Unpaid carer support: Direct to unpaid carer", "Carer Support: Direct to Carer"),
        (
            "Unpaid carer support: Support involving the person cared-for",
            "Carer Support: Support involving the person cared-for",
        ),
    ),
    "Service_Component": (
        ("Reablement", "Reablement"),
        ("Short term residential care", "Short Term Residential Care"),
        ("Short term nursing care", "Short Term Nursing Care"),
        ("Home support or domiciliary care", "Home Support"),
        ("Equipment", "Equipment"),
        ("Direct payment", "Direct Payment"),
        ("Shared Lives", "Shared Lives"),
        ("Community supported living", "Community Supported Living"),
        ("Extra care housing", "Extra care housing"),
        ("Long term nursing care", "Long term nursing care"),
        ("Long term residential care", "Long term residential care"),
        ("Day support", "Day support"),
        ("Meals", "Meals"),
        ("Unpaid carer respite", "Carer Respite"),
        ("Other unpaid carer support", "Other unpaid carer support"),
    ),
    "Delivery_Mechanism": (
        ("Direct payment", "Direct Payment"),
        ("CASSR managed personal budget", "CASSR Managed Personal Budget"),
        ("CASSR commissioned support", "CASSR Commissioned Support"),
    ),
    "Review_Reason": (
        ("Planned", "Planned"),
        (
            "Unplanned: Hospital (planned and unplanned episodes)",
            "Unplanned - Hospital (Planned and unplanned episodes)",
        ),
        ("Unplanned: Unpaid carer related", "Unplanned - Carer related"),
        ("Unplanned: Safeguarding concern", "Unplanned - Safeguarding concern"),
        ("Unplanned: Other reason", "Unplanned - Other Reason"),
        ("Unplanned: Provider failure", "Unplanned - Provider Failure"),
        (
            "Unplanned: Change in commissioning arrangements",
            "Unplanned - Change in Commissioning arrangements",
        ),
        ("Review of short term support", "Unplanned - Other Reason"),
    ),
    "Review_Outcomes_Achieved": (
        ("Fully met", "Fully Met"),
        ("Partially met", "Partially Met"),
        ("Not met", "Not Met"),
    ),
    "Cost_Frequency_Unit_Type": tuple(
        (v, v)
        for v in (
            "Per session",
            "Hourly",
            "Daily",
            "Weekly",
            "Fortnightly",
            "4-weekly",
            "Monthly",
            "Quarterly",
            "Annually",
            "One-off",
        )
    ),
    # R2 made this a banded list (not public; these are openasc's placeholder bands, as in
    # spec/cld_r2.yaml); R1 sent a number of hours, written from the same draw.
    "Total_Hrs_Caring_per_week": tuple(
        (v, "")
        for v in (
            "9 hours a week or less",
            "10 to 19 hours a week",
            "20 to 34 hours a week",
            "35 to 49 hours a week",
            "50 or more hours a week",
        )
    ),
}


def code(field: str, r2_value: str, r1_value: str | None = None) -> int:
    """The code of a value in `LISTS[field]`, by its R2 spelling (and R1 when R2 is shared)."""
    for i, (r2, r1) in enumerate(LISTS[field]):
        if r2 == r2_value and (r1_value is None or r1 == r1_value):
            return i
    raise KeyError(f"{field}: {r2_value!r}")


def spellings(field: str, release: int) -> list[str]:
    """The value a code stands for in a given release (index = code)."""
    return [pair[0] if release == 2 else pair[1] for pair in LISTS[field]]
