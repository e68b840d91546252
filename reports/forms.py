"""The report request form: a period within one year, and the regions."""

import datetime
from typing import cast

from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from budgets.forms import date_field
from reports.models import ReportRequest
from reports.services import REPORT_TITLE_MAX_LENGTH
from sozialraum.form_helpers import FormHelper
from sozialraum.models import Region


class ReportRequestForm(forms.Form):
    title = forms.CharField(
        label="Titel",
        max_length=REPORT_TITLE_MAX_LENGTH,
        help_text=f"Höchstens {REPORT_TITLE_MAX_LENGTH} Zeichen; leer: der übliche Titel.",
        required=False,
        initial=ReportRequest._meta.get_field("title").default,
    )
    period_start = date_field("Zeitraum von")
    period_end = date_field(
        "Zeitraum bis",
        help_text="Der Zeitraum liegt in einem Haushaltsjahr, z. B. 01.01. bis 30.06.",
    )
    regions = forms.ModelMultipleChoiceField(
        label="Regionen",
        queryset=Region.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Bitte wählen Sie mindestens eine Region."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period_start"].initial = datetime.date(today.year, 1, 1)
        self.fields["period_end"].initial = today
        regions = cast(forms.ModelMultipleChoiceField, self.fields["regions"]).queryset
        assert regions is not None  # the field is declared with a queryset above
        self.fields["regions"].initial = list(regions)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "title",
            Row(
                Column("period_start", css_class="col-sm-6"),
                Column("period_end", css_class="col-sm-6"),
            ),
            "regions",
            Submit("anfordern", "Bericht anfordern"),
        )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", "Das Ende des Zeitraums liegt vor dem Beginn.")
            elif start.year != end.year:
                self.add_error(
                    "period_end",
                    "Der Zeitraum muss in einem Haushaltsjahr liegen (Beginn und Ende im selben "
                    "Jahr), weil der Bericht die Budgets dieses Jahres ausweist.",
                )
            elif end > timezone.localdate():
                self.add_error(
                    "period_end",
                    "Das Ende des Zeitraums liegt in der Zukunft; wählen Sie spätestens heute.",
                )
            elif start.year < 2000:
                self.add_error("period_start", "Bitte wählen Sie einen Zeitraum ab dem Jahr 2000.")
        return data
