"""The CLD Release 2 specification loads as data and is internally consistent."""

from __future__ import annotations

import pytest

from openasc.errors import OpenascError
from openasc.spec import FIELD_TYPES, load_spec, parse_spec


@pytest.fixture(scope="module")
def spec():
    return load_spec("cld")


def test_every_list_has_values_and_a_status(spec):
    for name, vl in spec.lists.items():
        assert vl.values, name
        assert vl.status in {"confirmed", "probable", "unconfirmed"}, name
        assert len(set(vl.values)) == len(vl.values), name


def test_every_r1_value_maps_to_an_r2_value_or_the_release1_placeholder(spec):
    for name, vl in spec.lists.items():
        for old, new in vl.r1.items():
            assert new in vl.values or new == "Release 1 specification only: Not mapped", (
                name, old, new)
        for wrong, right in vl.corrections.items():
            assert right in vl.values, (name, wrong)


def test_fields_of_each_type_and_lookup_by_any_spelling(spec):
    types = {f.type for f in spec.fields}
    assert types == FIELD_TYPES
    f = spec.field("Request_Route_of_Access")
    assert (f.column, f.label, f.type, f.list) == (
        "request_route_of_access", "Request: Route of Access", "list", "Request_Route_of_Access")
    assert "Request_Route_Of_Access" in f.aliases
    assert spec.field("planned_units_per_week").aliases == ["Planned_Units_Per_Week"]
    assert spec.field("NHS_Number").privacy == "direct_identifier"
    assert spec.field("Event_Description").privacy == "drop"
    assert spec.field("First_Name").required_column is False
    assert spec.field("Gender").required_column is True
    with pytest.raises(KeyError):
        spec.field("Shoe_Size")


def test_event_outcome_ranks_groups_and_statuses(spec):
    eo = spec.lists["Event_Outcome"]
    assert len(eo.values) == 16
    assert eo.rank["Progress to reablement/ST-Max"] == 1
    assert eo.rank["Release 1 specification only: Not mapped"] == 3
    assert eo.rank["NFA: Other"] == 17
    assert eo.groups["NFA: Deceased"] == "NFA"
    assert eo.r1["No change in package"] == "Continuation of support or services"
    assert spec.lists["Ethnicity"].groups["White: Roma"] == "White"
    assert spec.lists["Service_Type"].groups["Short term support: ST-Max"] == "Short term support"
    assert spec.lists["Review_Reason"].groups["Planned"] == "Planned review of long term support"
    psr = spec.lists["Primary_Support_Reason"]
    assert psr.status == "probable"
    assert psr.value_status["Social support: Support to unpaid carer"] == "confirmed"
    assert "Invalid and not mapped" in spec.never_valid


def test_mandatory_conditions_are_data(spec):
    end = spec.field("Event_End_Date")
    assert end.mandatory[0].event_types == ("Request", "Assessment", "Review")
    assert end.mandatory[1].when == "has_date_of_death"
    assert "date_of_death" in spec.conditions["has_date_of_death"]


def test_a_bad_spec_is_a_user_error_not_a_crash():
    base = {"name": "x", "fields": [{"name": "A", "type": "list", "list": "Nope"}]}
    with pytest.raises(OpenascError, match="Nope"):
        parse_spec(base)
    with pytest.raises(OpenascError, match="type"):
        parse_spec({"name": "x", "fields": [{"name": "A", "type": "shoe"}]})
    with pytest.raises(OpenascError, match="unknown keys"):
        parse_spec({"name": "x", "fields": [], "lists": {"L": {"status": "C", "values": [
            {"value": "a", " b": None}]}}})
    with pytest.raises(OpenascError, match="no specification"):
        load_spec("nonexistent_return")
