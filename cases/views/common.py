"""Pieces shared by the case views: the case URL and the one-form-per-step page."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cases.models import Case
from sozialraum.forms import form_saved


def case_url(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def case_step(
    request: HttpRequest,
    *,
    case: Case,
    form: forms.Form,
    title: str,
    save: Callable[[dict[str, Any]], str],
    anchor: str = "",
    intro: str = "",
    back_url: str | None = None,
) -> HttpResponse:
    """Validate one form, call the service through `save`, then go back to the case.

    A refusal of the service comes back into the form with everything typed still there.
    """
    if form_saved(request, form, save):
        return redirect(back_url or case_url(case, anchor))
    return render(
        request,
        "cases/case_step.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "back_url": back_url or case_url(case, anchor),
        },
        status=422 if request.method == "POST" else 200,
    )
