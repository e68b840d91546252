"""The export page's form: the administrator's public key, or a deliberate "unencrypted"."""

from crispy_forms.layout import Submit
from django import forms

from exchange.services import UNENCRYPTED_WARNING
from sozialraum.form_helpers import FormHelper


class ExportRequestForm(forms.Form):
    public_key = forms.CharField(
        label="Öffentlicher Schlüssel",
        required=False,
        max_length=80,
        help_text="Beginnt mit „srx-pub-“; erzeugt mit „manage.py exchange_keygen“. Den privaten "
        "Schlüssel braucht nur, wer das Archiv einspielt – er gehört nicht ins Portal.",
    )
    unencrypted = forms.BooleanField(
        label="Ohne Verschlüsselung exportieren",
        required=False,
        help_text=UNENCRYPTED_WARNING,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Export starten"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("unencrypted") and not (cleaned.get("public_key") or "").strip():
            self.add_error(
                "public_key",
                "Bitte den öffentlichen Schlüssel angeben oder bewusst „Ohne Verschlüsselung“ "
                "ankreuzen.",
            )
        return cleaned
