"""The audit report as PDF, through Qt's rich text and PDF writer (no browser needed).

Qt's rich text draws no inline SVG, so the report's charts are rasterised with ``QSvgRenderer``
at twice their size and handed to the document as image resources.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QMarginsF, QRectF, QSizeF, QUrl
from PySide6.QtGui import (QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter,
                           QTextDocument)
from PySide6.QtSvg import QSvgRenderer

from scoring.atomic import atomic_path
from scoring.errors import ExportError
from scoring.report.audit import AuditReport
from scoring.report.html import chart_svgs, render_html

__all__ = ["report_document", "write_pdf", "write_pdf_offscreen", "render_pages"]

_SCALE = 2            # chart pixels per CSS pixel: sharp on paper
_MARGINS_MM = QMarginsF(14, 16, 14, 16)


def _rasterise(svg: str) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ExportError("A chart of the report could not be drawn.")
    size = renderer.defaultSize() * _SCALE
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def report_document(report: AuditReport) -> QTextDocument:
    """The report as a ``QTextDocument`` (charts as image resources), ready to print."""
    document = QTextDocument()
    images = {}
    for name, svg in chart_svgs(report).items():
        url = f"chart-{name}.png"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), _rasterise(svg))
        images[name] = url
    document.setHtml(render_html(report, images=images))
    return document


def write_pdf(report: AuditReport, path: str | os.PathLike) -> None:
    """Write ``report`` to ``path`` as an A4 PDF, atomically (a failure leaves no partial file)."""
    document = report_document(report)
    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(_MARGINS_MM, QPageLayout.Unit.Millimeter)
        writer.setTitle(report.title)
        writer.setCreator("Leadbench")
        document.print_(writer)
        del writer                    # flushes and closes the file before it is renamed


def render_pages(report: AuditReport, width: int = 794, height: int = 1123) -> list[QImage]:
    """The report laid out on pages of ``width`` x ``height`` pixels (A4 at 96 dpi), as images:
    to look at the printed layout without a PDF viewer."""
    document = report_document(report)
    document.setPageSize(QSizeF(width, height))
    pages = []
    for page in range(document.pageCount()):
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        painter.translate(0, -page * height)
        document.drawContents(painter, QRectF(0, page * height, width, height))
        painter.end()
        pages.append(image)
    return pages


def write_pdf_offscreen(report: AuditReport, path: str | os.PathLike) -> None:
    """:func:`write_pdf` from a terminal: starts an off-screen Qt application when none runs
    (Qt needs one for fonts; no window opens)."""
    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])         # lives until the PDF is written
    write_pdf(report, path)
