"""What happens to each person: requests, assessments, services and reviews in time order.

Each journey is written as a short story over arrays: every step adds one event for every
person on that journey who takes the step, dated relative to the step before. The stories
follow the reference (ascof.md §2, sac-dols-salt.md Part C): a request ends in advice or an
assessment; reablement (ST-Max) follows a request, often from hospital, and ends with a
sequel — nothing more, long-term support within a week, hospital, a care home, death; long-
term clients have services by setting and delivery mechanism with costs, planned annual
reviews and unplanned reviews that change their package; carers have their own requests,
assessments and services and are linked to the person they care for.
The whole history is built once; `cld.py` cuts each submission's rolling 12 months from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from openasc.synth.people import NO_DATE, OPEN, People, pick
from openasc.synth.values import code

# Local event descriptions (Event_Description is free text; these are plain service names).
DESCRIPTIONS = (
    "Contact - adult social care front door",
    "Care Act assessment",
    "Occupational therapy assessment",
    "Reablement",
    "Home care package",
    "Direct payment",
    "Day opportunities",
    "Supported living",
    "Shared Lives placement",
    "Extra care housing",
    "Meals service",
    "Residential placement",
    "Nursing placement",
    "Respite stay",
    "Equipment",
    "Annual review",
    "Unplanned review",
    "Carer's assessment",
    "Carer's direct payment",
    "Carer respite",
    "Carer support service",
    "Transition to adult services",
    "Carer's review",
    "Hospital discharge contact",
)
D = {d: i for i, d in enumerate(DESCRIPTIONS)}

CODED = (
    "event_type",
    "client_type",
    "outcome",
    "description",
    "route",
    "assessment_type",
    "eligible",
    "method_assessment",
    "service_type",
    "component",
    "mechanism",
    "frequency",
    "review_reason",
    "review_outcome",
    "method_review",
    "provider",
    "n_adults",
    "link1",
    "link2",
    "link3",
)
FLOATS = ("unit_cost", "units", "hours_caring")


@dataclass
class Events:
    """A growing list of events; `finish` joins them into one set of columns."""

    parts: list[dict[str, np.ndarray]] = field(default_factory=list)

    def add(
        self,
        person: np.ndarray,
        event_type: str | None,
        start: np.ndarray,
        end: np.ndarray,
        outcome: np.ndarray | int,
        description: str,
        client_type: str = "Service user",
        **columns: np.ndarray | int | float,
    ) -> None:
        n = len(person)
        if n == 0:
            return
        part = {
            "person": person.astype(np.int64),
            "event_type": np.full(n, -1 if event_type is None else code("Event_Type", event_type)),
            "client_type": np.full(n, code("Client_Type", client_type)),
            "start": np.broadcast_to(start, (n,)).astype(np.int64),
            "end": np.broadcast_to(end, (n,)).astype(np.int64),
            "outcome": np.broadcast_to(outcome, (n,)),
            "description": np.full(n, -1 if description is None else D[description]),
        }
        for name, value in columns.items():
            part[name] = np.broadcast_to(value, (n,))
        self.parts.append(part)

    def finish(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for name in ("person", "start", "end"):
            out[name] = np.concatenate([p[name] for p in self.parts]).astype(np.int64)
        for name in CODED:
            out[name] = np.concatenate(
                [p[name] if name in p else np.full(len(p["person"]), -1) for p in self.parts]
            ).astype(np.int32)
        for name in FLOATS:
            out[name] = np.concatenate(
                [p[name] if name in p else np.full(len(p["person"]), np.nan) for p in self.parts]
            ).astype(np.float64)
        return out


def _between(
    rng: np.random.Generator, lo: np.ndarray | int, hi: np.ndarray | int, n: int
) -> np.ndarray:
    """Whole days uniformly in [lo, hi] (arrays or numbers; hi < lo gives lo)."""
    lo = np.broadcast_to(np.asarray(lo, dtype=np.int64), (n,))
    hi = np.maximum(np.broadcast_to(np.asarray(hi, dtype=np.int64), (n,)), lo)
    return lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)


def _o(value: str, r1: str | None = None) -> int:
    return code("Event_Outcome", value, r1)


NFA_AFTER_REQUEST = {
    "NFA: Information and advice or signposting": 50,
    "NFA: Support declined": 9,
    "NFA: Self-funded client or under 12wk disregard": 7,
    "NFA: Referral to other service within the local authority": 9,
    "NFA: Referral to NHS services or NHS funded social care": 5,
    "NFA: No services offered for other reason": 11,
    "NFA: Responsibility moved to another local authority": 2,
    "NFA: Other": 7,
}
PROGRESS_TO_ASSESSMENT = _o(
    "Progress to assessment, review or reassessment", "Progress to Assessment"
)
PROGRESS_TO_SUPPORT = _o("Progress to support planning or services")
CONTINUATION_SERVICE = _o("Continuation of support or services", "Provision of service")
CONTINUATION_REVIEW = _o("Continuation of support or services", "No change in package")
ENDED_AS_PLANNED = _o("NFA: Support ended as planned")
DECEASED = _o("NFA: Deceased")


def _nfa(rng: np.random.Generator, n: int) -> np.ndarray:
    return pick(rng, "Event_Outcome", NFA_AFTER_REQUEST, n)


def _review_method(rng: np.random.Generator, n: int) -> np.ndarray:
    return pick(
        rng,
        "Method_of_Review",
        {"Service user only": 55, "Service user and unpaid carer": 40, "Unpaid carer only": 5},
        n,
    )


def _assessment_method(rng: np.random.Generator, n: int) -> np.ndarray:
    return pick(
        rng,
        "Method_of_Assessment",
        {"Service user only": 60, "Service user and unpaid carer": 38, "Unpaid carer only": 2},
        n,
    )


COMMUNITY_COMPONENTS = {  # component: (weight, frequency, cost range, units range, description)
    "Home support or domiciliary care": (
        55,
        "Hourly",
        (19.5, 28.0),
        (3.5, 35.0),
        "Home care package",
    ),
    "Direct payment": (15, "Weekly", (120.0, 700.0), (1.0, 1.0), "Direct payment"),
    "Day support": (7, "Per session", (35.0, 75.0), (1.0, 5.0), "Day opportunities"),
    "Community supported living": (10, "Weekly", (600.0, 1800.0), (1.0, 1.0), "Supported living"),
    "Shared Lives": (3, "Weekly", (350.0, 650.0), (1.0, 1.0), "Shared Lives placement"),
    "Extra care housing": (6, "Hourly", (18.0, 25.0), (5.0, 20.0), "Extra care housing"),
    "Meals": (4, "Daily", (5.0, 8.5), (5.0, 7.0), "Meals service"),
}


def _community_service(
    rng: np.random.Generator,
    ev: Events,
    person: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    outcome: np.ndarray,
    weights: dict[str, float] | None = None,
    n_providers: int = 1,
) -> None:
    """Long-term community support lines, with delivery mechanism and cost per component."""
    n = len(person)
    if n == 0:
        return
    names = list(COMMUNITY_COMPONENTS)
    w = np.array(
        [
            (weights or {}).get(c, COMMUNITY_COMPONENTS[c][0] if weights is None else 0)
            for c in names
        ],
        dtype=float,
    )
    which = rng.choice(len(names), size=n, p=w / w.sum())
    for i, name in enumerate(names):
        sel = which == i
        if not sel.any():
            continue
        m = int(sel.sum())
        _, freq, (c_lo, c_hi), (u_lo, u_hi), desc = COMMUNITY_COMPONENTS[name]
        if name == "Direct payment":
            mechanism = np.full(m, code("Delivery_Mechanism", "Direct payment"))
        else:
            mechanism = pick(
                rng,
                "Delivery_Mechanism",
                # Most councils record community support under a managed personal budget:
                # nationally about 9 in 10 community clients have self-directed support
                # (ASCOF 3D part 1a), so commissioned-only lines are the minority.
                {
                    "CASSR commissioned support": 8,
                    "CASSR managed personal budget": 80,
                    "Direct payment": 12,
                },
                m,
            )
        dp = mechanism == code("Delivery_Mechanism", "Direct payment")
        cost = np.round(c_lo + rng.random(m) * (c_hi - c_lo), 2)
        units = np.round((u_lo + rng.random(m) * (u_hi - u_lo)) * 2) / 2
        commissioned = mechanism == code("Delivery_Mechanism", "CASSR commissioned support")
        no_cost = commissioned & (rng.random(m) < 0.1)  # cost optional when commissioned
        ev.add(
            person[sel],
            "Service",
            start[sel],
            end[sel],
            outcome[sel],
            desc,
            service_type=code("Service_Type", "Long term support: Community"),
            component=code("Service_Component", name),
            mechanism=mechanism,
            unit_cost=np.where(no_cost, np.nan, cost),
            units=np.where(no_cost, np.nan, units),
            frequency=np.where(no_cost, -1, code("Cost_Frequency_Unit_Type", freq)),
            provider=np.where(dp, -1, rng.integers(0, n_providers, m)),
        )


def _care_home_service(
    rng: np.random.Generator,
    ev: Events,
    person: np.ndarray,
    nursing: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    outcome: np.ndarray,
    n_providers: int,
) -> None:
    n = len(person)
    for is_nursing in (False, True):
        sel = nursing == is_nursing
        m = int(sel.sum())
        if m == 0:
            continue
        lo, hi = (850.0, 1450.0) if is_nursing else (680.0, 1150.0)
        ev.add(
            person[sel],
            "Service",
            start[sel],
            end[sel],
            outcome[sel],
            "Nursing placement" if is_nursing else "Residential placement",
            service_type=code(
                "Service_Type",
                "Long term support: Nursing care"
                if is_nursing
                else "Long term support: Residential care",
            ),
            component=code(
                "Service_Component",
                "Long term nursing care" if is_nursing else "Long term residential care",
            ),
            mechanism=pick(
                rng,
                "Delivery_Mechanism",
                {"CASSR commissioned support": 92, "CASSR managed personal budget": 8},
                m,
            ),
            unit_cost=np.round(lo + rng.random(m) * (hi - lo), 2),
            units=1.0,
            frequency=code("Cost_Frequency_Unit_Type", "Weekly"),
            provider=rng.integers(0, n_providers, m),
        )
    del n


def _planned_review(
    rng: np.random.Generator,
    ev: Events,
    person: np.ndarray,
    service_start: np.ndarray,
    p0: int,
    pe: int,
    history: bool = True,
) -> None:
    """An annual planned review inside the year, and the one a year before it when due."""
    n = len(person)
    lo = np.maximum(service_start + 28, p0)
    ok = lo <= pe - 10
    person, service_start, lo = person[ok], service_start[ok], lo[ok]
    n = len(person)
    start = _between(rng, lo, pe - 10, n)
    end = start + np.minimum(rng.geometric(0.15, n) - 1, 60)
    outcome = np.where(rng.random(n) < 0.78, CONTINUATION_REVIEW, PROGRESS_TO_SUPPORT)
    achieved = pick(
        rng, "Review_Outcomes_Achieved", {"Fully met": 55, "Partially met": 36, "Not met": 9}, n
    )
    ev.add(
        person,
        "Review",
        start,
        end,
        outcome,
        "Annual review",
        review_reason=code("Review_Reason", "Planned"),
        review_outcome=achieved,
        method_review=_review_method(rng, n),
    )
    if history:
        earlier = start - 365 + rng.integers(-30, 30, n)
        due = earlier >= service_start + 28
        ev.add(
            person[due],
            "Review",
            earlier[due],
            earlier[due] + (end - start)[due],
            CONTINUATION_REVIEW,
            "Annual review",
            review_reason=code("Review_Reason", "Planned"),
            review_outcome=achieved[due],
            method_review=_review_method(rng, int(due.sum())),
        )


@dataclass(frozen=True)
class Timeline:
    """p0: first day of the earliest submission's 12 months; pe: last day of the latest."""

    p0: int
    pe: int


