"""The Erstattungsforderung is a letter of the documents app: the office's current template
version gives the wording, the claim the figures; the checker refuses undocumented names."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from documents.letter_templates import template_check
from documents.letters import letter_template_save
from documents.letters_defaults import DEFAULTS
from documents.letters_schema import LetterKind
from documents.models import LetterTemplateVersion
from reimbursements.letters import claim_letter_pdf, claim_letter_render
from sozialraum.money import money_format
from tests.reimbursements.test_claims import make_claim


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_claim_letter_names_office_references_amount_and_payments(users, paid_help, office):
    claim = make_claim(users, paid_help, office)
    rendered = claim_letter_render(user=users["team_lead"], claim=claim)
    assert rendered.subject.startswith("Kostenerstattung nach § 89a SGB VIII")
    assert rendered.template_version.template.kind == LetterKind.REIMBURSEMENT_CLAIM
    text = _pdf_text(claim_letter_pdf(user=users["team_lead"], claim=claim))
    assert office.name in text
    assert f"Unser Zeichen: {claim.number}" in text
    assert money_format(claim.amount).replace("\u00a0", " ") in text
    assert "Aufstellung der Zahlungen" in text
    assert "Teilzahlungen verbuchen wir als solche" in text


def test_an_edited_claim_template_changes_the_next_letter(users, paid_help, office):
    claim = make_claim(users, paid_help, office)
    body = DEFAULTS[LetterKind.REIMBURSEMENT_CLAIM]["body"].replace(
        "Teilzahlungen verbuchen wir als solche.", "Bitte zahlen Sie binnen vier Wochen."
    )
    letter_template_save(
        user=users["team_lead"],
        kind=LetterKind.REIMBURSEMENT_CLAIM,
        parts={**DEFAULTS[LetterKind.REIMBURSEMENT_CLAIM], "body": body},
    )
    rendered = claim_letter_render(user=users["team_lead"], claim=claim)
    assert rendered.template_version.number == 2
    assert "binnen vier Wochen" in rendered.html
    assert "Teilzahlungen" not in rendered.html
    assert LetterTemplateVersion.objects.filter(
        template__kind=LetterKind.REIMBURSEMENT_CLAIM, number=1, body__contains="Teilzahlungen"
    ).exists()


def test_the_checker_refuses_an_unknown_name_in_the_claim_letter():
    with pytest.raises(ValidationError) as refused:
        template_check(
            kind=LetterKind.REIMBURSEMENT_CLAIM, part="body", source="{{ claim.dispute_reason }}"
        )
    assert "Den Platzhalter „claim.dispute_reason“ gibt es für diesen Brief nicht" in " ".join(
        refused.value.messages
    )
