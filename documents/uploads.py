"""What an uploaded file is, told by its content, not by its name.

Every upload of the portal (documents on a case, the Träger's signed Leistungsnachweis, a CSV or
XLSX of many lines, a legacy export) passes `upload_check` before anything is stored: an EXE
renamed to `.pdf`, an empty file, a file over the limit or a name with path separators or control
characters is refused with one German sentence, and the caller's form shows it beside the field
while everything else the person typed stays.
"""

import unicodedata
from dataclasses import dataclass

import filetype  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# The kinds the portal accepts anywhere; each caller allows a subset.
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"

LABELS = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    ODT: "ODT",
    DOCX: "DOCX",
    XLSX: "XLSX",
    CSV: "CSV",
}

# Extension the stored copy gets, whatever the person called the file.
EXTENSIONS = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    ODT: "odt",
    DOCX: "docx",
    XLSX: "xlsx",
    CSV: "csv",
}

_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed: its real kind, a safe display name and its size in bytes."""

    mime: str
    name: str
    size: int


def safe_file_name(name: str) -> str:
    """The person's file name without folders or control characters, for display and download.

    Raises ValidationError when nothing sensible is left or the name tries to climb folders.
    """
    if "/" in name or "\\" in name or "\x00" in name:
        raise ValidationError(
            "Der Dateiname darf keine Ordnertrennzeichen („/“ oder „\\“) enthalten.",
            code="file_name",
        )
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError(
            "Der Dateiname enthält Steuerzeichen. Bitte benennen Sie die Datei um.",
            code="file_name",
        )
    cleaned = name.strip().strip(".")
    if not cleaned:
        raise ValidationError("Die Datei hat keinen gültigen Namen.", code="file_name")
    return cleaned[:200]


def _looks_like_text_table(head: bytes) -> bool:
    """CSV has no magic number: accept text (UTF-8 or cp1252, no NUL bytes) with a separator."""
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    return any(separator in first_line for separator in (";", ",", "\t"))


def _sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        mime = str(kind.mime)
        if mime == "application/zip":
            # DOCX and XLSX are zip files; filetype names them by their first member.
            return None
        return mime
    if _looks_like_text_table(head):
        return CSV
    return None


def upload_check(
    *, uploaded: UploadedFile, allowed: frozenset[str] | set[str], max_bytes: int
) -> CheckedUpload:
    """Check an uploaded file's name, size and real kind against what the caller allows.

    Raises ValidationError with a German message naming what is wrong; reads only the first
    few kilobytes and rewinds the file, so the caller can store it afterwards.
    """
    name = safe_file_name(uploaded.name or "")
    size = int(uploaded.size or 0)
    if size == 0:
        raise ValidationError("Die Datei ist leer.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            "Die Datei ist mit %(size)s MB zu groß; erlaubt sind höchstens %(limit)s MB.",
            code="too_large",
            params={
                "size": f"{size / 1_048_576:.1f}".replace(".", ","),
                "limit": f"{max_bytes / 1_048_576:.0f}",
            },
        )
    uploaded.seek(0)
    head = uploaded.read(_SNIFF_BYTES)
    uploaded.seek(0)
    mime = _sniff(head)
    if mime is None and head.startswith(b"PK"):
        mime = _office_kind(uploaded)
    if mime is None or mime not in allowed:
        wanted = ", ".join(sorted(LABELS[kind] for kind in allowed if kind in LABELS))
        raise ValidationError(
            "Der Inhalt der Datei ist kein erlaubtes Format (erlaubt: %(wanted)s). "
            "Maßgeblich ist der Inhalt, nicht die Endung des Namens.",
            code="kind",
            params={"wanted": wanted},
        )
    return CheckedUpload(mime=mime, name=name, size=size)


def _office_kind(uploaded: UploadedFile) -> str | None:
    """Tell DOCX, XLSX and ODT apart by the members of the zip file."""
    import zipfile

    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", errors="replace").strip()
                return ODT if declared == ODT else None
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        uploaded.seek(0)
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None
