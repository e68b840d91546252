"""Bearer tokens of the read API: a client is found by its token's first characters, then the
whole token's hash is compared in constant time."""

import hmac

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from api.models import ApiClient
from api.services import TOKEN_PREFIX_LENGTH, token_hash


class ClientToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        if len(token) <= TOKEN_PREFIX_LENGTH:
            return None
        client = ApiClient.objects.filter(
            token_prefix=token[:TOKEN_PREFIX_LENGTH], revoked_at__isnull=True
        ).first()
        if client is None or not hmac.compare_digest(client.token_hash, token_hash(token)):
            return None
        return client


class ClientRateThrottle(AuthRateThrottle):
    """django-ninja's per-client throttle, with the rate read from the settings on each call so
    that an administrator's change (and a test's) applies without a restart."""

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.SOZIALRAUM_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
