# ruff: noqa: E501 - rows and cells spell the reference labels in full
"""LTS001b tables 2 and 3 and LTS004 under the two SALT methods, one person at a time,
through the real command line (2024-25, snapshot 31 March 2025).

`nhse` is NHS England's published code ("LTS001b L643": line 643 of "SALT LTS001b/LTS001b
replication code.txt"; the same for LTS004); `corrected` is openasc's reading
(sac-dols-salt.md C4: LTS001b placed once at the highest setting, carer, sex and ethnicity
from the row that placed the person; LTS004 the PSR and sex of the latest long-term
service, the latest known status). Each test pins one entry of docs/decisions.md "SALT:
LTS001b tables 2 and 3, LTS004 as NHS England's code" (numbered as the tests). Defaults
(tests/cldfile.py): a woman, white British, no unpaid carer, owner occupier; community
support is CASSR commissioned unless stated.
"""

from __future__ import annotations

from pathlib import Path

from test_salt_events import ev
from test_salt_methods import COMMUNITY, RESIDENTIAL, both, cell

WHITE = "White: English, Welsh, Scottish, Northern Irish or British"
COMMISSIONED = "mechanism=CASSR commissioned support;setting=Community"
LD = "Learning disability support"
PAID = "Paid: Less than 16 hours a week"


def _ld(start: str, end: str | None = None, **fields: str) -> dict[str, str]:
    """A community service of a woman born June 1994 (30 at 31 March 2025) with a learning
    disability, paid under 16 hours a week, unless `fields` say otherwise."""
    return ev("W", "Service", start, end, **{
        "service_type": COMMUNITY, "birth_year": 1994, "birth_month": 6,
        "primary_support_reason": LD, "employment_status": PAID, **fields})


def test_1_lts001b_tables_2_and_3_count_every_age(tmp_path: Path) -> None:
    """Born January 2010 (15 at the snapshot), community support open from 1 June 2024.
    Tables 2 and 3 of the code have no age filter (LTS001b L589-597, L702-711; its build
    L206-222 asks only for a known birth month and year): carer `No` and white British
    woman, 1 each; tables 1a/1b (18-64, 65+) leave her out, so the headline stays 0.
    `corrected` counts people aged 18 and over in every table: 0."""
    nhse, corrected = both(tmp_path, [
        ev("Y", "Service", "2024-06-01", None, service_type=COMMUNITY, birth_year=2010,
           birth_month=1)])
    assert cell(nhse, "LTS001b", f"carer=No;{COMMISSIONED}") == 1
    assert cell(nhse, "LTS001b", f"ethnicity={WHITE};{COMMISSIONED};sex=Female") == 1
    assert cell(nhse, "LTS001b") == 0
    assert cell(corrected, "LTS001b", f"carer=No;{COMMISSIONED}") == 0


