"""Reads of the exchange app: the instance exports, for administrators only."""

from django.db.models import QuerySet
from django.http import Http404

from exchange.models import InstanceExport
from sozialraum.models import Role, User

EXPORTERS = (Role.ADMIN,)


def exports_visible_to(user: User) -> QuerySet[InstanceExport]:
    if user.role not in EXPORTERS:
        return InstanceExport.objects.none()
    return InstanceExport.objects.select_related("requested_by")


def export_for_user(user: User, public_id) -> InstanceExport:
    export = exports_visible_to(user).filter(public_id=public_id).first()
    if export is None:
        raise Http404("Diesen Export gibt es nicht.")
    return export
