"""COSTS: DHSC's cost of services (6.Costs_fact.sql), one service at a time, in the
single-submission table (event_table.py). Period 2024-25, so the quarter costed is its last,
1 January - 31 March 2025: 90 days, 90 / 7 = 12.857... weeks.
"""

from __future__ import annotations

from typing import Any

import pytest
from event_table import event, run

COMMUNITY = "Long term support: Community"
Q4_WEEKS = 90 / 7


def costs(*services: dict) -> dict:
    return run("costs.sql", list(services), table="cld_events_single")


NOTHING_COSTED = {("COST-4", ""): (0, 0)}  # the count says 0; no total of £0 is made up


def service(start: str = "2024-12-01", end: str | None = None, **f: Any) -> dict:
    return event("A", "Service", start, end, **{"service_type": COMMUNITY, **f})


@pytest.mark.parametrize(("frequency", "units_per_week"), [
    ("Weekly", 1.0),
    ("Fortnightly", 1 / 2),
    ("4-weekly", 1 / 4),
    ("Monthly", 12 / 52),
    ("Quarterly", 4 / 52),
    ("Annually", 1 / 52),
])
def test_a_frequency_that_recurs_gives_the_units_per_week(frequency: str,
                                                          units_per_week: float) -> None:
    """The cost frequency is trusted over planned units (here 5, ignored): unit cost £520 x
    units per week (weekly 1, fortnightly 1/2, 4-weekly 1/4, monthly 12/52, quarterly 4/52,
    annually 1/52). The service is open through the whole quarter: weeks 90 / 7; cost in
    the quarter = cost per week x 90 / 7."""
    got = costs(service(unit_cost=520, cost_frequency_unit_type=frequency,
                        planned_units_per_week=5))
    per_week = 520 * units_per_week
    assert got[("COST-2", "")][1] == pytest.approx(per_week)
    assert got[("COST-3", "")][1] == pytest.approx(Q4_WEEKS)
    assert got[("COST-1", "")][1] == pytest.approx(per_week * Q4_WEEKS)
    assert got[("COST-4", f"frequency={frequency}")] == (1, 1)


@pytest.mark.parametrize("frequency", ["Per session", "Hourly", "Daily", None])
def test_a_frequency_per_unit_of_delivery_takes_the_planned_units(frequency: str | None) -> None:
    """Per session, hourly, daily (or no frequency): units per week = planned units, 10:
    £20 x 10 = £200 a week; £200 x 90 / 7 in the quarter."""
    got = costs(service(unit_cost=20, cost_frequency_unit_type=frequency,
                        planned_units_per_week=10))
    assert got[("COST-2", "")][1] == pytest.approx(200)
    assert got[("COST-1", "")][1] == pytest.approx(200 * Q4_WEEKS)


@pytest.mark.parametrize("planned", [None, 0])
def test_hourly_care_without_planned_units_is_not_costed(planned: float | None) -> None:
    """No units per week can be worked out: the service is left out (0 costed, no cost)."""
    assert costs(service(unit_cost=20, cost_frequency_unit_type="Hourly",
                         planned_units_per_week=planned)) == NOTHING_COSTED


def test_a_one_off_item_costs_its_unit_cost() -> None:
    """One-off: no cost per week and no weeks; cost in the quarter = the unit cost, £350,
    even with no planned units. COST-2 has no weekly cost to average (denominator 0: no
    value)."""
    got = costs(service("2025-02-01", "2025-02-01", unit_cost=350,
                        cost_frequency_unit_type="One-off"))
    assert got[("COST-1", "")] == (350, 350)
    assert got[("COST-2", "")] == (None, None)
    assert got[("COST-4", "frequency=One-off")] == (1, 1)


def test_negative_costs_and_units_count_as_positive() -> None:
    """Unit cost -£15, hourly, planned units -4: £15 x 4 = £60 a week."""
    got = costs(service(unit_cost=-15, cost_frequency_unit_type="Hourly",
                        planned_units_per_week=-4))
    assert got[("COST-2", "")][1] == pytest.approx(60)


def test_a_service_without_a_cost_is_not_costed() -> None:
    assert costs(service(unit_cost=None, cost_frequency_unit_type="Weekly")) == NOTHING_COSTED
    assert costs(service(unit_cost=0, cost_frequency_unit_type="Weekly")) == NOTHING_COSTED


