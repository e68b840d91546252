"""`manage.py report_page_image`: one page of the newest finished report as a PNG (for the README).

Needs the development extra (pypdfium2): `pip install -e '.[dev]'`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.models import ReportRequest, ReportState


class Command(BaseCommand):
    help = (
        "Speichert eine Seite des neuesten fertigen Berichts als PNG-Bild (z. B. für die README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="Zieldatei, z. B. docs/bericht-seite.png")
        parser.add_argument("--page", type=int, default=4, help="Seitennummer (ab 1)")
        parser.add_argument("--width", type=int, default=900, help="Breite in Pixeln")

    def handle(self, *args, **options):
        try:
            import pypdfium2
        except ImportError:
            raise CommandError("pypdfium2 fehlt: pip install -e '.[dev]'") from None
        report = ReportRequest.objects.filter(state=ReportState.DONE).first()
        if report is None:
            raise CommandError("Es gibt noch keinen fertigen Bericht (z. B. manage.py demo_town).")
        with report.pdf.open("rb") as handle:
            document = pypdfium2.PdfDocument(handle.read())
        if not 1 <= options["page"] <= len(document):
            raise CommandError(f"Der Bericht hat {len(document)} Seiten.")
        page = document[options["page"] - 1]
        image = page.render(scale=options["width"] / page.get_width()).to_pil()
        options["target"].parent.mkdir(parents=True, exist_ok=True)
        image.save(options["target"], optimize=True)
        self.stdout.write(
            f"Seite {options['page']} von „{report}“ gespeichert: {options['target']}"
        )
