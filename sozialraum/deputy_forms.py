"""The form of the deputies page (Vertretung); the service `deputy_set` decides what holds."""

from typing import cast

from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet

from sozialraum.form_helpers import CHOOSE, FormHelper
from sozialraum.models import User


def _name(user: User) -> str:
    return user.get_full_name() or user.username


class AbsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return _name(obj)


class DeputyChoiceField(forms.ModelChoiceField):
    """Colleagues with their team, since a team lead may choose one of another region."""

    def label_from_instance(self, obj: User) -> str:
        team = obj.asd_team
        return f"{_name(obj)} ({team.name})" if team is not None else _name(obj)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DeputyForm(forms.Form):
    absent = AbsentChoiceField(
        label="Vertreten wird", queryset=User.objects.none(), empty_label=None
    )
    deputy = DeputyChoiceField(
        label="Vertretung durch", queryset=User.objects.none(), empty_label=CHOOSE
    )
    starts_on = forms.DateField(label="von", widget=_DateInput())
    ends_on = forms.DateField(label="bis einschließlich", widget=_DateInput())

    def __init__(
        self, *args, absent_choices: QuerySet[User], candidates: QuerySet[User], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["absent"]).queryset = absent_choices
        cast(forms.ModelChoiceField, self.fields["deputy"]).queryset = candidates
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Row(Column("absent", css_class="col-md-6"), Column("deputy", css_class="col-md-6")),
            Row(Column("starts_on", css_class="col-md-6"), Column("ends_on", css_class="col-md-6")),
            Submit("speichern", "Vertretung eintragen"),
        )
