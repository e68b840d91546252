"""Who may reach which page: role checks shared by every view of every app.

Roles decide which pages a person reaches at all (403 otherwise); the selectors of each app then
decide which objects on those pages the person may see (404 for objects outside their scope).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from sozialraum.models import ASD_ROLES, Role, User

ALL_ROLES: tuple[str, ...] = tuple(Role.values)
ASD: tuple[str, ...] = tuple(ASD_ROLES)
OFFICE: tuple[str, ...] = (*ASD, Role.PLANNER, Role.ADMIN)  # Jugendamt staff, not providers


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind `role_required` (or `login_required`): a person signed in.

    Only a type for views' signatures; Django hands them its own request object.
    """

    user: User


def user_role(user: User | AnonymousUser | None) -> str:
    """The effective role of a (possibly anonymous) user; '' when none."""
    if user is None or not user.is_authenticated:
        return ""
    return user.effective_role


def has_role(user: User | AnonymousUser | None, *roles: str) -> bool:
    return user_role(user) in roles


def require_role(user: User | AnonymousUser | None, *roles: str) -> None:
    """Raise PermissionDenied (403) unless the user holds one of the roles."""
    if not has_role(user, *roles):
        raise PermissionDenied("Diese Seite ist für Ihre Rolle nicht freigegeben.")


def asd_region_id(user: User) -> int:
    """The region of an ASD person's team, whose cases they work on. An ASD account without a
    team (misconfigured in the admin) gets a German 403, not an error page."""
    if user.asd_team is None:
        raise PermissionDenied(
            "Ihrem Konto ist kein ASD-Team zugeordnet. Bitte wenden Sie sich an die Administration."
        )
    return user.asd_team.region_id


def role_required(*roles: str) -> Callable:
    """View decorator: login first (redirect), then the role (403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        # Read by the test that checks every URL is guarded.
        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator
