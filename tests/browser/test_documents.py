"""Documents in a real browser: the caseworker uploads a PDF from the case page's
"Dokumente", an EXE renamed to .pdf is refused in German with the title kept, the PDF comes
back as a download byte for byte, shared with the help plan it reaches the Träger's staff;
every download is in the audit trail. axe-core finds no violation on the pages."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cases.models import AuditEntry, CaseStatus, HelpType
from cases.services import assignment_create, case_transition, help_types_ensure
from documents.models import Document
from tests.browser.conftest import log_in
from tests.browser.test_consent import _axe_violations, _new_page
from tests.cases.conftest import decide, intake
from tests.documents.conftest import make_pdf
from tests.factories import PASSWORD, RegionProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _fill_upload(page: Page, *, name: str, content: bytes, title: str) -> None:
    page.get_by_label(re.compile(r"^\s*Datei")).set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": content}
    )
    _field(page, "Titel").fill(title)
    _field(page, "Art").select_option(label="Bericht (Schule, Arzt, Polizei, Träger …)")
    _field(page, "Datum des Dokuments").fill("2026-03-01")
    _field(page, "Herkunft").fill("Grundschule am Park")


def test_upload_refusal_download_and_sharing(
    live_server, browser, users, sozialraum_nord, axe_source, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    help_types_ensure()  # transactional tests empty the seeded catalogue
    caseworker, provider_staff = users["caseworker"], users["provider_staff"]
    RegionProviderFactory(region=sozialraum_nord.region, provider=provider_staff.provider)
    case = intake(user=caseworker, sozialraum=sozialraum_nord)
    case = case_transition(user=caseworker, case=case, to_status=CaseStatus.CLARIFICATION)
    help_ = decide(user=caseworker, case=case, help_type=HelpType.objects.get(code="31"))
    assignment = assignment_create(
        user=caseworker,
        help_=help_,
        provider=provider_staff.provider,
        starts_on=help_.starts_on,
        ends_on=help_.planned_end_on,
    )
    pdf = make_pdf(pages=1)
    base = live_server.url
    asd, provider = _new_page(browser), _new_page(browser)
    try:
        log_in(asd, base, caseworker.username, PASSWORD)
        asd.goto(f"{base}/faelle/{case.pk}/")
        asd.get_by_role("link", name="Dokumente", exact=True).click()
        expect(asd.locator("main")).to_contain_text("noch keine Dokumente")
        assert _axe_violations(asd, axe_source) == []
        asd.get_by_role("link", name="Dokument hochladen").click()

        # An EXE renamed to .pdf: refused in German, the title stays in the form.
        _fill_upload(
            asd, name="rechnung.pdf", content=b"MZ\x90\x00" + b"\x00" * 600, title="Rechnung"
        )
        asd.get_by_role("button", name="Hochladen").click()
        expect(asd.locator("main")).to_contain_text("kein erlaubtes Format")
        expect(_field(asd, "Titel")).to_have_value("Rechnung")
        assert _axe_violations(asd, axe_source) == []
        assert not Document.objects.exists()

        # The real PDF, with the help plan as its reference.
        _fill_upload(asd, name="Hilfeplan.pdf", content=pdf, title="Hilfeplan unterschrieben")
        _field(asd, "gehört zum Hilfeplan").select_option(index=1)
        asd.get_by_role("button", name="Hochladen").click()
        expect(asd.locator("main")).to_contain_text("Hilfeplan unterschrieben")
        document = Document.objects.get()

        with asd.expect_download() as download_info:
            asd.get_by_role(
                "link", name=re.compile(r"^herunterladen\W+Hilfeplan unterschrieben$")
            ).click()
        download = download_info.value
        assert download.suggested_filename == "Hilfeplan.pdf"
        assert Path(download.path()).read_bytes() == pdf

        # Shared with the Träger's running assignment (covered by the commission).
        asd.get_by_role("link", name=re.compile(r"^freigeben\W+Hilfeplan unterschrieben$")).click()
        asd.get_by_label(re.compile(provider_staff.provider.name)).check()
        asd.get_by_role("button", name="Freigaben speichern").click()
        expect(asd.locator("main")).to_contain_text(provider_staff.provider.short_name)

        log_in(provider, base, provider_staff.username, PASSWORD)
        provider.goto(f"{base}/auftraege/{assignment.pk}/")
        provider.get_by_role("link", name="Freigegebene Dokumente").click()
        expect(provider.locator("main")).to_contain_text("Hilfeplan unterschrieben")
        assert _axe_violations(provider, axe_source) == []
        with provider.expect_download() as download_info:
            provider.get_by_role(
                "link", name=re.compile(r"^herunterladen\W+Hilfeplan unterschrieben$")
            ).click()
        assert Path(download_info.value.path()).read_bytes() == pdf

        downloads = AuditEntry.objects.filter(
            object_type="document", object_id=document.pk, detail="Dokument heruntergeladen"
        )
        assert sorted(downloads.values_list("user__username", flat=True)) == sorted(
            [caseworker.username, provider_staff.username]
        )
    finally:
        asd.context.close()
        provider.context.close()
