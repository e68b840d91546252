"""The Kostenbeitragsbescheid is a letter of the documents app: its wording is the current
version of the office's template, its figures (income part, Kindergeld part, total) come from the
contribution, and the template checker keeps a template to the documented placeholders."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from cases.models import AuditEntry
from contributions.notice import notice_pdf, notice_render
from contributions.services import contribution_set
from documents.letter_templates import template_check
from documents.letters import BROKEN_TEMPLATE, letter_template_save
from documents.letters_defaults import DEFAULTS
from documents.letters_schema import LetterKind
from documents.models import LetterTemplateVersion
from sozialraum.money import money_format


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.fixture
def contribution(users, placement, evidence, income_table):
    return contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"], receives_child_benefit=True,
    )  # fmt: skip


def test_notice_pdf_names_income_part_child_benefit_part_and_total(users, contribution):
    assert contribution.child_benefit_amount > 0
    data = notice_pdf(user=users["caseworker"], contribution=contribution)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "Bescheid über die Heranziehung zu einem Kostenbeitrag" in text
    for amount in (
        contribution.amount,
        contribution.child_benefit_amount,
        contribution.monthly_total,
    ):
        assert money_format(amount).replace("\u00a0", " ") in text
    assert "Kindergeldes (§ 94 Abs. 3 SGB VIII)" in text
    assert "Rechtsbehelfsbelehrung" in text
    assert contribution.case.number in text
    assert AuditEntry.objects.filter(
        object_type="costcontribution", action="export", detail="Kostenbeitragsbescheid"
    ).exists()


def test_an_edited_template_changes_the_next_notice_and_keeps_the_old_version(
    client, users, contribution
):
    user = users["caseworker"]
    before = notice_render(user=user, contribution=contribution)
    assert before.template_version.number == 1
    assert "jeweils zum 15. eines Monats fällig" in before.html
    body = DEFAULTS[LetterKind.CONTRIBUTION_NOTICE]["body"].replace(
        "jeweils zum 15. eines Monats fällig", "jeweils zum 1. eines Monats im Voraus fällig"
    )
    version = letter_template_save(
        user=user,
        kind=LetterKind.CONTRIBUTION_NOTICE,
        parts={**DEFAULTS[LetterKind.CONTRIBUTION_NOTICE], "body": body},
        note="Fälligkeit geändert",
    )
    after = notice_render(user=user, contribution=contribution)
    assert after.template_version == version and version.number == 2
    assert "jeweils zum 1. eines Monats im Voraus fällig" in after.html
    assert "15. eines Monats" not in after.html
    old = LetterTemplateVersion.objects.get(template__kind=LetterKind.CONTRIBUTION_NOTICE, number=1)
    assert "jeweils zum 15. eines Monats fällig" in old.body
    client.force_login(user)
    response = client.get(reverse("contributions:notice", args=[contribution.pk]))
    assert response.status_code == 200
    assert "im Voraus fällig" in _pdf_text(response.content)


def test_the_checker_refuses_an_unknown_name_and_a_notice_without_legal_remedy():
    with pytest.raises(ValidationError) as refused:
        template_check(
            kind=LetterKind.CONTRIBUTION_NOTICE,
            part="body",
            source="<p>{{ contribution.amount }} {{ contribution.person.iban }}</p>"
            "{{ legal_remedy }}",
        )
    message = " ".join(refused.value.messages)
    assert "Den Platzhalter „contribution.person.iban“ gibt es für diesen Brief nicht" in message
    body = DEFAULTS[LetterKind.CONTRIBUTION_NOTICE]["body"].replace("{{ legal_remedy }}", "")
    with pytest.raises(ValidationError) as refused:
        template_check(kind=LetterKind.CONTRIBUTION_NOTICE, part="body", source=body)
    assert "Rechtsbehelfsbelehrung" in " ".join(refused.value.messages)


def test_a_broken_stored_template_gives_a_german_message_not_an_error_page(
    client, users, contribution
):
    """Templates are checked before they are saved; one broken in the database anyway (an
    import, a manual repair) must not turn the download into an error page."""
    user = users["caseworker"]
    notice_render(user=user, contribution=contribution)  # installs version 1
    current = LetterTemplateVersion.objects.get(
        template__kind=LetterKind.CONTRIBUTION_NOTICE, number=1
    )
    LetterTemplateVersion.objects.create(
        template=current.template,
        number=2,
        **{part: getattr(current, part) for part in ("letterhead", "address_block", "signature",
                                                      "footer", "subject")},
        body="<p>{% if contribution.amount %}ohne Ende</p>",
    )  # fmt: skip
    client.force_login(user)
    response = client.get(reverse("contributions:notice", args=[contribution.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("contributions:detail", args=[contribution.pk])
    html = response.content.decode()
    assert BROKEN_TEMPLATE.format(label="Kostenbeitragsbescheid") in html.replace("&quot;", '"')
