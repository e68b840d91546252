"""Every call of the read API is written to its log, answered or refused (401, 403, 429, 400)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from api.models import ApiCall, ApiClient

API_PREFIX = "/api/"


class ApiCallLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            client = getattr(request, "auth", None)
            ApiCall.objects.create(
                client=client if isinstance(client, ApiClient) else None,
                method=request.method or "",
                path=request.path[:300],
                status=response.status_code,
            )
        return response
