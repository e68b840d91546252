"""Documents on the Nord case of the cases tests, files in a temporary private folder.

- `media`: MEDIA_ROOT in a temporary folder; the document storage follows it
- `pdf_bytes`, `png_bytes`, `docx_bytes`, `exe_bytes`: small real files of each kind
- `stored`: stores a document on a case through `document_store`, as letters and uploads do
"""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocumentKind
from documents.services import document_store
from documents.storage import document_storage
from tests.cases.conftest import (  # noqa: F401 (fixtures)
    assignment_a,
    case_in_clarification,
    case_nord,
    case_sued,
    help_nord,
    provider_a_in_nord,
    provider_b_in_nord,
    sozialraum_sued,
    spfh,
    street_nord,
    street_sued,
    today,
)
from tests.town import town  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = ""
    return tmp_path / "media"


def make_pdf(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def pdf_bytes() -> bytes:
    return make_pdf()


@pytest.fixture
def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture
def exe_bytes() -> bytes:
    # A PE header as Windows programs start: "MZ", the DOS stub, then "PE\0\0".
    head = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    head[0x3C:0x40] = (64).to_bytes(4, "little")
    return bytes(head[:64]) + b"PE\x00\x00" + b"\x00" * 400


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[str]:
    """Every file name in the document storage (recursively)."""
    storage = document_storage()
    names: list[str] = []

    def walk(path: str) -> None:
        try:
            dirs, files = storage.listdir(path)
        except FileNotFoundError:
            return
        names.extend(f"{path}/{f}".lstrip("/") for f in files)
        for folder in dirs:
            walk(f"{path}/{folder}".lstrip("/"))

    walk("")
    return names


@pytest.fixture
def stored(users):
    def store(case, *, title="Bericht der Schule", content=None, mime="application/pdf", **extra):
        return document_store(
            case=case,
            title=title,
            kind=extra.pop("kind", DocumentKind.REPORT),
            content=content or make_pdf(),
            file_name=extra.pop("file_name", "bericht.pdf"),
            mime=mime,
            dated_on=extra.pop("dated_on", datetime.date(2026, 3, 1)),
            source=extra.pop("source", "Grundschule am Park"),
            created_by=extra.pop("created_by", users["caseworker"]),
            **extra,
        )

    return store
