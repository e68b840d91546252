"""manage.py bench_load: requests per second and p95 under load (gunicorn + wrk, loopback)."""

from django.core.management.base import BaseCommand

from benchmarks import load


class Command(BaseCommand):
    help = (
        "Lastlauf: gunicorn mit 5 Workern auf 127.0.0.1, wrk mit 20 Verbindungen, "
        "begrenzte Dauer. Gibt Anfragen/s, p95 und Fehler aus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=30)
        parser.add_argument("--connections", type=int, default=20)
        parser.add_argument("--workers", type=int, default=5)
        parser.add_argument("--port", type=int, default=8781)

    def handle(self, *args, **options):
        load.run(
            seconds=options["seconds"],
            connections=options["connections"],
            workers=options["workers"],
            port=options["port"],
            out=self.stdout.write,
        )
