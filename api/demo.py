"""The demo town's read-API client: the town's dashboard, so the administrators' page shows a
client with its scopes and calls. Its token was shown once when created and is not known."""

from api.models import ApiClient, Scope
from api.services import api_client_create
from sozialraum.models import Role, User

DEMO_CLIENT = "Dashboard der Stadt (Demo)"


def demo_build() -> None:
    if ApiClient.objects.filter(name=DEMO_CLIENT).exists():
        return
    admin = User.objects.filter(role=Role.ADMIN, is_demo_account=True).order_by("pk").first()
    if admin is None:
        return
    api_client_create(
        name=DEMO_CLIENT, scopes=[Scope.BUDGETS, Scope.FIGURES, Scope.DIRECTORY], created_by=admin
    )
