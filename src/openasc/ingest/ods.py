"""Read an OpenDocument spreadsheet (.ods) sheet by sheet, streaming, with no dependency.

CQC publishes its care directory as a 24 MB ODS of about 57,000 rows; read through
odfpy/pandas it needed more than 3 GB of memory (docs/decisions.md, "Market position").
This reader streams `content.xml` from the zip with `iterparse`, expands
`number-columns-repeated` and `number-rows-repeated` only where a cell holds something (the
huge trailing filler rows and columns cost nothing), and takes numbers and dates from the
`office:value` / `office:date-value` attributes, as ODS defines them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import iterparse

from openasc.errors import UnreadableInput

T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"  # noqa: E741 - the ODS namespace
X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CELLS = (f"{T}table-cell", f"{T}covered-table-cell")


def _cell_text(el) -> str:  # noqa: ANN001 - an ElementTree element
    kind = el.get(f"{O}value-type")
    if kind in ("float", "percentage", "currency"):
        v = el.get(f"{O}value", "")
        return v[:-2] if v.endswith(".0") else v
    if kind == "date":
        return el.get(f"{O}date-value", "")[:10]
    if kind == "boolean":
        return el.get(f"{O}boolean-value", "")
    return "\n".join("".join(p.itertext()) for p in el.iter(f"{X}p"))


def sheets(path: Path) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    """Each sheet's name and its rows as (1-based row number, cell texts); empty rows are
    skipped but counted, so row numbers are the spreadsheet's own. Consume each sheet's
    rows before asking for the next sheet."""
    try:
        z = zipfile.ZipFile(path)
        stream = z.open("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableInput(f"{path}: cannot be read as an OpenDocument spreadsheet "
                              f"({exc}).") from exc
    events = iterparse(stream, events=("start", "end"))
    pending: list[tuple[str, Iterator[tuple[int, list[str]]]]] = []

    def rows() -> Iterator[tuple[int, list[str]]]:
        number, cells, filler = 0, [], 0
        for event, el in events:
            if event == "end" and el.tag in CELLS:
                text = _cell_text(el)
                repeat = int(el.get(f"{T}number-columns-repeated", "1"))
                if text == "":
                    filler += repeat  # placed only if a later cell holds something
                else:
                    cells.extend([""] * filler + [text] * repeat)
                    filler = 0
                el.clear()
            elif event == "end" and el.tag == f"{T}table-row":
                repeat = int(el.get(f"{T}number-rows-repeated", "1"))
                if cells:
                    for _ in range(repeat):
                        number += 1
                        yield number, list(cells)
                else:
                    number += repeat
                cells, filler = [], 0
                el.clear()
            elif event == "end" and el.tag == f"{T}table":
                el.clear()
                return

    try:
        for event, el in events:
            if event == "start" and el.tag == f"{T}table":
                pending.append((el.get(f"{T}name", ""), rows()))
                yield pending[-1]
    except Exception as exc:  # noqa: BLE001 - malformed XML in a damaged file
        raise UnreadableInput(f"{path}: its content.xml cannot be parsed ({exc}).") from exc
    finally:
        z.close()


def write_ods(path: Path, book: dict[str, list[list[object]]]) -> Path:
    """Write a minimal valid ODS (for synthetic data and tests): one sheet per entry,
    numbers as float cells, everything else as text."""
    from xml.sax.saxutils import escape, quoteattr

    def cell(v: object) -> str:
        if v is None or v == "":
            return "<table:table-cell/>"
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}'
                "</text:p></table:table-cell>")

    body = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>"
                  for r in rows)
        # the filler CQC's files end with: one row repeated a million times, empty
        + '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
          'table:number-columns-repeated="1024"/></table:table-row></table:table>'
        for name, rows in book.items())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
        'office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path
