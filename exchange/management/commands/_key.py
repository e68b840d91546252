"""The key for the exchange commands: from a file or an environment variable, never from the
command line (it would show up in the process list and the shell history)."""

import os
from pathlib import Path

from django.core.management.base import CommandError

KEY_ENV = "SOZIALRAUM_EXPORT_SCHLUESSEL"


def key_arguments(parser) -> None:
    parser.add_argument(
        "--schluessel-datei",
        dest="key_file",
        help="Datei mit der Passphrase (mind. 12 Zeichen) oder dem Schlüssel (srx-pub-… beim "
        f"Export, srx-key-… beim Import). Ersatzweise die Umgebungsvariable {KEY_ENV}.",
    )
    parser.add_argument(
        "--unverschluesselt",
        action="store_true",
        dest="unencrypted",
        help="Ohne Verschlüsselung (nur bewusst: das Archiv enthält alle Sozialdaten im Klartext).",
    )


def key_read(options) -> str | None:
    if options["unencrypted"]:
        if options["key_file"] or os.environ.get(KEY_ENV):
            raise CommandError("Bitte entweder einen Schlüssel oder --unverschluesselt angeben.")
        return None
    if options["key_file"]:
        try:
            key = Path(options["key_file"]).read_text(encoding="utf-8").strip("\r\n")
        except OSError:
            raise CommandError(
                f"Die Schlüsseldatei {options['key_file']} ist nicht lesbar."
            ) from None
    else:
        key = os.environ.get(KEY_ENV, "")
    if not key:
        raise CommandError(
            "Kein Schlüssel: bitte --schluessel-datei oder die Umgebungsvariable "
            f"{KEY_ENV} angeben (oder bewusst --unverschluesselt)."
        )
    return key
