"""The CLD defined lists the synthetic council draws from, as (R2 spelling, R1 spelling) pairs.

Journeys are built with small integer codes into these tuples, so switching a file between
Release 1 and Release 2 is only a choice of which spelling to look up. The lists are the CLD
specification's (`spec/cld_r2.yaml`), read from it: one pair per R1 spelling the
specification maps to a value (so R1 values that R2 merged, e.g. `No change in package` and
`Provision of service` into `Continuation of support or services`, are separate codes with the
same R2 spelling). A value with no R1 spelling is written as its R2 spelling in an R1 file,
except the few in `R1_STAND_INS` below.
"""

from __future__ import annotations

from openasc.spec import load_spec

Pair = tuple[str, str]

#: R1 spellings the synthetic council writes for R2 values that R1 did not have: the R1
#: value a council would most likely have recorded instead (the generator's own choice).
R1_STAND_INS: dict[tuple[str, str], str] = {
    ("Event_Outcome", "NFA: Referral to other service within the local authority"):
        "NFA- Other",
    ("Review_Reason", "Review of short term support"): "Unplanned - Other Reason",
}
#: Lists whose R1 form was a number, not a label: written from the same draw (cld.py).
NUMBER_IN_R1 = {"Total_Hrs_Caring_per_week"}


def _pairs(name: str) -> tuple[Pair, ...]:
    vl = load_spec("cld").lists[name]
    pairs: list[Pair] = []
    for v in vl.values:
        r1 = [old for old, new in vl.r1.items() if new == v]
        if name in NUMBER_IN_R1:
            r1 = [""]
        pairs += [(v, old) for old in r1 or [R1_STAND_INS.get((name, v), v)]]
    return tuple(pairs)


#: Every list of the specification the generator writes.
LISTS: dict[str, tuple[Pair, ...]] = {name: _pairs(name) for name in load_spec("cld").lists}


def code(field: str, r2_value: str, r1_value: str | None = None) -> int:
    """The code of a value in `LISTS[field]`, by its R2 spelling (and R1 when R2 is shared)."""
    for i, (r2, r1) in enumerate(LISTS[field]):
        if r2 == r2_value and (r1_value is None or r1 == r1_value):
            return i
    raise KeyError(f"{field}: {r2_value!r}")


def spellings(field: str, release: int) -> list[str]:
    """The value a code stands for in a given release (index = code)."""
    return [pair[0] if release == 2 else pair[1] for pair in LISTS[field]]
