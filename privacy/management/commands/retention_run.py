import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from privacy.models import RunStatus, RunTrigger
from privacy.selectors import run_report
from privacy.services import retention_run_create, retention_run_execute


class Command(BaseCommand):
    help = (
        "Anonymisiert oder löscht, was nach den freigegebenen Aufbewahrungsfristen fällig ist "
        "(Fälle unter Löschsperre bleiben unberührt), und speichert einen Bericht. Läuft direkt "
        "in diesem Prozess; zeitgesteuert läuft dieselbe Aufgabe über Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--vorschau",
            action="store_true",
            help="Nur zählen, was fällig ist; nichts ändern.",
        )
        parser.add_argument(
            "--stichtag",
            type=datetime.date.fromisoformat,
            help="Stichtag JJJJ-MM-TT (nur mit --vorschau; ohne: heute).",
        )

    def handle(self, *args, **options):
        try:
            run = retention_run_create(
                trigger=RunTrigger.COMMAND,
                preview=options["vorschau"],
                on_day=options["stichtag"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        run = retention_run_execute(run_id=run.pk)
        title = "Vorschau" if run.is_preview else "Löschlauf"
        self.stdout.write(f"{title} {run.pk} zum Stichtag {run.on_day:%d.%m.%Y}:")
        for row in run_report(run):
            state = "" if row.is_active else " (nicht freigegeben)"
            self.stdout.write(
                f"  {row.label}{state}: fällig {row.due}, gesperrt {row.held}, "
                f"erledigt {row.done} ({row.action_label})"
            )
        if run.status == RunStatus.FAILED:
            raise CommandError(f"Der Lauf ist abgebrochen ({run.error}).")
