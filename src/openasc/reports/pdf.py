"""HTML to PDF with WeasyPrint: the same page, laid out for print.

WeasyPrint reads the print stylesheet in the page: it makes a bookmark of each h1-h3, fills
the contents page's page numbers with `target-counter()`, and keeps the text extractable.
It needs Debian's pango (scripts/install-report-deps.sh).
"""

from __future__ import annotations

import logging
from pathlib import Path

from openasc import files
from openasc.errors import OpenascError


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise OpenascError(
            f"Cannot write {pdf_path}: the PDF renderer WeasyPrint is not available ({exc}). "
            "Run scripts/install-report-deps.sh, which installs it and the pango library it "
            "needs."
        ) from exc
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    with files.atomic_path(pdf_path) as tmp:
        HTML(filename=str(html_path), url_fetcher=_no_fetch).write_pdf(
            str(tmp), pdf_variant="pdf/ua-1", lang="en-GB")
    return pdf_path


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    """A report makes no external request, in the browser or here."""
    raise ValueError(f"openasc reports fetch nothing; refused {url}")
