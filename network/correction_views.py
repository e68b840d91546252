"""Berichtigung of a conference agreement (`network.corrections`)."""

from typing import cast

from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from network.corrections import agreement_correct, agreement_correction_refusal
from network.forms import DATE_WIDGET, StaffSingleChoiceField
from network.models import ConferenceAgreement
from network.selectors import conferences_visible_to, staff_for_conferences
from sozialraum.access import OFFICE, AuthenticatedHttpRequest, role_required
from sozialraum.form_helpers import CHOOSE, FormHelper
from sozialraum.forms import form_errors_add
from sozialraum.models import User


class AgreementCorrectionForm(forms.Form):
    text = forms.CharField(
        label="Vereinbarung", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = StaffSingleChoiceField(
        label="verantwortlich", queryset=User.objects.none(), empty_label=CHOOSE
    )
    due_on = forms.DateField(label="fällig am", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Grund der Berichtigung",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Pflichtangabe. Die bisherige Fassung bleibt sichtbar.",
        error_messages={"required": "Bitte geben Sie den Grund an."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(StaffSingleChoiceField, self.fields["owner"]).queryset = staff_for_conferences()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "text",
            Row(Column("owner", css_class="col-md-8"), Column("due_on", css_class="col-md-4")),
            "reason",
            Submit("speichern", "Berichtigung speichern"),
        )


def agreement_for_correction(user: User, pk: int) -> ConferenceAgreement:
    """The agreement of a conference the user sees (404 otherwise); 403 with the reason when
    they may not correct it."""
    agreement = (
        ConferenceAgreement.objects.select_related("conference__sozialraum", "owner")
        .filter(pk=pk, conference__in=conferences_visible_to(user))
        .first()
    )
    if agreement is None:
        raise Http404("Diese Vereinbarung gibt es nicht.")
    refusal = agreement_correction_refusal(user, agreement)
    if refusal:
        raise PermissionDenied(refusal)
    return agreement


@role_required(*OFFICE)
def agreement_correct_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for_correction(request.user, pk)
    form = AgreementCorrectionForm(
        request.POST if request.method == "POST" else None,
        initial={"text": agreement.text, "owner": agreement.owner, "due_on": agreement.due_on},
    )
    if form.is_bound and form.is_valid():
        try:
            agreement_correct(user=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Die Berichtigung ist gespeichert.")
            return redirect("network:conference_detail", pk=agreement.conference_id)
    return render(
        request,
        "network/agreement_correct.html",
        {"agreement": agreement, "conference": agreement.conference, "form": form},
        status=422 if form.is_bound else 200,
    )
