"""The council's label mapping for case lists (issue 11 item 4; docs/safeguarding-dols.md).

The case list (Worcestershire, CASSR 416; concerns received in 2024-25, none led to an
enquiry):

| concern | Location_of_Risk                     | Types_of_Risk               |
|---------|--------------------------------------|-----------------------------|
| L1      | Service user's home                  | Financial or Material; Physical Abuse |
| L2      | Nursing home                         | Cuckooing                   |
| L3      | OWN HOME (inc. supported living)     | Money abuse                 |
| L4      | Somewhere odd                        | Physical Abuse              |

"Financial or Material" is a spelling the national list already corrects (spec/safeguarding.yaml);
none of the four locations, nor "Cuckooing" or "Money abuse", is a national value.

The labels file maps "Service user's home" and "own home (inc.  supported living)" (case
and spaces ignored) to Own Home, "Nursing home" to Care Home - Nursing, and "Money abuse" to
Financial or Material Abuse. With it: Own Home = L1 + L3 = 2, Care Home - Nursing = L2 = 1,
and L4 stays `Invalid and not mapped` (1); Financial or Material Abuse = L1 + L3 = 2,
Physical Abuse = L1 + L4 = 2, and "Cuckooing" (L2) is `Invalid and not mapped` (1).
Without it every location is unmapped (four warnings, one row each), as are "Cuckooing" and
"Money abuse".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sac_casefiles import SG_HEADER, concern, export, openasc, write_rows

PERIOD = ["--from", "2024-04-01", "--to", "2025-03-31", "--la", "416"]
LABELS = """\
Location_of_Risk:
  "Service user's home": Own Home
  "own home (inc.  supported living)": Own Home
  Nursing home: Care Home - Nursing
Types_of_Risk:
  Money abuse: Financial or Material Abuse
"""


def _case_list(tmp: Path) -> Path:
    rows = [
        concern("L1", "P1", "01/05/2024", Location_of_Risk="Service user's home",
                Types_of_Risk="Financial or Material; Physical Abuse"),
        concern("L2", "P2", "01/06/2024", Location_of_Risk="Nursing home",
                Types_of_Risk="Cuckooing"),
        concern("L3", "P3", "01/07/2024", Location_of_Risk="OWN HOME (inc. supported living)",
                Types_of_Risk="Money abuse"),
        concern("L4", "P4", "01/08/2024", Location_of_Risk="Somewhere odd",
                Types_of_Risk="Physical Abuse"),
    ]
    return write_rows(tmp / "safeguarding.csv", SG_HEADER, rows)


def _warned(stdout: str) -> set[tuple[str, str, str]]:
    """(field, label, 'N row(s)') of each unmapped-label warning printed."""
    import re

    text = " ".join(stdout.split())
    return set(re.findall(r"(\w+): '([^']*(?:'s[^']*)?)' \((\d+ rows?)\) is not a national "
                          r"value", text.replace('"', "'")))


def test_validate_warns_of_each_unmapped_label(tmp_path: Path) -> None:
    r = openasc(tmp_path, "validate", "safeguarding", str(_case_list(tmp_path)))
    assert r.returncode == 0, r.stderr
    assert _warned(r.stdout) == {
        ("Location_of_Risk", "Service user's home", "1 row"),
        ("Location_of_Risk", "Nursing home", "1 row"),
        ("Location_of_Risk", "OWN HOME (inc. supported living)", "1 row"),
        ("Location_of_Risk", "Somewhere odd", "1 row"),
        ("Types_of_Risk", "Cuckooing", "1 row"),
        ("Types_of_Risk", "Money abuse", "1 row"),
    }


def test_validate_with_labels_warns_only_of_what_is_left(tmp_path: Path) -> None:
    (tmp_path / "labels.yaml").write_text(LABELS, "utf-8")
    r = openasc(tmp_path, "validate", "safeguarding", str(_case_list(tmp_path)),
                "--labels", str(tmp_path / "labels.yaml"))
    assert r.returncode == 0, r.stderr
    assert _warned(r.stdout) == {("Location_of_Risk", "Somewhere odd", "1 row"),
                                 ("Types_of_Risk", "Cuckooing", "1 row")}
    out = " ".join(r.stdout.split())
    assert "Location_of_Risk: 3 rows had a local label mapped" in out
    assert "Types_of_Risk: 1 row had a local label mapped" in out


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Loaded through openasc.toml's labels_file (no --labels option)."""
    tmp = tmp_path_factory.mktemp("labels")
    (tmp / "labels.yaml").write_text(LABELS, "utf-8")
    (tmp / "openasc.toml").write_text('labels_file = "labels.yaml"\n', "utf-8")
    r = openasc(tmp, "ingest", "safeguarding", str(_case_list(tmp)))
    assert r.returncode == 0, r.stderr
    c = openasc(tmp, "compute", *PERIOD)
    assert c.returncode == 0, c.stderr
    return tmp, r.stdout


