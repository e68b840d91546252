"""Pages of the privacy app under /verwaltung/datenschutz/.

- Retention classes and runs: administrators only.
- Legal holds and subject access: the team lead for the cases of their region, administrators for
  the whole office (docs/datenschutz.md says why).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from privacy import selectors, services
from privacy.forms import (
    LegalHoldForm,
    LegalHoldLiftForm,
    RetentionClassForm,
    RunStartForm,
    SubjectExportForm,
    SubjectSearchForm,
)
from privacy.models import RetentionClass, RetentionRun
from privacy.rules import RULES
from sozialraum.access import AuthenticatedHttpRequest, has_role, role_required
from sozialraum.forms import form_saved
from sozialraum.models import Role

STEWARDS = (Role.TEAM_LEAD, Role.ADMIN)


@role_required(*STEWARDS)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    is_admin = has_role(request.user, Role.ADMIN)
    context: dict[str, object] = {"is_admin": is_admin}
    if is_admin:
        context["classes"] = RetentionClass.objects.select_related("changed_by")
        context["runs"] = selectors.runs_recent(limit=5)
    context["hold_count"] = (
        selectors.legal_holds_visible_to(request.user).filter(lifted_at__isnull=True).count()
    )
    return render(request, "privacy/home.html", context)


@role_required(Role.ADMIN)
def retention_class_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    retention_class = get_object_or_404(RetentionClass, pk=pk)
    form = RetentionClassForm(
        request.POST if request.method == "POST" else None, retention_class=retention_class
    )

    def save(data: dict) -> str:
        services.retention_class_update(retention_class=retention_class, by=request.user, **data)
        return f"Die Frist für „{retention_class}“ ist gespeichert."

    if form_saved(request, form, save):
        return redirect("privacy:home")
    return render(
        request,
        "privacy/retention_class_form.html",
        {
            "retention_class": retention_class,
            "form": form,
            "rule": RULES[retention_class.record_type],
        },
        status=422 if form.is_bound else 200,  # bound and still here: refused
    )


@role_required(Role.ADMIN)
def run_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RunStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        run = services.retention_run_start(by=request.user, preview=form.is_preview)
        messages.success(request, "Der Löschlauf ist gestartet.")
        return redirect("privacy:run_detail", pk=run.pk)
    return render(
        request,
        "privacy/run_list.html",
        {"form": form, "runs": selectors.runs_recent(limit=50)},
        status=422 if form.is_bound else 200,  # bound and still here: refused
    )


@role_required(Role.ADMIN)
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(RetentionRun.objects.select_related("started_by"), pk=pk)
    return render(
        request, "privacy/run_detail.html", {"run": run, "rows": selectors.run_report(run)}
    )


@role_required(*STEWARDS)
def holds(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LegalHoldForm(request.POST if request.method == "POST" else None)

    def save(data: dict) -> str:
        hold = services.legal_hold_place(user=request.user, **data)
        return f"Der Fall {hold.case.number} ist gegen Löschung gesperrt."

    if form_saved(request, form, save):
        return redirect("privacy:holds")
    visible = selectors.legal_holds_visible_to(request.user)
    return render(
        request,
        "privacy/holds.html",
        {
            "form": form,
            "active": visible.filter(lifted_at__isnull=True),
            "lifted": visible.filter(lifted_at__isnull=False)[:50],
        },
        status=422 if form.is_bound else 200,  # bound and still here: refused
    )


@role_required(*STEWARDS)
def hold_lift(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hold = selectors.legal_hold_get(request.user, pk)
    form = LegalHoldLiftForm(request.POST if request.method == "POST" else None)

    def save(data: dict) -> str:
        services.legal_hold_lift(user=request.user, hold=hold, **data)
        return f"Die Löschsperre für {hold.case.number} ist aufgehoben."

    if form_saved(request, form, save):
        return redirect("privacy:holds")
    return render(
        request,
        "privacy/hold_lift.html",
        {"hold": hold, "form": form},
        status=422 if form.is_bound else 200,  # bound and still here: refused
    )


@role_required(*STEWARDS)
def subject_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubjectSearchForm(request.POST if request.method == "POST" else None)
    found = None
    export_form = None
    if request.method == "POST" and form.is_valid():
        found = selectors.subject_persons_find(user=request.user, **form.cleaned_data)
        services.subject_search_audit(user=request.user, persons=found)
        export_form = SubjectExportForm(
            persons=selectors.subject_persons_in_scope(request.user).filter(
                pk__in=[p.pk for p in found]
            )
        )
    return render(
        request,
        "privacy/subject_search.html",
        {"form": form, "found": found, "export_form": export_form},
        status=422 if form.is_bound and not form.is_valid() else 200,
    )


@require_POST
@role_required(*STEWARDS)
def subject_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubjectExportForm(request.POST, persons=selectors.subject_persons_in_scope(request.user))
    if not form.is_valid():
        return render(
            request,
            "privacy/subject_search.html",
            {
                "form": SubjectSearchForm(),
                "found": None,
                "export_error": " ".join(str(m) for errors in form.errors.values() for m in errors),
            },
            status=422,
        )
    persons = list(form.cleaned_data["persons"])
    services.subject_access_export_audit(user=request.user, persons=persons)
    now = timezone.localtime()
    html = render_to_string(
        "privacy/subject_export.html",
        {
            "records": selectors.subject_access_records(persons),
            "created_at": now,
            "created_by": request.user,
        },
        request=request,
    )
    # The file name carries the date only, never the person's name.
    stem = f"auskunft-art15-{now:%Y-%m-%d-%H%M}"
    if form.cleaned_data["output"] == "pdf":
        # Imported here: WeasyPrint takes a while to load and only this answer needs it.
        from weasyprint import HTML

        content = HTML(string=html).write_pdf()
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    else:
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.html"'
    return response