@pytest.mark.parametrize(("start", "end", "days"), [
    ("2025-02-01", "2025-02-14", 14),   # inside the quarter: both ends counted
    ("2024-11-01", "2025-01-07", 7),    # started before: from 1 January
    ("2025-03-25", None, 7),            # still open: to 31 March
    ("2024-11-01", "2025-06-30", 90),   # spans the quarter
])
def test_weeks_of_service_are_the_days_inside_the_quarter(start: str, end: str | None,
                                                          days: int) -> None:
    """Weeks of service = (days from the later of start and 1 January to the earlier of
    end and 31 March, both counted) / 7; £70 a week x weeks."""
    got = costs(service(start, end, unit_cost=70, cost_frequency_unit_type="Weekly"))
    assert got[("COST-3", "")][1] == pytest.approx(days / 7)
    assert got[("COST-1", "")][1] == pytest.approx(70 * days / 7)


def test_a_service_outside_the_quarter_is_not_costed() -> None:
    """Ended 31 December 2024, or starting 1 April 2025: not in the quarter."""
    assert costs(service("2024-06-01", "2024-12-31", unit_cost=70,
                         cost_frequency_unit_type="Weekly")) == NOTHING_COSTED
    assert costs(service("2025-04-01", None, unit_cost=70,
                         cost_frequency_unit_type="Weekly")) == NOTHING_COSTED


def test_costs_by_service_type_and_the_mean_over_services() -> None:
    """Two community services at £100 and £300 a week and a nursing placement at £1,000 a
    week, all open through the quarter: mean cost per week (1,400 / 3) over service events;
    community: (100 + 300) / 2 = £200 a week, 2 services, £400 x 90 / 7 in the quarter."""
    nursing = "Long term support: Nursing care"
    got = costs(service(unit_cost=100, cost_frequency_unit_type="Weekly"),
                service(unit_cost=300, cost_frequency_unit_type="Weekly"),
                service(unit_cost=1000, cost_frequency_unit_type="Weekly",
                        service_type=nursing))
    assert got[("COST-2", "")] == (pytest.approx(1400), pytest.approx(1400 / 3))
    assert got[("COST-2", f"service_type={COMMUNITY}")][1] == pytest.approx(200)
    assert got[("COST-4", f"service_type={COMMUNITY}")] == (2, 2)
    assert got[("COST-1", f"service_type={COMMUNITY}")][1] == pytest.approx(400 * Q4_WEEKS)
    assert got[("COST-1", f"service_type={nursing}")][1] == pytest.approx(1000 * Q4_WEEKS)


def test_costs_by_the_persons_characteristics() -> None:
    """DHSC's costs table keeps client type, gender, ethnicity, age bands, support reason,
    component and outcome: a carer's £50 a week and a service user's £150 a week (ages 30
    and 80), open through the quarter: by client type £50 and £150 a week; by age band
    `25 to 44` one service; gender blank -> `Unknown` for both (2 services)."""
    got = costs(service(unit_cost=50, cost_frequency_unit_type="Weekly",
                        client_type="Unpaid carer", age=30),
                service(unit_cost=150, cost_frequency_unit_type="Weekly"))
    assert got[("COST-2", "client_type=Unpaid carer")][1] == pytest.approx(50)
    assert got[("COST-1", "client_type=Service user")][1] == pytest.approx(150 * Q4_WEEKS)
    assert got[("COST-4", "age_band=25 to 44")] == (1, 1)
    assert got[("COST-4", "gender=Unknown")] == (2, 2)


def test_sums_are_exact_decimals_so_every_run_adds_to_the_same_figure() -> None:
    """Weekly costs of £0.10 and £0.20: the sum of cost per week is exactly £0.30. Added as
    binary floating point it is 0.30000000000000004 (and, over many rows added by several
    threads, its last digits changed from run to run); as decimals it is the same every
    time, so COST-2's numerator is 0.3 exactly and its mean 0.15."""
    got = costs(service(unit_cost=0.10, cost_frequency_unit_type="Weekly"),
                service(unit_cost=0.20, cost_frequency_unit_type="Weekly"))
    assert got[("COST-2", "")] == (0.3, 0.15)
