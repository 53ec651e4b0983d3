"""`openasc check` on every format, through the command line: the same draft written as
Word, PDF, HTML, Markdown and text gives the same error at a location a reader can find;
exit codes 0, 1 and 2; a scanned page is reported, a file that cannot be read is exit 2 with
a message and never a traceback; the findings are written as HTML and CSV.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from draft_corpus import write_draft

from openasc.check.readers import read_draft
from openasc.errors import OpenascError

# 120 + 85 + 61 = 266, not 265: one error, in a table; the rest holds.
BLOCKS = [
    ("h", "Keeping people safe"),
    ("p", "We received 1,470 safeguarding concerns in 2024-25, up 13% on last year, from "
          "1,300 to 1,470."),
    ("t", "Enquiries by type of abuse, 2024-25", ["Type of abuse", "Enquiries"],
     [["Neglect", "120"], ["Financial", "85"], ["Physical", "61"], ["Total", "265"]], ""),
    ("p", "One in five carers (21%) said they feel safe."),
]


def openasc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openasc.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "md", "txt"])
def test_each_format_finds_the_table_error_and_names_where(tmp_path: Path, fmt: str) -> None:
    draft = tmp_path / f"draft.{fmt}"
    write_draft(BLOCKS, draft)
    r = openasc("check", str(draft), "--report", str(tmp_path / "rep"), cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    rows = list(csv.DictReader((tmp_path / "rep" / "check-findings.csv").open(encoding="utf-8")))
    assert [(x["severity"], x["check"]) for x in rows] == [("error", "table_total")]
    where = rows[0]["location"]
    assert "table 1" in where and "Total" in where
    assert {"pdf": "page 1", "txt": "line", "md": "line"}.get(fmt, "table") in where
    assert "266" in rows[0]["working"] and "265" in rows[0]["working"]
    page = (tmp_path / "rep" / "check-findings.html").read_text(encoding="utf-8")
    assert "<table>" in page and "266" in page


def test_no_error_is_exit_0(tmp_path: Path) -> None:
    draft = tmp_path / "ok.md"
    draft.write_text("Concerns rose from 1,300 to 1,470, an increase of 13%.\n", "utf-8")
    r = openasc("check", str(draft), cwd=tmp_path)
    assert r.returncode == 0 and "0 errors" in r.stdout, r.stdout + r.stderr


def _scanned_pdf(path: Path, text_pages: int) -> None:
    """Pages with only a drawn box (no text layer), after `text_pages` pages of text."""
    from weasyprint import HTML

    pages = ["<p>Concerns rose from 1,300 to 1,470.</p>"] * text_pages + \
        ['<div style="width:10cm;height:10cm;background:#333"></div>'] * 2
    body = '<div style="break-after:page">' + '</div><div style="break-after:page">'.join(
        pages) + "</div>"
    HTML(string=f"<html><body>{body}</body></html>").write_pdf(str(path))


def test_a_scanned_pdf_is_unreadable_exit_2(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    _scanned_pdf(scan, 0)
    r = openasc("check", str(scan), cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "text layer" in r.stderr and "Traceback" not in r.stderr


def test_scanned_pages_in_a_text_pdf_are_reported(tmp_path: Path) -> None:
    part = tmp_path / "part.pdf"
    _scanned_pdf(part, 1)
    r = openasc("check", str(part), "--report", str(tmp_path / "rep"), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    rows = list(csv.DictReader((tmp_path / "rep" / "check-findings.csv").open(encoding="utf-8")))
    assert [(x["check"], x["location"]) for x in rows] == [("unreadable", "page 2"),
                                                           ("unreadable", "page 3")]


@pytest.mark.parametrize(("name", "content"), [
    ("broken.pdf", b"%PDF-1.7 this is not a PDF at all"),
    ("broken.docx", b"PK\x03\x04 not really a zip"),
    ("notes.xlsx", b"anything"),
    ("binary.html", bytes(range(256)) * 4),  # not UTF-8, and 0x81 is not Windows-1252
], ids=["pdf", "docx", "xlsx", "binary"])
def test_a_file_that_cannot_be_read_is_exit_2_without_a_traceback(
        tmp_path: Path, name: str, content: bytes) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    r = openasc("check", str(bad), cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert name in r.stderr and "Traceback" not in r.stderr


def test_a_missing_file_is_exit_2(tmp_path: Path) -> None:
    r = openasc("check", str(tmp_path / "nowhere.docx"), cwd=tmp_path)
    assert r.returncode == 2 and "no such file" in r.stderr, r.stdout + r.stderr


def test_la_without_year_is_a_user_error(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("Nothing to see.\n", "utf-8")
    r = openasc("check", str(draft), "--la", "E10000034", cwd=tmp_path)
    assert r.returncode == 1 and "--year" in r.stderr, r.stdout + r.stderr


def test_without_the_check_extra_word_and_pdf_name_it(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx and pypdf are the `check` extra: a plain install says what to install."""
    draft = tmp_path / "d.docx"
    write_draft(BLOCKS, draft)
    monkeypatch.setitem(sys.modules, "docx", None)
    monkeypatch.delitem(sys.modules, "openasc.check.readers.docx", raising=False)
    with pytest.raises(OpenascError) as got:
        read_draft(draft)
    assert "openasc[check]" in got.value.message and got.value.exit_code == 1
