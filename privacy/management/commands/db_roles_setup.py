import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from privacy.db_roles import RoleSetup, roles_setup

OWNER_DEFAULT = "sozialraum_owner"
APP_DEFAULT = "sozialraum_app"


class Command(BaseCommand):
    help = (
        "Richtet die zwei Datenbankrollen des Portals ein oder bringt sie auf den vorgesehenen "
        "Stand: die Eigentümer-Rolle (Migrationen, besitzt die Tabellen) und die App-Rolle für "
        "Web, Worker und Beat (lesen und schreiben, aber keine Tabellen ändern oder löschen, kein "
        "UPDATE/DELETE auf Protokoll und Buchungen). Wiederholbar; gibt aus, was es geändert hat. "
        "Passwörter neuer Rollen aus SOZIALRAUM_DB_OWNER_PASSWORD und SOZIALRAUM_DB_APP_PASSWORD. "
        "Ohne --nur-rechte als Superuser ausführen (DATABASE_URL eines Superusers)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--eigentuemer",
            default=os.environ.get("SOZIALRAUM_DB_OWNER") or None,
            help=(
                "Eigentümer-Rolle (Vorgabe: SOZIALRAUM_DB_OWNER, mit --nur-rechte die angemeldete "
                f"Rolle, sonst {OWNER_DEFAULT})"
            ),
        )
        parser.add_argument(
            "--app-rolle",
            default=os.environ.get("SOZIALRAUM_DB_APP") or APP_DEFAULT,
            help=f"Rolle von Web, Worker und Beat (Vorgabe: SOZIALRAUM_DB_APP oder {APP_DEFAULT})",
        )
        parser.add_argument(
            "--nur-rechte",
            action="store_true",
            help="Nur die Rechte der App-Rolle setzen (als Eigentümer, nach jeder Migration).",
        )
        parser.add_argument(
            "--passwoerter-setzen",
            action="store_true",
            help="Die Passwörter bestehender Rollen aus den Umgebungsvariablen neu setzen.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Datenbankrollen gibt es nur mit PostgreSQL (DATABASE_URL).")
        owner = options["eigentuemer"]
        if owner is None and options["nur_rechte"]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_user")
                owner = cursor.fetchone()[0]
        setup = RoleSetup(
            owner=owner or OWNER_DEFAULT,
            app=options["app_rolle"],
            owner_password=os.environ.get("SOZIALRAUM_DB_OWNER_PASSWORD", ""),
            app_password=os.environ.get("SOZIALRAUM_DB_APP_PASSWORD", ""),
            reset_passwords=options["passwoerter_setzen"],
            grants_only=options["nur_rechte"],
        )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                changes = roles_setup(cursor, setup)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for change in changes:
            self.stdout.write(f"geändert: {change}")
        if not changes:
            self.stdout.write(
                f"Nichts zu ändern: {setup.owner} und {setup.app} sind wie vorgesehen eingerichtet."
            )
