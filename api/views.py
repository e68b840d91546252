"""The administrators' page of the read API: its clients, their scopes and their calls."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api.forms import ApiClientForm
from api.models import ApiCall, ApiClient
from api.services import api_client_create, api_client_revoke
from sozialraum.access import AuthenticatedHttpRequest, role_required
from sozialraum.forms import form_errors_add
from sozialraum.models import Role

NEW_TOKEN_KEY = "api_new_token"  # noqa: S105 - a session key, not a secret


@role_required(Role.ADMIN)
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    clients = ApiClient.objects.annotate(
        call_count=Count("calls"), last_call=Max("calls__at")
    ).order_by("revoked_at", "name")
    return render(
        request,
        "api/client_list.html",
        {
            "clients": clients,
            "recent_calls": ApiCall.objects.select_related("client")[:20],
            "form": ApiClientForm(),
        },
    )


@role_required(Role.ADMIN)
def client_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new = api_client_create(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                created_by=request.user,
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            # The token waits in the session for the one page that shows it (then it is gone);
            # the redirect keeps a reload from creating a second client.
            request.session[NEW_TOKEN_KEY] = {"client": new.client.pk, "token": new.token}
            return redirect("api:created", pk=new.client.pk)
    return render(
        request,
        "api/client_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


@role_required(Role.ADMIN)
def client_created(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The new client's token, shown once: a second visit finds it gone."""
    client = get_object_or_404(ApiClient, pk=pk)
    waiting = request.session.pop(NEW_TOKEN_KEY, None)
    token = waiting["token"] if waiting and waiting.get("client") == client.pk else None
    return render(request, "api/client_created.html", {"client": client, "token": token})


@require_POST
@role_required(Role.ADMIN)
def client_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(ApiClient, pk=pk)
    api_client_revoke(client=client, revoked_by=request.user)
    messages.success(request, f"Der Zugang „{client.name}“ ist gesperrt.")
    return redirect("api:list")
