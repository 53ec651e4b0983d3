"""HTML to PDF with WeasyPrint: the same page, laid out for print.

WeasyPrint reads the print stylesheet in the page: it makes a bookmark of each h1-h3, fills
the contents page's page numbers with `target-counter()`, and keeps the text extractable.
It is the `pdf` extra (`pip install 'openasc[pdf]'`) because it needs the pango library,
which pip cannot install (README, "PDF reports"): everything else, HTML included, works
without it, so it is imported only here, when a PDF is asked for.
"""

from __future__ import annotations

import logging
from pathlib import Path

from openasc import files
from openasc.errors import OpenascError

INSTALL = "pip install 'openasc[pdf]'"


class PdfUnavailable(OpenascError):
    """WeasyPrint, or the pango library it loads, is not installed."""


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    try:
        from weasyprint import HTML
    except ImportError as exc:
        raise PdfUnavailable(
            f"Cannot write {pdf_path}: PDFs need WeasyPrint ({INSTALL}) and the pango library "
            "(the README's \"PDF reports\" says how on each system); the HTML is written."
        ) from exc
    except OSError as exc:  # WeasyPrint is there but cannot load pango
        raise PdfUnavailable(
            f"Cannot write {pdf_path}: WeasyPrint cannot load the pango library ({exc}); "
            "install it as the README's \"PDF reports\" says for your system; the HTML is "
            "written."
        ) from exc
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    with files.atomic_path(pdf_path) as tmp:
        HTML(filename=str(html_path), url_fetcher=_no_fetch).write_pdf(
            str(tmp), pdf_variant="pdf/ua-1", pdf_tags=True, lang="en-GB")
    return pdf_path


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    """A report makes no external request, in the browser or here."""
    raise ValueError(f"openasc reports fetch nothing; refused {url}")
