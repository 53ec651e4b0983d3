"""Publication rounding and disclosure control, as data per family plus the code that applies it.

`metric_values` keeps unrounded figures; only `export metrics --published` rounds and
suppresses, following the rules the national publications use (ascof.md §5). Each family's
rule is a small mapping: the defaults below, overridden by a `published:` block in the
family's YAML, overridden again by a `published:` block on one measure. A new collection's
rule (SAC: nearest 5, every count under 5 suppressed) is therefore a YAML edit.

Rule keys:

- `counts`: `nearest_5` (halves up) or `none`: how numerator and denominator are printed;
- `suppress_below`: a count c with `suppress_min <= c < suppress_below` is shown as `[c]`;
- `suppress_min`: 1 (a zero is shown) or 0 (zero is suppressed too, as SAC does);
- `value_rounding`: `half_away_from_zero` or `none`; `decimals` defaults to the measure's
  `precision`;
- a value is `[c]` when a count it is built from is suppressed, and `[x]` when its
  denominator is 0 (or it has no value).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SUPPRESSED = "[c]"
POPULATION_UNITS = frozenset({"per_100k", "per_1000"})
NOT_AVAILABLE = "[x]"

DEFAULT_RULE: dict[str, Any] = {
    "counts": "nearest_5",
    "suppress_below": 5,
    "suppress_min": 1,
    "value_rounding": "half_away_from_zero",
}

# ascof.md §5, "recommended default for openasc --published": CLD metrics' counts to the
# nearest 5 (ties up), 1-4 suppressed, outcome 1 dp half away from zero ([x] for a zero
# denominator). SALT and ACTIVITY are CLD-derived counts published the same way.
FAMILY_RULES: dict[str, dict[str, Any]] = {
    "ASCOF": dict(DEFAULT_RULE),
    "SALT": dict(DEFAULT_RULE),
    "ACTIVITY": dict(DEFAULT_RULE),
    "SAC": {**DEFAULT_RULE, "suppress_min": 0},
}


def rule_for(family: str, family_block: dict[str, Any] | None = None,
             measure_block: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the family's YAML `published:` block, then the measure's."""
    rule = dict(FAMILY_RULES.get(family.upper(), DEFAULT_RULE))
    rule.update(family_block or {})
    rule.update(measure_block or {})
    return rule


def round_half_away(x: float, decimals: int) -> Decimal:
    """Round half away from zero on the decimal text of x, not on its binary value.

    `round()` in Python rounds halves to even and works on the binary float, so 82.25 can
    come out as 82.2; the publications round 82.25 to 82.3.
    """
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP)


def nearest_5(x: float) -> int:
    """Nearest multiple of 5, exact halves up (2.5 -> 5 for fractional weighted counts)."""
    return int((Decimal(repr(x)) / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5


def is_suppressed(count: float | None, rule: dict[str, Any]) -> bool:
    if count is None:
        return False
    return rule.get("suppress_min", 1) <= count < rule.get("suppress_below", 0)


def publish_count(count: float | None, rule: dict[str, Any]) -> int | float | str | None:
    """A numerator or denominator as published: None, '[c]', or the rounded count."""
    if count is None:
        return None
    if is_suppressed(count, rule):
        return SUPPRESSED
    if rule.get("counts") == "nearest_5":
        return nearest_5(count)
    return count


def publish_value(numerator: float | None, denominator: float | None, value: float | None,
                  unit: str, decimals: int, rule: dict[str, Any]) -> Decimal | str | None:
    """The outcome as published: '[c]' if built from a suppressed count, '[x]' if none."""
    if is_suppressed(numerator, rule) or is_suppressed(denominator, rule):
        return SUPPRESSED
    if unit == "count" and value is not None:
        rounded = publish_count(value, rule)
        return Decimal(rounded) if isinstance(rounded, int) else rounded  # type: ignore[arg-type]
    if value is None or (denominator is not None and denominator == 0):
        return NOT_AVAILABLE
    if rule.get("value_rounding", "half_away_from_zero") == "none":
        return Decimal(repr(value))
    return round_half_away(value, decimals)
