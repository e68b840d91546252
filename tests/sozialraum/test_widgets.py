"""The quick widgets write exactly what Django's widget templates write."""

import pytest
from django import forms

from sozialraum.widgets import QuickCheckboxInput, QuickSelect, QuickTextInput

AWKWARD = 'Müller & "Söhne" <b>'


class Standard(forms.Form):
    q = forms.CharField(required=False, max_length=80)
    flag = forms.BooleanField(required=False)
    needed = forms.BooleanField()
    choice = forms.ChoiceField(
        required=False, choices=[("", "alle"), ("1", "Nord"), ("2", AWKWARD), ("x&y", "x & y")]
    )


class Quick(Standard):
    q = forms.CharField(required=False, max_length=80, widget=QuickTextInput)
    flag = forms.BooleanField(required=False, widget=QuickCheckboxInput)
    needed = forms.BooleanField(widget=QuickCheckboxInput)
    choice = forms.ChoiceField(
        required=False, choices=Standard.base_fields["choice"].choices, widget=QuickSelect
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": AWKWARD, "flag": "on", "choice": "2"},
        {"q": "", "needed": "on", "choice": "x&y"},
        {"q": "  12  ", "choice": "nicht da"},
    ],
)
@pytest.mark.parametrize("name", ["q", "flag", "needed", "choice"])
def test_quick_widgets_write_what_django_writes(data, name):
    standard, quick = Standard(data), Quick(data)
    extra = {"class": "form-control is-invalid", "aria-invalid": "true", "aria-describedby": "x"}
    assert quick[name].as_widget(attrs=extra) == standard[name].as_widget(attrs=extra)
    assert str(quick[name]) == str(standard[name])


def test_select_marks_only_the_chosen_option_and_escapes_labels():
    html = str(Quick({"choice": "2"})["choice"])
    assert html.count(" selected") == 1
    assert '<option value="2" selected>Müller &amp; &quot;Söhne&quot; &lt;b&gt;</option>' in html
    # The next page with another choice starts again from the unmarked options.
    html = str(Quick({"choice": "x&y"})["choice"])
    assert html.count(" selected") == 1
    assert '<option value="x&amp;y" selected>x &amp; y</option>' in html
