"""Django's admin site behind the portal's own login, lockout and second factor."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accounts.security import second_factor_satisfied


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        # Also checked by SecondFactorMiddleware; kept here so the admin never relies on the
        # middleware order alone.
        return super().has_permission(request) and second_factor_satisfied(request)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """One login page for the whole portal: lockout, German messages and 2FA live there."""
        if request.user.is_authenticated:
            # Logged in but not an administrator: the portal's login would send them back here.
            raise PermissionDenied("Die Verwaltung ist der Administration vorbehalten.")
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