def build_events(rng: np.random.Generator, people: People, t: Timeline) -> dict[str, np.ndarray]:
    """Every event of every person, over the reporting months and the history before them."""
    ev = Events()
    n_providers = max(8, people.n // 400)
    idx = np.arange(people.n)
    p0, pe = t.p0, t.pe

    # --- advice: a request answered with advice, sometimes a short assessment and equipment
    a = idx[people.is_("advice")]
    n = len(a)
    rs = _between(rng, p0 - 90, pe, n)
    re = rs + np.minimum(rng.geometric(0.25, n) - 1, 30)
    assessed = rng.random(n) < 0.32
    route = pick(
        rng,
        "Request_Route_of_Access",
        {
            "Community or other route": 80,
            "Diversion from hospital services": 6,
            "Self-funder": 5,
            "Transfer from other local authority": 3,
            "Prison": 1,
            "Discharge from hospital": 5,
        },
        n,
    )
    ev.add(
        a,
        "Request",
        rs,
        re,
        np.where(assessed, PROGRESS_TO_ASSESSMENT, _nfa(rng, n)),
        "Contact - adult social care front door",
        route=route,
    )
    aa, are = a[assessed], re[assessed]
    m = len(aa)
    ast = are + rng.integers(0, 15, m)
    aen = ast + rng.integers(0, 22, m)
    long_term = rng.random(m) < 0.2
    equipment = rng.random(m) < 0.38
    ev.add(
        aa,
        "Assessment",
        ast,
        aen,
        np.where(equipment, PROGRESS_TO_SUPPORT, _nfa(rng, m)),
        "Occupational therapy assessment",
        assessment_type=np.where(
            long_term,
            code("Assessment_Type", "Long term assessment"),
            code("Assessment_Type", "Short term assessment"),
        ),
        eligible=np.where(
            long_term,
            np.where(
                rng.random(m) < 0.35,
                code("Eligible_Needs_Identified", "Yes"),
                code("Eligible_Needs_Identified", "No"),
            ),
            -1,
        ),
        method_assessment=_assessment_method(rng, m),
    )
    eq_start = aen[equipment] + rng.integers(0, 11, int(equipment.sum()))
    _equipment(rng, ev, aa[equipment], eq_start)
    again = rng.random(n) < 0.45
    rs2 = re[again] + rng.integers(30, 240, int(again.sum()))
    ev.add(
        a[again],
        "Request",
        rs2,
        rs2 + rng.integers(0, 8, len(rs2)),
        _nfa(rng, len(rs2)),
        "Contact - adult social care front door",
        route=code("Request_Route_of_Access", "Community or other route"),
    )

    # --- reablement (ST-Max) after a request, then its sequel
    b = idx[people.is_("stmax")]
    n = len(b)
    rs = _between(rng, p0 - 60, pe, n)
    re = rs + rng.integers(0, 4, n)
    route = pick(
        rng,
        "Request_Route_of_Access",
        {
            "Discharge from hospital": 55,
            "Community or other route": 38,
            "Diversion from hospital services": 7,
        },
        n,
    )
    hospital = route == code("Request_Route_of_Access", "Discharge from hospital")
    ev.add(
        b,
        "Request",
        rs,
        re,
        _o("Progress to reablement/ST-Max"),
        "Hospital discharge contact",
        route=route,
    )
    _stmax_and_sequel(rng, ev, people, b, re + rng.integers(0, 4, n), hospital, n_providers, p0, pe)
    del hospital

    # --- long-term community support, mostly started before the year
    c = idx[people.is_("community")]
    n = len(c)
    new = rng.random(n) < 0.25
    ls = np.where(new, 0, _between(rng, p0 - 5 * 365, p0, n))
    nc = c[new]
    m = len(nc)
    rs = _between(rng, p0 - 30, pe - 30, m)
    re = rs + rng.integers(0, 10, m)
    ev.add(
        nc,
        "Request",
        rs,
        re,
        PROGRESS_TO_ASSESSMENT,
        "Contact - adult social care front door",
        route=pick(
            rng,
            "Request_Route_of_Access",
            {
                "Community or other route": 75,
                "Discharge from hospital": 15,
                "Self-funder": 5,
                "Transfer from other local authority": 5,
            },
            m,
        ),
    )
    ast = re + rng.integers(0, 11, m)
    aen = ast + rng.integers(5, 41, m)
    ev.add(
        nc,
        "Assessment",
        ast,
        aen,
        PROGRESS_TO_SUPPORT,
        "Care Act assessment",
        assessment_type=code("Assessment_Type", "Long term assessment"),
        eligible=code("Eligible_Needs_Identified", "Yes"),
        method_assessment=_assessment_method(rng, m),
    )
    ls[new] = aen + rng.integers(1, 15, m)
    _long_term_community(rng, ev, people, c, ls, n_providers, p0, pe)

    # --- care homes: residents from earlier years and admissions in the year
    d = idx[people.is_("care_home")]
    _care_home(rng, ev, people, d, n_providers, p0, pe)

    # --- young people moving from children's services
    e = idx[people.is_("transition")]
    n = len(e)
    rs = _between(rng, p0 - 60, pe - 40, n)
    age_at_request = np.where(rng.random(n) < 0.7, 17.0 + rng.random(n) * 2, 19 + rng.random(n) * 6)
    people.date_of_birth[e] = (rs - age_at_request * 365.25).astype(np.int64)
    re = rs + rng.integers(0, 15, n)
    ev.add(
        e,
        "Request",
        rs,
        re,
        PROGRESS_TO_ASSESSMENT,
        "Transition to adult services",
        route=code("Request_Route_of_Access", "Planned entry (transition)"),
    )
    ast = re + rng.integers(5, 31, n)
    aen = ast + rng.integers(10, 61, n)
    ev.add(
        e,
        "Assessment",
        ast,
        aen,
        PROGRESS_TO_SUPPORT,
        "Care Act assessment",
        assessment_type=code("Assessment_Type", "Long term assessment"),
        eligible=code("Eligible_Needs_Identified", "Yes"),
        method_assessment=pick(
            rng,
            "Method_of_Assessment",
            {"Service user and unpaid carer": 70, "Service user only": 30},
            n,
        ),
    )
    _community_service(
        rng,
        ev,
        e,
        aen + rng.integers(1, 31, n),
        np.full(n, OPEN),
        np.full(n, CONTINUATION_SERVICE),
        {
            "Community supported living": 25,
            "Direct payment": 30,
            "Day support": 30,
            "Shared Lives": 15,
        },
        n_providers,
    )

    # --- unpaid carers, linked to the people they care for, and carers known by association
    _carers(rng, ev, people, n_providers, p0, pe)

    events = ev.finish()
    return _end_at_death(events, people)


def _equipment(rng: np.random.Generator, ev: Events, person: np.ndarray, start: np.ndarray) -> None:
    """Equipment is always ongoing low-level support (SALT rule), delivered in a day."""
    m = len(person)
    ev.add(
        person,
        "Service",
        start,
        start,
        ENDED_AS_PLANNED,
        "Equipment",
        service_type=code("Service_Type", "Short term support: Ongoing low level"),
        component=code("Service_Component", "Equipment"),
        mechanism=code("Delivery_Mechanism", "CASSR commissioned support"),
        unit_cost=np.round(40 + rng.random(m) * 560, 2),
        frequency=code("Cost_Frequency_Unit_Type", "One-off"),
    )


STMAX_SEQUELS = ("ended", "long_term", "hospital", "care_home", "died", "low_level", "declined")
STMAX_SHARES = (0.54, 0.18, 0.07, 0.05, 0.04, 0.07, 0.05)


def _stmax_and_sequel(
    rng: np.random.Generator,
    ev: Events,
    people: People,
    person: np.ndarray,
    start: np.ndarray,
    hospital: np.ndarray,
    n_providers: int,
    p0: int,
    pe: int,
) -> None:
    n = len(person)
    end = start + rng.integers(10, 43, n)
    sequel = rng.choice(len(STMAX_SEQUELS), size=n, p=STMAX_SHARES)
    s = {name: sequel == i for i, name in enumerate(STMAX_SEQUELS)}
    outcome = np.select(
        [s["ended"], s["hospital"], s["died"], s["declined"]],
        [ENDED_AS_PLANNED, _o("Admitted to hospital"), DECEASED, _o("NFA: Support declined")],
        PROGRESS_TO_SUPPORT,
    )
    people.date_of_death[person[s["died"]]] = end[s["died"]]
    reablement = rng.random(n) < 0.93
    ev.add(
        person,
        "Service",
        start,
        end,
        outcome,
        "Reablement",
        service_type=code("Service_Type", "Short term support: ST-Max"),
        component=np.where(
            reablement,
            code("Service_Component", "Reablement"),
            code("Service_Component", "Home support or domiciliary care"),
        ),
        mechanism=code("Delivery_Mechanism", "CASSR commissioned support"),
        provider=rng.integers(0, n_providers, n),
    )
    eq = rng.random(n) < 0.3
    _equipment(rng, ev, person[eq], start[eq] + rng.integers(0, 8, int(eq.sum())))
    # ST-Max ends with a review that decides what follows (R2: review of short term support).
    rv = (rng.random(n) < 0.7) & ~s["died"]
    m = int(rv.sum())
    ev.add(
        person[rv],
        "Review",
        end[rv] - rng.integers(0, 4, m),
        end[rv],
        outcome[rv],
        "Unplanned review",
        review_reason=code("Review_Reason", "Review of short term support"),
        method_review=_review_method(rng, m),
    )
    # Sequels that need a long-term assessment first: long-term support or a care home.
    la = s["long_term"] | s["care_home"]
    m = int(la.sum())
    ast = end[la] - rng.integers(0, 8, m)
    aen = end[la] + rng.integers(0, 5, m)
    ev.add(
        person[la],
        "Assessment",
        ast,
        aen,
        PROGRESS_TO_SUPPORT,
        "Care Act assessment",
        assessment_type=code("Assessment_Type", "Long term assessment"),
        eligible=code("Eligible_Needs_Identified", "Yes"),
        method_assessment=_assessment_method(rng, m),
    )
    lt = s["long_term"]
    m = int(lt.sum())
    lts = end[lt] + rng.integers(1, 8, m)
    stops = rng.random(m) < 0.15
    lte = np.where(stops, lts + rng.integers(60, 300, m), OPEN)
    _community_service(
        rng,
        ev,
        person[lt],
        lts,
        lte,
        np.where(stops, _o("NFA: Support ended for other reason"), CONTINUATION_SERVICE),
        {
            "Home support or domiciliary care": 80,
            "Direct payment": 10,
            "Meals": 5,
            "Extra care housing": 5,
        },
        n_providers,
    )
    _planned_review(rng, ev, person[lt], lts, p0, pe, history=False)
    ch = s["care_home"]
    m = int(ch.sum())
    _care_home_service(
        rng,
        ev,
        person[ch],
        rng.random(m) < 0.4,
        end[ch] + rng.integers(0, 8, m),
        np.full(m, OPEN),
        np.full(m, CONTINUATION_SERVICE),
        n_providers,
    )
    ll = s["low_level"]
    _equipment(rng, ev, person[ll], end[ll] + rng.integers(1, 6, int(ll.sum())))
    # Some older people die in the months after reablement.
    later = (~s["died"]) & (rng.random(n) < 0.06)
    people.date_of_death[person[later]] = end[later] + rng.integers(20, 300, int(later.sum()))
    del hospital


def _long_term_community(
    rng: np.random.Generator,
    ev: Events,
    people: People,
    person: np.ndarray,
    start: np.ndarray,
    n_providers: int,
    p0: int,
    pe: int,
) -> None:
    n = len(person)
    ld = people.psr[person] == code("Primary_Support_Reason", "Learning disability support")
    weights_ld = {
        "Community supported living": 30,
        "Day support": 25,
        "Direct payment": 25,
        "Shared Lives": 10,
        "Home support or domiciliary care": 10,
    }
    # Package change: the first line ends after an unplanned review and a new line starts.
    change = rng.random(n) < 0.3
    change_day = np.where(change, _between(rng, np.maximum(start + 60, p0 - 200), pe, n), OPEN)
    change = change & (change_day > start + 30)
    end1 = np.where(change, change_day - 1, OPEN)
    moves = (~change) & (people.date_of_birth[person] < pe - 65 * 365) & (rng.random(n) < 0.05)
    move_day = _between(rng, np.maximum(start + 60, p0), pe, n)
    moves = moves & (move_day > start + 30)
    end1 = np.where(moves, move_day - 1, end1)
    out1 = np.select(
        [change, moves],
        [CONTINUATION_SERVICE, _o("NFA: Support ended for other reason")],
        CONTINUATION_SERVICE,
    )
    for group, weights in ((ld, weights_ld), (~ld, None)):
        _community_service(
            rng, ev, person[group], start[group], end1[group], out1[group], weights, n_providers
        )
        g = group & change
        _community_service(
            rng,
            ev,
            person[g],
            change_day[g],
            np.full(int(g.sum()), OPEN),
            np.full(int(g.sum()), CONTINUATION_SERVICE),
            weights,
            n_providers,
        )
    # The unplanned review behind a package change or a move into a care home.
    trig = change | moves
    day = np.where(change, change_day, move_day)[trig]
    m = len(day)
    rst = day - rng.integers(5, 21, m)
    ev.add(
        person[trig],
        "Review",
        rst,
        np.minimum(rst + rng.integers(0, 10, m), day - 1),
        PROGRESS_TO_SUPPORT,
        "Unplanned review",
        review_reason=pick(
            rng,
            "Review_Reason",
            {
                "Unplanned: Hospital (planned and unplanned episodes)": 35,
                "Unplanned: Unpaid carer related": 12,
                "Unplanned: Safeguarding concern": 5,
                "Unplanned: Other reason": 38,
                "Unplanned: Provider failure": 5,
                "Unplanned: Change in commissioning arrangements": 5,
            },
            m,
        ),
        review_outcome=np.where(
            rng.random(m) < 0.5,
            -1,
            pick(
                rng,
                "Review_Outcomes_Achieved",
                {"Fully met": 40, "Partially met": 45, "Not met": 15},
                m,
            ),
        ),
        method_review=_review_method(rng, m),
    )
    mv = moves
    m = int(mv.sum())
    _care_home_service(
        rng,
        ev,
        person[mv],
        rng.random(m) < 0.35,
        move_day[mv] + rng.integers(0, 4, m),
        np.full(m, OPEN),
        np.full(m, CONTINUATION_SERVICE),
        n_providers,
    )
    # A second line alongside the main one (day support, meals, a direct payment).
    # Packages are often sent as several rows: further lines beside the main one (a second
    # home care provider, day support, meals, a direct payment), some replaced in the year
    # when the cost or hours change.
    for share in (0.6, 0.35, 0.15):
        extra = rng.random(n) < share
        m = int(extra.sum())
        s2 = np.minimum(start[extra] + rng.integers(0, 300, m), pe)
        stops = rng.random(m) < 0.3
        e2 = np.where(stops, s2 + rng.integers(30, 400, m), OPEN)
        repriced = (~stops) & (rng.random(m) < 0.35)
        day = _between(rng, np.maximum(s2 + 30, p0 - 90), pe, m)
        repriced &= day > s2 + 30
        e2 = np.where(repriced, day - 1, e2)
        weights = {
            "Day support": 30,
            "Meals": 15,
            "Direct payment": 20,
            "Home support or domiciliary care": 35,
        }
        _community_service(
            rng,
            ev,
            person[extra],
            s2,
            e2,
            np.where(stops, ENDED_AS_PLANNED, CONTINUATION_SERVICE),
            weights,
            n_providers,
        )
        _community_service(
            rng,
            ev,
            person[extra][repriced],
            day[repriced],
            np.full(int(repriced.sum()), OPEN),
            np.full(int(repriced.sum()), CONTINUATION_SERVICE),
            weights,
            n_providers,
        )
    # Existing clients get in touch again (a change in needs, a carer's worry): a request.
    asks = rng.random(n) < 0.35
    m = int(asks.sum())
    ask = _between(rng, np.maximum(start[asks] + 30, p0 - 30), pe, m)
    ev.add(
        person[asks],
        "Request",
        ask,
        ask + rng.integers(0, 6, m),
        pick(
            rng,
            "Event_Outcome",
            {
                "Progress to assessment, review or reassessment": 50,
                "NFA: Information and advice or signposting": 50,
            },
            m,
        ),
        "Contact - adult social care front door",
        route=code("Request_Route_of_Access", "Community or other route"),
    )
    due = rng.random(n) < 0.8
    _planned_review(rng, ev, person[due], start[due], p0, pe)
    # Existing clients also go through reablement after a hospital stay (SALT STS002b).
    st = rng.random(n) < 0.06
    m = int(st.sum())
    sst = _between(rng, np.maximum(start[st] + 30, p0 - 30), pe, m)
    ev.add(
        person[st],
        "Request",
        sst - rng.integers(1, 4, m),
        sst - 1,
        _o("Progress to reablement/ST-Max"),
        "Hospital discharge contact",
        route=code("Request_Route_of_Access", "Discharge from hospital"),
    )
    ev.add(
        person[st],
        "Service",
        sst,
        sst + rng.integers(10, 43, m),
        ENDED_AS_PLANNED,
        "Reablement",
        service_type=code("Service_Type", "Short term support: ST-Max"),
        component=code("Service_Component", "Reablement"),
        mechanism=code("Delivery_Mechanism", "CASSR commissioned support"),
        provider=rng.integers(0, n_providers, m),
    )
    # Deaths in the year: more common among older people.
    old = people.date_of_birth[person] < pe - 65 * 365
    dies = rng.random(n) < np.where(old, 0.09, 0.02)
    people.date_of_death[person[dies]] = _between(
        rng, np.maximum(start[dies] + 30, p0), pe, int(dies.sum())
    )


def _care_home(
    rng: np.random.Generator,
    ev: Events,
    people: People,
    person: np.ndarray,
    n_providers: int,
    p0: int,
    pe: int,
) -> None:
    n = len(person)
    nursing = people.setting[person] == 1
    new = rng.random(n) < 0.35
    start = _between(rng, p0 - 4 * 365, p0, n)
    nd = person[new]
    m = len(nd)
    rs = _between(rng, p0 - 30, pe - 20, m)
    re = rs + rng.integers(0, 6, m)
    ev.add(
        nd,
        "Request",
        rs,
        re,
        PROGRESS_TO_ASSESSMENT,
        "Contact - adult social care front door",
        route=pick(
            rng,
            "Request_Route_of_Access",
            {"Discharge from hospital": 40, "Community or other route": 55, "Self-funder": 5},
            m,
        ),
    )
    ast = re + rng.integers(0, 8, m)
    aen = ast + rng.integers(3, 25, m)
    ev.add(
        nd,
        "Assessment",
        ast,
        aen,
        PROGRESS_TO_SUPPORT,
        "Care Act assessment",
        assessment_type=code("Assessment_Type", "Long term assessment"),
        eligible=code("Eligible_Needs_Identified", "Yes"),
        method_assessment=_assessment_method(rng, m),
    )
    respite = rng.random(m) < 0.25
    rst = aen + rng.integers(0, 8, m)
    ren = rst + rng.integers(14, 43, m)
    k = int(respite.sum())
    ev.add(
        nd[respite],
        "Service",
        rst[respite],
        ren[respite],
        ENDED_AS_PLANNED,
        "Respite stay",
        service_type=code("Service_Type", "Short term support: Other short term"),
        component=np.where(
            nursing[new][respite],
            code("Service_Component", "Short term nursing care"),
            code("Service_Component", "Short term residential care"),
        ),
        mechanism=code("Delivery_Mechanism", "CASSR commissioned support"),
        unit_cost=np.round(700 + rng.random(k) * 600, 2),
        units=1.0,
        frequency=code("Cost_Frequency_Unit_Type", "Weekly"),
        provider=rng.integers(0, n_providers, k),
    )
    start[new] = np.where(respite, ren + 1, aen + rng.integers(0, 8, m))
    disregard = new & (rng.random(n) < 0.05)
    end = np.where(disregard, start + 84, OPEN)
    outcome = np.where(
        disregard, _o("NFA: Self-funded client or under 12wk disregard"), CONTINUATION_SERVICE
    )
    _care_home_service(rng, ev, person, nursing, start, end, outcome, n_providers)
    due = rng.random(n) < 0.75
    _planned_review(rng, ev, person[due], start[due], p0, pe)
    dies = rng.random(n) < 0.28
    people.date_of_death[person[dies]] = _between(
        rng, np.maximum(start[dies] + 7, p0), pe, int(dies.sum())
    )
    people.funding[person] = pick(
        rng,
        "Client_Funding_Status",
        {
            "Fully social care funded": 35,
            "Joint client and social care funded": 60,
            "Fully client funded": 5,
        },
        n,
    )


def _carers(
    rng: np.random.Generator, ev: Events, people: People, n_providers: int, p0: int, pe: int
) -> None:
    idx = np.arange(people.n)
    cared_for = idx[people.is_("community") | people.is_("care_home") | people.is_("stmax")]
    if len(cared_for) == 0:
        cared_for = idx[~(people.is_("carer") | people.is_("kba"))]
    for journey in ("carer", "kba"):
        who = idx[people.is_(journey)]
        n = len(who)
        if n == 0 or len(cared_for) == 0:
            continue
        link1 = rng.choice(cared_for, size=n)
        two = rng.random(n) < 0.08
        link2 = np.where(two, rng.choice(cared_for, size=n), -1)
        link2 = np.where(link2 == link1, -1, link2)
        people.has_carer[link1] = code("Has_Unpaid_Carer", "Yes")
        people.has_carer[link2[link2 >= 0]] = code("Has_Unpaid_Carer", "Yes")
        hours = np.round(np.clip(rng.gamma(2.0, 18.0, n), 1, 168))
        carer_cols = {
            "hours_caring": hours,
            "n_adults": np.where(link2 >= 0, 2, 1),
            "link1": link1,
            "link2": link2,
        }
        if journey == "kba":
            ev.add(
                who,
                None,
                np.full(n, NO_DATE),
                np.full(n, NO_DATE),
                -1,
                None,
                client_type="Unpaid carer known by association",
                **carer_cols,
            )
            continue
        rs = _between(rng, p0 - 60, pe, n)
        re = rs + rng.integers(0, 10, n)
        assessed = rng.random(n) < 0.75
        ev.add(
            who,
            "Request",
            rs,
            re,
            np.where(
                assessed, PROGRESS_TO_ASSESSMENT, _o("NFA: Information and advice or signposting")
            ),
            "Contact - adult social care front door",
            client_type="Unpaid carer",
            route=code("Request_Route_of_Access", "Community or other route"),
            **carer_cols,
        )
        w = assessed
        m = int(w.sum())
        ast = re[w] + rng.integers(0, 21, m)
        aen = ast + rng.integers(0, 31, m)
        aout = pick(
            rng,
            "Event_Outcome",
            {
                "Progress to support planning or services": 55,
                "NFA: Information and advice or signposting": 35,
                "NFA: Support declined": 10,
            },
            m,
        )
        sub = {k: v[w] for k, v in carer_cols.items()}
        ev.add(
            who[w],
            "Assessment",
            ast,
            aen,
            aout,
            "Carer's assessment",
            client_type="Unpaid carer",
            assessment_type=code("Assessment_Type", "Long term assessment"),
            eligible=np.where(
                rng.random(m) < 0.6,
                code("Eligible_Needs_Identified", "Yes"),
                code("Eligible_Needs_Identified", "No"),
            ),
            method_assessment=pick(
                rng,
                "Method_of_Assessment",
                {"Unpaid carer only": 85, "Service user and unpaid carer": 15},
                m,
            ),
            **sub,
        )
        sv = aout == PROGRESS_TO_SUPPORT
        k = int(sv.sum())
        person = who[w][sv]
        sst = aen[sv] + rng.integers(0, 22, k)
        kind = rng.choice(3, size=k, p=[0.55, 0.3, 0.15])  # DP, other direct support, respite
        dp = kind == 0
        respite = kind == 2
        sen = np.where(
            respite, sst + rng.integers(7, 29, k), np.where(dp, sst, sst + rng.integers(30, 180, k))
        )
        mech = np.where(
            dp,
            code("Delivery_Mechanism", "Direct payment"),
            pick(
                rng,
                "Delivery_Mechanism",
                {"CASSR commissioned support": 80, "CASSR managed personal budget": 20},
                k,
            ),
        )
        sub2 = {kk: v[sv] for kk, v in sub.items()}
        ev.add(
            person,
            "Service",
            sst,
            sen,
            ENDED_AS_PLANNED,
            "Carer support service",
            client_type="Unpaid carer",
            service_type=np.where(
                respite,
                code(
                    "Service_Type", "Unpaid carer support: Support involving the person cared-for"
                ),
                code("Service_Type", "Unpaid carer support: Direct to unpaid carer"),
            ),
            component=np.select(
                [dp, respite],
                [
                    code("Service_Component", "Direct payment"),
                    code("Service_Component", "Unpaid carer respite"),
                ],
                code("Service_Component", "Other unpaid carer support"),
            ),
            mechanism=mech,
            unit_cost=np.round(
                np.where(respite, 80 + rng.random(k) * 70, 150 + rng.random(k) * 450), 2
            ),
            frequency=np.where(
                respite,
                code("Cost_Frequency_Unit_Type", "Daily"),
                code("Cost_Frequency_Unit_Type", "One-off"),
            ),
            units=np.where(respite, np.round(1 + rng.random(k) * 4), np.nan),
            provider=np.where(dp, -1, rng.integers(0, n_providers, k)),
            **sub2,
        )
        rv = rng.random(k) < 0.35
        r = int(rv.sum())
        rst = sst[rv] + rng.integers(200, 366, r)
        ev.add(
            person[rv],
            "Review",
            rst,
            rst + rng.integers(0, 15, r),
            np.where(rng.random(r) < 0.7, CONTINUATION_REVIEW, _o("NFA: Support ended as planned")),
            "Carer's review",
            client_type="Unpaid carer",
            review_reason=code("Review_Reason", "Planned"),
            review_outcome=pick(
                rng,
                "Review_Outcomes_Achieved",
                {"Fully met": 50, "Partially met": 40, "Not met": 10},
                r,
            ),
            method_review=code("Method_of_Review", "Unpaid carer only"),
            **{kk: v[rv] for kk, v in sub2.items()},
        )


def _end_at_death(events: dict[str, np.ndarray], people: People) -> dict[str, np.ndarray]:
    """No event after death: drop what starts after it, end at death what runs past it."""
    dod = people.date_of_death[events["person"]]
    kba = events["event_type"] < 0
    keep = kba | (events["start"] <= dod)
    events = {k: v[keep] for k, v in events.items()}
    dod = dod[keep]
    past = (events["event_type"] >= 0) & (events["end"] > dod)
    events["end"] = np.where(past, dod, events["end"])
    events["outcome"] = np.where(past, DECEASED, events["outcome"])
    return events
