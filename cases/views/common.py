"""Pieces shared by the case views: the case URL and the one-form-per-step page."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cases.models import Case
from cases.permissions import can_reopen_case
from cases.services import case_closed_refusal
from sozialraum.forms import form_saved
from sozialraum.models import User


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
    adds: bool = False,
) -> HttpResponse:
    """Validate one form, call the service through `save`, then go back to the case.

    A refusal of the service comes back into the form with everything typed still there. A
    step that `adds` to the case (a note, a person, a goal …) answers on a closed or withdrawn
    case with the refusal instead of the form, and the reopen link for those who may reopen.
    """
    refusal = case_closed_refusal(case) if adds else ""
    if refusal:
        return render(
            request,
            "cases/case_closed.html",
            {
                "case": case,
                "title": title,
                "refusal": refusal,
                "may_reopen": isinstance(request.user, User)
                and can_reopen_case(request.user, case),
                "back_url": back_url or case_url(case, anchor),
            },
            status=409 if request.method == "POST" else 200,
        )
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
