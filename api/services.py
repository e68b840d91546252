"""Creating and revoking the read API's clients."""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiClient, Scope
from sozialraum.models import User

TOKEN_PREFIX_LENGTH = 10


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewClient:
    client: ApiClient
    token: str  # shown once, never stored


@transaction.atomic
def api_client_create(*, name: str, scopes: list[str], created_by: User) -> NewClient:
    """A new client with a fresh token; the token is returned once and only its hash is kept."""
    unknown = [scope for scope in scopes if scope not in Scope.values]
    if unknown or not scopes:
        raise ValidationError("Bitte wählen Sie mindestens eine gültige Berechtigung.")
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError("Ein Zugang mit diesem Namen besteht bereits.")
    token = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name,
        token_prefix=token[:TOKEN_PREFIX_LENGTH],
        token_hash=token_hash(token),
        scopes=sorted(set(scopes)),
        created_by=created_by,
    )
    return NewClient(client=client, token=token)


@transaction.atomic
def api_client_revoke(*, client: ApiClient, revoked_by: User) -> ApiClient:
    """Block a client's token at once; its call log stays."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.revoked_by = revoked_by
        client.save(update_fields=["revoked_at", "revoked_by"])
    return client
