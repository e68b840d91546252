"""The login backend: Django's ModelBackend, loading a person's memberships with the person."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from sozialraum.models import User
from sozialraum.prepared import PreparedQuery

# On every request: compiled once (sozialraum/prepared.py).
_USER_WITH_MEMBERSHIPS = PreparedQuery(
    lambda pk: User._default_manager.select_related("asd_team__region", "provider").filter(pk=pk)
)


class MembershipBackend(ModelBackend):
    """Every page checks the team (and its region) or the provider of the person logged in;
    joined here, that is one query per request instead of up to three."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _USER_WITH_MEMBERSHIPS.run(pk=pk)
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None
