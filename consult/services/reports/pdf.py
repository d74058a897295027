"""The participation report as PDF: WeasyPrint lays out the report's HTML (the template staff
also see in the browser) with the print stylesheet.

WeasyPrint keeps every laid-out page in memory until the file is written, about 0.2 MB per
row of the annex: 10,000 rows would take 2 GB. So the front matter and the annex's first
batch make one document, each further batch of rows its own, and the pieces are joined into
one file; the page numbers continue from piece to piece. Nothing is fetched: the stylesheet
is passed in and every URL the HTML might name is refused.
"""

import io
from collections.abc import Callable
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from consult.services.reports.content import Report, annex_batches

# Rows laid out at once: about 100 MB of laid-out pages at a time.
ROWS_PER_BATCH = 300

# Renders the report template: (include_front: bool, annex: list[AnnexChunk]) -> HTML.
RenderHtml = Callable[..., str]


class FetchRefused(ValueError):
    """The report's HTML named a resource; a report never loads anything from anywhere."""


class NoFetching(URLFetcher):
    """Refuses every URL, so that nothing in a comment or a template can make the server
    fetch a file or an address (WeasyPrint leaves the resource out and goes on)."""

    def fetch(self, url, headers=None):
        raise FetchRefused(url)


def write(
    report: Report,
    render_html: RenderHtml,
    stylesheet: Path,
    rows_per_batch: int | None = None,
    annex_row_limit: int | None = None,
) -> bytes:
    """`annex_row_limit`: above this many rows the annex is not laid out but referred to as
    a separate file. WeasyPrint needs about 20 ms per table row, so 10,000 rows would take
    minutes, longer than a request may; the DOCX and XLSX tables take seconds."""
    fonts = FontConfiguration()
    refuse = NoFetching()
    css = CSS(filename=str(stylesheet), font_config=fonts, url_fetcher=refuse)
    if annex_row_limit is not None and report.annex_row_count > annex_row_limit:
        batches = [[]]
    else:
        batches = annex_batches(report, rows_per_batch or ROWS_PER_BATCH)
    pieces: list[bytes] = []
    pages_so_far = 0
    for index, batch in enumerate(batches):
        html = render_html(include_front=index == 0, annex=batch, annex_separate=not batch)
        stylesheets = [css]
        if pages_so_far:
            # A generated integer only: continues the page numbers of the pieces before.
            stylesheets.append(
                CSS(string=f"@page:first {{ counter-reset: page {pages_so_far + 1} }}")
            )
        document = HTML(string=html, url_fetcher=refuse).render(
            stylesheets=stylesheets, font_config=fonts
        )
        pages_so_far += len(document.pages)
        pieces.append(document.write_pdf())
        del document
    return pieces[0] if len(pieces) == 1 else _join(pieces, report.document_title)


def _join(pieces: list[bytes], title: str) -> bytes:
    # Only a report with more rows than one batch needs joining.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for piece in pieces:
        writer.append(PdfReader(io.BytesIO(piece)))
    writer.add_metadata({"/Title": title})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
