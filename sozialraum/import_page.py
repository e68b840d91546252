"""The upload page of every CSV import (streets, partners, offers): one form, one view body."""

from collections.abc import Callable
from typing import Any

from crispy_forms.layout import Layout
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sozialraum.csv_import import ImportInvalid, LineError
from sozialraum.form_helpers import FormHelper


class CsvImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label="CSV-Datei",
        help_text="UTF-8, Semikolon oder Komma getrennt, mit Kopfzeile (siehe unten).",
    )
    dry_run = forms.BooleanField(label="Nur prüfen, nichts speichern", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("file", "dry_run")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("Die Datei ist größer als 5 MB.")
        return upload


def csv_import_page(
    request: HttpRequest,
    *,
    service: Callable[..., int],
    noun: str,
    back: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Show the upload form; on POST run the import `service` all or nothing.

    A dry run that passes comes back to this page, an import goes on to `back` (a URL name);
    a file with errors shows the form again with every bad line.
    """
    errors: list[LineError] = []
    posted = request.method == "POST"
    form = CsvImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        dry_run = form.cleaned_data["dry_run"]
        try:
            count = service(data=form.cleaned_data["file"].read(), dry_run=dry_run)
        except ImportInvalid as invalid:
            errors = invalid.errors
        else:
            if dry_run:
                messages.info(request, f"Die Datei ist fehlerfrei: {count} {noun}.")
                return redirect(request.path)
            messages.success(request, f"{count} {noun} importiert.")
            return redirect(back)
    return render(request, template, {**context, "form": form, "errors": errors})
