"""The access log of case records, for administrators (and the data-protection officer)."""

from django.http import HttpResponse
from django.shortcuts import render

from cases.forms import AuditFilterForm
from cases.models import AuditAction
from cases.selectors_audit import AuditFilter, audit_entries
from sozialraum.access import AuthenticatedHttpRequest, role_required
from sozialraum.models import Role


@role_required(Role.ADMIN)
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=AuditAction.choices)
    filters = AuditFilter()
    if form.is_bound and form.is_valid():
        filters = AuditFilter(**form.cleaned_data)
    after = request.GET.get("nach", "")
    entries, next_after = audit_entries(
        filters=filters, after=int(after) if (after.isascii() and after.isdigit()) else None
    )
    query = request.GET.copy()
    query.pop("nach", None)
    return render(
        request,
        "cases/audit_log.html",
        {
            "form": form,
            "entries": entries,
            "next_after": next_after,
            "query_string": query.urlencode(),
        },
    )
