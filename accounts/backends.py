"""The login backend: Django's ModelBackend, loading a person's memberships with the person."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from sozialraum.models import User


class MembershipBackend(ModelBackend):
    """Every page checks the team (and its region) or the provider of the person logged in;
    joined here, that is one query per request instead of up to three."""

    def get_user(self, user_id: Any) -> User | None:
        # `get`, not `first`: a lookup by key needs no ORDER BY, whose building hashes every
        # joined column.
        try:
            user = User._default_manager.select_related("asd_team__region", "provider").get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
