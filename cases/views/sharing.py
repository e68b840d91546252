"""Sharings of case data and consents on the case file: record one, withdraw a consent."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.consent import consent_withdraw, sharing_record
from cases.forms_sharing import ConsentWithdrawForm, SharingForm
from cases.models import Case
from cases.permissions import case_for_user
from cases.services import providers_commissionable
from cases.views.common import case_step
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.models import Provider

ANCHOR = "weitergaben"


def _recipient_providers(case: Case) -> QuerySet[Provider]:
    """Providers working in the case's region today and those commissioned on the case."""
    working = [p.pk for p in providers_commissionable(case=case, on=timezone.localdate())]
    return (
        Provider.objects.filter(Q(pk__in=working) | Q(assignments__case=case))
        .distinct()
        .order_by("short_name")
    )


@role_required(*ASD)
def sharing_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = SharingForm(
        request.POST if request.method == "POST" else None,
        persons=case.persons.all(),
        providers=_recipient_providers(case),
    )

    def save(data: dict[str, Any]) -> str:
        sharing = sharing_record(
            user=request.user,
            case=case,
            basis=data["basis"],
            categories=data["categories"],
            purpose=data["purpose"],
            given_on=data["given_on"],
            provider=data["provider"],
            recipient=data["recipient"],
            given_by=data["given_by"],
            valid_until=data["valid_until"],
        )
        return f"Die Weitergabe ({sharing.get_basis_display()}) ist erfasst."

    return case_step(
        request,
        case=case,
        form=form,
        title="Datenweitergabe oder Einwilligung erfassen",
        intro=(
            "Halten Sie fest, welche Daten der Familie an wen gehen und auf welcher "
            "Rechtsgrundlage. Eine Einwilligung für einen Träger erweitert, was dieser bei "
            "seiner laufenden Falldurchführung sieht."
        ),
        save=save,
        anchor=ANCHOR,
        adds=True,
    )


@role_required(*ASD)
def consent_withdraw_view(
    request: AuthenticatedHttpRequest, pk: int, sharing_pk: int
) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    sharing = get_object_or_404(case.sharings.select_related("provider", "given_by"), pk=sharing_pk)
    form = ConsentWithdrawForm(request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> str:
        consent_withdraw(user=request.user, sharing=sharing, withdrawn_on=data["withdrawn_on"])
        return "Der Widerruf ist erfasst. Die Einwilligung deckt ab sofort keine Daten mehr."

    recipient = sharing.provider.short_name if sharing.provider else sharing.recipient
    giver = f" von {sharing.given_by}" if sharing.given_by else ""
    return case_step(
        request,
        case=case,
        form=form,
        title="Einwilligung widerrufen",
        intro=(
            f"Einwilligung{giver} vom {sharing.given_on:%d.%m.%Y} gegenüber {recipient}: "
            f"{', '.join(sharing.categories)}. Der Widerruf bleibt in der Akte stehen; "
            "die Einwilligung wird nicht gelöscht."
        ),
        save=save,
        anchor=ANCHOR,
    )
