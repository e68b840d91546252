"""Reading a report PDF back the way a reader would: its text, page by page (pypdf)."""

import io
import re

from pypdf import PdfReader

from reports.selectors import SECTIONS


def pdf_pages(data: bytes) -> list[str]:
    """The text of every page, whitespace collapsed and soft hyphens removed."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text().replace("\u2010\n", "").replace("-\n", "")
        pages.append(re.sub(r"\s+", " ", text))
    return pages


def assert_report_reads_right(data: bytes, *, title: str) -> list[str]:
    """Title page, contents with the right page numbers, every heading, footers on every page
    after the title. Returns the pages' text for further checks."""
    pages = pdf_pages(data)
    assert title in pages[0]
    assert "Berichtszeitraum 01.01.2025 bis 31.12.2025" in pages[0]
    assert "Stand der Daten" in pages[0]
    contents = pages[1]
    assert contents.startswith("Inhalt")
    for number, heading in enumerate(SECTIONS.values(), start=1):
        # Each chapter starts on a page of its own, with its number and heading at the top; the
        # contents give that page's number (CSS target-counter).
        page = next(i for i, text in enumerate(pages) if text.startswith(f"{number} {heading}"))
        assert re.search(rf"{number} {re.escape(heading)} [. ]*{page + 1}\b", contents), heading
    for index, text in enumerate(pages[1:], start=2):
        assert f"Seite {index} von {len(pages)}" in text
        assert re.search(r"Stand der Daten: \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", text)
    return pages
