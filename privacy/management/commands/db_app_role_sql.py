from django.core.management.base import BaseCommand, CommandError

from privacy.db_roles import app_role_grants


class Command(BaseCommand):
    help = (
        "Gibt die SQL-Rechte für die eingeschränkte Datenbankrolle aus, mit der das Portal im "
        "Betrieb arbeitet (kein Eigentümer der Tabellen, kein Superuser, kein UPDATE, DELETE oder "
        "TRUNCATE auf Protokoll und Buchungen). Nach jeder Migration als Eigentümer ausführen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rolle", default="sozialraum_app", help="Name der Rolle")

    def handle(self, *args, **options):
        try:
            statements = app_role_grants(options["rolle"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        for statement in statements:
            self.stdout.write(f"{statement};")
