"""NHS council codes map to ONS codes; the DfE code is not a council code for CLD."""

from datetime import date

import pytest

from openasc import councils
from openasc.errors import OpenascError


def test_nhs_and_ons_codes_resolve_to_the_same_council() -> None:
    assert councils.resolve("416").ons_code == "E10000034"
    assert councils.resolve("E10000034").la_code == "416"


def test_dfe_code_is_refused_with_a_clear_message() -> None:
    with pytest.raises(OpenascError, match="not a known council code"):
        councils.resolve("885")


def test_reformed_council_code_depends_on_the_date() -> None:
    """Barnsley's NHS code 204 is E08000016 until March 2025 and E08000038 from April 2025."""
    assert councils.find("204", on=date(2024, 6, 30)).ons_code == "E08000016"
    assert councils.find("204", on=date(2025, 6, 30)).ons_code == "E08000038"