def test_ingest_report_counts_the_unmapped(loaded: tuple[Path, str]) -> None:
    _, stdout = loaded
    assert "4 rows in = 4 loaded + 0 quarantined" in stdout
    assert _warned(stdout) == {("Location_of_Risk", "Somewhere odd", "1 row"),
                               ("Types_of_Risk", "Cuckooing", "1 row")}


def test_mapped_labels_count_under_their_national_value(loaded: tuple[Path, str]) -> None:
    tmp, _ = loaded
    m = export(tmp)
    assert m[("SAC", "CONCERNS_BY_LOCATION", "location=Own Home")][0] == "2"
    assert m[("SAC", "CONCERNS_BY_LOCATION", "location=Care Home - Nursing")][0] == "1"
    assert m[("SAC", "CONCERNS_BY_LOCATION", "location=Invalid and not mapped")][0] == "1"
    assert m[("SAC", "CONCERNS_BY_TYPE", "abuse_type=Financial or Material Abuse")][0] == "2"
    assert m[("SAC", "CONCERNS_BY_TYPE", "abuse_type=Physical Abuse")][0] == "2"
    assert m[("SAC", "CONCERNS_BY_TYPE", "abuse_type=Invalid and not mapped")][0] == "1"


@pytest.mark.parametrize(("text", "says"), [
    ("Location_of_Risk:\n  Home: Own House\n",
     "'Own House' is not a national value of Location_of_Risk"),
    ("Colour:\n  Blue: Own Home\n", "'Colour' is not a safeguarding field with a national list"),
    ("- just a list\n", "expected `Field: {local label: national value}`"),
])
def test_a_bad_labels_file_is_a_user_error(tmp_path: Path, text: str, says: str) -> None:
    (tmp_path / "labels.yaml").write_text(text, "utf-8")
    r = openasc(tmp_path, "ingest", "safeguarding", str(_case_list(tmp_path)),
                "--labels", str(tmp_path / "labels.yaml"))
    assert r.returncode == 1
    assert says in " ".join(r.stderr.split()) and "labels.yaml" in r.stderr
    assert "Traceback" not in r.stderr


def test_labels_file_as_csv(tmp_path: Path) -> None:
    (tmp_path / "labels.csv").write_text(
        "field,local_label,national_value\nLocation_of_Risk,Somewhere odd,Other\n"
        "Types_of_Risk,Cuckooing,Modern Slavery\n", "utf-8")
    r = openasc(tmp_path, "validate", "safeguarding", str(_case_list(tmp_path)),
                "--labels", str(tmp_path / "labels.csv"))
    assert r.returncode == 0, r.stderr
    assert ("Location_of_Risk", "Somewhere odd", "1 row") not in _warned(r.stdout)
    assert ("Types_of_Risk", "Cuckooing", "1 row") not in _warned(r.stdout)
    assert ("Types_of_Risk", "Money abuse", "1 row") in _warned(r.stdout)