def test_2_lts001b_a_known_carer_is_preferred_to_the_latest_start(tmp_path: Path) -> None:
    """Two direct payments open at the snapshot (same hierarchy, 3): from 1 June 2024 with
    `Has_Unpaid_Carer` = Yes, from 1 September 2024 with `Unknown`. The code keeps the
    lowest hierarchy, then a known carer over an unknown one (LTS001b L614-624), then the
    latest start (L627-636): the June row, `Yes`. `corrected` takes the carer of the row
    that placed the person (same setting and PSR: the latest start): `Unknown`."""
    dp = "mechanism=Direct payment;setting=Community"
    nhse, corrected = both(tmp_path, [
        ev("K", "Service", "2024-06-01", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment", has_unpaid_carer="Yes"),
        ev("K", "Service", "2024-09-01", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment", has_unpaid_carer="Unknown")])
    assert cell(nhse, "LTS001b", f"carer=Yes;{dp}") == 1
    assert cell(nhse, "LTS001b", f"carer=Unknown;{dp}") == 0
    assert cell(corrected, "LTS001b", f"carer=Unknown;{dp}") == 1
    assert cell(corrected, "LTS001b", f"carer=Yes;{dp}") == 0


def test_3_lts001b_an_unknown_carer_is_invalid_or_null(tmp_path: Path) -> None:
    """Community support open at the snapshot, `Has_Unpaid_Carer` = Unknown. The code's
    list of carer values is Yes, No, Invalid (LTS001b L43-56): `Unknown` finds no entry and
    prints as `Invalid/NULL` (L643). `corrected` prints the value: `Unknown`."""
    nhse, corrected = both(tmp_path, [
        ev("U", "Service", "2024-06-01", None, service_type=COMMUNITY,
           has_unpaid_carer="Unknown")])
    assert cell(nhse, "LTS001b", f"carer=Invalid/NULL;{COMMISSIONED}") == 1
    assert cell(nhse, "LTS001b", f"carer=Unknown;{COMMISSIONED}") == 0
    assert cell(corrected, "LTS001b", f"carer=Unknown;{COMMISSIONED}") == 1


def test_4_lts001b_table_3_reads_the_rows_of_each_gender(tmp_path: Path) -> None:
    """A direct payment from 1 June 2024 on a row saying `Male`, residential care from
    1 September 2024 on a row saying `Unknown`, both open. Table 3a reads the `Male` rows
    (LTS001b L702-711): the direct payment, 1; table 3c counts every person with an `Other`
    or `Unknown` row (L918-922): 1 more. `corrected` places the person once, at residential
    care, with that row's gender: `Unknown`, residential, 1; no man."""
    nhse, corrected = both(tmp_path, [
        ev("G", "Service", "2024-06-01", None, service_type=COMMUNITY,
           delivery_mechanism="Direct payment", gender="Male"),
        ev("G", "Service", "2024-09-01", None, service_type=RESIDENTIAL, gender="Unknown")])
    man = f"ethnicity={WHITE};mechanism=Direct payment;setting=Community;sex=Male"
    assert cell(nhse, "LTS001b", man) == 1
    assert cell(nhse, "LTS001b", "sex=Other or Unknown") == 1
    assert cell(corrected, "LTS001b", man) == 0
    assert cell(corrected, "LTS001b", f"ethnicity={WHITE};setting=Residential;sex=Unknown") == 1


def test_5_lts004_reads_the_rows_whose_own_psr_is_learning_disability(tmp_path: Path) -> None:
    """Community support for a learning disability 1 April - 30 June 2024, then community
    support for mental health from 1 July 2024 (open). The code keeps the service rows whose
    own PSR is learning disability support (LTS004 L171): the first, so she is in LTS004
    (paid under 16 hours, 1). `corrected` takes the PSR of the latest long-term service
    (mental health): not in LTS004, headline 0."""
    nhse, corrected = both(tmp_path, [
        _ld("2024-04-01", "2024-06-30"),
        _ld("2024-07-01", primary_support_reason="Mental health support")])
    assert cell(nhse, "LTS004") == 1
    assert cell(nhse, "LTS004", f"employment={PAID};part=1;sex=Female") == 1
    assert cell(corrected, "LTS004") == 0


def test_6_lts004_admits_prison(tmp_path: Path) -> None:
    """Long-term support in prison for a learning disability from 1 June 2024 (open). The
    code's service types include prison (LTS004 L169): counted, 1. `corrected` counts
    nursing, residential and community settings (SALT guidance, LTS004): 0."""
    nhse, corrected = both(tmp_path, [
        _ld("2024-06-01", service_type="Long term support: Prison",
            delivery_mechanism="CASSR commissioned support")])
    assert cell(nhse, "LTS004") == 1
    assert cell(corrected, "LTS004") == 0


def test_7_lts004_statuses_of_the_latest_start(tmp_path: Path) -> None:
    """Two open learning disability services: from 1 April 2024 paid under 16 hours, from
    1 September 2024 employment `Unknown`. The code takes the rows of the latest start
    (LTS004 L282-296) and only then prefers a known status among them (L300-320): `Unknown`.
    `corrected` takes the latest known status: paid under 16 hours."""
    nhse, corrected = both(tmp_path, [
        _ld("2024-04-01"), _ld("2024-09-01", employment_status="Unknown")])
    assert cell(nhse, "LTS004", "employment=Unknown;part=1;sex=Female") == 1
    assert cell(nhse, "LTS004", f"employment={PAID};part=1;sex=Female") == 0
    assert cell(corrected, "LTS004", f"employment={PAID};part=1;sex=Female") == 1


def test_8_lts004_a_person_of_two_genders_counts_under_both(tmp_path: Path) -> None:
    """Two learning disability services starting 1 June 2024 (open): a direct payment on a
    row saying `Male`, a managed personal budget on a row saying `Female`. The code's
    statuses are kept per person and gender (LTS004 L315-349): one person, counted as a man
    and as a woman (1 each; its cohort, the headline, 1). `corrected` takes the sex of the
    latest service: one cell, 1 in all."""
    nhse, corrected = both(tmp_path, [
        _ld("2024-06-01", delivery_mechanism="Direct payment", gender="Male"),
        _ld("2024-06-01", delivery_mechanism="CASSR managed personal budget",
            gender="Female")])
    for sex in ("Male", "Female"):
        assert cell(nhse, "LTS004", f"employment={PAID};part=1;sex={sex}") == 1
    assert cell(nhse, "LTS004") == 1
    assert sum(cell(corrected, "LTS004", f"employment={PAID};part=1;sex={sex}")
               for sex in ("Male", "Female")) == 1


def test_9_lts004_an_invalid_status_is_null_or_invalid(tmp_path: Path) -> None:
    """A learning disability service from 1 June 2024 (open) whose employment status is
    not in the specification's list (loaded as `Invalid and not mapped`). The code's table 1
    keeps valid statuses only (LTS004 L249-257) and counts people with none as
    `NULL/Invalid` (L366-377): 1. `corrected` counts the invalid value as a status of its
    own (it is not `Unknown`): `Invalid and not mapped`, 1."""
    nhse, corrected = both(tmp_path, [_ld("2024-06-01", employment_status="Working")])
    assert cell(nhse, "LTS004", "employment=NULL/Invalid;part=1;sex=Female") == 1
    assert cell(corrected, "LTS004", "employment=Invalid and not mapped;part=1;sex=Female") == 1
